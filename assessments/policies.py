"""Who may do what to one assessment: one predicate per action, each returning a Decision.

This is the one module of the app that knows people by their role (through the role groups
of `metrics.policies`). Services call a predicate and `.enforce()` it; pages, the API, the
workflow table, the home to-do list and the templates' buttons ask the same predicate, so
everyone is refused with the same message. Which assessments a person sees at all is the
selectors' business (`assessments_visible_to`): an assessment hidden from someone answers
404 before any predicate here is asked, and so do items `may_see_internal` hides.
"""

from django.utils import timezone

from core.policies import ALLOW, Decision, decide, refuse
from metrics.models import Role, User
from metrics.policies import has_role, is_admin, is_qa_or_admin, is_staff_member

from . import refusals
from .deadlines import challenges_open, fa_deadline_current, review_deadline
from .models import Assessment, Challenge, Evidence, ReviewRequest, Status

# Who is who ------------------------------------------------------------------------------
# Plain truths the predicates below are built from; nothing outside this module reads roles.


def is_assessor(user: User) -> bool:
    return has_role(user, {Role.ASSESSOR})


def is_qa(user: User) -> bool:
    return has_role(user, {Role.QA})


def is_cqc(user: User) -> bool:
    return has_role(user, {Role.CQC})


def is_trust_user(user: User) -> bool:
    return has_role(user, {Role.TRUST})


def on_team(user: User, assessment: Assessment) -> bool:
    return is_assessor(user) and user.pk in assessment.team_ids()


def is_lead(user: User, assessment: Assessment) -> bool:
    return is_assessor(user) and user.pk == assessment.lead_id


def of_the_trust(user: User, assessment: Assessment) -> bool:
    return is_trust_user(user) and user.trust_id == assessment.trust_id


# Which of everyone's assessments a person sees (selectors.assessments_visible_to asks).


def sees_every_assessment(user: User) -> bool:
    return is_admin(user)


def sees_team_assessments(user: User) -> bool:
    return is_assessor(user)


def sees_from_qa_review(user: User) -> bool:
    """QA sees assessments from QA review on."""
    return is_qa(user)


def sees_from_shared_draft(user: User) -> bool:
    """CQC receives the draft "for information" when the trust does (brief guide s.3.1)."""
    return is_cqc(user)


def may_see_calibration(user: User) -> Decision:
    """Every ratified rating beside its metrics, trust against trust: the QA committee's
    calibration, and admins'. Assessors are left out: they would compare their own work."""
    return decide(is_qa_or_admin(user), refusals.CALIBRATION_FOR_QA)


# Scheduling, commentary, evidence, ratings, agenda ----------------------------------------


def may_create_assessment(user: User) -> Decision:
    """Assessors schedule; an admin may too, chiefly to schedule a pilot."""
    return decide(is_assessor(user) or is_admin(user), refusals.CREATE_FOR_ASSESSORS)


def may_mark_pilot(user: User) -> Decision:
    """A pilot may use a consultation draft, or assess a trust type the framework does not
    cover: NHS Improvement's admins decide that, not the team."""
    return decide(is_admin(user), refusals.PILOT_FOR_ADMINS)


def may_open_commentary(user: User, assessment: Assessment) -> Decision:
    """The trust's own commentary page (read-only once submitted); the team reads it in
    its workspace."""
    return decide(of_the_trust(user, assessment), refusals.COMMENTARY_NOT_YOURS)


def may_edit_commentary(user: User, assessment: Assessment) -> Decision:
    if not of_the_trust(user, assessment):
        return refuse(refusals.COMMENTARY_NOT_YOURS)
    return decide(
        assessment.status == Status.SCHEDULED and assessment.commentary_submitted_at is None,
        refusals.COMMENTARY_CLOSED,
    )


def may_see_commentary(user: User, assessment: Assessment) -> Decision:
    """The trust always sees its own; NHS Improvement and CQC once it is submitted or closed."""
    if is_trust_user(user):
        return decide(of_the_trust(user, assessment), refusals.COMMENTARY_NOT_YOURS)
    return decide(
        assessment.commentary_submitted_at is not None or assessment.status != Status.SCHEDULED,
        refusals.COMMENTARY_NOT_SHARED,
    )


def may_see_internal(user: User, assessment: Assessment) -> Decision:
    """NHS Improvement's evidence, proposed ratings, reports and challenges: a trust sees
    them once the draft report is shared (the draft carries them); staff who can see the
    assessment do. A refusal answers 404: the trust must not learn they exist."""
    if is_trust_user(user):
        return decide(
            of_the_trust(user, assessment) and assessment.is_at_or_after(Status.FACTUAL_ACCURACY),
            refusals.INTERNAL_NOT_SHARED,
        )
    return ALLOW


def may_use_workspace(user: User, assessment: Assessment) -> Decision:
    """The KLOE workspace and the overall rating page: staff read them."""
    return decide(is_staff_member(user), refusals.WORKSPACE_FOR_STAFF)


def may_record_evidence(user: User, assessment: Assessment) -> Decision:
    return decide(
        on_team(user, assessment) and assessment.status == Status.EVIDENCE, refusals.EVIDENCE_CLOSED
    )


def may_edit_evidence(user: User, assessment: Assessment, evidence: Evidence) -> Decision:
    """Change a finding while evidence is gathered. After the draft is shared a finding
    changes only by resolving an accepted challenge (`may_resolve_challenge`), which keeps
    both versions."""
    if evidence.withdrawn_at is not None:
        return refuse(refusals.EVIDENCE_WITHDRAWN)
    return may_record_evidence(user, assessment)


def may_withdraw_evidence(user: User, assessment: Assessment, evidence: Evidence) -> Decision:
    """Withdraw a finding (with a reason, kept in its history) while evidence is gathered."""
    return decide(
        bool(may_record_evidence(user, assessment)) and evidence.withdrawn_at is None,
        refusals.WITHDRAW_CLOSED,
    )


def may_propose_ratings(user: User, assessment: Assessment) -> Decision:
    """The team, while gathering evidence, from the site-visit day on."""
    if not (on_team(user, assessment) and assessment.status == Status.EVIDENCE):
        return refuse(refusals.RATINGS_CLOSED)
    held = assessment.visit_held()
    return decide(held, refusals.RATINGS_BEFORE_VISIT.format(date=assessment.site_visit_date))


def may_move_site_visit(user: User, assessment: Assessment) -> Decision:
    return decide(
        is_lead(user, assessment) and assessment.status in (Status.SCHEDULED, Status.EVIDENCE),
        refusals.SITE_VISIT_NOT_LEAD,
    )


def may_edit_agenda(user: User, assessment: Assessment) -> Decision:
    return decide(
        on_team(user, assessment) and assessment.status in (Status.SCHEDULED, Status.EVIDENCE),
        refusals.AGENDA_CLOSED,
    )


def may_change_team(user: User, assessment: Assessment) -> Decision:
    """The lead hands the assessment over or changes the team while the team still works."""
    return decide(
        is_lead(user, assessment) and not assessment.is_at_or_after(Status.FINALISED),
        refusals.TEAM_NOT_LEAD,
    )


def may_set_commentary_deadline(user: User, assessment: Assessment) -> Decision:
    """The deadline matters only while the trust can still write its commentary."""
    return decide(
        on_team(user, assessment)
        and assessment.status == Status.SCHEDULED
        and assessment.commentary_submitted_at is None,
        refusals.DEADLINE_CLOSED,
    )


# The workflow's actions (workflow.ACTIONS asks these for each action's `allowed`) ----------


def _whose(condition: bool, label: str, who: str) -> Decision:
    return decide(condition, refusals.ACTION_NOT_YOURS.format(label=label, who=who))


def may_close_commentary(user: User, assessment: Assessment) -> Decision:
    return _whose(on_team(user, assessment), "Close commentary", refusals.WHO_TEAM)


def may_submit_commentary(user: User, assessment: Assessment) -> Decision:
    return _whose(of_the_trust(user, assessment), "Submit commentary", refusals.WHO_TRUST)


def may_send_rating_to_qa(user: User, assessment: Assessment) -> Decision:
    return _whose(is_lead(user, assessment), "Propose the rating for QA", refusals.WHO_LEAD)


def may_ratify(user: User, assessment: Assessment) -> Decision:
    return _whose(is_qa(user), "Ratify the rating", refusals.WHO_QA)


def may_return_to_team(user: User, assessment: Assessment) -> Decision:
    return _whose(is_qa(user), "Return to the assessors", refusals.WHO_QA)


def may_share_draft(user: User, assessment: Assessment) -> Decision:
    return _whose(is_lead(user, assessment), "Share the draft report", refusals.WHO_LEAD)


def may_close_factual_accuracy(user: User, assessment: Assessment) -> Decision:
    return _whose(is_lead(user, assessment), "Close the factual-accuracy check", refusals.WHO_LEAD)


def may_accept_rating(user: User, assessment: Assessment) -> Decision:
    return _whose(is_cqc(user), "Accept the rating", refusals.WHO_CQC)


def may_dispute_rating(user: User, assessment: Assessment) -> Decision:
    return _whose(is_cqc(user), "Dispute the rating", refusals.WHO_CQC)


def may_agree_rating(user: User, assessment: Assessment) -> Decision:
    """CQC records the agreed rating, ending a dispute (its own page, and the workflow)."""
    whose = _whose(is_cqc(user), "Record the agreed rating", refusals.WHO_CQC)
    if not whose:
        return whose
    return decide(assessment.status == Status.DISPUTE, refusals.AGREED_RATING_CLOSED)


def may_confirm_revision(user: User, assessment: Assessment) -> Decision:
    """CQC confirms the revised rationales and finalises: the rating is CQC's, so no second
    QA ratification."""
    return _whose(is_cqc(user), "Confirm the revised text and finalise", refusals.WHO_CQC)


def may_revise_rationale(user: User, assessment: Assessment) -> Decision:
    """The lead revises the rationale of each KLOE whose rating CQC changed."""
    return decide(
        is_lead(user, assessment) and assessment.status == Status.REVISION,
        refusals.REVISION_NOT_YOURS,
    )


def may_publish(user: User, assessment: Assessment) -> Decision:
    return _whose(is_cqc(user), "Publish", refusals.WHO_CQC)


def receives_draft_for_information(user: User, assessment: Assessment) -> bool:
    """CQC reads the draft shared with the trust, for information, before its review."""
    return is_cqc(user) and assessment.status == Status.FACTUAL_ACCURACY


# Factual-accuracy challenges --------------------------------------------------------------


def may_raise_challenge(user: User, assessment: Assessment) -> Decision:
    """The trust, while the check is open and its deadline not past: one refusal for the
    service, the page and the API."""
    if not of_the_trust(user, assessment):
        return refuse(refusals.CHALLENGE_NOT_YOURS)
    if assessment.status != Status.FACTUAL_ACCURACY:
        return refuse(refusals.CHALLENGE_NOT_OPEN)
    if not challenges_open(assessment):
        return refuse(
            refusals.CHALLENGES_CLOSED.format(deadline=fa_deadline_current(assessment).deadline)
        )
    if done := getattr(assessment, "no_more_challenges", None):
        return refuse(refusals.CHALLENGES_DONE.format(date=timezone.localtime(done.confirmed_at)))
    return ALLOW


def may_confirm_no_more_challenges(user: User, assessment: Assessment) -> Decision:
    """The trust, while it could still raise a challenge, says it will raise no more."""
    return decide(bool(may_raise_challenge(user, assessment)), refusals.NO_MORE_NOT_YOURS)


def may_answer_challenge(
    user: User, assessment: Assessment, challenge: Challenge | None = None
) -> Decision:
    """The team drafts (and redrafts) answers while the check is open, until signed off."""
    if not on_team(user, assessment):
        return refuse(refusals.ANSWER_NOT_YOURS)
    if assessment.status != Status.FACTUAL_ACCURACY:
        return refuse(refusals.ANSWER_CLOSED)
    if challenge is not None and challenge.is_signed_off:
        return refuse(refusals.ANSWER_SIGNED_OFF)
    if challenge is not None and challenge.is_resolved:
        return refuse(refusals.ANSWER_RESOLVED)
    return ALLOW


def may_resolve_challenge(user: User, assessment: Assessment, challenge: Challenge) -> Decision:
    """The team resolves an accepted or partly accepted challenge while the check is open:
    by a recorded change to the passage, or a recorded reason why no text changes."""
    if not on_team(user, assessment):
        return refuse(refusals.RESOLVE_NOT_YOURS)
    if assessment.status != Status.FACTUAL_ACCURACY:
        return refuse(refusals.RESOLVE_CLOSED)
    if not challenge.needs_resolution:
        return refuse(refusals.RESOLVE_NOT_UPHELD)
    if challenge.is_resolved:
        return refuse(refusals.RESOLVE_ALREADY)
    return ALLOW


def may_sign_off(user: User, assessment: Assessment) -> Decision:
    """NHS Improvement staff outside the team who can see the assessment: admins and QA.

    NOTE: an assessor off the team never sees the assessment (selectors), so the answer is
    not theirs to sign off; the team's own assessors drafted it.
    """
    if not (is_admin(user) or is_qa(user)):
        return refuse(refusals.SIGN_OFF_NOT_YOURS)
    return decide(assessment.status == Status.FACTUAL_ACCURACY, refusals.ANSWER_CLOSED)


def may_set_fa_deadline(user: User, assessment: Assessment) -> Decision:
    return decide(
        is_lead(user, assessment) and assessment.status == Status.FACTUAL_ACCURACY,
        refusals.FA_DEADLINE_NOT_LEAD,
    )


def may_read_answer(user: User, challenge: Challenge) -> bool:
    """The trust reads an answer only once it is signed off; staff read drafts too."""
    return not is_trust_user(user) or challenge.is_signed_off


# CQC's discussion, quality ratings ---------------------------------------------------------


def may_read_discussion(user: User, assessment: Assessment) -> Decision:
    """NHS Improvement and CQC staff who see the assessment; never the trust."""
    return decide(is_staff_member(user), refusals.DISCUSSION_NOT_YOURS)


def may_post_discussion(user: User, assessment: Assessment) -> Decision:
    if not (on_team(user, assessment) or is_cqc(user)):
        return refuse(refusals.DISCUSSION_NOT_YOURS)
    return decide(assessment.status == Status.DISPUTE, refusals.DISCUSSION_CLOSED)


def may_see_quality(user: User, assessment: Assessment) -> Decision:
    return decide(is_staff_member(user), refusals.QUALITY_FOR_STAFF)


def may_record_quality(user: User, assessment: Assessment) -> Decision:
    return decide(
        is_cqc(user) and assessment.status in (Status.CQC_REVIEW, Status.DISPUTE, Status.REVISION),
        refusals.QUALITY_NOT_YOURS,
    )


# Reports ----------------------------------------------------------------------------------


def may_request_report(user: User, assessment: Assessment) -> Decision:
    """The lead asks for the draft at draft_report; a CQC reviewer for the final report
    once finalised (reports.report_kind_requestable says which)."""
    if assessment.status == Status.DRAFT_REPORT and is_lead(user, assessment):
        return ALLOW
    if assessment.status == Status.FINALISED and is_cqc(user):
        return ALLOW
    if assessment.is_at_or_after(Status.CQC_REVIEW):
        return refuse(refusals.REPORT_FINAL_REFUSED)
    return refuse(refusals.REPORT_DRAFT_REFUSED)


def may_read_record(user: User, assessment: Assessment) -> Decision:
    """The internal decision record (every step, QA's notes, the NHSI-CQC discussion): staff
    who can see the assessment; never the trust, which gets 404 as for other internal things."""
    return decide(is_staff_member(user), refusals.RECORD_FOR_STAFF)


def sees_every_report_version(user: User) -> bool:
    """Staff see every version, queued and failed too; the trust only ready shared ones."""
    return not is_trust_user(user)


# Review requests --------------------------------------------------------------------------


def decides_reviews(user: User) -> bool:
    """CQC decides review requests; everyone else who may act on the page asks for one."""
    return is_cqc(user)


def may_request_review(user: User, assessment: Assessment) -> Decision:
    if not of_the_trust(user, assessment):
        return refuse(refusals.REVIEW_NOT_YOURS)
    deadline = review_deadline(assessment)
    if assessment.status != Status.PUBLISHED or deadline is None:
        return refuse(refusals.REVIEW_NOT_PUBLISHED)
    if ReviewRequest.objects.filter(assessment=assessment).exists():
        return refuse(refusals.REVIEW_ONCE)
    return decide(
        timezone.localdate() <= deadline, refusals.REVIEW_TOO_LATE.format(deadline=deadline)
    )


def may_decide_review(
    user: User, assessment: Assessment, review: ReviewRequest | None = None
) -> Decision:
    """A CQC reviewer decides the trust's one request, once."""
    if not is_cqc(user):
        return refuse(refusals.DECISION_NOT_YOURS)
    if review is None:
        review = ReviewRequest.objects.filter(assessment=assessment).first()
    if review is None:
        return refuse(refusals.DECISION_NOTHING)
    return decide(not review.decision, refusals.DECISION_ALREADY)
