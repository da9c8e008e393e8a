"""The longest text a person may send in each kind of field: one definition for the pages and
the API.

A page's form field and the API's serializer field for the same text both take their
`max_length` from here, so what the page refuses the API refuses too, with a 400 naming the
field. Both also refuse NUL characters (Django's and DRF's CharField do) and trim spaces.
"""

from django.db import models

LONG_TEXT = 50_000  # commentary, evidence, a rating's rationale, the summary of findings
PASSAGE = 20_000  # areas for improvement, outstanding practice, revised passages, well-led text
# A step's note (the API's one `note` for every action, the pages' note on any action),
# challenges and answers, the CQC discussion, review grounds and decisions.
NOTE = 10_000
SHORT_NOTE = 5_000  # a send-back, the reason to override a combined rating
REASON = 2_000  # why a date or the team changed, why evidence was withdrawn
TITLE = 200  # titles, names, report sections
CODE = 100  # codes a client names (a KLOE, a prompt, a workflow action)


def text_fields_limited(model: type[models.Model], limit: int, *, fields=None) -> dict:
    """`extra_kwargs` for a ModelSerializer (or `limits` for a ModelForm's formfield_callback):
    `max_length=limit` for each TextField of `model`, or of `fields` only."""
    return {
        field.name: {"max_length": limit}
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and (fields is None or field.name in fields)
    }


def limited_formfield(limit: int):
    """A ModelForm `formfield_callback` giving each TextField `max_length=limit`, as the
    ModelSerializer of the same model gets it through `text_fields_limited`."""

    def formfield(db_field, **kwargs):
        if isinstance(db_field, models.TextField):
            kwargs.setdefault("max_length", limit)
        return db_field.formfield(**kwargs)

    return formfield
