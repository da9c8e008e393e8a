"""Pages after the draft: challenges and their answers, the challenge deadline, CQC's
discussion, agreed and quality ratings, the review request, and the public register."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from assessments import policies, review
from assessments.deadlines import challenges_open, fa_deadline_current, review_deadline
from assessments.models import KloeRating, Status
from assessments.review_forms import (
    AgreedRatingsForm,
    ChallengeAnswerForm,
    ChallengeForm,
    DiscussionForm,
    FaDeadlineForm,
    QualityRatingsForm,
    RegisterFilterForm,
    ReviewDecisionForm,
    ReviewRequestForm,
    SignOffForm,
)
from assessments.selectors import evidence_for_user, published_register
from assessments.workflow import TransitionRefused, assessment_transition
from core.csv_export import csv_response
from core.policies import decide
from metrics.models import Trust
from metrics.selectors import trust_get_for_user, trust_regions

from .mixins import AssessmentPageMixin, add_service_errors

CHALLENGE_RAISED = "Challenge {number} is recorded. The assessors will answer it."
ANSWER_SAVED = "The answer is saved. Someone outside the team must sign it off."
SIGNED_OFF = "The answer to challenge {number} is signed off; the trust can now read it."
DEADLINE_SAVED = "Challenges can now be raised until {deadline:%d %B %Y}."
MESSAGE_POSTED = "Your message is posted."
AGREED = "The agreed rating is recorded and the assessment is finalised."
QUALITY_SAVED = "The quality ratings and the combined rating are recorded."
REVIEW_REQUESTED = "Your request for a review is recorded. CQC will decide on it."
REVIEW_DECIDED = "The decision on the review request is recorded."
NO_ASSESSMENT = "No such assessment"


def challenges_url(assessment) -> str:
    return reverse("assessments:challenge_list", kwargs={"pk": assessment.pk})


class SharedDraftMixin(AssessmentPageMixin):
    """A trust must not learn of the steps after the draft before it is shared: 404."""

    def get_assessment(self):
        assessment = super().get_assessment()
        if not policies.may_see_internal(self.request.user, assessment):
            raise Http404(NO_ASSESSMENT)
        return assessment


class ChallengeListView(SharedDraftMixin, TemplateView):
    """Every challenge with its answer (the trust reads answers once signed off), the
    deadline, and whether the trust may still raise one."""

    template_name = "assessments/challenge_list.html"

    def get_context_data(self, **kwargs):
        user, assessment = self.request.user, self.assessment
        challenges = list(review.challenges_for_user(user=user, assessment=assessment))
        may_sign_off = policies.may_sign_off(user, assessment)
        for challenge in challenges:
            challenge.answer_shown = policies.may_read_answer(user, challenge)
            challenge.may_answer = policies.may_answer_challenge(user, assessment, challenge)
            challenge.may_sign_off = (
                may_sign_off and challenge.is_answered and not challenge.is_signed_off
            )
        current = fa_deadline_current(assessment)
        return super().get_context_data(
            challenges=challenges,
            deadline=current,
            deadline_history=assessment.fa_deadlines.select_related("set_by"),
            is_open=challenges_open(assessment),
            can_raise=policies.may_raise_challenge(user, assessment),
            can_set_deadline=policies.may_set_fa_deadline(user, assessment),
            closed_message=(
                policies.CHALLENGES_CLOSED.format(deadline=current.deadline)
                if current
                and not challenges_open(assessment)
                and assessment.status == Status.FACTUAL_ACCURACY
                else ""
            ),
            **kwargs,
        )


class ChallengeCreateView(SharedDraftMixin, FormView):
    template_name = "assessments/challenge_create.html"
    form_class = ChallengeForm
    extra_context = {"page_title": "Raise a factual-accuracy challenge"}
    assessment_policy = policies.may_raise_challenge

    def get_form_kwargs(self):
        evidence = evidence_for_user(user=self.request.user, assessment=self.assessment)
        return {**super().get_form_kwargs(), "evidence": evidence}

    def form_valid(self, form):
        data = form.cleaned_data
        upload = data.get("file")
        try:
            challenge = review.challenge_raise(
                assessment=self.assessment,
                actor=self.request.user,
                kind=data["kind"],
                section=data["section"],
                passage=data["passage"],
                correction=data["correction"],
                reason=data["reason"],
                about_rating=data["about_rating"],
                evidence=data.get("evidence"),
                files=((upload["name"], upload["content"]),) if upload else (),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, CHALLENGE_RAISED.format(number=challenge.number))
        return redirect(challenges_url(self.assessment))


class ChallengeMixin(AssessmentPageMixin):
    """The challenge in the URL, among those the user may see (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            assessment = self.get_assessment()
            self.challenge = review.challenge_get_for_user(
                user=request.user, assessment=assessment, pk=self.kwargs["challenge_pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(challenge=self.challenge, **kwargs)


class ChallengeAnswerView(ChallengeMixin, FormView):
    """The team drafts the answer; someone outside it signs it off on the same page."""

    template_name = "assessments/challenge_answer.html"
    form_class = ChallengeAnswerForm
    extra_context = {"page_title": "Answer the challenge"}

    def assessment_decision(self, user, assessment):
        return policies.may_answer_challenge(user, assessment, self.challenge)

    def get_initial(self):
        return {"outcome": self.challenge.outcome, "response": self.challenge.response}

    def form_valid(self, form):
        try:
            review.challenge_answer(
                challenge=self.challenge,
                actor=self.request.user,
                outcome=form.cleaned_data["outcome"],
                response=form.cleaned_data["response"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, ANSWER_SAVED)
        return redirect(challenges_url(self.assessment))


class ChallengeSignOffView(ChallengeMixin, FormView):
    """NHS Improvement outside the team reads the answer and signs it off."""

    template_name = "assessments/challenge_sign_off.html"
    form_class = SignOffForm
    extra_context = {"page_title": "Sign off the answer"}
    assessment_policy = policies.may_sign_off

    def form_valid(self, form):
        try:
            review.challenge_sign_off(challenge=self.challenge, actor=self.request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SIGNED_OFF.format(number=self.challenge.number))
        return redirect(challenges_url(self.assessment))


class FaDeadlineEditView(AssessmentPageMixin, FormView):
    template_name = "assessments/fa_deadline_edit.html"
    form_class = FaDeadlineForm
    extra_context = {"page_title": "Change the deadline for challenges"}
    assessment_policy = policies.may_set_fa_deadline

    def get_initial(self):
        current = fa_deadline_current(self.assessment)
        return {"deadline": current.deadline if current else None}

    def form_valid(self, form):
        try:
            saved = review.fa_deadline_set(
                assessment=self.assessment,
                actor=self.request.user,
                deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, DEADLINE_SAVED.format(deadline=saved.deadline))
        return redirect(challenges_url(self.assessment))


class DiscussionView(AssessmentPageMixin, FormView):
    """The thread between the team and CQC about a disputed rating, each message kept."""

    template_name = "assessments/discussion.html"
    form_class = DiscussionForm

    def assessment_decision(self, user, assessment):
        if self.request.method == "POST":
            return policies.may_post_discussion(user, assessment)
        return policies.may_read_discussion(user, assessment)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            thread=review.discussion_for_user(user=user, assessment=self.assessment),
            can_post=policies.may_post_discussion(user, self.assessment),
            may_agree_rating=policies.may_agree_rating(user, self.assessment),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            review.discussion_post(
                assessment=self.assessment, actor=self.request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, MESSAGE_POSTED)
        return redirect("assessments:discussion", pk=self.assessment.pk)


class AgreeRatingView(AssessmentPageMixin, FormView):
    """CQC records the agreed rating per KLOE and overall, with a note, ending the dispute."""

    template_name = "assessments/agree_rating.html"
    form_class = AgreedRatingsForm
    extra_context = {"page_title": "Record the agreed rating"}
    assessment_policy = policies.may_agree_rating

    def get_form_kwargs(self):
        proposed = {
            (r.kloe.code if r.kloe else "overall"): r.get_rating_display()
            for r in KloeRating.objects.filter(assessment=self.assessment).select_related("kloe")
        }
        return {
            **super().get_form_kwargs(),
            "kloes": list(self.assessment.framework.kloes.all()),
            "proposed": proposed,
        }

    def form_valid(self, form):
        try:
            assessment_transition(
                assessment=self.assessment,
                action="agree_rating",
                actor=self.request.user,
                note=form.cleaned_data["note"],
                data={"agreed_ratings": form.agreed()},
            )
        except TransitionRefused as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, AGREED)
        return redirect(self.assessment)


class QualityRatingsView(AssessmentPageMixin, FormView):
    """CQC records the five key questions and overall quality; the service proposes the
    combined rating and says which principle decided; CQC confirms or sets another."""

    template_name = "assessments/quality_ratings.html"
    form_class = QualityRatingsForm
    extra_context = {"page_title": "Quality ratings and the combined rating"}
    assessment_policy = policies.may_record_quality

    def get_initial(self):
        record = getattr(self.assessment, "quality_ratings", None)
        if record is None:
            return {}
        initial = {name: getattr(record, name) for name in review.QUALITY_FIELDS}
        initial |= {f"{n}_date": getattr(record, f"{n}_date") for n in review.QUALITY_FIELDS}
        if record.combined != record.proposed_combined:
            initial |= {"combined": record.combined, "override_reason": record.override_reason}
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=getattr(self.assessment, "quality_ratings", None),
            uor=review.uor_rating(self.assessment),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            review.quality_ratings_record(
                assessment=self.assessment,
                actor=self.request.user,
                ratings=data,
                combined=data["combined"],
                override_reason=data["override_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, QUALITY_SAVED)
        return redirect("assessments:quality_ratings", pk=self.assessment.pk)


class ReviewRequestView(AssessmentPageMixin, FormView):
    """The trust asks once for a review of the published rating; CQC decides it here."""

    template_name = "assessments/review_request.html"

    def assessment_decision(self, user, assessment):
        if self.request.method != "POST":
            return decide(assessment.status == Status.PUBLISHED, policies.REVIEW_NOT_PUBLISHED)
        if policies.decides_reviews(user):
            return policies.may_decide_review(user, assessment, self.review_request())
        return policies.may_request_review(user, assessment)

    def review_request(self):
        return getattr(self.assessment, "review_request", None)

    def get_form_class(self):
        if policies.decides_reviews(self.request.user):
            return ReviewDecisionForm
        return ReviewRequestForm

    def get_context_data(self, **kwargs):
        user = self.request.user
        request = self.review_request()
        return super().get_context_data(
            review_request=request,
            can_request=policies.may_request_review(user, self.assessment),
            can_decide=policies.may_decide_review(user, self.assessment, request),
            deadline=review_deadline(self.assessment),
            versions=self.assessment.published_ratings.order_by("version"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if policies.decides_reviews(self.request.user):
                review.review_request_decide(
                    review=self.review_request(),
                    actor=self.request.user,
                    decision=data["decision"],
                    note=data["decision_note"],
                    new_rating=data["new_rating"],
                )
                messages.success(self.request, REVIEW_DECIDED)
            else:
                review.review_request_create(
                    assessment=self.assessment, actor=self.request.user, grounds=data["grounds"]
                )
                messages.success(self.request, REVIEW_REQUESTED)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return redirect("assessments:review_request", pk=self.assessment.pk)


class PublishedRegisterView(TemplateView):
    """The public register of published UoR ratings: filter, sort, CSV.

    NOTE: open to anyone, signed in or not. CQC publishes these ratings on its public
    website; the register shows nothing that is not already public (trust, region, type,
    rating, date).
    """

    template_name = "assessments/published_register.html"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        form = RegisterFilterForm(request.GET or None, regions=trust_regions())
        filters = form.cleaned_data if form.is_valid() else {}
        rows = published_register(
            region=filters.get("region", ""),
            trust_type=filters.get("trust_type", ""),
            sort=filters.get("sort", ""),
        )
        if request.GET.get("format") == "csv":
            return self.csv(rows)
        query = request.GET.copy()
        query["format"] = "csv"
        return self.render_to_response(
            self.get_context_data(form=form, rows=rows, csv_query=query.urlencode())
        )

    def csv(self, rows):
        return csv_response(
            filename="uor-published-ratings.csv",
            header=[
                "ods_code",
                "trust",
                "region",
                "trust_type",
                "uor_rating",
                "combined_rating",
                "version",
                "published",
            ],
            rows=(
                [
                    row.assessment.trust.ods_code,
                    row.assessment.trust.name,
                    row.assessment.trust.region,
                    row.assessment.trust.get_trust_type_display(),
                    row.get_rating_display(),
                    row.get_combined_display() or "",
                    row.version,
                    f"{row.published_at:%Y-%m-%d}",
                ]
                for row in rows
            ),
        )


class TrustUseOfResourcesView(TemplateView):
    """The trust's finance score and its published UoR rating side by side, never combined
    (brief guide, 2017): two measures, two columns."""

    template_name = "assessments/trust_use_of_resources.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.trust: Trust = trust_get_for_user(user=request.user, ods_code=kwargs["ods_code"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        scores = self.trust.finance_scores.order_by("-period")[:12]
        ratings = published_register(trust=self.trust)
        return super().get_context_data(
            trust=self.trust, scores=scores, rating=ratings.first(), **kwargs
        )


__all__ = [
    "AgreeRatingView",
    "ChallengeAnswerView",
    "ChallengeCreateView",
    "ChallengeListView",
    "ChallengeSignOffView",
    "DiscussionView",
    "FaDeadlineEditView",
    "PublishedRegisterView",
    "QualityRatingsView",
    "ReviewRequestView",
    "TrustUseOfResourcesView",
]
