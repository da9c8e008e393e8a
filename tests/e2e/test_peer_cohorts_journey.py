"""In Chromium: a trust user adds context beside a metric of its own trust and reads it in
the metrics pack, whose figures name the cohort; an admin follows a cohort recompute to
done. axe finds no WCAG A/AA fault, and nothing scrolls sideways at 320 px."""

import datetime

import pytest
from playwright.sync_api import expect

from metrics.models import MetricDefinition, MetricValue, PeerGroup, Role, Trust
from metrics.services import benchmarks_refresh, metric_definitions_load, peer_group_save
from metrics.services.peer_groups import peer_groups_ensure_defaults
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import TrustFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PERIOD = datetime.date(2026, 6, 1)


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _world() -> Trust:
    """Five acute trusts with I&E margins 1 to 5; the first two have a PFI scheme."""
    peer_groups_ensure_defaults()  # an earlier transactional test may have flushed them
    metric_definitions_load()
    margin = MetricDefinition.objects.get(code="ie_margin")
    trusts = [TrustFactory(ods_code=f"RA{n}", pfi=n <= 2) for n in range(1, 6)]
    MetricValue.objects.bulk_create(
        MetricValue(trust=trust, metric=margin, period=PERIOD, value=float(n))
        for n, trust in enumerate(trusts, start=1)
    )
    benchmarks_refresh()
    return trusts[1]


def test_a_trust_adds_context_and_an_admin_follows_a_recompute(page):
    trust = _world()
    UserFactory(username="e2e-trust", role=Role.TRUST, trust=trust)
    UserFactory(username="e2e-admin", role=Role.ADMIN)

    sign_in(page, "e2e-trust")
    page.goto(f"/trusts/{trust.ods_code}/metrics-pack/?period=2026-06&metric=ie_margin")
    expect(page.locator("body")).to_contain_text("within its cohort, Acute trusts")
    page.get_by_role("link", name="Add context for income and expenditure (i&e) margin").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Context for")
    assert axe_violations(page) == []
    page.get_by_label("Context").fill("A PFI unitary charge outside our control.")
    page.get_by_role("button", name="Save context").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("saved")
    expect(page.locator("body")).to_contain_text("A PFI unitary charge outside our control.")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert _no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Sign out").click()

    group = PeerGroup(code="acute-pfi", name="Acute trusts with PFI", trust_type="acute", pfi="yes")
    job = peer_group_save(group=group, actor=None)  # runs in-process once committed
    sign_in(page, "e2e-admin")
    page.goto(f"/benchmarks/recomputes/{job.pk}/")
    expect(page.locator(".govuk-panel")).to_contain_text("1 of 1 months recomputed")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert _no_sideways_scroll(page)
