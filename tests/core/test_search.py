"""The search box finds every kind of item, only those the person may open (no count or
snippet gives another away), highlights safely, and costs the same queries at 10 and 230
trusts."""

from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.search import GROUP_SIZE, Terms, providers
from metrics.models import Trust
from tests.core.search_world import WORD, build_world, more_trusts
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db

URL = "/search/"
ALL_KINDS = {
    "trusts",
    "assessments",
    "evidence",
    "commentary",
    "challenges",
    "uor-kloes",
    "uor-prompts",
    "uor-characteristics",
    "wellled-kloes",
    "wellled-prompts",
    "wellled-characteristics",
    "wellled-good-practice",
}
# Text only Bravo's people may read, and text no trust may read before its time.
BETA_WORDS = ["Bravo", "betaevidence", "betacommentary", "betachallenge", "betaquestion"]
HIDDEN_FROM_TRUST = ["earlysecret", "alphadraftanswer", "alphaonlyanswer", "alphastatement"]


@pytest.fixture
def world():
    return build_world()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def search(user, text=WORD, **params):
    response = client_for(user).get(URL, {"q": text, **params})
    assert response.status_code == HTTPStatus.OK
    return response


def totals(response) -> dict[str, int]:
    return {group.kind: group.total for group in response.context["groups"]}


def test_a_trust_user_finds_only_their_own_trust_and_only_what_is_shared(world):
    response = search(world["people"]["trust_a"])
    assert totals(response) == {
        "trusts": 1,
        "assessments": 3,  # Alpha's three, by the trust's name
        "evidence": 1,  # not the evidence of the assessment still gathering it
        "commentary": 2,  # its own, submitted or not
        "challenges": 2,  # not the one matched only by an answer not yet signed off
        "uor-kloes": 1,  # the framework of its own assessments only
        "uor-prompts": 1,
        "wellled-kloes": 1,
        "wellled-prompts": 1,
        "wellled-characteristics": 1,
        "wellled-good-practice": 1,
    }
    page = response.content.decode()
    for word in BETA_WORDS + HIDDEN_FROM_TRUST + ["wloverall"]:
        assert word not in page, word
    for word in ["alphaevidence", "alphacommentary", "alphachallenge", "alphasignedanswer"]:
        assert word in page, word


def test_the_other_trust_sees_none_of_alphas_items(world):
    page = search(world["people"]["trust_b"]).content.decode()
    for word in ["Alpha", "alphaevidence", "alphacommentary", "alphachallenge", "alphaquestion"]:
        assert word not in page, word
    assert "betaevidence" in page


@pytest.mark.parametrize("kind", sorted(ALL_KINDS))
def test_a_kind_page_keeps_to_the_same_rows(world, kind):
    """The kind's own pages (`show all`) count and show only what the grouped page does."""
    response = search(world["people"]["trust_a"], kind=kind)
    page = response.content.decode()
    for word in BETA_WORDS + HIDDEN_FROM_TRUST:
        assert word not in page, word
    assert response.context["total"] == totals(search(world["people"]["trust_a"])).get(kind, 0)


def test_an_admin_finds_every_kind(world):
    found = totals(search(world["people"]["admin"]))
    assert set(found) == ALL_KINDS
    assert found["evidence"] == 3
    assert found["commentary"] == 2  # not the commentary the trust has not submitted
    assert found["challenges"] == 4  # answers of every state are the staff's to read
    assert found["uor-kloes"] == 2  # both framework versions have assessments


def test_staff_find_only_the_assessments_their_pages_show(world):
    people = world["people"]
    outsider = totals(search(people["outsider"]))
    assert "assessments" not in outsider
    assert "evidence" not in outsider
    assert outsider["trusts"] == 2  # staff see every trust
    qa = totals(search(people["qa"]))
    assert qa["assessments"] == 2
    assert qa["evidence"] == 2
    lead = search(people["lead"])
    assert "draftcommentary" not in lead.content.decode()
    assert totals(lead)["commentary"] == 2


@pytest.mark.parametrize("who", ["trust_a", "admin", "cqc", "lead"])
def test_every_hit_opens_for_the_person_who_found_it(world, who):
    user = world["people"][who]
    client = client_for(user)
    for group in search(user).context["groups"]:
        for hit in group.hits:
            assert client.get(urlsplit(hit.url).path).status_code == HTTPStatus.OK, hit.url


def test_matched_words_are_marked_and_everything_else_escaped(world):
    EvidenceFactory(
        assessment=world["shared_a"],
        text="Spend & income were <5% of \"plan\" <b>bold</b> <script>alert('owned')</script>",
    )
    admin = world["people"]["admin"]
    response = search(admin, "bold")
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "<b>" not in page
    [group] = response.context["groups"]
    [hit] = group.hits
    # NOTE: PostgreSQL's headline leaves markup out; what is left is escaped.
    for escaped in ["&amp; income", "&lt;5%", "&quot;plan&quot;", "<mark>bold</mark>"]:
        assert escaped in hit.snippet
    assert hit.snippet.count("<") == hit.snippet.count("<mark>") + hit.snippet.count("</mark>")
    # PostgreSQL's parser reads "<script>" as markup, not a word: nothing found, and the
    # words searched for come back escaped.
    page = search(admin, "<script>").content.decode()
    assert "<script>alert" not in page
    assert "“&lt;script&gt;”" in page


def test_stemmed_words_are_found_and_marked(world):
    page = search(world["people"]["admin"], "kingfishers").content.decode()
    assert "<mark>kingfisher</mark> alphaevidence" in page


@pytest.mark.parametrize("who", ["trust_a", "admin"])
def test_the_sqlite_fallback_finds_the_same_rows(world, who):
    """The demo's icontains path, run here on the PostgreSQL test database."""
    user = world["people"][who]
    full = totals(search(user))
    plain_terms = Terms(user=user, text=WORD, full_text=False)
    plain = {}
    for provider in providers():
        result = provider.find(plain_terms, offset=0, limit=GROUP_SIZE)
        if result.total:
            plain[provider.kind] = result.total
            snippets = " ".join(hit.snippet for hit in result.hits)
            assert "<mark>Kingfisher</mark>" in snippets or "<mark>kingfisher</mark>" in snippets
            for word in (BETA_WORDS + HIDDEN_FROM_TRUST) if who == "trust_a" else []:
                assert word not in snippets
    assert plain == full


def test_the_fallback_escapes_what_it_marks(world):
    EvidenceFactory(assessment=world["shared_a"], text="Look: <img src=x onerror=alert(1)> here")
    terms = Terms(user=world["people"]["admin"], text="<img", full_text=False)
    evidence = next(p for p in providers() if p.kind == "evidence")
    [hit] = evidence.find(terms, offset=0, limit=5).hits
    assert hit.snippet == "Look: <mark>&lt;img</mark> src=x onerror=alert(1)&gt; here"


def test_show_all_opens_the_kind_in_pages(world):
    for n in range(GROUP_SIZE + 21):
        EvidenceFactory(assessment=world["shared_a"], text=f"More {WORD} evidence {n}")
    admin = world["people"]["admin"]
    response = search(admin)
    evidence = next(g for g in response.context["groups"] if g.kind == "evidence")
    assert len(evidence.hits) == GROUP_SIZE
    assert evidence.total == GROUP_SIZE + 24
    assert f"Show all {evidence.total}" in response.content.decode()
    first = search(admin, kind="evidence")
    second = search(admin, kind="evidence", page=2)
    assert len(first.context["group"].hits) == 20
    assert len(second.context["group"].hits) == 9
    urls = {hit.url for hit in first.context["group"].hits + second.context["group"].hits}
    assert len(urls) == evidence.total
    past_the_end = search(admin, kind="evidence", page=9)
    assert past_the_end.context["page_obj"].number == 1


def test_an_unknown_kind_is_not_found(world):
    response = client_for(world["people"]["admin"]).get(URL, {"q": WORD, "kind": "secrets"})
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_too_long_a_search_is_refused_with_a_message(world):
    response = search(world["people"]["admin"], "x" * 201)
    assert "Search terms must be 200 characters or fewer" in response.content.decode()
    assert "groups" not in response.context


def test_the_header_has_the_search_box_for_everyone_signed_in(world, client):
    page = search(world["people"]["trust_a"], "").content.decode()
    assert 'id="header-search"' in page
    assert 'id="header-search"' not in client.get("/accounts/login/").content.decode()


def _queries(user) -> int:
    client = client_for(user)
    client.get(URL, {"q": WORD})  # the session and the user, read once
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL, {"q": WORD})
        assert response.status_code == HTTPStatus.OK
    return len(context)


def test_the_query_count_is_the_same_for_10_and_230_trusts(world):
    people = world["people"]
    who = ["admin", "trust_a", "lead", "qa"]
    more_trusts(8)
    assert Trust.objects.count() == 10
    at_10 = {role: _queries(people[role]) for role in who}
    more_trusts(220, start=8)
    assert Trust.objects.count() == 230
    at_230 = {role: _queries(people[role]) for role in who}
    assert at_230 == at_10
    # Two for the assessments the person sees (with their teams), one per kind at most.
    assert at_10["admin"] <= len(providers()) + 2 + 6
    print(f"search: {at_10} queries at 10 and at 230 trusts")


def test_a_page_that_is_not_a_number_is_refused_with_a_message(world):
    response = search(world["people"]["admin"], kind="evidence", page="two")
    assert "The page of results must be a whole number" in response.content.decode()


def test_the_fallback_finds_a_quoted_phrase_by_its_words(world):
    terms = Terms(user=world["people"]["admin"], text='"agency kingfisher"', full_text=False)
    evidence = next(p for p in providers() if p.kind == "evidence")
    assert evidence.find(terms, offset=0, limit=5).total == 3
