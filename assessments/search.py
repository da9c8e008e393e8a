"""The search box's assessments, evidence, commentary, challenges and UoR framework text.

Every kind starts from `assessments_visible_to` and asks, of each assessment the person sees,
the predicates the pages ask (`may_see_internal`, `may_see_commentary`, `may_use_workspace`,
`may_open_commentary`, `may_read_answer`): a kind's query then reads only the rows of the
assessments those predicates allow, so its count and snippets hold nothing else. See
core.search for the matching itself.
"""

from dataclasses import dataclass, field

from django.db.models import Case, F, Q, TextField, Value, When
from django.urls import reverse
from django.utils import timezone

from core.search import Found, Hit, Terms, document, found

from . import policies
from .models import Assessment, Challenge, Characteristic, Commentary, Evidence, Kloe, Prompt
from .selectors import assessments_visible_to


@dataclass
class Scope:
    """What one person may open, per assessment they see (asked once per search)."""

    internal: set[int] = field(default_factory=set)  # evidence and challenges
    commentary: dict[int, str] = field(default_factory=dict)  # id -> "own" or "workspace"
    # Framework version -> the newest assessment whose KLOE pages show its text, and which.
    kloe_pages: dict[int, tuple[Assessment, str]] = field(default_factory=dict)


def scope_for(terms: Terms) -> Scope:
    return terms.remember("assessments", lambda: _scope(terms.user))


def _scope(user) -> Scope:
    scope = Scope()
    # Newest first (the selector's order), so the first per framework is the newest.
    for assessment in assessments_visible_to(user=user):
        workspace = policies.may_use_workspace(user, assessment)
        own = policies.may_open_commentary(user, assessment)
        if policies.may_see_internal(user, assessment):
            scope.internal.add(assessment.pk)
        if policies.may_see_commentary(user, assessment) and (workspace or own):
            scope.commentary[assessment.pk] = "workspace" if workspace else "own"
        if workspace or own:
            page = "workspace" if workspace else "own"
            scope.kloe_pages.setdefault(assessment.framework_id, (assessment, page))
    return scope


def kloe_page_url(assessment_pk: int, kloe_code: str, page: str) -> str:
    """The trust's commentary page shows the KLOE's question and prompts; staff's workspace
    shows those, the commentary and the characteristics too."""
    name = "assessments:kloe_workspace" if page == "workspace" else "assessments:commentary_edit"
    return reverse(name, kwargs={"pk": assessment_pk, "code": kloe_code})


def _visit(assessment: Assessment) -> str:
    return f"{assessment.trust.name}, site visit {assessment.site_visit_date:%-d %B %Y}"


class AssessmentSearch:
    kind = "assessments"
    label = "Assessments"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        def hit(assessment, snippet) -> Hit:
            return Hit(
                title=_visit(assessment),
                url=assessment.get_absolute_url(),
                snippet=snippet,
                context=assessment.get_status_display(),
            )

        # NOTE: no members prefetch: the page of hits asks no policy of them.
        visible = assessments_visible_to(user=terms.user).prefetch_related(None)
        return found(
            visible,
            text=document("trust__name", "trust__ods_code", "framework__name"),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=hit,
        )


class EvidenceSearch:
    kind = "evidence"
    label = "Evidence"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        def hit(evidence, snippet) -> Hit:
            withdrawn = ", withdrawn" if evidence.withdrawn_at else ""
            return Hit(
                title=f"{evidence.kloe.title}: {evidence.get_source_display()}{withdrawn}",
                url=reverse(
                    "assessments:evidence_detail",
                    kwargs={"pk": evidence.assessment_id, "evidence_pk": evidence.pk},
                ),
                snippet=snippet,
                context=_visit(evidence.assessment),
            )

        # Withdrawn items too: their page, reached by its address, shows them (the selector's
        # `withdrawn=None`).
        rows = Evidence.objects.filter(assessment_id__in=scope_for(terms).internal)
        return found(
            rows.select_related("assessment__trust", "kloe"),
            text=document("text"),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=hit,
        )


class CommentarySearch:
    kind = "commentary"
    label = "Trust commentary"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        pages = scope_for(terms).commentary

        def hit(commentary, snippet) -> Hit:
            page = pages[commentary.assessment_id]
            url = kloe_page_url(commentary.assessment_id, commentary.kloe.code, page)
            return Hit(
                title=f"Commentary on {commentary.kloe.number}. {commentary.kloe.title}",
                url=url + ("#commentary" if page == "workspace" else ""),
                snippet=snippet,
                context=_visit(commentary.assessment),
            )

        rows = Commentary.objects.filter(assessment_id__in=pages.keys())
        return found(
            rows.select_related("assessment__trust", "kloe"),
            text=document("text"),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=hit,
        )


def _answer_text(user):
    """The answer's words, where `may_read_answer` lets the person read them: asked of the
    predicate for an unsigned and a signed-off challenge (the only thing it reads)."""
    parts = ("response", "sent_back_reason", "resolution_reason")
    unsigned = policies.may_read_answer(user, Challenge(signed_off_at=None))
    signed = policies.may_read_answer(user, Challenge(signed_off_at=timezone.now()))
    if unsigned and signed:
        return parts
    if not signed:
        return ()
    return tuple(
        Case(
            When(Q(signed_off_at__isnull=False), then=F(part)),
            default=Value(""),
            output_field=TextField(),
        )
        for part in parts
    )


class ChallengeSearch:
    kind = "challenges"
    label = "Factual-accuracy challenges"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        def hit(challenge, snippet) -> Hit:
            url = reverse("assessments:challenge_list", kwargs={"pk": challenge.assessment_id})
            return Hit(
                title=f"Challenge {challenge.number}: {challenge.get_kind_display()}",
                url=f"{url}#challenge-{challenge.number}",
                snippet=snippet,
                context=_visit(challenge.assessment),
            )

        rows = Challenge.objects.filter(assessment_id__in=scope_for(terms).internal)
        text = document("section", "passage", "correction", "reason", *_answer_text(terms.user))
        return found(
            rows.select_related("assessment__trust"),
            text=text,
            terms=terms,
            offset=offset,
            limit=limit,
            hit=hit,
        )


# The UoR framework: only the versions the person reads on a page of an assessment ----------


def _framework_name(framework) -> str:
    return f"{framework.name}, version {framework.version}"


class KloeSearch:
    kind = "uor-kloes"
    label = "Use of Resources framework: KLOE questions"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        pages = scope_for(terms).kloe_pages

        def hit(kloe, snippet) -> Hit:
            assessment, page = pages[kloe.framework_id]
            return Hit(
                title=f"{kloe.number}. {kloe.title}",
                url=kloe_page_url(assessment.pk, kloe.code, page),
                snippet=snippet,
                context=_framework_name(kloe.framework),
            )

        return found(
            Kloe.objects.filter(framework_id__in=pages.keys()).select_related("framework"),
            text=document("title", "question"),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=hit,
        )


class PromptSearch:
    kind = "uor-prompts"
    label = "Use of Resources framework: prompts"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        pages = scope_for(terms).kloe_pages

        def hit(prompt, snippet) -> Hit:
            assessment, page = pages[prompt.kloe.framework_id]
            url = kloe_page_url(assessment.pk, prompt.kloe.code, page)
            return Hit(
                title=f"{prompt.code} ({prompt.kloe.number}. {prompt.kloe.title})",
                url=url + ("#prompts" if page == "workspace" else ""),
                snippet=snippet,
                context=_framework_name(prompt.kloe.framework),
            )

        rows = Prompt.objects.filter(kloe__framework_id__in=pages.keys())
        return found(
            rows.select_related("kloe__framework"),
            text=document("code", "text"),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=hit,
        )


class CharacteristicSearch:
    kind = "uor-characteristics"
    label = "Use of Resources framework: ratings characteristics"

    def find(self, terms: Terms, *, offset: int, limit: int) -> Found:
        # Only the workspace and the overall rating page show them: staff's pages.
        pages = {
            framework: assessment
            for framework, (assessment, page) in scope_for(terms).kloe_pages.items()
            if page == "workspace"
        }

        def hit(item, snippet) -> Hit:
            assessment = pages[item.framework_id]
            if item.kloe is None:
                url = reverse("assessments:overall_rating", kwargs={"pk": assessment.pk})
            else:
                url = kloe_page_url(assessment.pk, item.kloe.code, "workspace")
            return Hit(
                title=f"{item.kloe or 'Overall rating'}: {item.get_level_display()}",
                url=f"{url}#characteristics-details",
                snippet=snippet,
                context=_framework_name(item.framework),
            )

        rows = Characteristic.objects.filter(framework_id__in=pages.keys())
        return found(
            rows.select_related("framework", "kloe"),
            text=document("text", "outside_scope"),
            terms=terms,
            offset=offset,
            limit=limit,
            hit=hit,
        )


PROVIDERS = [
    AssessmentSearch(),
    EvidenceSearch(),
    CommentarySearch(),
    ChallengeSearch(),
    KloeSearch(),
    PromptSearch(),
    CharacteristicSearch(),
]
