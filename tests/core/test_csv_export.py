"""CSV export: every download neutralises what a spreadsheet would run as a formula."""

import csv
import io

import pytest

from core.csv_export import Writer, neutralise


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Alpha NHS Trust", "Alpha NHS Trust"),
        ("", ""),
        (-3, -3),  # numbers are data, not formulas
        (None, None),
    ],
)
def test_a_cell_that_starts_a_formula_gets_a_leading_quote(value, expected):
    assert neutralise(value) == expected


def test_the_writer_neutralises_every_row():
    out = io.StringIO()
    Writer(out).writerows([["=1+1", "plain", 2]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "plain", "2"]]


@pytest.mark.django_db
def test_a_trust_name_is_neutralised_in_the_wellled_oversight_csv(client, admin_user, trust):
    trust.name = '=HYPERLINK("x")'
    trust.save()
    client.force_login(admin_user)
    response = client.get("/well-led/oversight/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    row = next(row for row in rows if row["ods_code"] == trust.ods_code)
    assert row["trust"] == '\'=HYPERLINK("x")'
