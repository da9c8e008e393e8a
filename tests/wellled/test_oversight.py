"""The oversight view: every trust with its figures, each trigger a separate flag with its
source, filters, sorts, CSV, NHSI only, and the same number of queries for 10 or 230 trusts."""

import csv
import datetime
import io
from http import HTTPStatus

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import KloeRating, PublishedRating
from metrics.models import CqcRating, FinanceScore, Trust
from tests.factories import (
    AssessmentFactory,
    DevelopmentalReviewFactory,
    TrustFactory,
    UserFactory,
    WellLedActionFactory,
)
from wellled import services
from wellled.models import SegmentDecision
from wellled.selectors import oversight_rows

pytestmark = pytest.mark.django_db

URL = "/well-led/oversight/"


def finance(trust, score, overall=None, period=datetime.date(2026, 9, 1)):
    return FinanceScore.objects.create(
        trust=trust, period=period, overall=overall or score, moderated=score
    )


def published_uor(trust, rating, agreed=None):
    """A published assessment and the register's first version of its rating."""
    assessment = AssessmentFactory(trust=trust, status="published")
    KloeRating.objects.create(
        assessment=assessment,
        kloe=None,
        rating=rating,
        agreed_rating=agreed,
        rationale="Overall",
        updated_by=assessment.lead,
    )
    PublishedRating.objects.create(
        assessment=assessment,
        version=1,
        rating=agreed or rating,
        published_by=assessment.lead,
        published_at=timezone.now(),
    )
    return assessment


def wellled(trust, rating, on=datetime.date(2026, 5, 1)):
    cqc = UserFactory(role="cqc")
    return services.wellled_rating_record(trust=trust, actor=cqc, rating=rating, rated_on=on)


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def row_of(rows, trust):
    return next(row for row in rows if row.trust.pk == trust.pk)


@pytest.fixture
def sector(trust, other_trust):
    """Alpha trips every trigger; Beta none."""
    finance(trust, 3, overall=2, period=datetime.date(2026, 8, 1))
    finance(trust, 4, overall=3)  # the latest month counts
    finance(other_trust, 1)
    published_uor(trust, 2, agreed=3)  # CQC's agreed rating is the one that counts
    published_uor(other_trust, 3, agreed=None)
    AssessmentFactory(trust=other_trust, status="evidence")  # not published: ignored
    wellled(trust, 4)
    wellled(other_trust, 4, on=datetime.date(2025, 1, 1))
    wellled(other_trust, 2, on=datetime.date(2026, 1, 1))  # the latest is Good
    today = timezone.localdate()
    DevelopmentalReviewFactory(
        trust=trust,
        started_on=today + relativedelta(years=-4),
        completed_on=today + relativedelta(years=-4) + datetime.timedelta(days=30),
        material_concerns=True,
        concerns_text="Weak risk management",
    )
    in_progress = DevelopmentalReviewFactory(trust=trust, completed_on=None)
    WellLedActionFactory(
        developmental_review=in_progress, due_on=today - datetime.timedelta(days=1)
    )
    WellLedActionFactory(developmental_review=in_progress)
    WellLedActionFactory(developmental_review=in_progress, status="complete", due_on=today)
    DevelopmentalReviewFactory(trust=other_trust, completed_on=today - datetime.timedelta(days=9))
    return trust, other_trust


def test_each_trigger_is_a_separate_flag_with_its_source(sector, assessor):
    alpha, beta = sector
    rows = oversight_rows(user=assessor)
    a, b = row_of(rows, alpha), row_of(rows, beta)
    flags = {flag.code: flag.source for flag in a.flags}
    assert set(flags) == {
        "finance",
        "uor",
        "wellled",
        "governance",
        "review_overdue",
        "actions_overdue",
    }
    assert flags["finance"] == "SOF finance score 4 for September 2026"
    assert flags["uor"].startswith("Published UoR rating, version 1 of ")
    assert flags["uor"].endswith(": Requires improvement")
    assert flags["wellled"] == "CQC well-led rating of 1 May 2026: Inadequate"
    assert flags["governance"].startswith("Developmental review completed")
    assert "no accepted explanation" in flags["review_overdue"]
    assert flags["actions_overdue"] == "1 of 2 open actions past their due date"
    assert a.finance_moderated
    assert (a.open_actions, a.overdue_actions) == (2, 1)
    # Beta: UoR Requires improvement is its only trigger.
    assert [flag.code for flag in b.flags] == ["uor"]
    assert b.wellled_rating == 2
    assert not b.review_overdue


def test_finance_score_2_and_ratings_good_raise_no_flag(trust, assessor):
    finance(trust, 2)
    published_uor(trust, 2)
    wellled(trust, 2)
    DevelopmentalReviewFactory(trust=trust, completed_on=timezone.localdate())
    assert row_of(oversight_rows(user=assessor), trust).flags == []


def test_a_trust_with_nothing_recorded_shows_empty_values_and_no_review_flagged(trust, qa_user):
    row = row_of(oversight_rows(user=qa_user), trust)
    assert row.finance_score is None
    assert row.uor_rating is None
    assert row.due_on is None
    (flag,) = row.flags
    assert (flag.code, flag.label) == ("no_review", "No completed developmental review recorded")
    assert flag.source.startswith("The service's own flag, not the oversight framework's")


def test_a_review_in_progress_is_not_yet_a_recorded_review_and_a_completed_one_is(trust, qa_user):
    review = DevelopmentalReviewFactory(trust=trust, completed_on=None)
    assert row_of(oversight_rows(user=qa_user), trust).flag_codes == {"no_review"}
    review.completed_on = timezone.localdate()
    review.save()
    assert row_of(oversight_rows(user=qa_user), trust).flag_codes == set()
    page = client_for(qa_user).get(URL + "?flag=no_review").content.decode()
    assert trust.name not in page


def test_the_page_filters_sorts_and_downloads_csv(client, sector, admin_user):
    alpha, beta = sector
    Trust.objects.filter(pk=beta.pk).update(region="North East")
    client.force_login(admin_user)
    page = client.get(URL).content.decode()
    assert 'data-flag="governance"' in page
    assert "Weak risk management" not in page  # the page names the flag and its source only
    only = client.get(URL, {"flag": "wellled"}).content.decode()
    assert alpha.name in only
    assert beta.name not in only
    north = client.get(URL, {"region": "North East"}).content.decode()
    assert beta.name in north
    assert alpha.name not in north
    by_flags = oversight_rows(user=admin_user, sort="flags")
    assert by_flags[0].trust == alpha
    by_name = oversight_rows(user=admin_user, sort="name")
    assert [row.trust.name for row in by_name] == sorted(row.trust.name for row in by_name)
    response = client.get(URL, {"format": "csv", "flag": "uor"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["ods_code"] for row in rows} == {alpha.ods_code, beta.ods_code}
    alpha_row = next(row for row in rows if row["ods_code"] == alpha.ods_code)
    assert alpha_row["flag_finance"] == "yes"
    assert alpha_row["finance_moderated"] == "yes"
    assert "Finance score 3 or 4: SOF finance score 4" in alpha_row["flag_sources"]


@pytest.mark.parametrize("role", ["trust", "cqc"])
def test_only_nhs_improvement_sees_the_oversight_view(client, trust, role):
    user = UserFactory(role=role, trust=trust if role == "trust" else None)
    client.force_login(user)
    assert client.get(URL).status_code == HTTPStatus.FORBIDDEN
    assert client.get("/api/v1/wellled/oversight/").status_code == HTTPStatus.FORBIDDEN


def test_the_api_gives_the_same_rows(client, sector, assessor):
    client.force_login(assessor)
    data = client.get("/api/v1/wellled/oversight/", {"flag": "governance"}).json()
    assert [row["trust"] for row in data] == [sector[0].ods_code]
    assert {flag["code"] for flag in data[0]["flags"]} >= {"finance", "governance"}


def _sector_of(size: int) -> None:
    today = timezone.localdate()
    cqc = UserFactory(role="cqc")
    nhsi = UserFactory(role="assessor")
    for n in range(size):
        trust = TrustFactory(ods_code=f"Q{n:04d}", region=["London", "North"][n % 2])
        finance(trust, 1 + n % 4)
        CqcRating.objects.create(
            question="well_led",
            source="well_led_page",
            trust=trust,
            rating=1 + n % 4,
            rated_on=datetime.date(2026, 1, 1),
            recorded_by=cqc,
        )
        SegmentDecision.objects.create(
            trust=trust, segment=1 + n % 4, rationale="r", decided_on=today, decided_by=nhsi
        )


def _queries_for(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, {"sort": "flags"})
        assert response.status_code == HTTPStatus.OK
    return len(context)


def test_the_query_count_is_the_same_for_10_and_230_trusts(client, assessor):
    client.force_login(assessor)
    _sector_of(10)
    ten = _queries_for(client)
    _sector_of_more(220)
    assert Trust.objects.count() == 230
    assert _queries_for(client) == ten
    print(f"oversight page: {ten} queries for 10 and for 230 trusts")
    with CaptureQueriesContext(connection) as context:
        client.get(URL, {"format": "csv"})
    assert len(context) <= ten


def _sector_of_more(size: int) -> None:
    """More trusts, with reviews, actions and published ratings too."""
    today = timezone.localdate()
    cqc = UserFactory(role="cqc")
    for n in range(size):
        trust = TrustFactory(ods_code=f"M{n:04d}", region="Midlands")
        finance(trust, 1 + n % 4)
        CqcRating.objects.create(
            question="well_led",
            source="well_led_page",
            trust=trust,
            rating=1 + n % 4,
            rated_on=datetime.date(2026, 1, 1),
            recorded_by=cqc,
        )
        if n % 10 == 0:
            review = DevelopmentalReviewFactory(
                trust=trust,
                started_on=today + relativedelta(years=-4),
                completed_on=today + relativedelta(years=-4) + datetime.timedelta(days=10),
                material_concerns=True,
                concerns_text="c",
            )
            WellLedActionFactory(developmental_review=review, due_on=today)
        if n % 25 == 0:
            published_uor(trust, 1 + n % 4)


def test_a_segment_decision_is_kept_with_its_history(client, trust, assessor, trust_user):
    client.force_login(assessor)
    url = reverse("wellled:segment_create", args=[trust.ods_code])
    page = client.get(url).content.decode()
    assert "The service suggests no segment" in page
    today = timezone.localdate()
    for segment, offer, breach, why in (
        (2, "targeted", "none", "Targeted support for finance"),
        (3, "mandated", "suspected", "Governance concerns"),
    ):
        response = client.post(
            url,
            {
                "segment": segment,
                "support_offer": offer,
                "licence_breach": breach,
                "special_measures": "none",
                "rationale": why,
                "decided_on_0": today.day,
                "decided_on_1": today.month,
                "decided_on_2": today.year,
            },
        )
        assert response.status_code == HTTPStatus.FOUND
    assert list(SegmentDecision.objects.values_list("segment", flat=True)) == [3, 2]
    assert row_of(oversight_rows(user=assessor), trust).segment == 3
    detail = client.get(reverse("wellled:trust_detail", args=[trust.ods_code])).content.decode()
    assert "Targeted support for finance" in detail
    assert "Governance concerns" in detail
    # The trust does not see NHS Improvement's segment decisions on its page.
    client.force_login(trust_user)
    own = client.get(reverse("wellled:trust_detail", args=[trust.ods_code])).content.decode()
    assert "Governance concerns" not in own
    assert client.post(url, {}).status_code == HTTPStatus.FORBIDDEN


def test_the_finance_score_says_whether_its_moderation_is_proposed_or_decided(trust, assessor):
    from metrics.services.moderation import CONFIRM, moderation_decide

    score = FinanceScore.objects.create(
        trust=trust,
        period=datetime.date(2026, 9, 1),
        overall=2,
        proposed=3,
        moderated=3,
        moderation="Capped at 3: a 4 on agency spend",
    )
    (row,) = [row for row in oversight_rows(user=assessor) if row.trust == trust]
    assert (row.finance_score, row.finance_moderation) == (3, "proposed, not yet decided")
    moderation_decide(
        actor=assessor,
        trust=trust,
        period=score.period,
        outcome=CONFIRM,
        proposal_seen=score.proposal_token,
    )
    (row,) = [row for row in oversight_rows(user=assessor) if row.trust == trust]
    assert (row.finance_score, row.finance_moderation) == (3, "decided by NHS Improvement")
