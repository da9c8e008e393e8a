"""CSV export: every download neutralises what a spreadsheet would run as a formula, and
keeps numbers numbers."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy

from assessments.models import PublishedRating
from core.csv_export import Writer, csv_response, neutralise
from core.ratings import Rating
from metrics.models import FinanceScore, SecurityEvent
from tests.factories import AssessmentFactory, TrustFactory

# OWASP's examples of what a hostile name can carry into a colleague's spreadsheet.
HYPERLINK = '=HYPERLINK("http://x","y")'
AT_SUM = "@SUM(1+1)"
DDE = "+cmd|' /C calc'!A0"
SUM = "-2+3"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        (AT_SUM, "'" + AT_SUM),
        (DDE, "'" + DDE),
        (SUM, "'" + SUM),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("-", "'-"),
        ("+1e", "'+1e"),
        ("Alpha NHS Trust", "Alpha NHS Trust"),
        ("", ""),
        # Numbers are values, not formulas: written as they are.
        (-3, -3),
        (-3.5, -3.5),
        (Decimal("-3.50"), Decimal("-3.50")),
        ("-3.5", "-3.5"),
        ("+2", "+2"),
        ("-.5", "-.5"),
        ("-1.5e3", "-1.5e3"),
        (None, None),
        (lazy(lambda: "=1+1", str)(), "'=1+1"),  # a lazy label is text like any other
    ],
)
def test_a_cell_that_starts_a_formula_gets_a_leading_quote(value, expected):
    assert neutralise(value) == expected


def test_the_writer_neutralises_text_and_keeps_negative_numbers():
    out = io.StringIO()
    Writer(out).writerows([[HYPERLINK, SUM, -3.5, Decimal("-3.5"), "-3.5", 2]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'" + HYPERLINK, "'" + SUM, "-3.5", "-3.5", "-3.5", "2"]
    ]


def test_a_download_keeps_a_negative_value_a_number():
    response = csv_response(filename="x.csv", header=["name", "margin"], rows=[[DDE, -3.5]])
    assert response.content.decode().splitlines() == ["name,margin", f"'{DDE},-3.5"]


# --- Every export, end to end ---------------------------------------------------------------


def hostile_trusts():
    """Two trusts whose text is a formula wherever the model lets it be one."""
    linked = TrustFactory(ods_code="RX1", name=HYPERLINK, region=AT_SUM)
    dde = TrustFactory(ods_code="RX2", name=DDE, region=SUM)
    return linked, dde


def rows_of(response) -> list[dict]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode())))


@pytest.mark.django_db
def test_the_wellled_oversight_csv_neutralises_names_and_regions(client, admin_user):
    linked, _ = hostile_trusts()
    FinanceScore.objects.create(trust=linked, period=datetime.date(2026, 9, 1), moderated=3)
    client.force_login(admin_user)
    rows = {row["ods_code"]: row for row in rows_of(client.get("/well-led/oversight/?format=csv"))}
    assert (rows["RX1"]["trust"], rows["RX1"]["region"]) == ("'" + HYPERLINK, "'" + AT_SUM)
    assert (rows["RX2"]["trust"], rows["RX2"]["region"]) == ("'" + DDE, "'" + SUM)
    assert rows["RX1"]["finance_score"] == "3"  # a number stays a number


@pytest.mark.django_db
def test_the_sector_finance_score_csv_neutralises_codes_and_keeps_scores(client, cqc_user):
    # The sector CSV's only text is the ODS code; the loader allows capitals and digits only,
    # but a code set another way still cannot become a formula.
    period = datetime.date(2026, 9, 1)
    for code in (SUM, AT_SUM):
        trust = TrustFactory(ods_code=code)
        FinanceScore.objects.create(
            trust=trust, period=period, average=Decimal("3.50"), overall=4, moderated=4
        )
    client.force_login(cqc_user)
    response = client.get(reverse("metrics:finance_scores"), {"format": "csv"})
    rows = rows_of(response)
    assert sorted(row["ods_code"] for row in rows) == sorted(["'" + SUM, "'" + AT_SUM])
    assert {(row["average"], row["moderated"]) for row in rows} == {("3.50", "4")}


@pytest.mark.django_db
def test_the_security_log_csv_neutralises_what_a_visitor_typed(client, admin_user):
    SecurityEvent.objects.create(kind="login_failed", username=HYPERLINK, path=AT_SUM, detail=DDE)
    SecurityEvent.objects.create(kind="login_failed", username=SUM, path="/", detail="")
    client.force_login(admin_user)
    response = client.get(reverse("metrics:security_log"), {"format": "csv"})
    rows = {row["username"]: row for row in rows_of(response)}
    assert (rows["'" + HYPERLINK]["path"], rows["'" + HYPERLINK]["detail"]) == (
        "'" + AT_SUM,
        "'" + DDE,
    )
    assert "'" + SUM in rows


@pytest.mark.django_db
def test_the_public_register_csv_neutralises_names_and_regions(client, admin_user):
    linked, dde = hostile_trusts()
    for trust in (linked, dde):
        PublishedRating.objects.create(
            assessment=AssessmentFactory(trust=trust, status="published"),
            version=1,
            rating=Rating.GOOD,
            published_by=admin_user,
            published_at=timezone.now(),
        )
    response = client.get(reverse("assessments:published_register"), {"format": "csv"})
    rows = {row["ods_code"]: row for row in rows_of(response)}
    assert (rows["RX1"]["trust"], rows["RX1"]["region"]) == ("'" + HYPERLINK, "'" + AT_SUM)
    assert (rows["RX2"]["trust"], rows["RX2"]["region"]) == ("'" + DDE, "'" + SUM)
    assert rows["RX1"]["version"] == "1"
