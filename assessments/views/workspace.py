"""The assessor's workspace: one screen per KLOE, and the overall rating."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from assessments import policies
from assessments.consistency.selectors import findings_panel
from assessments.forms import EvidenceFilterForm, RatingForm
from assessments.models import Characteristic, Evidence
from assessments.selectors import (
    commentary_for_user,
    evidence_for_user,
    kloe_metrics_with_figures,
    kloes_with_progress,
    ratings_for_user,
)
from assessments.services import EditConflict, rating_propose
from core.ratings import Rating

from .mixins import AssessmentPageMixin, KloeMixin, add_service_errors

RATING_SAVED = "The proposed rating for {what} is saved."


def characteristics_by_level(characteristics) -> list[tuple[str, list[Characteristic]]]:
    """The four levels side by side, each with its statements."""
    return [
        (label, [c for c in characteristics if c.level == level]) for level, label in Rating.choices
    ]


class RatingFormMixin(AssessmentPageMixin):
    """Staff read the workspace; the team proposes ratings while evidence is gathered.

    A trust never uses it: its internal evidence and draft ratings reach the trust only in
    the shared draft report.
    """

    def assessment_decision(self, user, assessment):
        if self.request.method == "POST":
            return policies.may_propose_ratings(user, assessment)
        return policies.may_use_workspace(user, assessment)

    def rating_kloe(self):
        raise NotImplementedError

    def current_rating(self):
        return (
            ratings_for_user(user=self.request.user, assessment=self.assessment)
            .filter(kloe=self.rating_kloe())
            .first()
        )

    def characteristics(self):
        return Characteristic.objects.filter(
            framework=self.assessment.framework, kloe=self.rating_kloe()
        )

    def rating_form(self, **kwargs) -> RatingForm:
        # Statements outside the framework's scope are shown, never offered as present.
        return RatingForm(
            **kwargs,
            characteristics=self.characteristics().filter(outside_scope=""),
            overall=self.rating_kloe() is None,
        )

    def get_form(self, form_class=None):
        return self.rating_form(**self.get_form_kwargs())

    def get_initial(self):
        rating = self.current_rating()
        if rating is None:
            return {"summary": self.assessment.summary}
        return {
            "rating": rating.rating,
            "rationale": rating.rationale,
            "areas_for_improvement": rating.areas_for_improvement,
            "outstanding_practice": rating.outstanding_practice,
            "summary": self.assessment.summary,
            "characteristics": [c.pk for c in rating.characteristics.all()],
            "version": rating.version,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            rating=self.current_rating(),
            levels=characteristics_by_level(list(self.characteristics())),
            can_rate=policies.may_propose_ratings(self.request.user, self.assessment),
            **kwargs,
        )
        context["checks_here"] = self.checks_here()
        if not context["can_rate"]:
            context.pop("form", None)
            # The team, gathering evidence, is told why it cannot rate yet (the site visit).
            if policies.may_record_evidence(self.request.user, self.assessment):
                context["rating_wait"] = context["can_rate"].message
        return context

    def checks_here(self):
        """The consistency findings on this KLOE (all of them on the overall page)."""
        checks = findings_panel(user=self.request.user, assessment=self.assessment)
        if checks is None:
            return None
        kloe = self.rating_kloe()
        return [row for row in checks["rows"] if kloe is None or row.finding.subject == kloe.code]

    def form_valid(self, form):
        data, kloe = form.cleaned_data, self.rating_kloe()
        current = self.current_rating()
        try:
            rating_propose(
                assessment=self.assessment,
                actor=self.request.user,
                kloe=kloe,
                rating=data["rating"],
                rationale=data["rationale"],
                characteristics=data.get("characteristics") or [],
                # Version 0 matches nothing: a rating someone else created since is a conflict.
                version=data["version"] or 0 if current else None,
                areas_for_improvement=data.get("areas_for_improvement", ""),
                outstanding_practice=data.get("outstanding_practice", ""),
                summary=data.get("summary") if kloe is None else None,
            )
        except EditConflict as conflict:
            posted = self.request.POST.copy()
            posted["version"] = self.current_rating().version
            form = self.rating_form(data=posted)
            form.is_valid()
            form.add_error(None, conflict.messages)
            return self.form_invalid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, RATING_SAVED.format(what=kloe.title if kloe else "the assessment")
        )
        return redirect(self.request.path)


class KloeWorkspaceView(KloeMixin, RatingFormMixin, FormView):
    template_name = "assessments/kloe_workspace.html"

    def rating_kloe(self):
        return self.get_kloe()

    def get_context_data(self, **kwargs):
        kloe, user = self.get_kloe(), self.request.user
        filters = EvidenceFilterForm(self.request.GET or None, kloe=kloe)
        source, prompt = "", None
        if filters.is_valid():
            source = filters.cleaned_data["source"]
            prompt = filters.cleaned_data["prompt"]
        return super().get_context_data(
            kloe=kloe,
            prompts=kloe.prompts.all(),
            commentary=commentary_for_user(user=user, assessment=self.assessment)
            .filter(kloe=kloe)
            .first(),
            evidence=evidence_for_user(
                user=user,
                assessment=self.assessment,
                kloe=kloe,
                source=source,
                prompt_id=prompt.pk if prompt else None,
            ),
            withdrawn=evidence_for_user(
                user=user, assessment=self.assessment, kloe=kloe, withdrawn=True
            ),
            filter_form=filters,
            filtered=bool(source or prompt),
            kloe_metrics=self.metrics_with_evidence(kloe),
            can_add_evidence=policies.may_record_evidence(user, self.assessment),
            **kwargs,
        )

    def metrics_with_evidence(self, kloe) -> list:
        """The KLOE's metrics, each with the evidence already recorded from it this month
        (`recorded`), so the page links to it instead of offering to record it again."""
        rows = kloe_metrics_with_figures(
            user=self.request.user, assessment=self.assessment, kloe=kloe
        )
        recorded = {
            (item.figures.get("metric"), item.figures.get("period")): item
            for item in evidence_for_user(
                user=self.request.user, assessment=self.assessment, kloe=kloe
            ).filter(source=Evidence.Source.METRIC_ANALYSIS)
        }
        for row in rows:
            month = f"{row.period:%Y-%m}" if row.period else None
            row.recorded = recorded.get((row.definition.code, month))
        return rows


class OverallRatingView(RatingFormMixin, FormView):
    template_name = "assessments/overall_rating.html"

    def rating_kloe(self):
        return None

    def get_context_data(self, **kwargs):
        ratings = {
            rating.kloe_id: rating
            for rating in ratings_for_user(user=self.request.user, assessment=self.assessment)
        }
        kloes = kloes_with_progress(assessment=self.assessment)
        for kloe in kloes:
            kloe.proposed = ratings.get(kloe.pk)
        return super().get_context_data(kloes=kloes, **kwargs)
