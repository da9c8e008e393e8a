"""Metric definitions from the YAML fixture: every definition checked, then created or updated."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from metrics.models import MetricDefinition

METRIC_DEFINITIONS_FIXTURE = settings.BASE_DIR / "fixtures" / "metric_definitions.yaml"
DEFINITION_FIELDS = [
    "name",
    "area",
    "unit",
    "lower_is_better",
    "frequency",
    "source",
    "rationale",
    "reference",
    "threshold",
    "threshold_source",
]
BLANK_WHEN_MISSING = {"reference", "threshold_source"}

BAD_DEFINITION = "metric definition {index} ({code}): {error}"


@transaction.atomic
def metric_definitions_load(*, path: Path = METRIC_DEFINITIONS_FIXTURE) -> tuple[int, int]:
    """Create or update every definition in the YAML fixture; return (created, updated)."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    existing = {definition.code: definition for definition in MetricDefinition.objects.all()}
    created = updated = 0
    for index, entry in enumerate(entries, start=1):
        code = str(entry.get("code", ""))
        definition = existing.get(code) or MetricDefinition(code=code)
        for name in DEFINITION_FIELDS:
            setattr(definition, name, entry.get(name, "" if name in BLANK_WHEN_MISSING else None))
        try:
            definition.full_clean()
        except ValidationError as exc:
            message = BAD_DEFINITION.format(index=index, code=code, error=exc.message_dict)
            raise ValidationError(message, code="bad_definition") from exc
        if definition.pk is None:
            created += 1
        else:
            updated += 1
        definition.save()
    return created, updated
