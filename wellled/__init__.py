"""The well-led app: the shared CQC/NHSI well-led framework and the trust's review cycle.

- Framework: fixtures/frameworks/wellled-2017.yaml, loaded by `manage.py load_wellled_framework`
  (also the default priority-rating scheme, fixtures/wellled/priority_scheme.yaml; admins
  maintain schemes in Django admin; a self-review keeps the scheme it started with).
- Board self-review: draft -> board sign-off (date, name) -> read-only; the pages and the API
  refuse every edit after sign-off (403). Printed as a PDF by a Celery task.
- Comply or explain (services/developmental_reviews.py, selectors/developmental_reviews.py):
  the next developmental review is due three years after the last completed one, or on a date
  NHS Improvement agrees that is after completion and no more than five years after it (a
  later date is refused with the latest allowed date in the message). Years are calendar
  years; 29 February becomes 28 February in a common year (dateutil's relativedelta): completed
  2020-02-29 -> due 2023-02-28, latest agreeable 2025-02-28, so 2025-03-01 is refused. A
  trust is overdue the day after its due date unless NHS Improvement accepted an explanation
  (alternative assurance, who accepted it) for that same due date; a new due date needs a
  new explanation. A trust with no completed review has no due date and no overdue flag.
- Oversight (NHSI only): one row per trust, each trigger a separate flag with its source,
  in a fixed number of queries whatever the number of trusts (selectors/oversight.py).
- Segment decisions (NHSI only): Table 2 of the 2019/20 annex beside each segment
  (fixtures/wellled/segments.yaml); each contradiction of the annex is a named warning with
  its source (services/segment_rules.py), confirmed before saving and kept with the flags
  that stood that day (docs/segmentation.md).

models, services, selectors, forms, views and api are packages with one module per subject
(framework, self_reviews, developmental_reviews, actions, ratings_and_segments, oversight, as
each has them); views/mixins.py, forms/fields.py and api/lookups.py hold what their siblings
share, and each package's __init__ re-exports its public names. Who may do what: policies.py.
"""
