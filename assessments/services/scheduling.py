"""Schedule assessments: create one with its team and proposed agenda, move the commentary
deadline, and keep the site-visit agenda."""

import datetime

import yaml
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import policies
from assessments.models import (
    AgendaSession,
    Assessment,
    AssessmentTransition,
    Evidence,
    Framework,
)
from assessments.notifications import notify_on_commit
from metrics.models import Trust, User

from .evidence import KLOE_NOT_IN_FRAMEWORK

AGENDA_FILE = settings.BASE_DIR / "fixtures" / "site_visit_agenda.yaml"
NOTICE = relativedelta(months=1)  # "at least one month's notice" (brief guide): a calendar month
COMMENTARY_DAYS_BEFORE_VISIT = 14
LEAD_NOT_ASSESSOR = "The lead must be an NHS Improvement assessor."
MEMBER_NOT_ASSESSOR = "Every team member must be an NHS Improvement assessor: {names}."
VISIT_IN_PAST = "The site visit must be in the future."
DEADLINE_AFTER_VISIT = "The commentary deadline must be on or before the site-visit date."
SHORT_NOTICE = (
    "The site visit is {days} days away, less than a calendar month: the brief guide asks for "
    "at least one month's notice (a visit on or after {earliest:%-d %B %Y})."
)
TRUST_TYPE_NOT_COVERED = (
    "{framework} covers {covered} trusts only, and {trust} is of type {trust_type}. Choose "
    "another trust or framework; only an admin can schedule this, as a pilot."
)
DRAFT_NOT_LIVE = (
    "{framework} is the consultation draft: a live assessment cannot use it. Choose the "
    "current framework; only an admin can schedule it, as a pilot."
)
DEADLINE_IN_PAST = "The commentary deadline cannot be in the past."
TOO_MANY_ATTENDEES = (
    "Session {number} ({title}) lists {count} trust attendees: at most eight can attend a session."
)
SESSION_ENDS_BEFORE_START = "Session {number} ({title}) must end after it starts."
SESSION_TITLE_REQUIRED = "Session {number} needs a title."
VISIT_REASON_REQUIRED = "Give the reason for moving the site visit; it is kept in the history."
VISIT_UNCHANGED = "The site visit is already on that day."
VISIT_BEFORE_DEADLINE = (
    "The site visit cannot be before the trust's commentary deadline ({deadline:%-d %B %Y})."
)
VISIT_AFTER_EVIDENCE = (
    "Site-visit evidence was recorded on {day:%-d %B %Y}: the visit cannot move after that day."
)
VISIT_MOVED_NOTE = "Site visit moved from {old:%-d %B %Y} to {new:%-d %B %Y}: {reason}"
# The history's action name for a moved visit (the workflow's own actions are in workflow.py).
MOVE_SITE_VISIT = "move_site_visit"
SESSION_CHOOSE = "Choose the session to remove."
LAST_SESSION = "The agenda needs at least one session: change this one instead of removing it."


def notice_warning(*, site_visit_date: datetime.date, today: datetime.date) -> str:
    """Warn when the visit is less than a calendar month away (31 January gives 28 or 29
    February: relativedelta keeps to the month's last day)."""
    earliest = today + NOTICE
    if site_visit_date >= earliest:
        return ""
    return SHORT_NOTICE.format(days=(site_visit_date - today).days, earliest=earliest)


def framework_problems(*, framework: Framework, trust: Trust, pilot: bool) -> dict[str, str]:
    """Why this framework cannot assess this trust live, by the field to change."""
    if pilot:
        return {}
    errors = {}
    if not framework.covers(trust.trust_type):
        labels = dict(Trust.TrustType.choices)
        errors["trust"] = TRUST_TYPE_NOT_COVERED.format(
            framework=framework,
            covered=" and ".join(labels.get(t, t) for t in framework.trust_types).lower(),
            trust=trust.name,
            trust_type=trust.get_trust_type_display().lower(),
        )
    if framework.consultation_draft:
        errors["framework"] = DRAFT_NOT_LIVE.format(framework=framework)
    return errors


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
    pilot: bool = False,
) -> Assessment:
    """Schedule an assessment with its team and the proposed one-day agenda.

    A live assessment uses a framework that covers the trust's type and is not the
    consultation draft; an admin may schedule a pilot that does neither.
    """
    policies.may_create_assessment(created_by).enforce()
    errors = {}
    if pilot and not policies.may_mark_pilot(created_by):
        errors["pilot"] = policies.may_mark_pilot(created_by).message
    errors |= framework_problems(framework=framework, trust=trust, pilot=pilot)
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
        pilot=pilot,
    )
    assessment.members.set([member for member in members if member.pk != lead.pk])
    _agenda_propose(assessment)
    notify_on_commit("scheduled", assessment, actor=created_by)
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


@transaction.atomic
def site_visit_move(
    *, assessment: Assessment, actor: User, site_visit_date: datetime.date, reason: str
) -> Assessment:
    """The lead moves the site visit (postponed, or held on another day) with a reason; the
    history keeps the old and new dates. Ratings wait for the visit's day."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    policies.may_move_site_visit(actor, locked).enforce()
    old = locked.site_visit_date
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = VISIT_REASON_REQUIRED
    if site_visit_date == old:
        errors["site_visit_date"] = VISIT_UNCHANGED
    elif site_visit_date < locked.commentary_deadline and policies.may_set_commentary_deadline(
        actor, locked
    ):
        # While the trust still writes, its deadline stands; once it has submitted (or the
        # window closed) the deadline follows the visit back.
        errors["site_visit_date"] = VISIT_BEFORE_DEADLINE.format(
            deadline=locked.commentary_deadline
        )
    first = (
        locked.evidence.current()
        .filter(source=Evidence.Source.SITE_VISIT)
        .order_by("created_at")
        .first()
    )
    if first and timezone.localdate(first.created_at) < site_visit_date:
        errors.setdefault(
            "site_visit_date", VISIT_AFTER_EVIDENCE.format(day=timezone.localdate(first.created_at))
        )
    if errors:
        raise ValidationError(errors)
    locked.site_visit_date = site_visit_date
    locked.commentary_deadline = min(locked.commentary_deadline, site_visit_date)
    locked.save(update_fields=["site_visit_date", "commentary_deadline"])
    AssessmentTransition.objects.create(
        assessment=locked,
        action=MOVE_SITE_VISIT,
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        note=VISIT_MOVED_NOTE.format(old=old, new=site_visit_date, reason=reason.strip()),
        at=timezone.now(),
    )
    return locked


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


def _agenda_renumber(assessment: Assessment) -> None:
    """Number the sessions 1, 2, 3, ... in the order they start, as the agenda reads."""
    for number, row in enumerate(assessment.agenda.order_by("starts_at", "pk"), start=1):
        if row.number != number:
            row.number = number
            row.save(update_fields=["number"])


@transaction.atomic
def agenda_session_add(
    *,
    assessment: Assessment,
    actor: User,
    title: str,
    starts_at: datetime.time,
    ends_at: datetime.time,
    kloes=(),
    attendees: str = "",
) -> AgendaSession:
    """Add a session to the site-visit agenda, in its place by start time."""
    policies.may_edit_agenda(actor, assessment).enforce()
    rows = list(assessment.agenda.select_for_update())
    number = len(rows) + 1
    session = {"number": number, "title": title, "starts_at": starts_at, "ends_at": ends_at}
    problems = agenda_problems([session | {"attendees": attendees}])
    if any(kloe.framework_id != assessment.framework_id for kloe in kloes):
        problems.append(KLOE_NOT_IN_FRAMEWORK)
    if problems:
        raise ValidationError(problems, code="agenda")
    row = AgendaSession(
        assessment=assessment,
        number=number,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title.strip(),
        attendees="\n".join(_attendee_lines(attendees)),
    )
    row.full_clean()
    row.save()
    row.kloes.set(kloes)
    _agenda_renumber(assessment)
    row.refresh_from_db()
    return row


@transaction.atomic
def agenda_session_remove(*, assessment: Assessment, actor: User, number: int | None) -> None:
    """Remove one session; the agenda keeps at least one, and the rest are renumbered."""
    policies.may_edit_agenda(actor, assessment).enforce()
    rows = {row.number: row for row in assessment.agenda.select_for_update()}
    if number not in rows:
        raise ValidationError({"session": SESSION_CHOOSE})
    if len(rows) == 1:
        raise ValidationError({"session": LAST_SESSION})
    rows[number].delete()
    _agenda_renumber(assessment)
