"""One record of CQC's ratings per trust: written by the UoR finalisation (quality
ratings), publication and review decision (UoR and combined), and the well-led page; read
by the trust page, the well-led page and oversight; the published report and register keep
the ratings as they stood at publication."""

import datetime
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from assessments.cqc_review.services import quality_ratings_record
from assessments.models import ReportVersion
from assessments.publication.services import review_request_create, review_request_decide
from assessments.workflow import assessment_transition
from core.ratings import Rating
from metrics.models import CqcRating
from metrics.selectors import cqc_ratings_for_trust
from tests.assessments.test_cqc_final import (  # noqa: F401 (fixtures)
    PUBLICATION,
    QUALITY,
    agree,
    disputed,
    report_assessment,
)
from tests.assessments.test_reports import pdf_text
from tests.factories import embargo_ends
from wellled import services as wellled_services
from wellled.selectors.oversight import oversight_rows

pytestmark = pytest.mark.django_db

WELL_LED_RI = {**QUALITY, "well_led": 3}


def current(trust) -> dict[str, tuple[int, str]]:
    return {
        entry.question: (entry.current.rating, entry.current.source)
        for entry in cqc_ratings_for_trust(trust=trust)
        if entry.current
    }


def finalise(assessment, cqc_user, captured):
    quality_ratings_record(assessment=assessment, actor=cqc_user, ratings=WELL_LED_RI)
    with captured(execute=True):
        return agree(
            assessment,
            cqc_user,
            agreed_ratings={"finance": 3, "people": 2, "overall": 3},
            publication_date=PUBLICATION,
        )


def test_finalising_records_the_quality_ratings_and_oversight_sees_well_led(
    disputed,  # noqa: F811
    cqc_user,
    assessor,
    trust_user,
    django_capture_on_commit_callbacks,
):
    trust = disputed.trust
    finalise(disputed, cqc_user, django_capture_on_commit_callbacks)
    ratings = current(trust)
    assert ratings["well_led"] == (3, "uor_finalisation")
    assert ratings["safe"] == (2, "uor_finalisation")
    assert ratings["overall"] == (2, "uor_finalisation")
    # Embargoed: the UoR and combined ratings wait for publication.
    assert "use_of_resources" not in ratings
    assert "combined" not in ratings
    assert CqcRating.objects.get(trust=trust, question="well_led").rated_on == datetime.date(
        2026, 5, 1
    )

    # The well-led page and oversight read the same record: the leadership trigger fires.
    client = Client()
    client.force_login(assessor)
    page = client.get(reverse("wellled:trust_detail", args=[trust.ods_code])).content.decode()
    assert "Requires improvement" in page
    (row,) = [row for row in oversight_rows(user=assessor) if row.trust == trust]
    assert row.wellled_rating == 3
    assert "wellled" in row.flag_codes

    # The trust sees its record, and no UoR rating before publication.
    client.force_login(trust_user)
    page = client.get(reverse("metrics:trust_detail", args=[trust.ods_code])).content.decode()
    assert "CQC's ratings" in page
    assert "Recorded by CQC when finalising a UoR assessment" in page
    use_of_resources_row = page.split("Use of resources</th>")[1].split("</tr>")[0]
    assert "No rating recorded" in use_of_resources_row


def test_publication_and_a_review_add_the_uor_rating_and_the_register_keeps_its_own(
    disputed,  # noqa: F811
    cqc_user,
    trust_user,
    django_capture_on_commit_callbacks,
):
    trust = disputed.trust
    final = finalise(disputed, cqc_user, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        published = assessment_transition(
            assessment=embargo_ends(final), action="publish", actor=cqc_user
        )
    combined = published.quality_ratings.combined
    assert current(trust)["use_of_resources"] == (3, "uor_publication")
    assert current(trust)["combined"] == (combined, "uor_publication")

    # CQC later rates well-led good on the well-led page: the record moves on ...
    wellled_services.wellled_rating_record(
        trust=trust, actor=cqc_user, rating=2, rated_on=datetime.date(2026, 11, 1)
    )
    (well_led,) = [e for e in cqc_ratings_for_trust(trust=trust) if e.question == "well_led"]
    assert (well_led.current.rating, [e.rating for e in well_led.earlier]) == (2, [3])
    # ... while the published report and the register keep the ratings of publication.
    report = ReportVersion.objects.get(kind=ReportVersion.Kind.FINAL)
    text = pdf_text(bytes(report.pdf))
    assert Rating(combined).label.lower() in text.lower()
    register = Client().get(reverse("assessments:published_register")).content.decode()
    assert Rating(combined).label in register
    assert published.published_ratings.get().rating == 3

    # A review that changes the rating adds it to the record, the old one kept as history.
    review = review_request_create(assessment=published, actor=trust_user, grounds="Skipped.")
    with django_capture_on_commit_callbacks(execute=True):
        review_request_decide(
            review=review, actor=cqc_user, decision="changed", note="Changed.", new_rating=4
        )
    (uor,) = [e for e in cqc_ratings_for_trust(trust=trust) if e.question == "use_of_resources"]
    assert (uor.current.rating, uor.current.source) == (4, "uor_review")
    assert [e.rating for e in uor.earlier] == [3]


def test_the_same_rating_twice_is_recorded_once(trust, cqc_user):
    for _ in range(2):
        wellled_services.wellled_rating_record(
            trust=trust, actor=cqc_user, rating=3, rated_on=datetime.date(2026, 1, 5)
        )
    assert CqcRating.objects.filter(trust=trust).count() == 1


def test_a_trust_user_never_sees_another_trusts_ratings(trust, other_trust, cqc_user, trust_user):
    wellled_services.wellled_rating_record(
        trust=other_trust, actor=cqc_user, rating=4, rated_on=datetime.date(2026, 1, 5)
    )
    client = Client()
    client.force_login(trust_user)
    url = reverse("metrics:trust_detail", args=[other_trust.ods_code])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    listed = client.get("/api/v1/wellled/cqc-ratings/").json()["results"]
    assert listed == []
