"""Search, in Chromium: a trust user types in the header's search box, sees the results grouped
by kind with the words marked (none of the other trust's), and opens one; an admin opens a
kind's own pages. axe finds nothing, and no page scrolls sideways at 320 CSS pixels."""

import re

import pytest
from playwright.sync_api import expect

from core.search import GROUP_SIZE
from tests.core.search_world import WORD, build_world
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in
from tests.factories import EvidenceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 800}


def accessible(page) -> None:
    """No WCAG A/AA violation, at full width and at 320 px with no sideways scroll."""
    assert axe_violations(page) == [], page.url
    page.set_viewport_size(NARROW)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px"
    assert axe_violations(page) == [], f"{page.url} at 320px"
    page.set_viewport_size(WIDE)


def search_from_the_header(page, text: str) -> None:
    header = page.get_by_role("search", name="Search this service")
    header.get_by_label("Search this service").fill(text)
    header.get_by_role("button", name="Search").click()


def test_a_trust_user_searches_from_the_header_and_opens_a_result(page):
    build_world()
    page.set_viewport_size(WIDE)
    sign_in(page, "s-trust-a")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    accessible(page)  # the header with its search box, on the home page
    search_from_the_header(page, WORD)
    expect(page).to_have_url(f"/search/?q={WORD}")
    expect(page.locator("#results-heading")).to_contain_text(f"for “{WORD}”")
    evidence = page.locator("#results-evidence")
    expect(evidence.get_by_role("heading")).to_have_text("Evidence (1)")
    expect(page.locator("#results-commentary").get_by_role("heading")).to_have_text(
        "Trust commentary (2)"
    )
    expect(evidence.locator("mark").first).to_have_text("Kingfisher", ignore_case=True)
    body = page.locator("main").inner_text()
    for hidden in ["Bravo", "betaevidence", "earlysecret", "alphadraftanswer"]:
        assert hidden not in body
    accessible(page)
    evidence.get_by_role("link", name="Finance: Metric analysis").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/evidence/\d+/$"))
    expect(page.locator("main")).to_contain_text("alphaevidence")


def test_an_admin_opens_all_of_one_kind_in_pages(page):
    world = build_world()
    for n in range(GROUP_SIZE + 20):
        EvidenceFactory(assessment=world["shared_a"], text=f"A {WORD} finding number {n}")
    sign_in(page, "s-admin")
    search_from_the_header(page, WORD)
    page.get_by_role("link", name="Show all 28 Evidence results").click()
    expect(page.locator("#results-heading")).to_have_text(f"Evidence: 28 results for “{WORD}”")
    expect(page.locator("#hits-evidence > li")).to_have_count(20)
    accessible(page)
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("#hits-evidence > li")).to_have_count(8)
    page.get_by_role("link", name=f"Back to all results for “{WORD}”").click()
    expect(page.locator("#results-trusts")).to_be_visible()
