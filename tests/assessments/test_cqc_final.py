"""CQC's decision carried into the final report, and one final version: reasons for each
changed rating, the rationale revision, finalising only with every input, the embargoed
report for the trust, the one published version and the version after a review request."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.cqc_review.services import quality_ratings_record, rationale_revise
from assessments.models import Assessment, KloeRating, PassageRevision, ReportVersion, Status
from assessments.publication.services import review_request_create, review_request_decide
from assessments.reports.selectors import report_versions_for_user
from assessments.workflow import (
    COMBINED_MISSING,
    CQC_REASONS_MISSING,
    FINAL_INPUTS_MISSING,
    PUBLICATION_DATE_PAST,
    QUALITY_MISSING,
    TransitionRefused,
    assessment_transition,
)
from tests.assessments.test_reports import pdf_text
from tests.factories import AssessmentFactory, EvidenceFactory, embargo_ends

pytestmark = pytest.mark.django_db

QUALITY = {
    **dict.fromkeys(("safe", "effective", "caring", "responsive", "well_led"), 2),
    "overall_quality": 2,
    **{
        f"{name}_date": datetime.date(2026, 5, 1)
        for name in ("safe", "effective", "caring", "responsive", "well_led", "overall_quality")
    },
}
PUBLICATION = timezone.localdate() + datetime.timedelta(days=14)


@pytest.fixture
def report_assessment(trust, assessor):
    """An assessment CQC reviews: finance requires improvement, people good, overall
    requires improvement, each with its rationale and a finding."""
    assessment = AssessmentFactory(trust=trust, lead=assessor, status=Status.CQC_REVIEW)
    finance, people = assessment.framework.kloes.order_by("number")
    for kloe, rating in ((finance, 3), (people, 2), (None, 3)):
        if kloe is not None:
            EvidenceFactory(assessment=assessment, kloe=kloe, text=f"A finding on {kloe.title}.")
        KloeRating.objects.create(
            assessment=assessment,
            kloe=kloe,
            rating=rating,
            rationale=f"Rationale for {kloe.title if kloe else 'overall'}.",
            updated_by=assessor,
        )
    return assessment


@pytest.fixture
def disputed(report_assessment):
    """The same assessment, disputed by CQC."""
    report_assessment.status = Status.DISPUTE
    report_assessment.save()
    return report_assessment


def agree(assessment, cqc_user, **data):
    return assessment_transition(
        assessment=assessment, action="agree_rating", actor=cqc_user, note="Agreed", data=data
    )


def refusal(error) -> str:
    return " ".join(error.value.messages)


def test_a_changed_rating_needs_cqcs_reasons_naming_the_kloe(disputed, cqc_user):
    with pytest.raises(ValidationError) as refused:
        agree(disputed, cqc_user, agreed_ratings={"finance": 4, "people": 2, "overall": 3})
    assert refusal(refused) == CQC_REASONS_MISSING.format(kloes="Finance")
    assert KloeRating.objects.get(kloe__code="finance").agreed_rating is None


def test_finalising_is_refused_while_quality_and_combined_ratings_are_missing(disputed, cqc_user):
    ratings = {"finance": 3, "people": 2, "overall": 3}  # nothing changes: this finalises
    with pytest.raises(ValidationError) as refused:
        agree(disputed, cqc_user, agreed_ratings=ratings, publication_date=PUBLICATION)
    missing = "; ".join([QUALITY_MISSING, COMBINED_MISSING])
    assert refusal(refused) == FINAL_INPUTS_MISSING.format(missing=missing)
    quality_ratings_record(assessment=disputed, actor=cqc_user, ratings=QUALITY)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        agree(disputed, cqc_user, agreed_ratings=ratings, publication_date=yesterday)
    assert refusal(refused) == PUBLICATION_DATE_PAST
    with pytest.raises(ValidationError) as refused:
        agree(disputed, cqc_user, agreed_ratings=ratings)
    assert "the publication date" in refusal(refused)
    moved = agree(disputed, cqc_user, agreed_ratings=ratings, publication_date=PUBLICATION)
    assert (moved.status, moved.publication_date) == (Status.FINALISED, PUBLICATION)


def test_accepting_is_refused_while_an_input_is_missing(report_assessment, cqc_user):
    report_assessment.status = Status.CQC_REVIEW
    report_assessment.save()
    with pytest.raises(ValidationError) as refused:
        assessment_transition(
            assessment=report_assessment,
            action="accept_rating",
            actor=cqc_user,
            data={"publication_date": PUBLICATION},
        )
    assert QUALITY_MISSING in refusal(refused)
    assert COMBINED_MISSING in refusal(refused)


def test_cqcs_decision_reaches_the_final_report_then_one_version_is_published(
    disputed,
    assessor,
    cqc_user,
    trust_user,
    django_capture_on_commit_callbacks,
):
    # CQC changes finance (requires improvement → inadequate) with its reasons: revision.
    moved = agree(
        disputed,
        cqc_user,
        agreed_ratings={"finance": 4, "people": 2, "overall": 3},
        cqc_reasons={"finance": "The deficit doubled in the last quarter."},
    )
    assert moved.status == Status.REVISION
    quality_ratings_record(assessment=moved, actor=cqc_user, ratings=QUALITY)
    with pytest.raises(ValidationError) as refused:
        assessment_transition(
            assessment=moved,
            action="confirm_revision",
            actor=cqc_user,
            data={"publication_date": PUBLICATION},
        )
    assert "has not yet revised the rationale of: Finance" in refusal(refused)

    revision = rationale_revise(
        assessment=moved,
        actor=assessor,
        key="finance",
        text="Finance is inadequate: the deficit is not controlled.",
    )
    assert (revision.reason, revision.old_text) == (
        PassageRevision.Reason.CQC_DECISION,
        "Rationale for Finance.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        final = assessment_transition(
            assessment=moved,
            action="confirm_revision",
            actor=cqc_user,
            data={"publication_date": PUBLICATION},
        )
    assert final.status == Status.FINALISED

    # Rendered once, complete; the trust receives it before publication, embargoed.
    report = ReportVersion.objects.get(kind=ReportVersion.Kind.FINAL)
    assert report.status == ReportVersion.Status.READY
    text = pdf_text(bytes(report.pdf))
    assert "Finance is inadequate: the deficit is not controlled." in text
    assert "Rationale for Finance." not in text
    assert "The deficit doubled in the last quarter." in text
    assert "This rating is the Care Quality Commission's" in text
    assert f"embargoed until {PUBLICATION:%-d %B %Y}".lower() in text.lower()
    assert report in report_versions_for_user(user=trust_user, assessment=final)

    # Not before the embargo ends: the refusal names the day.
    with pytest.raises(TransitionRefused, match=f"under embargo until {PUBLICATION:%-d %B %Y}"):
        assessment_transition(assessment=final, action="publish", actor=cqc_user)
    assert Assessment.objects.get(pk=final.pk).status == Status.FINALISED
    # Publishing on the day marks that version, and only that one.
    with django_capture_on_commit_callbacks(execute=True):
        published = assessment_transition(
            assessment=embargo_ends(final), action="publish", actor=cqc_user
        )
    assert published.status == Status.PUBLISHED
    assert list(
        ReportVersion.objects.filter(published_at__isnull=False, superseded_at__isnull=True)
    ) == [report]
    assert published.published_ratings.get().report_version == report

    # A review changes the rating: a new version supersedes it and says why.
    review = review_request_create(
        assessment=published, actor=trust_user, grounds="The finance interview was skipped."
    )
    with django_capture_on_commit_callbacks(execute=True):
        review_request_decide(
            review=review,
            actor=cqc_user,
            decision="changed",
            note="The skipped interview changes the overall rating.",
            new_rating=4,
        )
    current = ReportVersion.objects.get(published_at__isnull=False, superseded_at__isnull=True)
    assert current.number == 2
    report.refresh_from_db()
    assert report.published_at is not None
    assert report.superseded_at is not None
    assert published.published_ratings.get(version=2).report_version == current
    revised = pdf_text(bytes(current.pdf))
    assert "after the trust asked for a review of the rating" in revised
    assert "The skipped interview changes the overall rating." in revised


def test_the_combined_rating_is_refused_without_a_uor_rating(report_assessment, cqc_user):
    """No stand-in Good: without the overall UoR rating there is no sixth rating to combine."""
    from assessments.cqc_review.services import UOR_RATING_MISSING

    overall = KloeRating.objects.get(assessment=report_assessment, kloe__isnull=True)
    overall.delete()
    with pytest.raises(ValidationError) as refused:
        quality_ratings_record(assessment=report_assessment, actor=cqc_user, ratings=QUALITY)
    assert refused.value.message_dict["combined"] == [UOR_RATING_MISSING]
    assert not hasattr(Assessment.objects.get(pk=report_assessment.pk), "quality_ratings")
    # With the UoR rating (requires improvement) it is combined with the five: good.
    KloeRating.objects.create(
        assessment=report_assessment, kloe=None, rating=3, rationale="RI.", updated_by=cqc_user
    )
    record = quality_ratings_record(assessment=report_assessment, actor=cqc_user, ratings=QUALITY)
    assert record.proposed_combined == 2
