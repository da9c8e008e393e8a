"""The four-point rating scale that UoR, well-led and CQC's quality ratings all share.

One enum keeps the numbers and labels identical everywhere a rating is stored, compared or
shown: 1 is the best rating, so "worse" always means "higher".
"""

from django.db import models


class Rating(models.IntegerChoices):
    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement"
    INADEQUATE = 4, "Inadequate"


# The slugs the framework files use for a characteristic's level.
RATING_BY_SLUG = {
    "outstanding": Rating.OUTSTANDING,
    "good": Rating.GOOD,
    "requires_improvement": Rating.REQUIRES_IMPROVEMENT,
    "inadequate": Rating.INADEQUATE,
}
