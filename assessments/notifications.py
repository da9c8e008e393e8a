"""Tell the next person at each hand-over of an assessment: a row in their notifications and
an e-mail, both from a Celery task after the commit (metrics.services.notifications_deliver).

EVENTS says, for each event, who is told, what it says and which page it links to. The
person who took the step is not told of it. The home page lists what each person may do
next (home.home_tasks_for), so a message that goes astray loses nothing.
"""

from dataclasses import dataclass

from django.urls import reverse

from core.tasks import queue_on_commit
from metrics.models import Role, User
from metrics.services import notifications_deliver

from .deadlines import fa_deadline_current
from .models import Assessment

# Who is told: the trust's contacts, the team or its lead, the QA committee, CQC's
# reviewers, the people who sign off answers (admins and QA), or the users the caller names.
TRUST, TEAM, LEAD, QA, CQC, SIGNERS, NAMED = (
    "trust",
    "team",
    "lead",
    "qa",
    "cqc",
    "signers",
    "named",
)


@dataclass(frozen=True)
class Event:
    who: tuple[str, ...]
    title: str  # formatted with trust; the body also with the deadlines
    body: str
    page: str = "assessment_detail"  # the assessments: URL name it links to (pk=assessment)


EVENTS: dict[str, Event] = {
    "scheduled": Event(
        (TRUST, TEAM),
        "Use of Resources assessment scheduled: {trust}",
        "A Use of Resources assessment of {trust} is scheduled. The one-day site visit is on "
        "{site_visit_date}. The trust writes its commentary on each key line of enquiry by "
        "{commentary_deadline}.\n\nThe proposed agenda of the site visit (the team may still "
        "change it; the assessment page shows the current one):\n{agenda}",
    ),
    "commentary_submitted": Event(
        (TEAM,),
        "Commentary submitted: {trust}",
        "{trust} has submitted its commentary. You can now gather evidence.",
    ),
    "commentary_closed": Event(
        (TRUST,),
        "Commentary closed: {trust}",
        "The assessment team has closed the commentary and is gathering evidence.",
    ),
    "rating_proposed": Event(
        (QA,),
        "Rating proposed for QA: {trust}",
        "The assessment team has proposed the rating of {trust}. Please ratify or return it.",
    ),
    "returned": Event(
        (TEAM,),
        "Rating returned by QA: {trust}",
        "The QA committee returned the proposed rating of {trust} to the assessors. Read QA's "
        "note, change what it asks for and propose the rating again.",
    ),
    "ratified": Event(
        (TEAM,),
        "Rating ratified by QA: {trust}",
        "The QA committee ratified the rating of {trust}. Render the draft report and share "
        "it with the trust.",
    ),
    "draft_shared": Event(
        (TRUST, CQC),
        "Draft Use of Resources report shared: {trust}",
        "The draft report of {trust} is shared for its factual-accuracy check. The trust can "
        "raise challenges until {fa_deadline}.",
        "report_list",
    ),
    "challenge_raised": Event(
        (TEAM,),
        "Factual-accuracy challenge raised: {trust}",
        "{trust} has raised a factual-accuracy challenge to the draft report. Please answer it.",
        "challenge_list",
    ),
    "answers_waiting": Event(
        (SIGNERS,),
        "Answers waiting for sign-off: {trust}",
        "The assessment team has answered a factual-accuracy challenge of {trust}. Someone "
        "outside the team must sign the answer off before the trust reads it.",
        "challenge_list",
    ),
    "answers_sent_back": Event(
        (TEAM,),
        "Answers sent back: {trust}",
        "An answer to a factual-accuracy challenge of {trust} was sent back to the team "
        "instead of being signed off. Read the note and answer again.",
        "challenge_list",
    ),
    "no_more_challenges": Event(
        (TEAM,),
        "No more challenges from {trust}",
        "{trust} has confirmed that it has no more factual-accuracy challenges. The lead "
        "assessor can close the check once every challenge is settled.",
        "challenge_list",
    ),
    "fa_closed_early": Event(
        (TRUST,),
        "Factual-accuracy check closed before its deadline: {trust}",
        "The lead assessor closed the factual-accuracy check of the draft report before its "
        "deadline ({fa_deadline}). The reason is on the assessment page, under History.",
    ),
    "answers_given": Event(
        (TRUST, TEAM),
        "Answers to factual-accuracy challenges signed off: {trust}",
        "An answer to a factual-accuracy challenge of {trust} has been signed off; the trust "
        "can read it now.",
        "challenge_list",
    ),
    "check_closed": Event(
        (CQC, TRUST),
        "Factual-accuracy check closed: {trust}",
        "The factual-accuracy check of {trust} is closed. CQC will now accept or dispute the "
        "rating.",
    ),
    "rating_accepted": Event(
        (TEAM, TRUST),
        "Rating accepted by CQC and finalised: {trust}",
        "CQC accepted the rating of {trust}; it is final and the final report is rendering. "
        "It will be published on the publication date.",
    ),
    "rating_disputed": Event(
        (TEAM,),
        "Rating disputed by CQC: {trust}",
        "CQC disputes the rating of {trust}. Read its reasons and discuss them with CQC.",
        "discussion",
    ),
    "discussion_message": Event(
        (TEAM, CQC),
        "New message about the disputed rating: {trust}",
        "A new message was posted in the discussion of the disputed rating of {trust}.",
        "discussion",
    ),
    "agreed_rating": Event(
        (TEAM,),
        "Agreed rating recorded: {trust}",
        "CQC recorded the agreed rating of {trust}. Where it changed a rating, the lead "
        "revises the rationale before CQC finalises.",
    ),
    "finalised": Event(
        (TEAM, CQC, TRUST),
        "Use of Resources rating finalised: {trust}",
        "The rating of {trust} is final. The final report is rendering and will be published "
        "on the publication date.",
    ),
    "report_ready": Event(
        (NAMED, TEAM),
        "Report ready: {trust}",
        "A report of {trust} has rendered and is ready to read.",
        "report_list",
    ),
    "final_report_ready": Event(
        (NAMED, TEAM, CQC),
        "Final report ready: {trust}",
        "The final report of {trust} has rendered. It can be published now.",
        "report_list",
    ),
    "record_ready": Event(
        (NAMED,),
        "Internal decision record ready: {trust}",
        "The internal decision record of {trust} you asked for has rendered.",
        "report_list",
    ),
    "report_failed": Event(
        (NAMED, TEAM),
        "Report failed to render: {trust}",
        "A report of {trust} could not be rendered. The reports page shows the error; request "
        "it again.",
        "report_list",
    ),
    "published": Event(
        (TRUST, TEAM, CQC),
        "Use of Resources rating published: {trust}",
        "The final report and rating of {trust} are published.",
    ),
    "review_requested": Event(
        (CQC, TEAM),
        "Review of the published rating requested: {trust}",
        "{trust} has asked for a review of its published rating on grounds of process. "
        "CQC decides whether the rating changes.",
        "review_request",
    ),
    "review_decided": Event(
        (TRUST, TEAM),
        "Review request decided: {trust}",
        "CQC has decided the review request of {trust}.",
        "review_request",
    ),
    "team_changed": Event(
        (NAMED, TEAM),
        "Assessment team changed: {trust}",
        "The lead changed who leads or works on the assessment of {trust}.",
    ),
    "commentary_week": Event(
        (TRUST,),
        "Commentary due in a week: {trust}",
        "Your commentary on each key line of enquiry is due by {commentary_deadline}.",
    ),
    "commentary_day": Event(
        (TRUST,),
        "Commentary due tomorrow: {trust}",
        "Your commentary on each key line of enquiry is due by {commentary_deadline}.",
    ),
    "commentary_overdue": Event(
        (TRUST, LEAD),
        "Commentary overdue: {trust}",
        "The commentary of {trust} was due by {commentary_deadline} and is not submitted. "
        "The lead assessor may close the commentary.",
    ),
    "fa_week": Event(
        (TRUST,),
        "Factual-accuracy deadline in a week: {trust}",
        "The deadline for factual-accuracy challenges to the draft report is {fa_deadline}.",
        "challenge_list",
    ),
    "fa_day": Event(
        (TRUST,),
        "Factual-accuracy deadline tomorrow: {trust}",
        "The deadline for factual-accuracy challenges to the draft report is {fa_deadline}.",
        "challenge_list",
    ),
    "fa_overdue": Event(
        (TRUST, LEAD),
        "Factual-accuracy deadline passed: {trust}",
        "The deadline for factual-accuracy challenges ({fa_deadline}) has passed. Once every "
        "challenge is answered, signed off and resolved, the lead closes the check.",
        "challenge_list",
    ),
}

# The event each workflow action announces (workflow.transition_followups queues it).
NOTIFY_AFTER = {
    "close_commentary": "commentary_closed",
    "submit_commentary": "commentary_submitted",
    "propose_rating": "rating_proposed",
    "ratify": "ratified",
    "return": "returned",
    "share_draft": "draft_shared",
    "close_factual_accuracy": "check_closed",
    "accept_rating": "rating_accepted",
    "dispute_rating": "rating_disputed",
    "agree_rating": "agreed_rating",
    "confirm_revision": "finalised",
    "publish": "published",
}


def events_after(action: str, status: str) -> list[str]:
    """The events a workflow move announces: its own, and "finalised" when recording the
    agreed rating finalises at once (accepting says so in its own message)."""
    events = [NOTIFY_AFTER[action]] if action in NOTIFY_AFTER else []
    if action == "agree_rating" and status == "finalised":
        events.append("finalised")
    return events


def notify_on_commit(
    event: str,
    assessment: Assessment,
    *,
    note: str = "",
    actor: User | None = None,
    users: tuple[User, ...] | list[User] = (),
    key: str = "",
) -> None:
    """Queue `event`'s notifications once the current transaction commits.

    `note` is the reason or note to pass on; `actor` (who took the step) is not told;
    `users` are the people the event names (a report's requester, a replaced assessor);
    `key` makes the event go to each person once (reminders).
    """
    queue_on_commit(
        "assessments.tasks.notify_task",
        event,
        assessment.pk,
        note,
        actor.pk if actor else None,
        [user.pk for user in users],
        key,
        # NOTE: no row keeps a hand-over for the sweep, so with the broker down it is told here.
        run_here_if_away=True,
    )


def recipients(
    who: tuple[str, ...], assessment: Assessment, named: list[int] | None = None
) -> list[User]:
    """The active people in the groups `who` names for this assessment."""
    people = User.objects.filter(is_active=True)
    found: dict[int, User] = {}
    for group in who:
        if group == TRUST:
            chosen = people.filter(trust_id=assessment.trust_id, is_trust_contact=True)
        elif group == TEAM:
            chosen = people.filter(pk__in=assessment.team_ids())
        elif group == LEAD:
            chosen = people.filter(pk=assessment.lead_id)
        elif group == QA:
            chosen = people.filter(role=Role.QA)
        elif group == CQC:
            chosen = people.filter(role=Role.CQC)
        elif group == SIGNERS:
            chosen = people.filter(role__in=[Role.ADMIN, Role.QA])
        else:
            chosen = people.filter(pk__in=named or [])
        found.update({user.pk: user for user in chosen})
    return sorted(found.values(), key=lambda user: user.username)


def agenda_text(assessment: Assessment) -> str:
    """The site-visit agenda as lines of plain text: time, session and who attends."""
    lines = []
    for session in assessment.agenda.all():
        who = ", ".join(session.attendee_list) or "the assessment team only"
        lines.append(
            f"{session.starts_at:%H:%M} to {session.ends_at:%H:%M}: {session.title} ({who})"
        )
    return "\n".join(lines) or "No sessions yet."


def notification_send(
    *,
    event: str,
    assessment_id: int,
    note: str = "",
    actor_id: int | None = None,
    user_ids: list[int] | None = None,
    key: str = "",
) -> int:
    """Deliver one event to the people it names; return how many were told."""
    assessment = Assessment.objects.select_related("trust").filter(pk=assessment_id).first()
    spec = EVENTS.get(event)
    if assessment is None or spec is None:
        return 0
    current = fa_deadline_current(assessment)
    values = {
        "trust": assessment.trust.name,
        "site_visit_date": f"{assessment.site_visit_date:%A %d %B %Y}",
        "commentary_deadline": f"{assessment.commentary_deadline:%A %d %B %Y}",
        "fa_deadline": f"{current.deadline:%A %d %B %Y}" if current else "the deadline",
        "agenda": agenda_text(assessment) if "{agenda}" in spec.body else "",
    }
    people = [
        user
        for user in recipients(spec.who, assessment, user_ids)
        if user.pk != actor_id or key  # a reminder names no actor
    ]
    return notifications_deliver(
        users=people,
        event=event,
        title=spec.title.format(**values),
        body=spec.body.format(**values),
        note=note,
        url=reverse(f"assessments:{spec.page}", kwargs={"pk": assessment.pk}),
        key=key,
    )
