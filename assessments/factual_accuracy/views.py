"""Serve the factual-accuracy pages: the challenges with their answers, raising one,
answering and signing off, and changing the deadline."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from assessments import policies, refusals
from assessments.deadlines import challenges_open, fa_deadline_current
from assessments.models import Status
from assessments.selectors import assessment_shared_or_404, evidence_for_user, ratings_for_user
from assessments.views.mixins import AssessmentPageMixin, add_service_errors

from . import closing, selectors, services
from .forms import (
    ChallengeAnswerForm,
    ChallengeForm,
    ChallengeResolveForm,
    FaDeadlineForm,
    NoMoreChallengesForm,
    SendBackForm,
    SignOffForm,
)

CHALLENGE_RAISED = (
    "Challenge {number} is recorded. The assessment team has been told and will answer it."
)
ANSWER_SAVED = (
    "The answer is saved. Someone at NHS Improvement outside the team now signs it off "
    "before the trust reads it."
)
SIGNED_OFF = (
    "The answer to challenge {number} is signed off. The trust has been told and can now read it."
)
SENT_BACK = (
    "The answer to challenge {number} is sent back to the team with your reason. The "
    "assessment team has been told; it redrafts the answer for you to sign off."
)
NO_MORE = (
    "You have confirmed that you have no more challenges. The assessment team has been told; "
    "the lead assessor closes the check once every challenge is answered."
)
RESOLVED = "Challenge {number} is resolved: {summary}"
DEADLINE_SAVED = "Challenges can now be raised until {deadline:%d %B %Y}."


def challenges_url(assessment) -> str:
    return reverse("assessments:challenge_list", kwargs={"pk": assessment.pk})


class SharedDraftMixin(AssessmentPageMixin):
    """A trust must not learn of the steps after the draft before it is shared: 404."""

    def get_assessment(self):
        return assessment_shared_or_404(user=self.request.user, assessment=super().get_assessment())


class ChallengeListView(SharedDraftMixin, TemplateView):
    """Every challenge with its answer (the trust reads answers once signed off), the
    deadline, and whether the trust may still raise one."""

    template_name = "assessments/challenge_list.html"

    def get_context_data(self, **kwargs):
        user, assessment = self.request.user, self.assessment
        challenges = list(selectors.challenges_for_user(user=user, assessment=assessment))
        may_sign_off = policies.may_sign_off(user, assessment)
        for challenge in challenges:
            challenge.answer_shown = policies.may_read_answer(user, challenge)
            challenge.may_answer = policies.may_answer_challenge(user, assessment, challenge)
            challenge.may_sign_off = (
                may_sign_off and challenge.is_answered and not challenge.is_signed_off
            )
            challenge.may_resolve = policies.may_resolve_challenge(user, assessment, challenge)
        current = fa_deadline_current(assessment)
        return super().get_context_data(
            challenges=challenges,
            deadline=current,
            deadline_history=assessment.fa_deadlines.select_related("set_by"),
            is_open=challenges_open(assessment),
            can_raise=policies.may_raise_challenge(user, assessment),
            may_confirm_no_more=policies.may_confirm_no_more_challenges(user, assessment),
            no_more=closing.trust_confirmed(assessment),
            can_set_deadline=policies.may_set_fa_deadline(user, assessment),
            closed_message=(
                refusals.CHALLENGES_CLOSED.format(deadline=current.deadline)
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
        user, assessment = self.request.user, self.assessment
        return {
            **super().get_form_kwargs(),
            "evidence": evidence_for_user(user=user, assessment=assessment),
            "ratings": ratings_for_user(user=user, assessment=assessment),
            "kloes": assessment.framework.kloes.order_by("number"),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        upload = data.get("file")
        try:
            challenge = services.challenge_raise(
                assessment=self.assessment,
                actor=self.request.user,
                kind=data["kind"],
                section=data["section"],
                passage=data["passage"],
                correction=data["correction"],
                reason=data["reason"],
                about_rating=data["about_rating"],
                target=data["target"],
                evidence=data.get("evidence"),
                rating=data.get("rating"),
                kloe=data.get("kloe"),
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
            self.challenge = selectors.challenge_get_for_user(
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
            services.challenge_answer(
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
    """NHS Improvement outside the team reads the answer and signs it off, or sends it back
    to the team with the reason (two forms; the posted `decision` says which)."""

    template_name = "assessments/challenge_sign_off.html"
    extra_context = {"page_title": "Sign off the answer"}
    assessment_policy = policies.may_sign_off

    def sending_back(self) -> bool:
        return self.request.POST.get("decision") == "send_back"

    def get_form_class(self):
        return SendBackForm if self.sending_back() else SignOffForm

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None)
        form = self.get_form() if form is None else form
        # The form not posted is shown empty beside the one that was.
        other = SignOffForm() if isinstance(form, SendBackForm) else SendBackForm()
        sign_off, send_back = (other, form) if isinstance(form, SendBackForm) else (form, other)
        return super().get_context_data(
            form=form, sign_off_form=sign_off, send_back_form=send_back, **kwargs
        )

    def form_valid(self, form):
        number = self.challenge.number
        try:
            if self.sending_back():
                services.challenge_send_back(
                    challenge=self.challenge,
                    actor=self.request.user,
                    reason=form.cleaned_data["reason"],
                )
            else:
                services.challenge_sign_off(challenge=self.challenge, actor=self.request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        done = SENT_BACK if self.sending_back() else SIGNED_OFF
        messages.success(self.request, done.format(number=number))
        return redirect(challenges_url(self.assessment))


class NoMoreChallengesView(SharedDraftMixin, FormView):
    """The trust confirms that it has no more challenges, after a page saying what follows."""

    template_name = "assessments/no_more_challenges.html"
    form_class = NoMoreChallengesForm
    extra_context = {"page_title": "Confirm that you have no more challenges"}
    assessment_policy = policies.may_confirm_no_more_challenges

    def get_context_data(self, **kwargs):
        return super().get_context_data(deadline=fa_deadline_current(self.assessment), **kwargs)

    def form_valid(self, form):
        closing.no_more_challenges_confirm(assessment=self.assessment, actor=self.request.user)
        messages.success(self.request, NO_MORE)
        return redirect(challenges_url(self.assessment))


class ChallengeResolveView(ChallengeMixin, FormView):
    """The team resolves an accepted challenge: the passage's new text, or why it stays."""

    template_name = "assessments/challenge_resolve.html"
    form_class = ChallengeResolveForm
    extra_context = {"page_title": "Resolve the challenge"}

    def assessment_decision(self, user, assessment):
        return policies.may_resolve_challenge(user, assessment, self.challenge)

    def get_initial(self):
        return {"text": services.passage_text(self.challenge)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            current_text=services.passage_text(self.challenge), **kwargs
        )

    def form_valid(self, form):
        try:
            resolved = services.challenge_resolve(
                challenge=self.challenge,
                actor=self.request.user,
                resolution=form.cleaned_data["resolution"],
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, RESOLVED.format(number=resolved.number, summary=resolved.change_summary)
        )
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
            saved = services.fa_deadline_set(
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
