"""What each person needs to do next: the lines of their home page. Each line asks the
workflow table or a policy, so the list never disagrees with the buttons."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from metrics import policies as metrics_policies
from metrics.models import DataLoad, Trust, User
from metrics.selectors import moderation_to_decide

from . import policies
from .deadlines import challenges_open
from .factual_accuracy.services import challenges_settled
from .models import Assessment
from .reports.models import ReportVersion
from .reports.selectors import published_report_get, report_versions_for_user
from .selectors import assessments_visible_to
from .workflow import ACTIONS, may_take


@dataclass(frozen=True)
class Task:
    """One line of a person's to-do list on their home page."""

    title: str
    detail: str
    url: str = ""


def home_tasks_for(*, user: User) -> list[Task]:
    """What `user` has to do next: the service's own upkeep, then for each assessment they
    see, the next steps the policies and the workflow let them take in its state."""
    tasks = _upkeep_tasks(user)
    for assessment in assessments_visible_to(user=user):
        tasks += [
            step.task(user, assessment) for step in NEXT_STEPS if step.allowed(user, assessment)
        ]
    tasks += _standing_tasks(user)
    if not tasks:
        tasks = [task for applies, task in NOTHING_TO_DO if applies(user)]
    return tasks


def _link(assessment: Assessment) -> str:
    return assessment.get_absolute_url()


def _challenges_link(assessment: Assessment) -> str:
    return reverse("assessments:challenge_list", kwargs={"pk": assessment.pk})


def _review_link(assessment: Assessment) -> str:
    return reverse("assessments:review_request", kwargs={"pk": assessment.pk})


def _draft_report_link(user: User, assessment: Assessment) -> str:
    """The newest ready draft the user may see, as a download; else the report list."""
    draft = (
        report_versions_for_user(user=user, assessment=assessment)
        .filter(kind=ReportVersion.Kind.DRAFT, status=ReportVersion.Status.READY)
        .order_by("-number")
        .first()
    )
    if draft is None:
        return reverse("assessments:report_list", kwargs={"pk": assessment.pk})
    return reverse(
        "assessments:report_download", kwargs={"pk": assessment.pk, "report_pk": draft.pk}
    )


def _published_report_link(user: User, assessment: Assessment) -> str:
    """The published final report (the public address); else the report list."""
    report = published_report_get(assessment=assessment)
    if report is None:
        return reverse("assessments:report_list", kwargs={"pk": assessment.pk})
    return reverse(
        "assessments:published_report",
        kwargs={"ods_code": assessment.trust.ods_code, "pk": assessment.pk},
    )


def _visit(assessment: Assessment) -> str:
    return f"Site visit {assessment.site_visit_date:%d %B %Y}; {assessment.get_status_display()}."


@dataclass(frozen=True)
class NextStep:
    """A to-do line for an assessment, shown when `allowed(user, assessment)` says so."""

    allowed: Callable[[User, Assessment], object]
    title: Callable[[Assessment], str]
    detail: Callable[[Assessment], str]
    url: Callable[[Assessment], str] = _link
    # Where the link depends on who reads it (the report versions they may see).
    user_url: Callable[[User, Assessment], str] | None = None

    def task(self, user: User, assessment: Assessment) -> Task:
        url = self.user_url(user, assessment) if self.user_url else self.url(assessment)
        return Task(self.title(assessment), self.detail(assessment), url)


def _action(name: str) -> Callable[[User, Assessment], bool]:
    """The workflow's answer: the action starts from the state and its policy allows it."""
    return lambda user, assessment: may_take(user, assessment, ACTIONS[name])


def _sign_off_waiting(user: User, assessment: Assessment) -> bool:
    """Answers to challenges waiting for the independent sign-off (admins and QA)."""
    return bool(policies.may_sign_off(user, assessment)) and (
        assessment.challenges.filter(signed_off_at__isnull=True, answered_at__isnull=False).exists()
    )


def _unanswered(user: User, assessment: Assessment) -> bool:
    """Challenges with no answer yet (or sent back), for the team that answers them."""
    unanswered = assessment.challenges.filter(answered_at__isnull=True)
    return bool(policies.may_answer_challenge(user, assessment)) and unanswered.exists()


def _closable(user: User, assessment: Assessment) -> bool:
    """The lead may close the check, the trust's deadline has passed and every challenge is
    settled (the action's own check); before the deadline the team waits for the trust."""
    may = _action("close_factual_accuracy")(user, assessment) and not challenges_open(assessment)
    return may and not challenges_settled(assessment, "", None)


def _evidence_step(assessment: Assessment) -> tuple[str, str]:
    """(title, detail): after QA's return (the latest step) the team works on QA's note."""
    last = assessment.transitions.exclude(action="change_team").order_by("-at", "-id").first()
    if last and last.action == "return":
        return "The QA committee returned the rating; propose it again", f"QA's note: {last.note}"
    return "Record evidence and propose ratings", _visit(assessment)


def _trust_status(assessment: Assessment) -> str:
    return f"{assessment.trust.name}: {assessment.get_status_display()}"


# NOTE: one line per step, in the order the workflow reaches them; each asks the policy (or
# the workflow action) that lets the person take the step, never their role.
NEXT_STEPS = [
    NextStep(
        _action("close_commentary"),
        lambda a: (
            f"{a.trust.name}: Prepare the site visit; commentary is due "
            f"{a.commentary_deadline:%d %B %Y}"
        ),
        _visit,
    ),
    NextStep(
        policies.may_edit_commentary,
        lambda a: f"Write and submit your KLOE commentary by {a.commentary_deadline:%d %B %Y}",
        lambda a: f"Site visit on {a.site_visit_date:%d %B %Y}.",
    ),
    NextStep(
        policies.may_record_evidence,
        lambda a: f"{a.trust.name}: {_evidence_step(a)[0]}",
        lambda a: _evidence_step(a)[1],
    ),
    NextStep(
        _action("ratify"),
        lambda a: f"{a.trust.name}: ratify or return the proposed rating",
        lambda a: f"Proposed by {a.lead}.",
    ),
    NextStep(
        _action("share_draft"),
        lambda a: f"{a.trust.name}: Prepare and share the draft report",
        _visit,
    ),
    NextStep(
        policies.receives_draft_for_information,
        _trust_status,
        lambda a: "For information: the draft report shared with the trust.",
    ),
    NextStep(
        policies.may_raise_challenge,
        lambda a: "Check the draft report and raise any factual-accuracy challenges",
        lambda a: "Opens the newest draft report (PDF).",
        user_url=_draft_report_link,
    ),
    NextStep(
        policies.may_raise_challenge,
        lambda a: "Raise a factual-accuracy challenge to the draft report",
        lambda a: "Challenges can be raised until the deadline shown on the page.",
        _challenges_link,
    ),
    NextStep(
        _unanswered,
        lambda a: f"{a.trust.name}: Answer the trust's factual-accuracy challenges",
        lambda a: "Each answer is signed off outside the team before the trust reads it.",
        _challenges_link,
    ),
    NextStep(_closable, lambda a: f"{a.trust.name}: Close the factual-accuracy check", _visit),
    NextStep(
        _sign_off_waiting,
        lambda a: f"{a.trust.name}: sign off answers to factual-accuracy challenges",
        lambda a: "The trust reads each answer once someone outside the team signs it off.",
        _challenges_link,
    ),
    NextStep(
        _action("accept_rating"),
        _trust_status,
        lambda a: (
            "Read the report, record the quality ratings, then accept or dispute the "
            "proposed rating."
        ),
    ),
    NextStep(
        _action("agree_rating"),
        _trust_status,
        lambda a: "Discuss with the team, then record the agreed rating.",
    ),
    NextStep(
        lambda user, a: policies.on_team(user, a) and policies.may_post_discussion(user, a),
        lambda a: f"{a.trust.name}: Discuss the disputed rating with CQC",
        _visit,
    ),
    NextStep(
        policies.may_revise_rationale,
        lambda a: f"{a.trust.name}: Revise the rationales CQC's rating changed",
        lambda a: "CQC's reasons are shown beside each rationale.",
    ),
    NextStep(
        _action("confirm_revision"),
        _trust_status,
        lambda a: "Once the lead has revised the rationales, confirm the text and finalise.",
    ),
    NextStep(
        _action("publish"),
        _trust_status,
        lambda a: (
            f"Publish on the publication date ({a.publication_date:%d %B %Y})."
            if a.publication_date
            else "Publish the final report and the rating."
        ),
    ),
    NextStep(
        policies.may_request_review,
        lambda a: "Read your published Use of Resources report and rating",
        lambda a: "Opens the published report (PDF).",
        user_url=_published_report_link,
    ),
    NextStep(
        policies.may_decide_review,
        _trust_status,
        lambda a: "The trust asked for a review of its published rating: decide it.",
        _review_link,
    ),
    NextStep(
        policies.may_request_review,
        lambda a: "Ask for a review of your published rating",
        lambda a: "You may ask once for a review on grounds of process within 15 working days.",
        _review_link,
    ),
]

# What someone with no task reads instead of an empty list, by what they would be given.
NOTHING_TO_DO = [
    (
        policies.sees_from_qa_review,
        Task("Nothing awaits QA", "Proposed ratings sent for QA will be listed here."),
    ),
    (
        policies.sees_from_shared_draft,
        Task("Nothing awaits CQC review", "Ratings sent to CQC will be listed here."),
    ),
]


def _upkeep_tasks(user: User) -> list[Task]:
    """The admin's own: the trust registry, a failed load to fix, the security log."""
    tasks = []
    if metrics_policies.may_load_trusts(user):
        trust_count = Trust.objects.count()
        tasks.append(
            Task(
                "Keep the trust registry up to date" if trust_count else "Load the trust registry",
                f"{trust_count} trusts are loaded." if trust_count else "No trusts are loaded yet.",
                reverse("metrics:trust_load"),
            )
        )
    failed = DataLoad.objects.filter(status=DataLoad.Status.FAILED).defer("content").first()
    if failed and metrics_policies.may_see_data_loads(user):
        tasks.append(
            Task(
                f"Fix and reload {failed.file_name}",
                "The last failed load found errors in the file.",
                reverse("metrics:data_load_detail", kwargs={"pk": failed.pk}),
            )
        )
    if metrics_policies.may_see_security_log(user):
        tasks.append(
            Task(
                "Review the security log",
                "Sign-ins, lock-outs and refused requests.",
                reverse("metrics:security_log"),
            )
        )
    return tasks


def _standing_tasks(user: User) -> list[Task]:
    """Lines that do not depend on any one assessment."""
    tasks = []
    if policies.may_create_assessment(user):
        tasks.append(
            Task(
                "Schedule an assessment",
                "Pick a trust, the framework, the visit date and the team.",
                reverse("assessments:assessment_create"),
            )
        )
    if metrics_policies.may_decide_moderation(user):
        waiting = moderation_to_decide(user=user).count()
        if waiting:
            months = f"{waiting} month{'s' if waiting != 1 else ''}"
            tasks.append(
                Task(
                    "Decide finance-score moderation",
                    f"{months} where the rules propose a moderation not yet decided, or the "
                    "proposal changed since the decision.",
                    reverse("metrics:moderation_list"),
                )
            )
    if policies.is_trust_user(user):
        tasks.append(
            Task(
                f"Check {user.trust.name}'s details",
                "Requests for commentary and draft reports will be listed here.",
                user.trust.get_absolute_url(),
            )
        )
    return tasks
