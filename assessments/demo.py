"""Demo data: one assessment at each stage of the workflow, from fixtures/demo/assessments.yaml.

Each is built through the services and the workflow table, as its people would have built
it through the pages, so it is valid at every step: the trust writes and submits commentary,
the team records evidence and proposes ratings, QA ratifies, the draft is rendered and shared,
the trust challenges it, CQC disputes or accepts the rating, and publishes. Reports render
in-process (the task's own service), so the assessment shows them at once.

Scheduling refuses a site visit in the past, so an assessment whose visit has happened is
scheduled as of eight weeks before it; every later step happens today.
"""

import datetime
import secrets
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from metrics.models import Role, Trust, User
from metrics.services import user_create

from .cqc_review.services import discussion_post, quality_ratings_record
from .factual_accuracy.closing import no_more_challenges_confirm
from .factual_accuracy.services import (
    challenge_answer,
    challenge_raise,
    challenge_resolve,
    challenge_sign_off,
)
from .models import Assessment, Challenge, Evidence, Framework, ReportVersion
from .publication.services import review_request_create
from .reports.services import report_render, report_request
from .services import assessment_create, commentary_save, evidence_create, rating_propose
from .workflow import assessment_transition

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo" / "assessments.yaml"
# The stages in workflow order; a stage's assessment has done every step of those before it.
STAGES = (
    "scheduled",
    "trust_submission",
    "evidence",
    "qa_review",
    "factual_accuracy",
    "dispute",
    "finalised",
    "published",
)
SCHEDULED_WEEKS_BEFORE_VISIT = 8
QUALITY_KEYS = ("safe", "effective", "caring", "responsive", "well_led", "overall_quality")


def demo_assessments_load(*, path: Path = DEMO_FILE) -> list[Assessment]:
    """Build each stage's assessment unless its trust already has one with that lead."""
    data = yaml.safe_load(path.read_text())
    built = []
    for stage in data["stages"]:
        trust = Trust.objects.filter(ods_code=stage["trust"]).first()
        lead = User.objects.filter(username=stage["lead"]).first()
        if trust is None or lead is None:
            continue
        if Assessment.objects.filter(trust=trust, lead=lead).exists():
            continue
        built.append(DemoBuild(data, stage, trust, lead).run())
    return built


def _prose(text: str) -> str:
    """The YAML's wrapped lines joined into paragraphs, as a person would have typed them."""
    return "\n\n".join(" ".join(part.split()) for part in text.strip().split("\n\n"))


def _at_least(stage: dict, name: str) -> bool:
    return STAGES.index(stage["stage"]) >= STAGES.index(name)


class DemoBuild:
    """The steps that bring one assessment to its stage, in the order people take them."""

    def __init__(self, data: dict, stage: dict, trust: Trust, lead: User):
        self.data, self.stage, self.trust, self.lead = data, stage, trust, lead
        self.qa = User.objects.get(username=data["qa"])
        self.cqc = User.objects.get(username=data["cqc"])
        self.today = timezone.localdate()
        self.assessment: Assessment | None = None

    def reached(self, name: str) -> bool:
        return _at_least(self.stage, name)

    def run(self) -> Assessment:
        # NOTE: one transaction per assessment, so a failed step leaves no half-built one.
        with transaction.atomic():
            self.schedule()
            if self.reached("trust_submission"):
                self.commentary()
            if self.reached("evidence"):
                self.evidence_and_ratings()
            if self.reached("qa_review"):
                self.to_qa()
            if self.reached("factual_accuracy"):
                self.share_draft()
            if self.reached("dispute"):
                self.cqc_review()
            if self.reached("finalised"):
                self.finalise()
            if self.reached("published"):
                self.publish()
        return self.assessment

    def move(self, action: str, actor: User, note: str = "", data: dict | None = None) -> None:
        self.assessment = assessment_transition(
            assessment=self.assessment, action=action, actor=actor, note=note, data=data
        )

    def schedule(self) -> None:
        visit = self.today + datetime.timedelta(days=self.stage["visit"])
        before = visit - datetime.timedelta(weeks=SCHEDULED_WEEKS_BEFORE_VISIT)
        members = User.objects.filter(username__in=self.stage.get("members") or [])
        framework = Framework.objects.get(code=self.data["framework"])
        # The framework covers non-specialist acute trusts only: the demo's other trusts are
        # assessed as pilots, which an admin schedules.
        pilot = not framework.covers(self.trust.trust_type)
        self.assessment = assessment_create(
            trust=self.trust,
            framework=framework,
            site_visit_date=visit,
            lead=self.lead,
            members=list(members),
            created_by=User.objects.get(username=self.data["admin"]) if pilot else self.lead,
            today=min(self.today, before),
            pilot=pilot,
        )

    def contact(self) -> User:
        """The trust user who writes for the trust: its demo user, or its synthetic contact."""
        user = User.objects.filter(trust=self.trust, role=Role.TRUST).order_by("pk").first()
        if user is not None:
            return user
        username, full_name = self.data["contacts"][self.trust.ods_code]
        return user_create(
            username=username,
            role=Role.TRUST,
            trust_code=self.trust.ods_code,
            # A password nobody knows: the contact writes in the demo but does not sign in.
            password=secrets.token_urlsafe(24),
            email=f"{username}@demo.invalid",
            full_name=full_name,
        )

    def commentary(self) -> None:
        only = self.stage.get("commentary")
        author = self.contact()
        for kloe in self.assessment.framework.kloes.all():
            if only is None or kloe.code in only:
                text = _prose(self.data["commentary"][kloe.code])
                commentary_save(
                    assessment=self.assessment, kloe=kloe, text=text, actor=author, version=None
                )
        if self.reached("evidence"):
            self.move("submit_commentary", author)

    def evidence_and_ratings(self) -> None:
        rated = self.stage.get("rated")
        for kloe in self.assessment.framework.kloes.prefetch_related("prompts"):
            content = self.data["kloes"][kloe.code]
            prompts = list(kloe.prompts.all())
            for item in content["evidence"]:
                evidence_create(
                    assessment=self.assessment,
                    actor=self.lead,
                    kloe=kloe,
                    prompt=prompts[item["prompt"] - 1],
                    source=item["source"],
                    finding=item["finding"],
                    text=item["text"],
                )
            if rated is None or kloe.code in rated:
                rating_propose(
                    assessment=self.assessment,
                    actor=self.lead,
                    kloe=kloe,
                    rating=content["rating"],
                    rationale=_prose(content["rationale"]),
                    areas_for_improvement=content.get("improvements") or "",
                    outstanding_practice=content.get("outstanding") or "",
                )
        if rated is None:
            overall = self.data["overall"]
            rating_propose(
                assessment=self.assessment,
                actor=self.lead,
                kloe=None,
                rating=overall["rating"],
                rationale=_prose(overall["rationale"]),
                summary=_prose(self.data["summary"]),
            )

    def to_qa(self) -> None:
        self.move("propose_rating", self.lead)
        if returned := self.stage.get("returned"):
            self.move("return", self.qa, note=returned)
            self.move("propose_rating", self.lead)

    def render(self, kind: str) -> None:
        """Render the queued version of `kind` now (the queued task then finds it ready)."""
        for report in self.assessment.reports.filter(kind=kind, status=ReportVersion.Status.QUEUED):
            report_render(report_id=report.pk)

    def share_draft(self) -> None:
        # QA has read any consistency findings the demo team left unanswered.
        self.move(
            "ratify",
            self.qa,
            note="The ratings follow from the evidence.",
            data={"findings_confirmed": True},
        )
        report_request(assessment=self.assessment, user=self.lead)
        self.render(ReportVersion.Kind.DRAFT)
        self.move("share_draft", self.lead)
        if self.stage["stage"] == "factual_accuracy":
            self.challenges()

    def challenges(self) -> None:
        author = self.contact()
        for item in self.data["challenges"]:
            evidence = None
            if item.get("finding"):
                evidence = Evidence.objects.get(
                    assessment=self.assessment, text__startswith=item["finding"]
                )
            challenge = challenge_raise(
                assessment=self.assessment,
                actor=author,
                kind=item["kind"],
                section="",
                passage=item.get("passage", ""),
                correction=item["correction"],
                reason=item["reason"],
                evidence=evidence,
                kloe=self.assessment.framework.kloes.filter(code=item.get("kloe")).first(),
            )
            self.answer(challenge, item)

    def answer(self, challenge: Challenge, item: dict) -> None:
        if not item.get("outcome"):
            return
        challenge_answer(
            challenge=challenge,
            actor=self.lead,
            outcome=item["outcome"],
            response=item["response"],
        )
        if item.get("resolved"):
            challenge_sign_off(challenge=challenge, actor=self.qa)
            challenge_resolve(
                challenge=challenge,
                actor=self.lead,
                resolution=Challenge.Resolution.CHANGED,
                text=item["resolved"],
            )

    def cqc_review(self) -> None:
        # The trust says it has no more challenges, so the lead may close before the deadline.
        no_more_challenges_confirm(assessment=self.assessment, actor=self.contact())
        self.move("close_factual_accuracy", self.lead)
        quality = self.data["quality"]
        rated_on = self.today - datetime.timedelta(days=quality["rated_days_ago"])
        quality_ratings_record(
            assessment=self.assessment,
            actor=self.cqc,
            ratings={key: quality[key] for key in QUALITY_KEYS}
            | {f"{key}_date": rated_on for key in QUALITY_KEYS},
        )
        if self.stage["stage"] == "dispute":
            self.move("dispute_rating", self.cqc, note=self.data["dispute"])
            for who, text in self.data["discussion"]:
                author = self.lead if who == "lead" else User.objects.get(username=who)
                discussion_post(assessment=self.assessment, actor=author, text=text)

    def finalise(self) -> None:
        published_on = self.today + datetime.timedelta(days=0 if self.reached("published") else 14)
        self.move(
            "accept_rating",
            self.cqc,
            note="CQC accepts the rating.",
            data={"publication_date": published_on},
        )
        self.render(ReportVersion.Kind.FINAL)

    def publish(self) -> None:
        self.move("publish", self.cqc)
        review_request_create(
            assessment=self.assessment, actor=self.contact(), grounds=self.data["review"]
        )
