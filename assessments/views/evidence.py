"""The team records evidence against a KLOE (and maybe a prompt), and changes it safely."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.views.generic import FormView, View

from assessments import policies
from assessments.change_forms import EvidenceWithdrawForm
from assessments.forms import EvidenceForm
from assessments.models import Evidence
from assessments.selectors import evidence_for_user
from assessments.services import (
    DuplicateEvidence,
    EditConflict,
    attachment_add,
    evidence_create,
    evidence_from_metric,
    evidence_update,
    evidence_withdraw,
)

from .mixins import AssessmentPageMixin, KloeMixin, add_service_errors

EVIDENCE_ADDED = "The evidence is recorded against {kloe}."
EVIDENCE_SAVED = "Your changes to the evidence are saved."
METRIC_EVIDENCE_SAVED = "{metric} is recorded as evidence, with its figures."
EVIDENCE_WITHDRAWN = (
    "The evidence is withdrawn: it is left out of the counts and the report, and kept in its "
    "history."
)


def evidence_url(evidence) -> str:
    return reverse(
        "assessments:evidence_detail",
        kwargs={"pk": evidence.assessment_id, "evidence_pk": evidence.pk},
    )


def workspace_url(assessment, kloe) -> str:
    return reverse("assessments:kloe_workspace", kwargs={"pk": assessment.pk, "code": kloe.code})


def _labelled(revisions) -> list:
    """Give each revision the words people read for its stored source and finding codes."""
    sources, findings = dict(Evidence.Source.choices), dict(Evidence.Finding.choices)
    labelled = list(revisions)
    for revision in labelled:
        revision.source_label = sources.get(revision.snapshot.get("source"), "")
        revision.finding_label = findings.get(revision.snapshot.get("finding"), "")
    return labelled


class EvidenceCreateView(AssessmentPageMixin, KloeMixin, FormView):
    template_name = "assessments/evidence_create.html"
    assessment_policy = policies.may_record_evidence

    def get_form(self, form_class=None):
        return EvidenceForm(**self.get_form_kwargs(), kloe=self.get_kloe())

    def get_initial(self):
        prompt = self.request.GET.get("prompt", "")
        return {"prompt": int(prompt)} if prompt.isdigit() else {}

    def get_context_data(self, **kwargs):
        kloe = self.get_kloe()
        return super().get_context_data(
            kloe=kloe, workspace_url=workspace_url(self.assessment, kloe), **kwargs
        )

    def form_valid(self, form):
        data, kloe = form.cleaned_data, self.get_kloe()
        try:
            evidence = evidence_create(
                assessment=self.assessment,
                actor=self.request.user,
                kloe=kloe,
                prompt=data["prompt"],
                source=data["source"],
                finding=data["finding"],
                text=data["text"],
                metrics=data.get("metrics") or [],
            )
            if data["file"]:
                attachment_add(
                    assessment=self.assessment,
                    actor=self.request.user,
                    evidence=evidence,
                    **data["file"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, EVIDENCE_ADDED.format(kloe=kloe.title))
        return redirect(workspace_url(self.assessment, kloe))


class EvidenceObjectMixin:
    """The piece of evidence named in the URL, withdrawn or not: 404 for anyone who may not
    see it."""

    def get_evidence(self):
        if not hasattr(self, "_evidence"):
            # NOTE: 404, not 403: a trust must not learn that internal evidence exists.
            evidence = (
                evidence_for_user(
                    user=self.request.user, assessment=self.assessment, withdrawn=None
                )
                .filter(pk=self.kwargs["evidence_pk"])
                .first()
            )
            if evidence is None:
                raise Http404("No such evidence")
            self._evidence = evidence
        return self._evidence


class EvidenceDetailView(EvidenceObjectMixin, AssessmentPageMixin, FormView):
    """One piece of evidence, its history, and (for the team, while open) its edit form."""

    template_name = "assessments/evidence_detail.html"

    def get_form(self, form_class=None):
        return EvidenceForm(
            **self.get_form_kwargs(), kloe=self.get_evidence().kloe, submit="Save changes"
        )

    def get_initial(self):
        evidence = self.get_evidence()
        return {
            "prompt": evidence.prompt_id,
            "source": evidence.source,
            "finding": evidence.finding,
            "text": evidence.text,
            "metrics": [metric.pk for metric in evidence.metrics.all()],
            "version": evidence.version,
        }

    def get_context_data(self, **kwargs):
        evidence = self.get_evidence()
        user = self.request.user
        editable = policies.may_edit_evidence(user, self.assessment, evidence)
        context = super().get_context_data(
            evidence=evidence,
            # The trust reads a finding from the assessment; staff from the KLOE workspace.
            back_to_workspace=policies.may_use_workspace(user, self.assessment),
            kloe=evidence.kloe,
            editable=editable,
            may_withdraw=policies.may_withdraw_evidence(user, self.assessment, evidence),
            revisions=_labelled(
                evidence.revisions.select_related("changed_by").order_by("-version")
            ),
            workspace_url=workspace_url(self.assessment, evidence.kloe),
            **kwargs,
        )
        if not editable:
            context.pop("form", None)
        return context

    def post(self, request, *args, **kwargs):
        self.get_evidence()  # 404 first for anyone who may not see it
        policies.may_edit_evidence(request.user, self.assessment, self.get_evidence()).enforce()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data, evidence = form.cleaned_data, self.get_evidence()
        try:
            evidence_update(
                evidence=evidence,
                actor=self.request.user,
                version=data["version"] or 0,
                kloe=evidence.kloe,
                prompt=data["prompt"],
                source=data["source"],
                finding=data["finding"],
                text=data["text"],
                metrics=data.get("metrics") or [],
            )
            if data["file"]:
                attachment_add(
                    assessment=self.assessment,
                    actor=self.request.user,
                    evidence=evidence,
                    **data["file"],
                )
        except EditConflict as conflict:
            return self.conflict(conflict)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, EVIDENCE_SAVED)
        return redirect(self.request.path)

    def conflict(self, conflict):
        """Keep what the user typed; show the saved version above; base the form on it."""
        evidence = (
            evidence_for_user(user=self.request.user, assessment=self.assessment, withdrawn=None)
            .filter(pk=self.get_evidence().pk)
            .first()
        )
        self._evidence = evidence
        posted = self.request.POST.copy()
        posted["version"] = evidence.version
        form = EvidenceForm(data=posted, kloe=evidence.kloe, submit="Save changes")
        form.is_valid()
        form.add_error(None, conflict.messages)
        return self.render_to_response(self.get_context_data(form=form, conflict=True))


class EvidenceFromMetricView(AssessmentPageMixin, KloeMixin, View):
    """POST: record one metric of the metrics pack as evidence, with its figures."""

    http_method_names = ["post"]
    assessment_policy = policies.may_record_evidence

    def post(self, request, *args, **kwargs):
        kloe = self.get_kloe()
        period = parse_month(request.POST.get("period", ""))
        try:
            evidence = evidence_from_metric(
                assessment=self.assessment,
                actor=request.user,
                kloe=kloe,
                metric_code=request.POST.get("metric", ""),
                period=period,
            )
        except DuplicateEvidence as duplicate:
            messages.error(
                request,
                format_html(
                    '{} <a class="govuk-notification-banner__link" href="{}">See the evidence '
                    "already recorded</a>.",
                    duplicate.messages[0],
                    evidence_url(duplicate.existing),
                ),
            )
            return redirect(workspace_url(self.assessment, kloe))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(workspace_url(self.assessment, kloe))
        messages.success(request, METRIC_EVIDENCE_SAVED.format(metric=evidence.metrics.first()))
        return redirect(workspace_url(self.assessment, kloe))


class EvidenceWithdrawView(EvidenceObjectMixin, AssessmentPageMixin, FormView):
    """The team withdraws a finding with a reason; it stays readable at its address."""

    template_name = "assessments/evidence_withdraw.html"
    form_class = EvidenceWithdrawForm
    extra_context = {"page_title": "Withdraw this evidence"}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.assessment = self.get_assessment()
            self.get_evidence()  # 404 first for anyone who may not see it
            policies.may_withdraw_evidence(request.user, self.assessment, self._evidence).enforce()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        evidence = self.get_evidence()
        return super().get_context_data(
            evidence=evidence, kloe=evidence.kloe, evidence_url=evidence_url(evidence), **kwargs
        )

    def form_valid(self, form):
        evidence = self.get_evidence()
        try:
            evidence_withdraw(
                evidence=evidence, actor=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, EVIDENCE_WITHDRAWN)
        return redirect(workspace_url(self.assessment, evidence.kloe))


def parse_month(text: str):
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 (a month)
    except ValueError:
        return None
