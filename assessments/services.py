"""Writes of the assessments app: framework loading, assessments, commentary, evidence, ratings."""

import datetime
from pathlib import Path

import pandas as pd
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.api import EditConflict
from core.ratings import RATING_BY_SLUG, Rating
from core.uploads import upload_store
from metrics.models import MetricDefinition, Trust, User
from metrics.selectors import metrics_pack_get

from . import policies
from .models import (
    AgendaSession,
    Assessment,
    Attachment,
    Characteristic,
    Commentary,
    Evidence,
    EvidenceRevision,
    Framework,
    Kloe,
    KloeRating,
    Prompt,
)
from .notifications import notify_on_commit

FRAMEWORK_DIR = settings.BASE_DIR / "fixtures" / "frameworks"
AGENDA_FILE = settings.BASE_DIR / "fixtures" / "site_visit_agenda.yaml"
UOR_FRAMEWORK_FILES = ["uor-2016-draft.yaml", "uor-2017-acute.yaml"]
NOTICE_DAYS = 28  # "at least one month's notice" (brief guide)
COMMENTARY_DAYS_BEFORE_VISIT = 14

UNKNOWN_METRIC = "{framework}: KLOE {kloe} names metric {code!r}, which is not defined."
FRAMEWORK_IN_USE = "{code} is used by assessments and is kept as it is."
LEAD_NOT_ASSESSOR = "The lead must be an NHS Improvement assessor."
MEMBER_NOT_ASSESSOR = "Every team member must be an NHS Improvement assessor: {names}."
VISIT_IN_PAST = "The site visit must be in the future."
DEADLINE_AFTER_VISIT = "The commentary deadline must be on or before the site-visit date."
SHORT_NOTICE = (
    "The site visit is {days} days away: the brief guide asks for at least one month's notice."
)
EDIT_CONFLICT = (
    "Someone else changed this {thing} while you were editing it. Your text is below; "
    "their version is now saved. Copy what you need and save again."
)
PROMPT_NOT_IN_KLOE = "That prompt belongs to another KLOE."
KLOE_NOT_IN_FRAMEWORK = "That KLOE is not part of this assessment's framework."
BAD_RATING = "Choose a rating from 1 (Outstanding) to 4 (Inadequate)."
RATIONALE_REQUIRED = "Give the rationale for the rating."


# Framework content -----------------------------------------------------------------------


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
    _characteristics(framework, None, data.get("overall_characteristics") or {})
    for entry in data["kloes"]:
        kloe = Kloe.objects.create(framework=framework, **Kloe.fields_from(entry))
        for code in entry.get("metric_codes") or []:
            if code not in metrics:
                raise ValidationError(
                    UNKNOWN_METRIC.format(framework=framework.code, kloe=kloe.code, code=code)
                )
            kloe.metrics.add(metrics[code])
        Prompt.objects.bulk_create(
            Prompt(
                kloe=kloe,
                code=prompt["code"],
                number=number,
                text=prompt["text"],
                carried_over_from=prompt.get("carried_over_from") or "",
            )
            for number, prompt in enumerate(entry.get("prompts") or [], start=1)
        )
        _characteristics(framework, kloe, entry.get("characteristics") or {})
    return framework, True


def _characteristics(framework: Framework, kloe: Kloe | None, by_level: dict) -> None:
    Characteristic.objects.bulk_create(
        Characteristic(
            framework=framework, kloe=kloe, level=RATING_BY_SLUG[level], number=n, text=text
        )
        for level, statements in by_level.items()
        for n, text in enumerate(statements or [], start=1)
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


# Assessments -------------------------------------------------------------------------------


def notice_warning(*, site_visit_date: datetime.date, today: datetime.date) -> str:
    days = (site_visit_date - today).days
    return SHORT_NOTICE.format(days=days) if days < NOTICE_DAYS else ""


def default_commentary_deadline(site_visit_date: datetime.date) -> datetime.date:
    return site_visit_date - datetime.timedelta(days=COMMENTARY_DAYS_BEFORE_VISIT)


@transaction.atomic
def assessment_create(
    *,
    trust: Trust,
    framework: Framework,
    site_visit_date: datetime.date,
    lead: User,
    members: list[User],
    created_by: User,
    today: datetime.date,
    commentary_deadline: datetime.date | None = None,
) -> Assessment:
    """Schedule an assessment with its team and the proposed one-day agenda."""
    policies.may_create_assessment(created_by).enforce()
    errors = {}
    if not policies.is_assessor(lead):
        errors["lead"] = LEAD_NOT_ASSESSOR
    not_assessors = [member.username for member in members if not policies.is_assessor(member)]
    if not_assessors:
        errors["members"] = MEMBER_NOT_ASSESSOR.format(names=", ".join(not_assessors))
    if site_visit_date <= today:
        errors["site_visit_date"] = VISIT_IN_PAST
    deadline = commentary_deadline or default_commentary_deadline(site_visit_date)
    deadline = max(min(deadline, site_visit_date), today) if not commentary_deadline else deadline
    if deadline > site_visit_date:
        errors["commentary_deadline"] = DEADLINE_AFTER_VISIT
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        trust=trust,
        framework=framework,
        site_visit_date=site_visit_date,
        commentary_deadline=deadline,
        lead=lead,
        created_by=created_by,
    )
    assessment.members.set([member for member in members if member.pk != lead.pk])
    _agenda_propose(assessment)
    notify_on_commit("scheduled", assessment)
    return assessment


def _agenda_propose(assessment: Assessment) -> None:
    sessions = yaml.safe_load(AGENDA_FILE.read_text())["sessions"]
    kloes = {kloe.code: kloe for kloe in assessment.framework.kloes.all()}
    for number, session in enumerate(sessions, start=1):
        row = AgendaSession.objects.create(
            assessment=assessment,
            number=number,
            starts_at=datetime.time.fromisoformat(session["starts"]),
            ends_at=datetime.time.fromisoformat(session["ends"]),
            title=session["title"],
            attendees="\n".join(session["attendees"][: AgendaSession.MAX_ATTENDEES]),
        )
        row.kloes.set([kloes[code] for code in session["kloes"] if code in kloes])


# Commentary, evidence, ratings -------------------------------------------------------------


def _check_kloe(assessment: Assessment, kloe: Kloe) -> None:
    if kloe.framework_id != assessment.framework_id:
        raise ValidationError({"kloe": KLOE_NOT_IN_FRAMEWORK})


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
    query = model.objects.filter(pk=pk)
    if version is not None:
        query = query.filter(version=version)
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
    """Change a piece of evidence, keeping what it was before in its history. After an
    accepted factual-accuracy challenge to it, the team may correct it (review.py)."""
    policies.may_edit_evidence(actor, evidence.assessment, evidence).enforce()
    _check_kloe(evidence.assessment, kloe)
    if prompt and prompt.kloe_id != kloe.pk:
        raise ValidationError({"prompt": PROMPT_NOT_IN_KLOE})
    current = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if current.version != version:
        raise EditConflict(EDIT_CONFLICT.format(thing="evidence"), code="conflict")
    EvidenceRevision.objects.create(
        evidence=current,
        version=current.version,
        changed_by=actor,
        snapshot={
            "kloe": current.kloe.code,
            "prompt": current.prompt.code if current.prompt else None,
            "source": current.source,
            "finding": current.finding,
            "text": current.text,
            "metrics": list(current.metrics.values_list("code", flat=True)),
            "updated_by": current.updated_by.username,
            "updated_at": current.updated_at.isoformat(),
        },
    )
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
def rating_propose(
    *,
    assessment: Assessment,
    actor: User,
    kloe: Kloe | None,
    rating: int,
    rationale: str,
    characteristics=(),
    version: int | None = None,
) -> KloeRating:
    """Propose (or change) the rating of one KLOE, or the overall rating when kloe is None."""
    policies.may_propose_ratings(actor, assessment).enforce()
    if kloe is not None:
        _check_kloe(assessment, kloe)
    errors = {}
    if rating not in Rating.values:
        errors["rating"] = BAD_RATING
    if not (rationale or "").strip():
        errors["rationale"] = RATIONALE_REQUIRED
    if errors:
        raise ValidationError(errors)
    existing = KloeRating.objects.filter(assessment=assessment, kloe=kloe).first()
    if existing is None:
        saved = KloeRating.objects.create(
            assessment=assessment,
            kloe=kloe,
            rating=rating,
            rationale=rationale.strip(),
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
            updated_by=actor,
        )
        saved = KloeRating.objects.get(pk=existing.pk)
    saved.characteristics.set(characteristics)
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


# Agenda and commentary deadline ------------------------------------------------------------

DEADLINE_IN_PAST = "The commentary deadline cannot be in the past."
TOO_MANY_ATTENDEES = (
    "Session {number} ({title}) lists {count} trust attendees: at most eight can attend a session."
)
SESSION_ENDS_BEFORE_START = "Session {number} ({title}) must end after it starts."
SESSION_TITLE_REQUIRED = "Session {number} needs a title."


@transaction.atomic
def commentary_deadline_update(
    *, assessment: Assessment, actor: User, deadline: datetime.date, today: datetime.date
) -> Assessment:
    """Move the trust's commentary deadline (not past the visit, not into the past)."""
    policies.may_set_commentary_deadline(actor, assessment).enforce()
    if deadline > assessment.site_visit_date:
        raise ValidationError({"commentary_deadline": DEADLINE_AFTER_VISIT})
    if deadline < today:
        raise ValidationError({"commentary_deadline": DEADLINE_IN_PAST})
    assessment.commentary_deadline = deadline
    assessment.save(update_fields=["commentary_deadline"])
    return assessment


def agenda_problems(sessions: list[dict]) -> list[str]:
    """What is wrong with the sessions as given, each message naming its session."""
    problems = []
    for session in sessions:
        number, title = session["number"], (session.get("title") or "").strip()
        if not title:
            problems.append(SESSION_TITLE_REQUIRED.format(number=number))
        if session["ends_at"] <= session["starts_at"]:
            problems.append(SESSION_ENDS_BEFORE_START.format(number=number, title=title))
        attendees = _attendee_lines(session.get("attendees") or "")
        if len(attendees) > AgendaSession.MAX_ATTENDEES:
            problems.append(
                TOO_MANY_ATTENDEES.format(number=number, title=title, count=len(attendees))
            )
    return problems


def _attendee_lines(attendees) -> list[str]:
    lines = attendees.splitlines() if isinstance(attendees, str) else attendees
    return [line.strip() for line in lines if line.strip()]


@transaction.atomic
def agenda_update(*, assessment: Assessment, actor: User, sessions: list[dict]) -> None:
    """Change the site-visit sessions: times, title, KLOEs covered and trust attendees.

    Each entry of `sessions` has number, starts_at, ends_at, title, kloes, attendees. Nothing
    is saved unless every session is valid.
    """
    policies.may_edit_agenda(actor, assessment).enforce()
    problems = agenda_problems(sessions)
    rows = {row.number: row for row in assessment.agenda.select_for_update()}
    for session in sessions:
        for kloe in session.get("kloes") or []:
            if kloe.framework_id != assessment.framework_id:
                problems.append(KLOE_NOT_IN_FRAMEWORK)
    if problems:
        raise ValidationError(problems, code="agenda")
    for session in sessions:
        row = rows[session["number"]]
        row.starts_at, row.ends_at = session["starts_at"], session["ends_at"]
        row.title = session["title"].strip()
        row.attendees = "\n".join(_attendee_lines(session.get("attendees") or ""))
        row.full_clean()
        row.save()
        row.kloes.set(session.get("kloes") or [])


# Evidence from the metrics pack ----------------------------------------------------------

METRIC_NOT_IN_KLOE = "{metric} does not inform {kloe}."
NO_METRIC_VALUE = "{trust} has no value of {metric} for {period:%B %Y}."


def _figure(value) -> str:
    return "n/a" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _plain(value):
    """A JSON-ready number from pandas' output (numpy scalars, NaN)."""
    if value is None or value != value:  # NaN is not equal to itself
        return None
    if isinstance(value, str | bool):
        return value
    if hasattr(value, "dtype") and value.dtype == bool:
        return bool(value)
    return float(value)


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
    pack = metrics_pack_get(user=actor, trust=assessment.trust, period=period)
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
    bench = {
        key: _plain(value)
        for key, value in found.benchmark.items()
        if not isinstance(value, (datetime.date, pd.Period))
    }
    figures = {
        "metric": definition.code,
        "period": f"{pack.period:%Y-%m}",
        "value": _plain(found.value),
        "unit": definition.unit,
        "national_median": bench.get("national_median"),
        "peer_median": bench.get("peer_median"),
        "national_quartile": bench.get("national_quartile"),
        "peer_quartile": bench.get("peer_quartile"),
        "outlier": bool(bench.get("outlier")),
        **{f"change_{n}m": _plain(change) for n, change, _ in found.changes},
        **{f"trend_{n}m": label for n, _, label in found.changes},
    }
    for key in ("national_quartile", "peer_quartile"):
        if figures[key] is not None:
            figures[key] = int(figures[key])
    quartile = figures["national_quartile"]
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
        f"{pack.period:%B %Y}: national median {_figure(figures['national_median'])}, "
        f"peer median {_figure(figures['peer_median'])}, national quartile "
        f"{_figure(quartile)} of 4 (1 is best)"
        + (f"; {trend} than 12 months before" if trend else "")
        + ("; an outlier (worst quartile nationally)." if figures["outlier"] else ".")
    )
    return evidence_create(
        assessment=assessment,
        actor=actor,
        kloe=kloe,
        source=Evidence.Source.METRIC_ANALYSIS,
        finding=finding,
        text=text,
        metrics=[definition],
        figures=figures,
    )
