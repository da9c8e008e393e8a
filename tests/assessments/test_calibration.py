"""The calibration view: final ratings beside peer quartiles and finance scores, the pairs
the highlight rule shows (and those it does not), filters, sorts, CSV, QA and admins only,
and the same number of queries for 10 and 230 trusts."""

import csv
import io
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.calibration.selectors import calibration_get
from assessments.refusals import CALIBRATION_FOR_QA
from metrics.models import Role
from tests.assessments.calibration_data import ratified, sector
from tests.factories import TrustFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("assessments:calibration")


def pair_keys(calibration) -> set[tuple[str, str, str]]:
    return {
        (p.kloe_code, p.first.trust.ods_code, p.second.trust.ods_code) for p in calibration.pairs
    }


def rows_of(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def gamma():
    return TrustFactory(ods_code="RCC", name="Gamma Care NHS Trust", region="North")


def test_ratings_two_apart_with_quartiles_within_one_make_a_pair(
    trust, other_trust, qa_user, client
):
    # CQC's agreed rating is the one compared: Alpha was proposed Good and agreed Inadequate.
    ratified(
        trust, finance=2, agreed={"finance": 4}, quartiles={"cal_margin": 2, "cal_liquidity": 3}
    )
    ratified(other_trust, finance=2, quartiles={"cal_margin": 3, "cal_liquidity": 3})
    calibration = calibration_get(user=qa_user)
    assert pair_keys(calibration) == {("finance", "RBB", "RAA")}
    (pair,) = calibration.pairs
    assert pair.gap == 2
    assert pair.quartiles == [("Liquidity", 3, 3), ("Margin", 3, 2)]
    client.force_login(qa_user)
    page = client.get(URL).content.decode()
    assert 'data-pair="finance RBB RAA"' in page
    assert "Pairs to look at again: 1" in page
    assert 'data-highlight="finance"' in page
    assert "Compare with RBB" in page
    assert "Compare with RAA" in page
    assert "(agreed by CQC)" in page


def test_ratings_one_level_apart_make_no_pair(trust, other_trust, qa_user):
    ratified(trust, finance=3, quartiles={"cal_margin": 2, "cal_liquidity": 2})
    ratified(other_trust, finance=2, quartiles={"cal_margin": 2, "cal_liquidity": 2})
    assert calibration_get(user=qa_user).pairs == []


def test_a_metric_two_quartiles_apart_makes_no_pair(trust, other_trust, qa_user):
    ratified(trust, finance=4, quartiles={"cal_margin": 3, "cal_liquidity": 2})
    ratified(other_trust, finance=2, quartiles={"cal_margin": 1, "cal_liquidity": 2})
    assert calibration_get(user=qa_user).pairs == []


def test_no_shared_metric_figure_makes_no_pair(trust, other_trust, qa_user):
    ratified(trust, finance=4, quartiles={"cal_margin": 2})
    ratified(other_trust, finance=1, quartiles={"cal_liquidity": 2})
    assert calibration_get(user=qa_user).pairs == []


def test_quartiles_are_among_the_trusts_peers_and_the_finance_score_of_the_visit_month(qa_user):
    mental = TrustFactory(ods_code="RMH", trust_type="mental_health")
    ratified(mental, finance=2, quartiles={"cal_margin": 4}, finance_score=3)
    (row,) = calibration_get(user=qa_user).rows
    margin = next(m for m in row.kloes["finance"].metrics if m.code == "cal_margin")
    # 10 is the worst quarter of every trust but the best of the mental health peers.
    assert (margin.national, margin.peer) == (4, 1)
    liquidity = next(m for m in row.kloes["finance"].metrics if m.code == "cal_liquidity")
    assert (liquidity.value, liquidity.peer) == (None, None)
    assert [m.code for m in row.kloes["people"].metrics] == ["cal_staff"]
    assert row.finance_score == 3


def test_only_ratified_assessments_are_listed_and_pilots_are_marked(
    client, trust, other_trust, gamma, admin_user
):
    ratified(trust, finance=2, status="draft_report")
    ratified(other_trust, finance=2, status="qa_review")
    ratified(gamma, finance=2, pilot=True)
    assert [row.trust for row in calibration_get(user=admin_user).rows] == [trust, gamma]
    client.force_login(admin_user)
    rows = rows_of(client.get(URL, {"format": "csv"}))
    assert {(row["ods_code"], row["pilot"]) for row in rows} == {("RAA", "no"), ("RCC", "yes")}
    assert "Beta Hospitals" not in client.get(URL).content.decode()


def names(user, **filters) -> list[str]:
    return [row.trust.ods_code for row in calibration_get(user=user, **filters).rows]


def test_filters_and_sorts(client, trust, other_trust, gamma, qa_user):
    ratified(trust, finance=1, people=3, overall=1, finance_score=1, status="finalised")
    ratified(other_trust, finance=3, people=3, overall=3, finance_score=4)
    ratified(gamma, finance=4, people=2, overall=4, finance_score=2)
    assert names(qa_user) == ["RAA", "RBB", "RCC"]
    assert names(qa_user, region="North") == ["RCC"]
    assert names(qa_user, status="finalised") == ["RAA"]
    assert names(qa_user, trust_type="mental_health") == []
    assert names(qa_user, rating=3) == ["RBB"]  # the overall rating
    assert names(qa_user, kloe="people", rating=3) == ["RAA", "RBB"]
    assert names(qa_user, sort="rating_worst") == ["RCC", "RBB", "RAA"]
    assert names(qa_user, sort="rating_best", kloe="people") == ["RCC", "RAA", "RBB"]
    assert names(qa_user, sort="finance_worst") == ["RBB", "RCC", "RAA"]
    narrowed = calibration_get(user=qa_user, kloe="people")
    assert narrowed.kloes == [("people", "People")]
    assert all(set(row.kloes) == {"people"} for row in narrowed.rows)
    client.force_login(qa_user)
    page = client.get(URL, {"region": "North", "sort": "rating_worst"}).content.decode()
    assert "Gamma Care NHS Trust" in page
    assert "Alpha Hospitals NHS Trust" not in page
    refused = client.get(URL, {"rating": "7", "region": "North"}).content.decode()
    assert "Select a valid choice" in refused  # named on the form; the region still applies
    assert "Alpha Hospitals NHS Trust" not in refused


def test_csv_of_rows_and_of_pairs(client, trust, other_trust, admin_user):
    ratified(trust, finance=1, overall=1, quartiles={"cal_margin": 2}, finance_score=2)
    ratified(other_trust, finance=3, overall=3, quartiles={"cal_margin": 3})
    client.force_login(admin_user)
    rows = rows_of(client.get(URL, {"format": "csv"}))
    assert [(r["ods_code"], r["kloe"]) for r in rows] == [
        ("RAA", "finance"),
        ("RAA", "people"),
        ("RBB", "finance"),
        ("RBB", "people"),
    ]
    alpha = rows[0]
    assert alpha["kloe_rating"] == "Outstanding"
    assert alpha["overall_rating"] == "Outstanding"
    assert alpha["finance_score"] == "2"
    assert alpha["visit_month"] == "2026-09"
    assert alpha["metric_peer_quartiles"] == "cal_liquidity: -; cal_margin: 2"
    assert alpha["highlighted_with"] == "RBB"
    pairs = rows_of(client.get(URL, {"format": "csv", "list": "pairs"}))
    assert [
        (p["kloe"], p["first_ods_code"], p["second_ods_code"], p["rating_gap"]) for p in pairs
    ] == [("finance", "RAA", "RBB", "2")]
    assert pairs[0]["metric_peer_quartiles"] == "Margin: 2 and 3"
    only_people = rows_of(client.get(URL, {"format": "csv", "kloe": "people", "list": "pairs"}))
    assert only_people == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.QA, HTTPStatus.OK),
        (Role.ADMIN, HTTPStatus.OK),
        (Role.ASSESSOR, HTTPStatus.FORBIDDEN),
        (Role.CQC, HTTPStatus.FORBIDDEN),
        (Role.TRUST, HTTPStatus.FORBIDDEN),
    ],
)
def test_only_qa_and_admins_open_it_and_see_it_in_the_menu(client, trust, role, expected):
    user = UserFactory(role=role, trust=trust if role == Role.TRUST else None)
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == expected
    assert client.get(URL, {"format": "csv"}).status_code == expected
    if expected == HTTPStatus.FORBIDDEN:
        assert CALIBRATION_FOR_QA in response.content.decode()
    menu = client.get(reverse("home")).content.decode()
    assert (f'href="{URL}"' in menu) == (expected == HTTPStatus.OK)


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"]


def _queries_for(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, {"sort": "pairs"})
        assert response.status_code == HTTPStatus.OK
    return len(context)


def test_the_query_count_is_the_same_for_10_and_230_trusts(client, qa_user):
    lead = UserFactory(role=Role.ASSESSOR)
    client.force_login(qa_user)
    sector(10, prefix="S", lead=lead)
    ten = _queries_for(client)
    sector(220, prefix="M", lead=lead)
    page = client.get(URL).content.decode()
    assert "230 assessments" in page
    assert _queries_for(client) == ten
    print(f"calibration page: {ten} queries for 10 and for 230 trusts")
    with CaptureQueriesContext(connection) as context:
        client.get(URL, {"format": "csv", "list": "pairs"})
    assert len(context) <= ten
