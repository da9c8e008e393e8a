"""Load the UoR framework content (KLOEs, prompts, characteristics) from fixtures/frameworks/."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.models import (
    Characteristic,
    Framework,
    Kloe,
    Prompt,
)
from core.ratings import RATING_BY_SLUG
from metrics.models import MetricDefinition

FRAMEWORK_DIR = settings.BASE_DIR / "fixtures" / "frameworks"
UOR_FRAMEWORK_FILES = ["uor-2016-draft.yaml", "uor-2017-acute.yaml", "uor-2017-acute-2.yaml"]
UNKNOWN_METRIC = "{framework}: KLOE {kloe} names metric {code!r}, which is not defined."
PROMPT_METRIC_NOT_KLOES = (
    "{framework}: prompt {prompt} names metric {code!r}, not one of its KLOE's."
)
FRAMEWORK_IN_USE = "{code} is used by assessments and is kept as it is."
OUTSIDE_SCOPE_UNMATCHED = (
    "{framework}: outside_scope names a statement that is not among its characteristics: {text!r}."
)


@transaction.atomic
def framework_load(*, path: Path) -> tuple[Framework, bool]:
    """Load one framework file; a version already used by an assessment is never changed."""
    data = yaml.safe_load(path.read_text())
    framework = Framework.objects.filter(code=data["code"]).first()
    if framework and framework.assessments.exists():
        return framework, False
    if framework:
        framework.delete()
    framework = Framework.objects.create(**Framework.fields_from(data))
    metrics = {m.code: m for m in MetricDefinition.objects.all()}
    defaults = data.get("provenance") or {}
    _characteristics(framework, None, data.get("overall_characteristics") or {}, defaults)
    for entry in data["kloes"]:
        kloe = Kloe.objects.create(
            framework=framework,
            source=entry.get("source") or defaults.get("kloe", ""),
            **Kloe.fields_from(entry),
        )
        for code in entry.get("metric_codes") or []:
            if code not in metrics:
                raise ValidationError(
                    UNKNOWN_METRIC.format(framework=framework.code, kloe=kloe.code, code=code)
                )
            kloe.metrics.add(metrics[code])
        for number, prompt in enumerate(entry.get("prompts") or [], start=1):
            row = Prompt.objects.create(
                kloe=kloe,
                code=prompt["code"],
                number=number,
                text=prompt["text"],
                carried_over_from=prompt.get("carried_over_from") or "",
                source=prompt.get("source") or _prompt_source(defaults, prompt),
            )
            for code in prompt.get("metric_codes") or []:
                if code not in (entry.get("metric_codes") or []):
                    raise ValidationError(
                        PROMPT_METRIC_NOT_KLOES.format(
                            framework=framework.code, prompt=row.code, code=code
                        )
                    )
                row.metrics.add(metrics[code])
        _characteristics(framework, kloe, entry.get("characteristics") or {}, defaults)
    _outside_scope_mark(framework, data.get("outside_scope") or {})
    return framework, True


def _prompt_source(defaults: dict, prompt: dict) -> str:
    """The framework's wording for prompts, naming the earlier prompt one was carried from
    ("uor-2016-draft:people:P7" reads "people P7")."""
    earlier = (prompt.get("carried_over_from") or "").split(":")
    named = f"{earlier[1].replace('_', ' ')} {earlier[2]}" if len(earlier) == 3 else ""
    return (defaults.get("prompt") or "").format(carried_over_from=named).strip()


def _characteristics(
    framework: Framework, kloe: Kloe | None, by_level: dict, defaults: dict
) -> None:
    Characteristic.objects.bulk_create(
        Characteristic(
            framework=framework,
            kloe=kloe,
            level=RATING_BY_SLUG[level],
            number=n,
            text=text,
            source=defaults.get("characteristic", ""),
        )
        for level, statements in by_level.items()
        for n, text in enumerate(statements or [], start=1)
    )


def _outside_scope_mark(framework: Framework, outside: dict) -> None:
    """Mark the statements the framework's own scope leaves out (each one wherever it is
    listed: overall and under every KLOE); a statement that matches none is a typo."""
    for text in outside.get("statements") or []:
        marked = framework.characteristics.filter(text=text).update(outside_scope=outside["reason"])
        if not marked:
            raise ValidationError(
                OUTSIDE_SCOPE_UNMATCHED.format(framework=framework.code, text=text[:60])
            )


def frameworks_load_all() -> list[str]:
    """Load every UoR framework file; return one line per file saying what happened."""
    lines = []
    for name in UOR_FRAMEWORK_FILES:
        framework, loaded = framework_load(path=FRAMEWORK_DIR / name)
        lines.append(
            f"{framework.code}: {framework.kloes.count()} KLOEs"
            if loaded
            else FRAMEWORK_IN_USE.format(code=framework.code)
        )
    return lines
