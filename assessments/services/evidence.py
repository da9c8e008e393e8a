"""Record the work of an assessment: the trust's commentary, the team's evidence (typed or
taken from the metrics pack), proposed ratings, and attachments.

Commentary, evidence and ratings are edited with a version number: a save over someone
else's newer save is refused with EDIT_CONFLICT rather than lost, and a change to one that
exists without a version at all with VERSION_REQUIRED.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments import policies
from assessments.models import (
    Assessment,
    Attachment,
    Commentary,
    Evidence,
    EvidenceRevision,
    Kloe,
    KloeRating,
    Prompt,
)
from core.api import EditConflict, VersionRequired
from core.ratings import Rating
from core.uploads import upload_store
from metrics.models import User
from metrics.pack import metrics_pack_get

EDIT_CONFLICT = (
    "Someone else changed this {thing} while you were editing it. Your text is below; "
    "their version is now saved. Copy what you need and save again."
)
VERSION_REQUIRED = (
    "This {thing} exists already: send the version you last read with your change, so that "
    "a change someone else saved since is not overwritten."
)
PROMPT_NOT_IN_KLOE = "That prompt belongs to another KLOE."
KLOE_NOT_IN_FRAMEWORK = "That KLOE is not part of this assessment's framework."
BAD_RATING = "Choose a rating from 1 (Outstanding) to 4 (Inadequate)."
RATIONALE_REQUIRED = "Give the rationale for the rating."
CHARACTERISTIC_OUTSIDE_SCOPE = (
    '"{text}..." is outside the framework\'s scope and cannot be chosen as present: {reason}'
)
METRIC_NOT_IN_KLOE = "{metric} does not inform {kloe}."
SITE_VISIT_EVIDENCE_EARLY = (
    "Site-visit interview evidence can be recorded from the day of the site visit, "
    "{date:%-d %B %Y}."
)
METRIC_ALREADY_RECORDED = "{metric} for {period:%B %Y} is already recorded as evidence on {kloe}."
WITHDRAWAL_REASON_REQUIRED = "Give the reason for withdrawing the evidence; it is kept."
NO_METRIC_VALUE = "{trust} has no value of {metric} for {period:%B %Y}."


# Commentary, evidence, ratings -------------------------------------------------------------


def _check_kloe(assessment: Assessment, kloe: Kloe) -> None:
    if kloe.framework_id != assessment.framework_id:
        raise ValidationError({"kloe": KLOE_NOT_IN_FRAMEWORK})


def _check_source(assessment: Assessment, source: str) -> None:
    """Nobody has interviewed anyone at the site visit before its day."""
    if source == Evidence.Source.SITE_VISIT and not assessment.visit_held():
        raise ValidationError(
            {"source": SITE_VISIT_EVIDENCE_EARLY.format(date=assessment.site_visit_date)}
        )


class DuplicateEvidence(ValidationError):
    """The finding is already recorded; `existing` is that evidence, for a link to it."""

    def __init__(self, message: str, existing: Evidence):
        super().__init__(message, code="duplicate")
        self.existing = existing


@transaction.atomic
def commentary_save(
    *, assessment: Assessment, kloe: Kloe, text: str, actor: User, version: int | None
) -> Commentary:
    """Save the trust's draft commentary for one KLOE, refusing to overwrite another's edit."""
    policies.may_edit_commentary(actor, assessment).enforce()
    _check_kloe(assessment, kloe)
    commentary, created = Commentary.objects.get_or_create(
        assessment=assessment, kloe=kloe, defaults={"text": text, "updated_by": actor}
    )
    if created:
        return commentary
    _versioned_update(Commentary, commentary.pk, version, "commentary", text=text, updated_by=actor)
    commentary.refresh_from_db()
    return commentary


def _versioned_update(model, pk: int, version: int | None, thing: str, **values) -> None:
    # A version column: the update applies only if nobody saved since the form was opened.
    # NOTE: no version is no check at all, so it is refused rather than taken as "any".
    if version is None:
        raise VersionRequired({"version": VERSION_REQUIRED.format(thing=thing)}, code="required")
    query = model.objects.filter(pk=pk, version=version)
    # NOTE: QuerySet.update() skips auto_now, so "Last changed" is stamped here.
    values.setdefault("updated_at", timezone.now())
    if query.update(version=F("version") + 1, **values) == 0:
        raise EditConflict(EDIT_CONFLICT.format(thing=thing), code="conflict")


@transaction.atomic
def evidence_create(
    *,
    assessment: Assessment,
    actor: User,
    kloe: Kloe,
    source: str,
    finding: str,
    text: str,
    prompt: Prompt | None = None,
    metrics=(),
    figures: dict | None = None,
) -> Evidence:
    policies.may_record_evidence(actor, assessment).enforce()
    _check_kloe(assessment, kloe)
    if prompt and prompt.kloe_id != kloe.pk:
        raise ValidationError({"prompt": PROMPT_NOT_IN_KLOE})
    _check_source(assessment, source)
    evidence = Evidence(
        assessment=assessment,
        kloe=kloe,
        prompt=prompt,
        source=source,
        finding=finding,
        text=text,
        figures=figures or {},
        created_by=actor,
        updated_by=actor,
    )
    evidence.full_clean()
    evidence.save()
    evidence.metrics.set(metrics)
    return evidence


def evidence_revision_record(*, evidence: Evidence, actor: User) -> EvidenceRevision:
    """Keep the finding as it is now in its history, before a change to it: an edit while
    evidence is gathered, or a correction after an accepted factual-accuracy challenge."""
    return EvidenceRevision.objects.create(
        evidence=evidence,
        version=evidence.version,
        changed_by=actor,
        snapshot={
            "kloe": evidence.kloe.code,
            "prompt": evidence.prompt.code if evidence.prompt else None,
            "source": evidence.source,
            "finding": evidence.finding,
            "text": evidence.text,
            "metrics": list(evidence.metrics.values_list("code", flat=True)),
            "updated_by": evidence.updated_by.username,
            "updated_at": evidence.updated_at.isoformat(),
        },
    )


@transaction.atomic
def evidence_update(
    *,
    evidence: Evidence,
    actor: User,
    version: int,
    kloe: Kloe,
    source: str,
    finding: str,
    text: str,
    prompt: Prompt | None = None,
    metrics=(),
) -> Evidence:
    """Change a piece of evidence, keeping what it was before in its history. After the
    draft is shared a finding changes only through `challenge_resolve` (factual_accuracy/)."""
    policies.may_edit_evidence(actor, evidence.assessment, evidence).enforce()
    _check_kloe(evidence.assessment, kloe)
    if prompt and prompt.kloe_id != kloe.pk:
        raise ValidationError({"prompt": PROMPT_NOT_IN_KLOE})
    if source != evidence.source:
        _check_source(evidence.assessment, source)
    current = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if current.version != version:
        raise EditConflict(EDIT_CONFLICT.format(thing="evidence"), code="conflict")
    evidence_revision_record(evidence=current, actor=actor)
    _versioned_update(
        Evidence,
        current.pk,
        version,
        "evidence",
        kloe=kloe,
        prompt=prompt,
        source=source,
        finding=finding,
        text=text,
        updated_by=actor,
    )
    current.refresh_from_db()
    current.metrics.set(metrics)
    return current


@transaction.atomic
def evidence_withdraw(*, evidence: Evidence, actor: User, reason: str) -> Evidence:
    """Take a finding out of the assessment with a reason: it leaves the counts, the checks
    and the report, and stays on its page and in its history."""
    current = Evidence.objects.select_for_update().get(pk=evidence.pk)
    policies.may_withdraw_evidence(actor, current.assessment, current).enforce()
    if not (reason or "").strip():
        raise ValidationError({"reason": WITHDRAWAL_REASON_REQUIRED})
    evidence_revision_record(evidence=current, actor=actor)
    current.withdrawn_at, current.withdrawn_by = timezone.now(), actor
    current.withdrawal_reason = reason.strip()
    current.version += 1
    current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "version"])
    return current


@transaction.atomic
def rating_propose(
    *,
    assessment: Assessment,
    actor: User,
    kloe: Kloe | None,
    rating: int,
    rationale: str,
    characteristics=(),
    version: int | None = None,
    areas_for_improvement: str = "",
    outstanding_practice: str = "",
    summary: str | None = None,
) -> KloeRating:
    """Propose (or change) the rating of one KLOE, or the overall rating when kloe is None.

    A KLOE's rating carries its areas for improvement and outstanding practice; the overall
    rating carries the report's summary of findings (`summary`, kept on the assessment).
    """
    policies.may_propose_ratings(actor, assessment).enforce()
    if kloe is not None:
        _check_kloe(assessment, kloe)
    errors = {}
    if rating not in Rating.values:
        errors["rating"] = BAD_RATING
    if not (rationale or "").strip():
        errors["rationale"] = RATIONALE_REQUIRED
    outside = [c for c in characteristics if c.outside_scope]
    if outside:
        errors["characteristics"] = CHARACTERISTIC_OUTSIDE_SCOPE.format(
            text=outside[0].text[:80], reason=outside[0].outside_scope
        )
    if errors:
        raise ValidationError(errors)
    existing = KloeRating.objects.filter(assessment=assessment, kloe=kloe).first()
    if existing is None:
        saved = KloeRating.objects.create(
            assessment=assessment,
            kloe=kloe,
            rating=rating,
            rationale=rationale.strip(),
            areas_for_improvement=areas_for_improvement.strip(),
            outstanding_practice=outstanding_practice.strip(),
            updated_by=actor,
        )
    else:
        _versioned_update(
            KloeRating,
            existing.pk,
            version,
            "rating",
            rating=rating,
            rationale=rationale.strip(),
            areas_for_improvement=areas_for_improvement.strip(),
            outstanding_practice=outstanding_practice.strip(),
            updated_by=actor,
        )
        saved = KloeRating.objects.get(pk=existing.pk)
    saved.characteristics.set(characteristics)
    if kloe is None and summary is not None:
        Assessment.objects.filter(pk=assessment.pk).update(summary=summary.strip())
    return saved


# Attachments -------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *,
    assessment: Assessment,
    actor: User,
    name: str,
    content: bytes,
    commentary: Commentary | None = None,
    evidence: Evidence | None = None,
) -> Attachment:
    """Check and store a file under a generated name, tied to commentary or evidence."""
    if commentary is not None:
        policies.may_edit_commentary(actor, assessment).enforce()
    if evidence is not None:
        policies.may_edit_evidence(actor, assessment, evidence).enforce()
    attachment = Attachment(assessment=assessment, commentary=commentary, evidence=evidence)
    return upload_store(attachment=attachment, name=name, content=content, actor=actor)


# Evidence from the metrics pack ----------------------------------------------------------


def _figure(value) -> str:
    return "n/a" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _plain(value):
    """A JSON-ready figure: text and flags as they are, numbers as floats."""
    if value is None or isinstance(value, str | bool):
        return value
    return float(value)


def _refuse_duplicate(assessment, kloe, definition, period) -> None:
    """One finding per metric, month and KLOE: a second click must not record it again."""
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)  # serialise clicks
    existing = (
        assessment.evidence.current()
        .filter(kloe=kloe, figures__metric=definition.code, figures__period=f"{period:%Y-%m}")
        .first()
    )
    if existing is not None:
        message = METRIC_ALREADY_RECORDED.format(
            metric=definition.name, period=period, kloe=kloe.title
        )
        raise DuplicateEvidence(message, existing)


@transaction.atomic
def evidence_from_metric(
    *,
    assessment: Assessment,
    actor: User,
    kloe: Kloe,
    metric_code: str,
    period: datetime.date | None = None,
) -> Evidence:
    """Turn one metric of the metrics pack into evidence in one step, carrying its figures."""
    policies.may_record_evidence(actor, assessment).enforce()
    _check_kloe(assessment, kloe)
    definition = kloe.metrics.filter(code=metric_code).first()
    if definition is None:
        raise ValidationError(METRIC_NOT_IN_KLOE.format(metric=metric_code, kloe=kloe.title))
    pack = metrics_pack_get(
        user=actor, trust=assessment.trust, period=period, codes={metric_code}, with_ranking=False
    )
    if pack.period is not None:
        _refuse_duplicate(assessment, kloe, definition, pack.period)
    found = next(
        (m for _, metrics in pack.areas for m in metrics if m.definition.pk == definition.pk),
        None,
    )
    if pack.period is None or found is None or found.value is None:
        raise ValidationError(
            NO_METRIC_VALUE.format(
                trust=assessment.trust.name,
                metric=definition.name,
                period=pack.period or timezone.localdate(),
            )
        )
    bench = {key: _plain(value) for key, value in found.benchmark.items()}
    figures = {
        "metric": definition.code,
        "period": f"{pack.period:%Y-%m}",
        "value": _plain(found.value),
        "unit": definition.unit,
        "national_median": bench.get("national_median"),
        "peer_median": bench.get("peer_median"),
        "national_quartile": bench.get("national_quartile"),
        "peer_quartile": bench.get("peer_quartile"),
        "peer_group": pack.cohort.name,
        # The bottom quartile of the trust's cohort (docs/peer_cohorts.md).
        "outlier": bool(bench.get("outlier")),
        "context": found.context_note.text if found.context_note else "",
        **{f"change_{n}m": _plain(change) for n, change, _ in found.changes},
        **{f"trend_{n}m": label for n, _, label in found.changes},
    }
    for key in ("national_quartile", "peer_quartile"):
        if figures[key] is not None:
            figures[key] = int(figures[key])
    quartile = figures["peer_quartile"]
    finding = (
        Evidence.Finding.NEGATIVE
        if figures["outlier"]
        else Evidence.Finding.POSITIVE
        if quartile == 1
        else Evidence.Finding.CONTEXT
    )
    trend = next((label for n, _, label in found.changes if n == 12 and label), "")
    text = (
        f"{definition.name} was {_figure(found.value)} ({definition.get_unit_display()}) in "
        f"{pack.period:%B %Y}: median of its cohort ({pack.cohort.name}) "
        f"{_figure(figures['peer_median'])}, quartile {_figure(quartile)} of 4 in the cohort "
        f"(1 is best); national median {_figure(figures['national_median'])}, national "
        f"quartile {_figure(figures['national_quartile'])}"
        + (f"; {trend} than 12 months before" if trend else "")
        + ("; in the bottom quartile of its cohort" if figures["outlier"] else "")
        + (f". Context: {figures['context']}" if figures["context"] else ".")
    )
    return evidence_create(
        assessment=assessment,
        actor=actor,
        kloe=kloe,
        # The prompt the metric answers (the framework says which), else the KLOE as a whole.
        prompt=kloe.prompts.filter(metrics=definition).order_by("number").first(),
        source=Evidence.Source.METRIC_ANALYSIS,
        finding=finding,
        text=text,
        metrics=[definition],
        figures=figures,
    )
