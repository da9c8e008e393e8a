"""The consistency rules: each small, named, with the message it gives and where it comes from.

A rule reads the `Facts` of one assessment (facts.py) and yields (subject, message) pairs:
the subject is what the finding is about (a KLOE code, "overall", a correction), so that an
answer given to a finding finds it again next time. `findings_evaluate` runs them all.
Ratings run 1 (outstanding) to 4 (inadequate): "better" always means a lower number.
"""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assessments.models import Assessment, Evidence
from core.ratings import Rating
from metrics.services.benchmark_rules import WORSE

from .facts import Facts, facts_gather, figures, words

OVERALL = "overall"
FINANCE_KLOE = "finance"
QUOTE_WORDS = 8  # consecutive words that make a quote of a characteristic
BAD = (Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE)
GOOD = (Rating.OUTSTANDING, Rating.GOOD)


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    source: str
    check: Callable[[Facts], Iterator[tuple[str, str]]]


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    source: str
    subject: str
    message: str


RULES: dict[str, Rule] = {}


def rule(code: str, title: str, source: str):
    """Register the decorated check as the rule `code`."""

    def register(check):
        RULES[code] = Rule(code, title, source, check)
        return check

    return register


def label(rating: int) -> str:
    return Rating(rating).label


def levels(n: int) -> str:
    return "one level" if n == 1 else f"{['two', 'three'][n - 2]} levels"


def _rated_kloes(facts: Facts):
    for kloe in facts.kloes:
        if (rating := facts.ratings.get(kloe.pk)) is not None:
            yield kloe, rating


# 1. A KLOE's rating against its own metrics ------------------------------------------------


def _addressed(metric, evidence: list[Evidence]) -> bool:
    """Whether any evidence on the KLOE was recorded from the metric or names it."""
    for item in evidence:
        if metric in item.metrics.all() or item.figures.get("metric") == metric.code:
            return True
        text = item.text.lower()
        if metric.name.lower() in text or metric.code.lower() in text:
            return True
    return False


def _signals(facts: Facts, kloe, wanted: Callable[[dict], list[str]]) -> list[str]:
    """The KLOE's metrics whose figures `wanted` flags and no evidence addresses, described."""
    found = []
    for metric in kloe.metrics.all():
        row = facts.pack.get(metric.code)
        if row is None or not row.benchmark:
            continue
        reasons = wanted(row.benchmark)
        if reasons and not _addressed(metric, facts.evidence.get(kloe.pk, [])):
            found.append(f"{metric.name} ({'; '.join(reasons)})")
    return found


def _worst(benchmark: dict) -> list[str]:
    reasons = ["worst quartile of its peers"] if benchmark.get("peer_quartile") == 4 else []
    if benchmark.get("trend_12m") == WORSE:
        reasons.append("worse than 12 months before")
    return reasons


def _best(benchmark: dict) -> list[str]:
    return ["best quartile of its peers"] if benchmark.get("peer_quartile") == 1 else []


@rule(
    "metrics_against_rating",
    "A KLOE's rating against its own metrics",
    "The service's rule: the metrics pack compares each of a KLOE's metrics with the trust's "
    "peers and its own figures 12 months before; two or more pointing the other way need "
    "evidence that addresses them.",
)
def metrics_against_rating(facts: Facts):
    for kloe, rating in _rated_kloes(facts):
        if rating.rating in GOOD:
            flagged, side = _signals(facts, kloe, _worst), "against"
        elif rating.rating == Rating.INADEQUATE:
            flagged, side = _signals(facts, kloe, _best), "for"
        else:
            continue
        if len(flagged) >= 2:
            yield (
                kloe.code,
                f"{kloe.title} is rated {label(rating.rating)}, but {len(flagged)} of its "
                f"metrics speak {side} it and no evidence on it was recorded from them or "
                f"names them: {', '.join(flagged)}.",
            )


# 2. Where a KLOE's evidence comes from ------------------------------------------------------


@rule(
    "no_site_visit_evidence",
    "A KLOE rated without evidence from the site visit",
    "The service's rule: the assessment gathers evidence from four sources, the site visit "
    "among them (DESIGN, step 3).",
)
def no_site_visit_evidence(facts: Facts):
    for kloe, rating in _rated_kloes(facts):
        sources = {item.source for item in facts.evidence.get(kloe.pk, [])}
        if Evidence.Source.SITE_VISIT not in sources:
            yield (
                kloe.code,
                f"{kloe.title} is rated {label(rating.rating)} with no evidence from the "
                "site-visit interviews.",
            )


@rule(
    "single_source_evidence",
    "A KLOE whose evidence all comes from one source",
    "The service's rule: a rating should rest on more than one of the four evidence sources.",
)
def single_source_evidence(facts: Facts):
    for kloe, rating in _rated_kloes(facts):
        items = facts.evidence.get(kloe.pk, [])
        sources = {item.source for item in items}
        if len(sources) == 1:
            source = Evidence.Source(sources.pop()).label
            yield (
                kloe.code,
                f"All {len(items)} pieces of evidence for {kloe.title} (rated "
                f"{label(rating.rating)}) come from one source: {source.lower()}.",
            )


# 3. The overall rating against the KLOE ratings --------------------------------------------


def expected_overall(ratings: list[int]) -> tuple[int, str]:
    """What the KLOE ratings suggest overall, on the pattern of CQC's aggregation principles."""
    count = Counter(ratings)
    if count[Rating.INADEQUATE] >= 2:
        return Rating.INADEQUATE, f"{count[Rating.INADEQUATE]} KLOEs are rated inadequate"
    if count[Rating.INADEQUATE] == 1:
        return Rating.REQUIRES_IMPROVEMENT, "one KLOE is rated inadequate"
    if count[Rating.REQUIRES_IMPROVEMENT] >= 2:
        ri = count[Rating.REQUIRES_IMPROVEMENT]
        return Rating.REQUIRES_IMPROVEMENT, f"{ri} KLOEs are rated requires improvement"
    best = count[Rating.OUTSTANDING]
    if best >= 2 and best + count[Rating.GOOD] == len(ratings):
        return Rating.OUTSTANDING, f"{best} KLOEs are outstanding, the rest good"
    return Rating.GOOD, "no pattern of the KLOE ratings points elsewhere"


@rule(
    "overall_out_of_line",
    "The overall rating against the KLOE ratings",
    "The service's rule, on the pattern of CQC's aggregation principles (two or more "
    "inadequate: inadequate; one inadequate or two requires improvement: requires "
    "improvement; two or more outstanding and the rest good: outstanding; otherwise good).",
)
def overall_out_of_line(facts: Facts):
    overall = facts.ratings.get(None)
    kloe_ratings = [rating.rating for _, rating in _rated_kloes(facts)]
    if overall is None or not kloe_ratings:
        return
    expected, why = expected_overall(kloe_ratings)
    gap = expected - overall.rating  # positive: the overall rating is the better one
    if gap:
        way = "better" if gap > 0 else "worse"
        yield (
            OVERALL,
            f"The overall rating, {label(overall.rating)}, is {levels(abs(gap))} {way} than "
            f"the KLOE ratings suggest ({label(expected)}: {why}).",
        )


# 4. The finance KLOE against the SOF finance score ------------------------------------------


@rule(
    "finance_against_score",
    "The finance KLOE against the trust's finance score",
    "The service's rule: the Single Oversight Framework finance score (1 best, 4 worst) for "
    "the visit month, beside the finance KLOE's rating.",
)
def finance_against_score(facts: Facts):
    score = facts.finance_score
    for kloe, rating in _rated_kloes(facts):
        if kloe.code != FINANCE_KLOE or score is None:
            continue
        if (rating.rating in GOOD) == (score in (3, 4)):
            yield (
                kloe.code,
                f"{kloe.title} is rated {label(rating.rating)} while the trust's finance score "
                f"for {facts.visit_month:%B %Y} is {score} (1 is best, 4 worst).",
            )


# 5. Rationale and characteristics of another level -----------------------------------------


def _grams(text: str) -> set[tuple[str, ...]]:
    said = words(text)
    return {tuple(said[i : i + QUOTE_WORDS]) for i in range(len(said) - QUOTE_WORDS + 1)}


def _subject(kloe) -> str:
    return kloe.code if kloe else OVERALL


def _ratings_with_subjects(facts: Facts):
    for rating in facts.ratings.values():
        kloe = next((k for k in facts.kloes if k.pk == rating.kloe_id), None)
        yield rating, kloe, kloe.title if kloe else "the overall rating"


@rule(
    "rationale_quotes_other_level",
    "A rationale quoting a characteristic of another level",
    "The published ratings characteristics of the framework: a rationale that quotes eight or "
    "more consecutive words of another level's statement argues for that level.",
)
def rationale_quotes_other_level(facts: Facts):
    for rating, kloe, title in _ratings_with_subjects(facts):
        said = _grams(rating.rationale)
        for characteristic in facts.characteristics:
            if characteristic.kloe_id != rating.kloe_id or characteristic.level == rating.rating:
                continue
            if said & _grams(characteristic.text):
                yield (
                    _subject(kloe),
                    f"The rationale for {title} (rated {label(rating.rating)}) quotes the "
                    f"{label(characteristic.level)} characteristic "
                    f"“{characteristic.text[:80]}…”.",
                )
                break


@rule(
    "ticks_other_level_only",
    "Characteristics ticked only at other levels",
    "The published ratings characteristics of the framework: those present should include "
    "some of the level given.",
)
def ticks_other_level_only(facts: Facts):
    for rating, kloe, _title in _ratings_with_subjects(facts):
        ticked = {c.level for c in rating.characteristics.all()}
        if ticked and rating.rating not in ticked:
            others = ", ".join(label(level) for level in sorted(ticked))
            rated = f"{kloe.title} is rated" if kloe else "The overall rating is"
            yield (
                _subject(kloe),
                f"{rated} {label(rating.rating)}, but every characteristic ticked as present "
                f"is of another level: {others}.",
            )


# 6. After factual accuracy: a corrected figure still quoted ---------------------------------


def _passages(facts: Facts):
    """The rationales and the summary as they read now, with what to call them."""
    for rating, _kloe, title in _ratings_with_subjects(facts):
        yield f"the rationale for {title}", rating.rationale
    yield "the summary of findings", facts.assessment.summary


@rule(
    "corrected_figure_still_quoted",
    "A figure corrected after factual accuracy, still quoted",
    "The service's rule: an accepted factual-accuracy correction changes the report text; a "
    "rationale or summary quoting the old figure contradicts it.",
)
def corrected_figure_still_quoted(facts: Facts):
    for revision in facts.corrections:
        gone = figures(revision.old_text) - figures(revision.new_text)
        quoting = [
            f"{name} ({', '.join(sorted(gone & figures(text)))})"
            for name, text in _passages(facts)
            if gone & figures(text)
        ]
        if quoting:
            number = revision.challenge.number if revision.challenge else revision.pk
            yield (
                f"correction-{revision.pk}",
                f"Challenge {number}'s accepted correction changed a figure that is still "
                f"quoted in {'; '.join(quoting)}.",
            )


def findings_evaluate(assessment: Assessment, facts: Facts | None = None) -> list[Finding]:
    """Every rule over the assessment as it is now."""
    facts = facts or facts_gather(assessment)
    return [
        Finding(spec.code, spec.title, spec.source, subject, message)
        for spec in RULES.values()
        for subject, message in spec.check(facts)
    ]
