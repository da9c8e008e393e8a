"""Read the well-led framework: the latest version, its KLOEs with everything the reader page
shows, and a search over its text."""

from django.db.models import Prefetch, Q, QuerySet

from ..models.framework import Framework, GoodPractice, Kloe, Prompt, RatingsCharacteristic


def framework_latest() -> Framework | None:
    return Framework.objects.order_by("-version", "-id").first()


def framework_kloes(*, framework: Framework) -> QuerySet[Kloe]:
    """The KLOEs with everything the reader page shows, in a fixed number of queries."""
    return framework.kloes.prefetch_related(
        "prompts",
        Prefetch(
            "characteristics",
            queryset=RatingsCharacteristic.objects.order_by("mental_health", "level", "number"),
        ),
        Prefetch("good_practice", queryset=GoodPractice.objects.prefetch_related("descriptions")),
    )


def framework_search(*, framework: Framework, query: str) -> dict[str, list]:
    """Where `query` occurs: KLOE questions, prompts, characteristics, good practice."""
    query = query.strip()
    if not query:
        return {}
    kloes = framework.kloes.filter(Q(question__icontains=query) | Q(title__icontains=query))
    return {
        "kloes": list(kloes),
        "prompts": list(
            Prompt.objects.filter(kloe__framework=framework, text__icontains=query).select_related(
                "kloe"
            )
        ),
        "characteristics": list(
            RatingsCharacteristic.objects.filter(
                framework=framework, text__icontains=query
            ).select_related("kloe")
        ),
        "good_practice": list(
            GoodPractice.objects.filter(kloe__framework=framework)
            .filter(Q(characteristic__icontains=query) | Q(descriptions__text__icontains=query))
            .distinct()
            .select_related("kloe")
        ),
    }
