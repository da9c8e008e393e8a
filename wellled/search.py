"""The search box's well-led framework text: the version its reader page shows
(`framework_latest`) to anyone `may_see_wellled` lets in; see core.search."""

from django.db.models import OuterRef, Subquery, TextField
from django.urls import reverse
from django.utils.text import slugify

from core.search import Found, Hit, JoinedText, Terms, document, found

from . import policies
from .models.framework import (
    GoodPractice,
    GoodPracticeDescription,
    Prompt,
    RatingsCharacteristic,
)
from .selectors.framework import framework_latest


def _framework(terms: Terms):
    """The framework the reader page shows, or None for someone it refuses."""
    if not policies.may_see_wellled(terms.user):
        return None
    return terms.remember("wellled-framework", framework_latest)


def _page(anchor: str) -> str:
    return f"{reverse('wellled:framework')}#{anchor}"


def _nothing() -> Found:
    return Found(hits=[], total=0)


class WellLedKloeSearch:
    kind = "wellled-kloes"
    label = "Well-led framework: KLOE questions"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        framework = _framework(terms)
        if framework is None:
            return _nothing()
        return found(
            framework.kloes.all(),
            text=document("title", "question"),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=lambda kloe, snippet: Hit(
                title=str(kloe), url=_page(f"kloe-{kloe.number}"), snippet=snippet
            ),
        )


class WellLedPromptSearch:
    kind = "wellled-prompts"
    label = "Well-led framework: prompts"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        framework = _framework(terms)
        if framework is None:
            return _nothing()
        return found(
            Prompt.objects.filter(kloe__framework=framework).select_related("kloe"),
            text=document("code", "text"),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=lambda prompt, snippet: Hit(
                title=f"{prompt.code} ({prompt.kloe})",
                url=_page(f"prompt-{slugify(prompt.code)}"),
                snippet=snippet,
            ),
        )


class WellLedCharacteristicSearch:
    kind = "wellled-characteristics"
    label = "Well-led framework: ratings characteristics"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        framework = _framework(terms)
        if framework is None:
            return _nothing()
        # The reader page shows each KLOE's statements; the overall ones (no KLOE) it does not.
        rows = RatingsCharacteristic.objects.filter(framework=framework, kloe__isnull=False)
        return found(
            rows.select_related("kloe"),
            text=document("text"),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=lambda item, snippet: Hit(
                title=f"{item.kloe}: {item.get_level_display()}",
                url=_page(f"kloe-{item.kloe.number}"),
                snippet=snippet,
                context="Specialist mental health services" if item.mental_health else "",
            ),
        )


class WellLedGoodPracticeSearch:
    kind = "wellled-good-practice"
    label = "Well-led framework: good practice"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        framework = _framework(terms)
        if framework is None:
            return _nothing()
        # A characteristic of good organisations with all its descriptions, as one text.
        descriptions = (
            GoodPracticeDescription.objects.filter(good_practice=OuterRef("pk"))
            .order_by()
            .values("good_practice")
            .annotate(joined=JoinedText("text"))
            .values("joined")
        )
        return found(
            GoodPractice.objects.filter(kloe__framework=framework).select_related("kloe"),
            text=document("characteristic", Subquery(descriptions, output_field=TextField())),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=lambda practice, snippet: Hit(
                title=practice.characteristic,
                url=_page(f"kloe-{practice.kloe.number}"),
                snippet=snippet,
                context=str(practice.kloe),
            ),
        )


PROVIDERS = [
    WellLedKloeSearch(),
    WellLedPromptSearch(),
    WellLedCharacteristicSearch(),
    WellLedGoodPracticeSearch(),
]
