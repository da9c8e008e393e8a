"""Load Table 2 of the 2019/20 oversight annex (fixtures/wellled/segments.yaml) and read it
for the decision page."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from ..models.segment_table import SegmentDescription

SEGMENTS_FILE = settings.BASE_DIR / "fixtures" / "wellled" / "segments.yaml"
NO_TABLE_2 = "Table 2 of the oversight annex is not loaded: run `manage.py load_wellled_framework`."


@transaction.atomic
def segment_table_load(*, path: Path = SEGMENTS_FILE) -> int:
    """Write the four rows of Table 2 (a reload replaces their text; decisions keep their own
    codes, so none changes). Returns how many rows were written."""
    data = yaml.safe_load(path.read_text())
    for row in data["segments"]:
        SegmentDescription.objects.update_or_create(
            segment=row["segment"],
            defaults={
                "name": row["name"],
                "description": row["description"],
                "support_offer": row["support_offer"],
                "support_offer_text": row["support_offer_text"],
                "source": data["source"],
            },
        )
    return len(data["segments"])


def segment_table() -> dict[int, SegmentDescription]:
    """Table 2 by segment number; empty when it is not loaded."""
    return {row.segment: row for row in SegmentDescription.objects.all()}
