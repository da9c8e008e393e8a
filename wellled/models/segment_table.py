"""Hold Table 2 of the NHS Oversight Framework 2019/20 annex 1 as data: each segment's
description of support needs and the level of support offered, in the annex's words, loaded
from fixtures/wellled/segments.yaml by `manage.py load_wellled_framework`."""

from django.db import models

from .ratings_and_segments import SegmentDecision


class SegmentDescription(models.Model):
    """One row of Table 2; a decision keeps its own codes, so a reload changes no decision."""

    segment = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField("description of support needs")
    support_offer = models.CharField(max_length=20, choices=SegmentDecision.SupportOffer.choices)
    support_offer_text = models.TextField("level of support offered")
    source = models.TextField()

    class Meta:
        ordering = ["segment"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(segment__gte=1, segment__lte=4),
                name="segment_description_1_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.segment} ({self.name})"
