"""Moderation as a decision: the rules propose, NHS Improvement confirms or sets another score,
a later refresh recomputes the proposal but keeps the decision and flags a changed proposal."""

import csv
import datetime
import io
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metrics.models import FinanceScore, MetricValue, ModerationDecision, ModerationStatus
from metrics.policies import NO_MODERATION_PROPOSED, ROLE_REFUSED
from metrics.services import finance_scores_refresh
from metrics.services.finance_scores import REASON_NO_CONTROL_TOTAL, REASON_SPECIAL_MEASURES
from metrics.services.moderation import (
    CONFIRM,
    PROPOSAL_MOVED,
    REASON_REQUIRED,
    SAME_AS_PROPOSAL,
    SET_ANOTHER,
    moderation_decide,
)
from tests.factories import TrustFactory

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2024, 3, 1)
# A trust scoring 1 on every metric, accepted control total, not in special measures.
BEST = {
    "capital_service_capacity": 3.0,
    "liquidity_days": 5.0,
    "ie_margin": 2.0,
    "distance_from_plan": 0.5,
    "agency_spend_vs_cap": -5.0,
    "control_total_accepted": 1.0,
    "financial_special_measures": 0.0,
}


def set_values(trust, metric_definitions, period=MONTH, **changes):
    """Store the trust's SOF values for the month (replacing any) and refresh the month."""
    values = {**BEST, **changes}
    MetricValue.objects.filter(trust=trust, period=period).delete()
    MetricValue.objects.bulk_create(
        MetricValue(trust=trust, metric=metric_definitions[code], period=period, value=value)
        for code, value in values.items()
    )
    finance_scores_refresh(periods=[period])
    return FinanceScore.objects.select_related("decision").get(trust=trust, period=period)


def decide(actor, month_score, **kwargs):
    """Decide as `actor` on the proposal `month_score` shows (confirm unless told)."""
    kwargs.setdefault("outcome", CONFIRM)
    return moderation_decide(
        actor=actor,
        trust=month_score.trust,
        period=month_score.period,
        proposal_seen=month_score.proposal_token,
        **kwargs,
    )


def stored(score) -> FinanceScore:
    """The score as stored now (a refresh replaces rows, so not by primary key)."""
    return FinanceScore.objects.select_related("decision").get(
        trust=score.trust, period=score.period
    )


# --- The proposal -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "overall", "proposed", "reason"),
    [
        ({"agency_spend_vs_cap": 60}, 2, 3, "scored 4 on agency_spend_vs_cap"),
        ({"control_total_accepted": 0.0}, 1, 3, REASON_NO_CONTROL_TOTAL),
        ({"financial_special_measures": 1.0}, 1, 4, REASON_SPECIAL_MEASURES),
    ],
)
def test_each_rule_is_stored_as_a_proposal_shown_until_decided(
    metric_definitions, trust, changes, overall, proposed, reason
):
    score = set_values(trust, metric_definitions, **changes)
    assert (score.overall, score.proposed, score.moderation) == (overall, proposed, reason)
    assert score.moderated == proposed  # shown until NHS Improvement decides
    assert score.decision is None
    assert score.moderation_status == ModerationStatus.PROPOSED


def test_a_month_no_rule_applies_to_has_nothing_to_decide(metric_definitions, trust, assessor):
    score = set_values(trust, metric_definitions)
    assert (score.overall, score.proposed, score.moderated) == (1, 1, 1)
    assert score.moderation_status == ModerationStatus.NONE
    with pytest.raises(PermissionDenied, match=NO_MODERATION_PROPOSED):
        decide(assessor, score)
    assert not ModerationDecision.objects.exists()


# --- Deciding ---------------------------------------------------------------------------


def test_confirming_records_who_and_when_and_the_proposal_decided_on(
    metric_definitions, trust, assessor
):
    score = set_values(trust, metric_definitions, agency_spend_vs_cap=60)
    decision = decide(assessor, score)
    assert (decision.score, decision.confirms_proposal, decision.reason) == (3, True, "")
    assert (decision.overall, decision.proposed) == (2, 3)
    assert decision.proposal_reason == "scored 4 on agency_spend_vs_cap"
    assert decision.decided_by == assessor
    assert timezone.now() - decision.decided_at < datetime.timedelta(minutes=5)
    score = stored(score)
    assert (score.moderated, score.decision, score.moderation_status) == (
        3,
        decision,
        ModerationStatus.DECIDED,
    )


def test_setting_another_score_needs_a_reason_and_a_different_score(
    metric_definitions, trust, admin_user
):
    score = set_values(trust, metric_definitions, control_total_accepted=0.0)  # 1 -> 3
    with pytest.raises(ValidationError) as refused:
        decide(admin_user, score, outcome=SET_ANOTHER, score=2, reason="  ")
    assert refused.value.message_dict == {"reason": [REASON_REQUIRED]}
    with pytest.raises(ValidationError) as same:
        decide(admin_user, score, outcome=SET_ANOTHER, score=3, reason="Why not")
    assert same.value.message_dict == {"score": [SAME_AS_PROPOSAL.format(proposed=3)]}
    assert not ModerationDecision.objects.exists()
    assert stored(score).moderated == 3  # nothing half-saved

    decision = decide(
        admin_user, score, outcome=SET_ANOTHER, score=2, reason="Control total agreed late."
    )
    assert (decision.score, decision.confirms_proposal) == (2, False)
    assert decision.reason == "Control total agreed late."
    assert stored(score).moderated == 2


@pytest.mark.parametrize("role_user", ["qa_user", "cqc_user", "trust_user"])
def test_only_nhs_improvement_admins_and_assessors_decide(
    request, metric_definitions, trust, role_user
):
    score = set_values(trust, metric_definitions, agency_spend_vs_cap=60)
    with pytest.raises(PermissionDenied, match=ROLE_REFUSED):
        decide(request.getfixturevalue(role_user), score)


def test_a_decision_on_a_proposal_that_moved_meanwhile_is_refused(
    metric_definitions, trust, assessor
):
    score = set_values(trust, metric_definitions, agency_spend_vs_cap=60)
    seen = score.proposal_token
    set_values(trust, metric_definitions, financial_special_measures=1.0)  # now proposes 4
    with pytest.raises(ValidationError, match="changed while you were deciding"):
        moderation_decide(
            actor=assessor, trust=trust, period=MONTH, outcome=CONFIRM, proposal_seen=seen
        )
    assert not ModerationDecision.objects.exists()


# --- A later refresh -----------------------------------------------------------------------


def test_a_refresh_keeps_the_decision_and_flags_a_changed_proposal(
    metric_definitions, trust, assessor
):
    score = set_values(trust, metric_definitions, agency_spend_vs_cap=60)  # 2, proposed 3
    decide(assessor, score, outcome=SET_ANOTHER, score=4, reason="Cash support requested.")

    # A change that leaves the proposal as it was: the decision stands, nothing flagged.
    score = set_values(trust, metric_definitions, agency_spend_vs_cap=70, liquidity_days=6.0)
    assert (score.proposed, score.moderated) == (3, 4)
    assert score.moderation_status == ModerationStatus.DECIDED

    # The unmoderated score alone moving (2 -> 3, still proposed 3) counts as a change.
    worse = {"liquidity_days": -10, "ie_margin": -0.5, "distance_from_plan": -1.5}
    score = set_values(trust, metric_definitions, agency_spend_vs_cap=70, **worse)
    assert (score.overall, score.proposed, score.moderated) == (3, 3, 4)
    assert score.moderation == "scored 4 on agency_spend_vs_cap"
    assert score.moderation_status == ModerationStatus.CHANGED

    # The proposal moves (special measures: 4): the decided score is kept and flagged.
    score = set_values(
        trust, metric_definitions, agency_spend_vs_cap=70, financial_special_measures=1.0
    )
    assert (score.overall, score.proposed, score.moderated) == (2, 4, 4)
    assert score.proposal_changed
    assert score.moderation_status == ModerationStatus.CHANGED

    # Deciding again clears the flag; both decisions are kept.
    decide(assessor, score)
    score = stored(score)
    assert (score.moderated, score.moderation_status) == (4, ModerationStatus.DECIDED)
    assert ModerationDecision.objects.filter(trust=trust, period=MONTH).count() == 2


def test_a_month_with_missing_metrics_keeps_its_decision_flagged(
    metric_definitions, trust, assessor
):
    score = set_values(trust, metric_definitions, control_total_accepted=0.0)
    decide(assessor, score)
    MetricValue.objects.filter(trust=trust, metric__code="liquidity_days").delete()
    finance_scores_refresh(periods=[MONTH])
    score = FinanceScore.objects.get(trust=trust, period=MONTH)
    assert (score.proposed, score.moderated) == (None, 3)
    assert score.moderation_status == ModerationStatus.CHANGED


def test_the_refresh_reads_decisions_in_one_query_however_many(metric_definitions, assessor):
    """The decision check is one query for the months, not one per row."""

    def refresh_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            finance_scores_refresh(periods=[MONTH])
        return len(queries)

    trusts = [TrustFactory() for _ in range(12)]
    scores = [set_values(t, metric_definitions, agency_spend_vs_cap=60) for t in trusts]
    without = refresh_queries()
    for score in scores[:10]:
        decide(assessor, stored(score))
    assert refresh_queries() == without
    assert FinanceScore.objects.filter(decision__isnull=False).count() == 10


# --- Where the score is shown and exported ------------------------------------------------


@pytest.fixture
def decided_and_proposed(metric_definitions, trust, other_trust, assessor):
    """RAA: proposed 3, NHS Improvement set 4. RBB: proposed 4, not decided."""
    score = set_values(trust, metric_definitions, agency_spend_vs_cap=60)
    set_values(other_trust, metric_definitions, financial_special_measures=1.0)
    decide(assessor, score, outcome=SET_ANOTHER, score=4, reason="Cash support requested.")
    return score


def test_the_sector_csv_and_the_command_export_the_decided_score(
    client, cqc_user, decided_and_proposed
):
    client.force_login(cqc_user)
    response = client.get(reverse("metrics:finance_scores"), {"format": "csv"})
    rows = {row["ods_code"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert (rows["RAA"]["proposed"], rows["RAA"]["moderated"]) == ("3", "4")
    assert rows["RAA"]["moderation_status"] == "decided by NHS Improvement"
    assert rows["RAA"]["decision_reason"] == "Cash support requested."
    assert rows["RAA"]["decided_on"] == f"{timezone.localdate():%Y-%m-%d}"
    assert (rows["RBB"]["moderated"], rows["RBB"]["decided_on"]) == ("4", "")
    assert rows["RBB"]["moderation_status"] == "proposed, not yet decided"

    out = io.StringIO()
    call_command("finance_scores", "--period", "2024-03", "--format", "csv", stdout=out)
    command_rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["ods_code"], r["moderated"]) for r in command_rows] == [("RAA", "4"), ("RBB", "4")]


def test_the_api_shows_the_proposal_and_the_decision(
    client, assessor, trust_user, decided_and_proposed
):
    client.force_login(assessor)
    url = reverse("api:financescore-list")
    results = {r["trust"]: r for r in client.get(url, {"period": "2024-03"}).json()["results"]}
    raa = results["RAA"]
    assert (raa["overall"], raa["proposed"], raa["moderated"]) == (2, 3, 4)
    assert raa["moderation"] == "scored 4 on agency_spend_vs_cap"
    assert raa["moderation_status"] == "decided"
    assert raa["decision"]["score"] == 4
    assert raa["decision"]["confirms_proposal"] is False
    assert raa["decision"]["reason"] == "Cash support requested."
    assert raa["decision"]["decided_by"] == assessor.username
    assert results["RBB"]["decision"] is None
    assert results["RBB"]["moderation_status"] == "proposed"

    client.force_login(trust_user)
    own = client.get(url).json()["results"]
    assert [r["trust"] for r in own] == ["RAA"]
    assert own[0]["moderated"] == 4
    assert own[0]["decision"]["decided_by"] is None  # staff names stay with staff


def test_trust_page_labels_each_month_and_links_deciders_to_decide(
    client, assessor, trust_user, decided_and_proposed, metric_definitions, trust
):
    set_values(trust, metric_definitions, period=datetime.date(2024, 2, 1), ie_margin=-2)
    client.force_login(assessor)
    page = client.get(trust.get_absolute_url()).content.decode()
    assert "Decided by NHS Improvement on" in page
    assert "4 set where the rules proposed 3, because “Cash support requested.”" in page
    assert "Proposed, not yet decided" in page  # February
    assert reverse("metrics:moderation_decide", args=["RAA", "2024-02"]) in page
    assert "Decide the moderation" in page

    client.force_login(trust_user)
    page = client.get(trust.get_absolute_url()).content.decode()
    assert "Decided by NHS Improvement on" in page
    assert "Decide the moderation" not in page


def test_a_changed_proposal_is_flagged_on_the_trust_page_and_listed(
    client, assessor, decided_and_proposed, metric_definitions, trust
):
    set_values(trust, metric_definitions, agency_spend_vs_cap=60, financial_special_measures=1)
    client.force_login(assessor)
    page = client.get(trust.get_absolute_url()).content.decode()
    assert "The proposal changed since NHS Improvement's decision for March 2024" in page

    listed = client.get(reverse("metrics:moderation_list")).content.decode()
    assert "2 months to decide" in listed
    assert listed.index("Alpha Hospitals NHS Trust, March 2024") < listed.index(
        "Beta Hospitals NHS Trust, March 2024"
    )  # changed proposals first
    changed = client.get(reverse("metrics:moderation_list"), {"status": "changed"})
    assert "1 month to decide" in changed.content.decode()
    assert "Beta Hospitals" not in changed.content.decode()


# --- The decision page ----------------------------------------------------------------------


def decide_url(ods="RAA", month="2024-03"):
    return reverse("metrics:moderation_decide", args=[ods, month])


def test_the_page_shows_errors_by_field_and_saves_nothing(
    client, assessor, metric_definitions, trust
):
    score = set_values(trust, metric_definitions, agency_spend_vs_cap=60)
    client.force_login(assessor)
    page = client.get(decide_url()).content.decode()
    assert "Confirm the proposal: finance score 3" in page
    assert "scored 4 on agency_spend_vs_cap" in page

    empty = client.post(decide_url(), {"proposal_seen": score.proposal_token})
    assert empty.status_code == HTTPStatus.OK
    assert "Choose whether to confirm the proposal or set another score" in empty.content.decode()

    data = {"outcome": SET_ANOTHER, "score": "4", "proposal_seen": score.proposal_token}
    no_reason = client.post(decide_url(), data).content.decode()
    assert "Error: Decide the moderation" in no_reason
    assert REASON_REQUIRED in no_reason
    assert not ModerationDecision.objects.exists()

    done = client.post(decide_url(), {**data, "reason": "Cash support requested."})
    assert done.status_code == HTTPStatus.FOUND
    assert done["Location"].endswith("#finance-score-history")
    assert stored(score).moderated == 4
    follow = client.get(done["Location"]).content.decode()
    assert "The finance score of Alpha Hospitals NHS Trust for March 2024 is decided: 4." in follow


def test_the_page_refuses_a_stale_proposal_and_offers_the_new_one(
    client, assessor, metric_definitions, trust
):
    score = set_values(trust, metric_definitions, agency_spend_vs_cap=60)
    seen = score.proposal_token
    set_values(trust, metric_definitions, financial_special_measures=1.0)
    client.force_login(assessor)
    page = client.post(decide_url(), {"outcome": CONFIRM, "proposal_seen": seen})
    assert PROPOSAL_MOVED in page.content.decode()
    assert "Confirm the proposal: finance score 4" in page.content.decode()
    assert not ModerationDecision.objects.exists()


def test_the_page_says_when_there_is_nothing_to_decide(client, assessor, metric_definitions, trust):
    score = set_values(trust, metric_definitions)
    client.force_login(assessor)
    page = client.get(decide_url()).content.decode()
    assert NO_MODERATION_PROPOSED in page
    assert "Record the decision" not in page
    post = client.post(decide_url(), {"outcome": CONFIRM, "proposal_seen": score.proposal_token})
    assert post.status_code == HTTPStatus.FORBIDDEN
    assert client.get(decide_url(month="2024-13")).status_code == HTTPStatus.NOT_FOUND
    assert client.get(decide_url(month="2023-01")).status_code == HTTPStatus.NOT_FOUND


def test_home_lists_the_months_to_decide_until_they_are_decided(
    client, assessor, qa_user, metric_definitions, trust
):
    score = set_values(trust, metric_definitions, agency_spend_vs_cap=60)
    client.force_login(assessor)
    home = client.get(reverse("home")).content.decode()
    assert "Decide finance-score moderation" in home
    assert "1 month where the rules propose a moderation not yet decided" in home
    client.force_login(qa_user)
    assert "Decide finance-score moderation" not in client.get(reverse("home")).content.decode()

    decide(assessor, score)
    client.force_login(assessor)
    assert "Decide finance-score moderation" not in client.get(reverse("home")).content.decode()
