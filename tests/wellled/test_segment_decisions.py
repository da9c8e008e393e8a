"""Segmentation by Table 2 of the 2019/20 oversight annex: the table as data on the decision
page, each warning on both sides of its rule, confirming before saving, the flags kept as they
stood, and bad input named by field."""

import datetime
from http import HTTPStatus
from pathlib import Path

import pytest
import yaml
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from metrics.models import FinanceScore
from tests.factories import UserFactory
from wellled import services
from wellled.models import SEGMENT_SUPPORT_OFFER, SegmentDecision, SegmentDescription
from wellled.services.segment_rules import SERVICE_FLAG_CODES
from wellled.views import SEGMENT_RECORDED
from wellled.views.ratings_and_segments import CONFIRM, WARNINGS_CHANGED

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ANNEX = ROOT.parent / "shared/reference/seeds/002_1f2c62aaa7206b9c.txt"
TODAY = timezone.localdate()
CONSISTENT = {  # each segment with the statuses Table 2 describes: no warning
    1: {"support_offer": "universal", "licence_breach": "none", "special_measures": "none"},
    2: {"support_offer": "targeted", "licence_breach": "none", "special_measures": "none"},
    3: {"support_offer": "mandated", "licence_breach": "suspected", "special_measures": "none"},
    4: {
        "support_offer": "special_measures",
        "licence_breach": "actual",
        "special_measures": "finance",
    },
}


@pytest.fixture
def nhsi():
    return UserFactory(role="assessor")


def finance(trust, score, period=datetime.date(2026, 9, 1)):
    return FinanceScore.objects.create(trust=trust, period=period, overall=score, moderated=score)


def warnings_for(trust, nhsi, segment, decided_on=TODAY, **changes):
    fields = {**CONSISTENT[segment], **changes}
    flags = services.segment_flags_now(trust=trust, actor=nhsi)
    found = services.segment_warnings_for(
        trust=trust, segment=segment, decided_on=decided_on, flags=flags, **fields
    )
    return {warning.code for warning in found}


def decide(trust, nhsi, segment, decided_on=TODAY, confirmed=(), **changes):
    return services.segment_decision_record(
        trust=trust,
        actor=nhsi,
        segment=segment,
        rationale=f"Segment {segment}",
        decided_on=decided_on,
        warnings_confirmed=confirmed,
        **{**CONSISTENT[segment], **changes},
    )


def form(segment, confirm=False, shown="", **changes):
    data = {
        "segment": segment,
        **CONSISTENT.get(segment, CONSISTENT[1]),
        "rationale": "Our reasons",
        "decided_on_0": TODAY.day,
        "decided_on_1": TODAY.month,
        "decided_on_2": TODAY.year,
        "warnings_shown": shown,
        **changes,
    }
    if confirm:
        data["confirm"] = "on"
    return data


# ---- Table 2 as data ----------------------------------------------------------------------


def test_table_2_is_the_annex_words_with_the_support_offer_of_each_segment():
    data = yaml.safe_load((ROOT / "fixtures/wellled/segments.yaml").read_text())
    assert "Table 2" in data["source"]
    assert [row["segment"] for row in data["segments"]] == [1, 2, 3, 4]
    for row in data["segments"]:
        assert row["support_offer"] == SEGMENT_SUPPORT_OFFER[row["segment"]]
    if ANNEX.exists():
        text = ANNEX.read_text()
        for row in data["segments"]:
            assert row["description"] in text
            assert row["support_offer_text"] in text
            assert f"{row['segment']} ({row['name']})" in text


def test_table_2_loads_with_the_framework_once_and_shows_beside_each_segment(
    client, framework, trust, nhsi
):
    services.wellled_load_all()
    assert SegmentDescription.objects.count() == 4
    client.force_login(nhsi)
    page = client.get(reverse("wellled:segment_create", args=[trust.ods_code])).content.decode()
    for row in SegmentDescription.objects.all():
        label = page.index(f"Segment {row.segment} ({row.name})")
        hint = page.index(row.description, label)
        # The hint belongs to this option: before the next option's label.
        if row.segment < 4:
            assert hint < page.index(f"Segment {row.segment + 1} (", label)
        assert page.index(f"Support offered: {row.support_offer_text}", hint)
    assert "Table 2" in page
    assert services.NO_TABLE_2 not in page


def test_the_page_says_so_when_table_2_is_not_loaded(client, trust, nhsi):
    client.force_login(nhsi)
    page = client.get(reverse("wellled:segment_create", args=[trust.ods_code])).content.decode()
    assert "run `manage.py load_wellled_framework`" in page
    assert "Segment 3" in page


# ---- each warning on both sides of its rule ------------------------------------------------


@pytest.mark.parametrize(
    ("segment", "changes", "code"),
    [
        (3, {"licence_breach": "none"}, "breach_needed"),
        (4, {"licence_breach": "none"}, "breach_needed"),
        (4, {"special_measures": "none"}, "special_measures_needed"),
        (3, {"special_measures": "quality"}, "special_measures_below_4"),
        (2, {"special_measures": "quality_and_finance"}, "special_measures_below_4"),
        (1, {"licence_breach": "suspected"}, "breach_in_segment_1"),
        (2, {"licence_breach": "actual"}, "breach_in_segment_2"),
        (2, {"support_offer": "mandated"}, "support_offer"),
        (4, {"support_offer": "mandated"}, "support_offer"),
    ],
)
def test_each_status_rule_warns_when_contradicted(trust, nhsi, segment, changes, code):
    assert warnings_for(trust, nhsi, segment, **changes) == {code}


@pytest.mark.parametrize("segment", [1, 2, 3, 4])
def test_the_statuses_table_2_describes_raise_no_warning(trust, nhsi, segment):
    assert warnings_for(trust, nhsi, segment) == set()


@pytest.mark.parametrize(
    ("segment", "changes"),
    [
        (3, {"licence_breach": "actual"}),  # actual or suspected both do for segment 3
        (4, {"licence_breach": "suspected", "special_measures": "quality"}),
        (4, {"special_measures": "quality_and_finance"}),
    ],
)
def test_other_statuses_table_2_allows_raise_no_warning(trust, nhsi, segment, changes):
    assert warnings_for(trust, nhsi, segment, **changes) == set()


def test_segment_1_warns_while_an_annex_trigger_stands(trust, other_trust, nhsi):
    finance(trust, 3)
    finance(other_trust, 2)
    assert warnings_for(trust, nhsi, 1) == {"triggers_in_segment_1"}
    # Beta has only the service's own flag (no developmental review recorded): no warning.
    flags = services.segment_flags_now(trust=other_trust, actor=nhsi)
    assert flags
    assert {flag["code"] for flag in flags} <= SERVICE_FLAG_CODES
    assert warnings_for(other_trust, nhsi, 1) == set()
    # Segment 2 with the same trigger is what Table 2 describes.
    assert warnings_for(trust, nhsi, 2) == set()


def test_segment_1_decisions_are_quarterly(trust, nhsi):
    first = TODAY - relativedelta(months=6)
    decide(trust, nhsi, 1, decided_on=first)
    quarter = first + relativedelta(months=3)
    day_before = quarter - datetime.timedelta(days=1)
    assert warnings_for(trust, nhsi, 1, decided_on=day_before) == {"segment_1_quarterly"}
    assert warnings_for(trust, nhsi, 2, decided_on=day_before) == {"segment_1_quarterly"}
    assert warnings_for(trust, nhsi, 1, decided_on=quarter) == set()
    message = " ".join(
        w.message
        for w in services.segment_warnings_for(
            trust=trust,
            segment=2,
            decided_on=day_before,
            flags=[],
            **CONSISTENT[2],
        )
    )
    assert f"not before {quarter:%-d %B %Y}" in message


def test_the_quarterly_rule_is_for_a_trust_in_segment_1_only(trust, nhsi):
    decide(trust, nhsi, 2, decided_on=TODAY - datetime.timedelta(days=10))
    assert warnings_for(trust, nhsi, 1) == set()


# ---- confirming on the page ----------------------------------------------------------------


def test_a_decision_with_warnings_is_saved_only_once_confirmed(client, trust, nhsi):
    finance(trust, 4)
    client.force_login(nhsi)
    url = reverse("wellled:segment_create", args=[trust.ods_code])
    first = client.post(url, form(3, licence_breach="none"))
    assert first.status_code == HTTPStatus.OK
    page = first.content.decode()
    assert 'id="segment-warnings"' in page
    assert 'data-warning="breach_needed"' in page
    assert "Source: NHS Oversight Framework 2019/20 annex 1, Table 2" in page
    assert "I have read the warnings" in page
    assert "govuk-error-summary" not in page  # news, not a mistake
    assert not SegmentDecision.objects.exists()
    # Sent again without ticking the box: asked to confirm, still nothing saved.
    again = client.post(url, form(3, licence_breach="none", shown="breach_needed"))
    assert CONFIRM in again.content.decode()
    assert not SegmentDecision.objects.exists()
    done = client.post(url, form(3, licence_breach="none", shown="breach_needed", confirm=True))
    assert done.status_code == HTTPStatus.FOUND
    decision = SegmentDecision.objects.get()
    assert [w["code"] for w in decision.warnings] == ["breach_needed"]
    assert decision.warnings[0]["source"] == "NHS Oversight Framework 2019/20 annex 1, Table 2"
    assert decision.licence_breach == "none"
    assert decision.support_offer == "mandated"
    detail = client.get(done["Location"]).content.decode()
    assert SEGMENT_RECORDED in detail
    assert 'data-warning="breach_needed"' in detail


def test_a_warning_not_shown_must_be_confirmed_too(client, trust, nhsi):
    client.force_login(nhsi)
    url = reverse("wellled:segment_create", args=[trust.ods_code])
    # Confirmed one warning, but the decision now also raises another.
    data = form(4, licence_breach="none", special_measures="none", shown="breach_needed")
    response = client.post(url, {**data, "confirm": "on"})
    page = response.content.decode()
    assert WARNINGS_CHANGED in page
    assert 'data-warning="special_measures_needed"' in page
    assert not SegmentDecision.objects.exists()
    with pytest.raises(services.WarningsToConfirm):
        decide(trust, nhsi, 4, licence_breach="none", confirmed=["special_measures_needed"])
    decide(
        trust,
        nhsi,
        4,
        licence_breach="none",
        special_measures="none",
        confirmed=["breach_needed", "special_measures_needed"],
    )
    assert SegmentDecision.objects.get().segment == 4


def test_a_decision_without_warnings_saves_at_once_with_none_recorded(client, trust, nhsi):
    client.force_login(nhsi)
    url = reverse("wellled:segment_create", args=[trust.ods_code])
    assert client.post(url, form(2)).status_code == HTTPStatus.FOUND
    assert SegmentDecision.objects.get().warnings == []


# ---- the flags as they stood ---------------------------------------------------------------


def test_the_flags_are_kept_as_they_stood_after_they_change(client, trust, nhsi):
    score = finance(trust, 3)
    standing = services.segment_flags_now(trust=trust, actor=nhsi)
    decision = decide(trust, nhsi, 2)
    assert decision.flags == standing
    finance_flag = next(flag for flag in decision.flags if flag["code"] == "finance")
    assert finance_flag["label"] == "Finance score 3 or 4"
    assert "September 2026" in finance_flag["source"]
    # The score improves: the flag goes from today's view, not from the decision.
    score.moderated = score.overall = 1
    score.save()
    assert "finance" not in [f["code"] for f in services.segment_flags_now(trust=trust, actor=nhsi)]
    decision.refresh_from_db()
    assert decision.flags == standing
    client.force_login(nhsi)
    detail = client.get(reverse("wellled:trust_detail", args=[trust.ods_code])).content.decode()
    card = detail[detail.index(f'id="segment-decision-{decision.pk}"') :]
    assert 'data-flag="finance"' in card
    assert finance_flag["source"] in card


def test_a_decision_from_before_shows_what_was_not_recorded(client, trust, nhsi):
    SegmentDecision.objects.create(
        trust=trust, segment=2, rationale="Old", decided_on=TODAY, decided_by=nhsi
    )
    client.force_login(nhsi)
    detail = client.get(reverse("wellled:trust_detail", args=[trust.ods_code])).content.decode()
    assert "Not recorded (decided before flags were kept)" in detail
    assert "Not recorded (decided before warnings were kept)" in detail


# ---- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"segment": "7"}, "Choose the segment from the list"),
        ({"segment": ""}, "Choose the segment"),
        ({"licence_breach": ""}, "Choose the licence-breach status"),
        ({"licence_breach": "maybe"}, "Choose the licence-breach status from the list"),
        ({"special_measures": ""}, "Choose the special-measures status"),
        ({"special_measures": "both"}, "Choose the special-measures status from the list"),
        ({"support_offer": ""}, "Choose the level of support offered"),
        ({"rationale": ""}, "Enter the rationale"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(client, trust, nhsi, changes, message):
    client.force_login(nhsi)
    url = reverse("wellled:segment_create", args=[trust.ods_code])
    response = client.post(url, {**form(2), **changes})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert not SegmentDecision.objects.exists()


def test_the_service_names_a_missing_status(trust, nhsi):
    with pytest.raises(ValidationError) as error:
        decide(trust, nhsi, 2, licence_breach="", special_measures="")
    assert error.value.message_dict == {
        "licence_breach": [services.LICENCE_BREACH_REQUIRED],
        "special_measures": [services.SPECIAL_MEASURES_REQUIRED],
    }
    assert not SegmentDecision.objects.exists()


def test_a_decision_in_the_future_is_refused_before_any_warning(trust, nhsi):
    with pytest.raises(ValidationError) as error:
        decide(trust, nhsi, 3, licence_breach="none", decided_on=TODAY + datetime.timedelta(1))
    assert error.value.message_dict == {"decided_on": [services.DECISION_DATE_FUTURE]}


def test_the_service_refuses_unknown_codes_by_name(trust, nhsi):
    with pytest.raises(ValidationError) as error:
        decide(trust, nhsi, 2, support_offer="generous")
    assert error.value.message_dict == {"support_offer": [services.SUPPORT_OFFER_REQUIRED]}
    with pytest.raises(ValidationError) as error:
        services.segment_decision_record(
            trust=trust,
            actor=nhsi,
            segment=5,
            rationale="r",
            decided_on=TODAY,
            **CONSISTENT[2],
        )
    assert "segment" in error.value.message_dict
    assert not SegmentDecision.objects.exists()
