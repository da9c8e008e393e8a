"""CQC's review of the rating: the discussion with the team when CQC disputes it, the agreed
rating, and the quality ratings with the combined rating of quality and use of resources
(`services.combined_rating_propose` holds CQC's aggregation principles).
"""
