"""Load the well-led framework and the default priority-rating scheme from their fixture
files; a version a self-review (or a developmental review) uses is never changed."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from core.ratings import RATING_BY_SLUG

from ..models.developmental_reviews import DevelopmentalReview
from ..models.framework import (
    Framework,
    GoodPractice,
    GoodPracticeDescription,
    Kloe,
    Prompt,
    RatingsCharacteristic,
)
from ..models.self_reviews import PriorityLevel, PriorityScheme, SelfReview
from .segment_table import segment_table_load

FRAMEWORK_FILE = settings.BASE_DIR / "fixtures" / "frameworks" / "wellled-2017.yaml"
SCHEME_FILE = settings.BASE_DIR / "fixtures" / "wellled" / "priority_scheme.yaml"

FRAMEWORK_IN_USE = "{code} is used by self-reviews and is kept as it is."
NO_FRAMEWORK = "The well-led framework is not loaded: run `manage.py load_wellled_framework`."


@transaction.atomic
def framework_load(*, path: Path = FRAMEWORK_FILE) -> tuple[Framework, bool]:
    """Load the framework file; a version a self-review uses is never changed."""
    data = yaml.safe_load(path.read_text())
    framework = Framework.objects.filter(code=data["code"]).first()
    if framework and SelfReview.objects.filter(framework=framework).exists():
        return framework, False
    if framework:
        # NOTE: the framework is replaced whole; developmental reviews point at its KLOEs
        # (PROTECT), so a framework already referenced is kept as it is.
        if DevelopmentalReview.objects.filter(kloes__framework=framework).exists():
            return framework, False
        framework.delete()
    framework = Framework.objects.create(**Framework.fields_from(data))
    _characteristics(framework, None, data.get("overall_characteristics") or {})
    for entry in data["kloes"]:
        kloe = Kloe.objects.create(framework=framework, **Kloe.fields_from(entry))
        Prompt.objects.bulk_create(
            Prompt(
                kloe=kloe,
                code=prompt["code"],
                number=number,
                text=prompt["text"],
                applies_to=prompt.get("applies_to") or Prompt.AppliesTo.CORE,
            )
            for number, prompt in enumerate(entry["prompts"], start=1)
        )
        _characteristics(framework, kloe, entry.get("characteristics") or {})
        _characteristics(
            framework, kloe, entry.get("characteristics_mental_health") or {}, mental_health=True
        )
        for number, item in enumerate(entry.get("good_practice") or [], start=1):
            practice = GoodPractice.objects.create(
                kloe=kloe, number=number, characteristic=item["characteristic"]
            )
            GoodPracticeDescription.objects.bulk_create(
                GoodPracticeDescription(good_practice=practice, number=n, text=text)
                for n, text in enumerate(item.get("descriptions") or [], start=1)
            )
    return framework, True


def _characteristics(
    framework: Framework, kloe: Kloe | None, by_level: dict, *, mental_health: bool = False
) -> None:
    RatingsCharacteristic.objects.bulk_create(
        RatingsCharacteristic(
            framework=framework,
            kloe=kloe,
            level=RATING_BY_SLUG[slug],
            number=number,
            text=text,
            mental_health=mental_health,
        )
        for slug, statements in by_level.items()
        for number, text in enumerate(statements, start=1)
    )


@transaction.atomic
def priority_scheme_load(*, path: Path = SCHEME_FILE) -> tuple[PriorityScheme, bool]:
    """Add the default scheme unless a scheme with its code exists (admins' edits stand)."""
    data = yaml.safe_load(path.read_text())
    scheme = PriorityScheme.objects.filter(code=data["code"]).first()
    if scheme:
        return scheme, False
    scheme = PriorityScheme.objects.create(code=data["code"], name=data["name"], active=True)
    PriorityLevel.objects.bulk_create(
        PriorityLevel(
            scheme=scheme,
            number=level["number"],
            label=level["label"],
            description=level.get("description") or "",
            comparable_rating=RATING_BY_SLUG[level["comparable_rating"]]
            if level.get("comparable_rating")
            else None,
        )
        for level in data["levels"]
    )
    return scheme, True


def wellled_load_all() -> list[str]:
    """Load the framework, the default priority scheme and Table 2 of the oversight annex;
    one line of news for each."""
    framework, loaded = framework_load()
    scheme, added = priority_scheme_load()
    segments = segment_table_load()
    return [
        f"{framework.code}: " + ("loaded" if loaded else FRAMEWORK_IN_USE.format(code=framework)),
        f"priority scheme {scheme.code}: " + ("added" if added else "kept as it is"),
        f"oversight Table 2: {segments} segments loaded",
    ]


def framework_current() -> Framework:
    framework = Framework.objects.order_by("-version", "-id").first()
    if framework is None:
        raise ValidationError(NO_FRAMEWORK, code="no_framework")
    return framework
