"""Reflow (WCAG 2.2 success criterion 1.4.10): at 320 CSS px wide no page a demo user can
reach scrolls sideways. A wide table may scroll inside its own labelled container; the
document itself must not.

Signs in as each demo user of `make run`, loads its demo data, and crawls the links from the
home page (same origin, GET only, bounded), measuring each HTML page.
"""

import re
from collections import deque
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from metrics.management.commands.load_demo import DEMO_USERS
from metrics.models import Role
from tests.e2e.test_sign_in import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 320
MAX_PAGES_PER_USER = 220
# Pages of the same shape (numbers, and KLOE or prompt codes, aside) differ only in their
# data: a few of each show whether the layout holds, and keep the crawl to a few minutes.
SAME_SHAPE_LIMIT = 3
# Not pages: files, downloads, Django's own admin (not our design) and signing out.
SKIP = re.compile(r"/download/|\.(pdf|csv|xlsx|png|svg)$|[?&]format=csv|/admin/|/logout/")
MAKE_RUN = [
    "load_demo",
    "load_demo_metrics",
    "load_frameworks",
    "load_wellled_framework",
    "load_demo_wellled",
    "load_demo_assessments",
]
# How wide the document is, and the widest element that makes it so (for the message).
MEASURE = """() => {
  const width = document.documentElement.scrollWidth;
  if (width <= window.innerWidth) return null;
  let widest = null;
  for (const element of document.querySelectorAll("body *")) {
    if (element.closest(".uor-table-wrap")) continue;  // scrolls in its own region
    const right = element.getBoundingClientRect().right;
    if (right > window.innerWidth && (!widest || right > widest.right)) {
      widest = {right, name: element.tagName.toLowerCase() +
        (element.id ? "#" + element.id : "") +
        (element.className && typeof element.className === "string"
          ? "." + element.className.trim().split(/\\s+/).join(".") : "")};
    }
  }
  return {width, widest: widest ? widest.name : "?"};
}"""


def shape(path: str) -> str:
    return re.sub(r"/[A-Za-z_]*\d[\w-]*|/[a-z]+(_[a-z]+)+", "/*", path)


def crawl(page, base: str, username: str) -> tuple[list[str], int]:
    """Visit what `username` reaches from home; return the pages that scroll sideways."""
    offenders, seen, shapes = [], {"/"}, {}
    queue = deque(["/"])
    visited = 0
    while queue and visited < MAX_PAGES_PER_USER:
        path = queue.popleft()
        try:
            response = page.goto(path, wait_until="domcontentloaded")
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file, not a page
            raise
        visited += 1
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        wide = page.evaluate(MEASURE)
        if wide:
            offenders.append(f"{username} {path}: {wide['width']} px ({wide['widest']})")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urldefrag(href).url
            if not url.startswith(base):
                continue
            parts = urlsplit(url)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or SKIP.search(target):
                continue
            seen.add(target)
            key = shape(parts.path)
            shapes[key] = shapes.get(key, 0) + 1
            if shapes[key] <= SAME_SHAPE_LIMIT:
                queue.append(target)
    return offenders, visited


def test_no_page_a_demo_user_reaches_scrolls_sideways_at_320_px(browser, live_server):
    for command in MAKE_RUN:
        call_command(command, stdout=StringIO(), stderr=StringIO())
    offenders, visited = [], {}
    for username, _name, _role, _trust, password in DEMO_USERS:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": WIDTH, "height": 800}
        )
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        found, visited[username] = crawl(page, live_server.url, username)
        offenders += found
        context.close()
    # Each user reached a good many pages, and none was cut short by the page bound.
    assert all(10 < count < MAX_PAGES_PER_USER for count in visited.values()), visited
    if offenders:
        pytest.fail("Pages that scroll sideways at 320 px:\n" + "\n".join(offenders))


def test_the_navigation_folds_behind_a_menu_button_on_a_phone(browser, live_server):
    UserFactory(username="e2e-phone", role=Role.ASSESSOR)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    page = context.new_page()
    sign_in(page, "e2e-phone")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.locator("#navigation")).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="Assessments")).to_be_visible()
    context.close()
