"""Demo data: a published assessment of Demo Southvale (ZZ2), built from
fixtures/demo/published_assessment.yaml, with its draft and final reports rendered.

It shows what a finished assessment looks like in `make run` and is what
`manage.py report_page_images` draws for docs/. The rows are written directly, with the
dates of a real walk through the steps (a service refuses a site visit in the past), and the
reports are rendered by the same service as any other.
"""

import datetime
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from metrics.models import Trust, User

from .cqc_review.services import combined_rating_propose
from .models import (
    Assessment,
    AssessmentTransition,
    Evidence,
    Framework,
    KloeRating,
    PublishedRating,
    QualityRatings,
    ReportVersion,
    Status,
)
from .reports.services import report_render, report_version_create

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo" / "published_assessment.yaml"
QUALITY_KEYS = ("safe", "effective", "caring", "responsive", "well_led", "overall_quality")
# (action, from, to, days after the visit, who) of the walk the demo assessment took.
STEPS = [
    ("submit_commentary", Status.SCHEDULED, Status.EVIDENCE, -14, "trust"),
    ("propose_rating", Status.EVIDENCE, Status.QA_REVIEW, 10, "lead"),
    ("ratify", Status.QA_REVIEW, Status.DRAFT_REPORT, 17, "qa"),
    ("share_draft", Status.DRAFT_REPORT, Status.FACTUAL_ACCURACY, 20, "lead"),
    ("close_factual_accuracy", Status.FACTUAL_ACCURACY, Status.CQC_REVIEW, 34, "lead"),
    ("accept_rating", Status.CQC_REVIEW, Status.FINALISED, 41, "cqc"),
    ("publish", Status.FINALISED, Status.PUBLISHED, 55, "cqc"),
]


def demo_published_assessment_load(*, path: Path = DEMO_FILE) -> Assessment | None:
    """Create the demo's published assessment unless the trust already has one."""
    data = yaml.safe_load(path.read_text())
    trust = Trust.objects.filter(ods_code=data["trust"]).first()
    if trust is None or Assessment.objects.filter(trust=trust).exists():
        return None
    people = {role: User.objects.get(username=data[role]) for role in ("lead", "qa", "cqc")} | {
        "trust": User.objects.filter(trust=trust).first() or User.objects.get(username="admin")
    }
    with transaction.atomic():
        assessment = _assessment(data, trust, people)
    # Rendered after the commit, as the task would: the PDFs read committed rows.
    for kind in (ReportVersion.Kind.DRAFT, ReportVersion.Kind.FINAL):
        report = report_version_create(
            assessment=assessment, kind=kind, requested_by=people["lead"]
        )
        report_render(report_id=report.pk)
    ReportVersion.objects.filter(assessment=assessment, kind=ReportVersion.Kind.FINAL).update(
        published_at=assessment.transitions.get(action="publish").at
    )
    return assessment


def _assessment(data: dict, trust: Trust, people: dict) -> Assessment:
    visit = timezone.localdate() - datetime.timedelta(days=data["visit_days_ago"])
    framework = Framework.objects.get(code=data["framework"])
    assessment = Assessment.objects.create(
        trust=trust,
        framework=framework,
        site_visit_date=visit,
        commentary_deadline=visit - datetime.timedelta(days=14),
        status=Status.PUBLISHED,
        lead=people["lead"],
        created_by=people["lead"],
        summary=data["summary"].strip(),
        publication_date=visit + datetime.timedelta(days=55),
    )
    assessment.members.set(User.objects.filter(username__in=data["members"]))
    kloes = {kloe.code: kloe for kloe in framework.kloes.prefetch_related("prompts")}
    for code, content in data["kloes"].items():
        kloe = kloes[code]
        prompts = list(kloe.prompts.all())
        KloeRating.objects.create(
            assessment=assessment,
            kloe=kloe,
            rating=content["rating"],
            rationale=content["rationale"].strip(),
            areas_for_improvement=(content.get("improvements") or "").strip(),
            outstanding_practice=(content.get("outstanding") or "").strip(),
            updated_by=people["lead"],
        )
        for item in content["evidence"]:
            Evidence.objects.create(
                assessment=assessment,
                kloe=kloe,
                prompt=prompts[item["prompt"] - 1],
                source=item["source"],
                finding=item["finding"],
                text=item["text"],
                created_by=people["lead"],
                updated_by=people["lead"],
            )
    KloeRating.objects.create(
        assessment=assessment,
        kloe=None,
        rating=data["overall"]["rating"],
        rationale=data["overall"]["rationale"].strip(),
        updated_by=people["lead"],
    )
    _steps(assessment, visit, people)
    _quality_and_publication(assessment, data, visit, people)
    return assessment


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def _steps(assessment: Assessment, visit: datetime.date, people: dict) -> None:
    AssessmentTransition.objects.bulk_create(
        AssessmentTransition(
            assessment=assessment,
            action=action,
            from_status=source,
            to_status=target,
            actor=people[who],
            at=_at(visit + datetime.timedelta(days=days)),
        )
        for action, source, target, days, who in STEPS
    )


def _quality_and_publication(
    assessment: Assessment, data: dict, visit: datetime.date, people: dict
) -> None:
    quality = data["quality"]
    rated_on = visit - datetime.timedelta(days=quality["rated_days_ago"])
    uor = data["overall"]["rating"]
    proposal = combined_rating_propose([quality[key] for key in QUALITY_KEYS[:5]] + [uor])
    QualityRatings.objects.create(
        assessment=assessment,
        **{key: quality[key] for key in QUALITY_KEYS},
        **{f"{key}_date": rated_on for key in QUALITY_KEYS},
        proposed_combined=proposal.rating,
        principle=proposal.principle,
        combined=proposal.rating,
        recorded_by=people["cqc"],
    )
    PublishedRating.objects.create(
        assessment=assessment,
        version=1,
        rating=uor,
        combined=proposal.rating,
        published_by=people["cqc"],
        published_at=_at(visit + datetime.timedelta(days=55)),
    )
