"""Send the e-mails of each hand-over of an assessment, from a Celery task after the commit.

Each event names who must act next and what they must do; the home page lists the same
steps (selectors.home_tasks_for), so an e-mail that goes astray loses nothing.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse

from core.tasks import queue_on_commit
from metrics.models import Role, User

from .deadlines import fa_deadline_current
from .models import Assessment

# event: (who, subject, body). Subjects and bodies are formatted with trust, url, deadline.
EVENTS = {
    "scheduled": (
        "trust",
        "Use of Resources assessment scheduled: {trust}",
        "A Use of Resources assessment of {trust} is scheduled. Please write your commentary on "
        "each key line of enquiry by {deadline}.",
    ),
    "commentary_submitted": (
        "team",
        "Commentary submitted: {trust}",
        "{trust} has submitted its commentary. You can now gather evidence.",
    ),
    "returned": (
        "team",
        "Rating returned by QA: {trust}",
        "The QA committee returned the proposed rating of {trust} to the assessors. Its "
        "reasons are on the assessment page, under History.",
    ),
    "rating_proposed": (
        "qa",
        "Rating proposed for QA: {trust}",
        "The assessment team has proposed the rating of {trust}. Please ratify or return it.",
    ),
    "draft_shared": (
        "trust",
        "Draft Use of Resources report shared: {trust}",
        "The draft report is ready for your factual-accuracy check. You can raise challenges "
        "until {deadline}.",
    ),
    "challenge_raised": (
        "team",
        "Factual-accuracy challenge raised: {trust}",
        "{trust} has raised a factual-accuracy challenge to the draft report. Please answer it.",
    ),
    "answers_given": (
        "trust",
        "Answers to your factual-accuracy challenges: {trust}",
        "An answer to one of your factual-accuracy challenges has been signed off.",
    ),
    "answers_sent_back": (
        "team",
        "Answer to a challenge sent back: {trust}",
        "The answer to a factual-accuracy challenge of {trust} was not signed off and is back "
        "with the team. The reason is on the challenges page.",
    ),
    "no_more_challenges": (
        "team",
        "No more challenges from {trust}",
        "{trust} has confirmed that it has no more factual-accuracy challenges. The lead "
        "assessor can close the check once every challenge is settled.",
    ),
    "fa_closed_early": (
        "trust",
        "Factual-accuracy check closed before its deadline: {trust}",
        "The lead assessor closed the factual-accuracy check of the draft report before its "
        "deadline ({deadline}). The reason is on the assessment page, under History.",
    ),
    "fa_deadline_soon": (
        "trust",
        "Factual-accuracy deadline in 3 working days: {trust}",
        "The deadline for factual-accuracy challenges to the draft report is {deadline}.",
    ),
    "review_ready": (
        "cqc",
        "Use of Resources rating ready for CQC review: {trust}",
        "The factual-accuracy check of {trust} is closed. Please accept or dispute the rating.",
    ),
    "published": (
        "trust",
        "Use of Resources rating published: {trust}",
        "The final report and rating of {trust} are published.",
    ),
}


# The event each workflow action announces (workflow.transition_followups queues it).
NOTIFY_AFTER = {
    "submit_commentary": "commentary_submitted",
    "propose_rating": "rating_proposed",
    "return": "returned",
    "share_draft": "draft_shared",
    "close_factual_accuracy": "review_ready",
    "publish": "published",
}


def notify_on_commit(event: str, assessment: Assessment) -> None:
    """Queue the e-mails of `event` once the current transaction commits."""
    queue_on_commit("assessments.tasks.notify_task", event, assessment.pk)


def _recipients(who: str, assessment: Assessment) -> list[str]:
    people = User.objects.filter(is_active=True).exclude(email="")
    if who == "trust":
        people = people.filter(role=Role.TRUST, trust_id=assessment.trust_id)
    elif who == "team":
        people = people.filter(pk__in=assessment.team_ids())
    elif who == "qa":
        people = people.filter(role=Role.QA)
    else:
        people = people.filter(role=Role.CQC)
    return sorted(people.values_list("email", flat=True))


def notification_send(*, event: str, assessment_id: int) -> int:
    """Send the e-mails of one event; return how many were sent (one per person)."""
    assessment = Assessment.objects.select_related("trust").filter(pk=assessment_id).first()
    if assessment is None or event not in EVENTS:
        return 0
    who, subject, body = EVENTS[event]
    current = fa_deadline_current(assessment)
    deadline = (
        current.deadline if current and event != "scheduled" else assessment.commentary_deadline
    )
    values = {
        "trust": assessment.trust.name,
        "deadline": f"{deadline:%A %d %B %Y}",
    }
    base = getattr(settings, "UOR_BASE_URL", "")
    link = base + reverse("assessments:assessment_detail", args=[assessment.pk])
    text = body.format(**values) + f"\n\n{link}\n"
    messages = [
        (subject.format(**values), text, settings.DEFAULT_FROM_EMAIL, [address])
        for address in _recipients(who, assessment)
    ]
    return send_mass_mail(messages, fail_silently=False)
