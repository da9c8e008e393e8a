"""The framework loads from fixtures/ with every KLOE and prompt; the reader page and API show
it and search it."""

from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.urls import reverse

from wellled.models import (
    Framework,
    GoodPractice,
    PriorityScheme,
    Prompt,
    RatingsCharacteristic,
)
from wellled.services import wellled_load_all

pytestmark = pytest.mark.django_db

# Annex B of the December 2016 consultation: every prompt code, W4.5 for specialist mental
# health services only.
ANNEX_B_PROMPTS = {1: 4, 2: 6, 3: 9, 4: 5, 5: 6, 6: 7, 7: 5, 8: 5}
EXPECTED_CODES = {f"W{k}.{n}" for k, count in ANNEX_B_PROMPTS.items() for n in range(1, count + 1)}
QUESTIONS_2017 = {
    1: "Is there the leadership capacity and capability to deliver high quality, sustainable care?",
    2: "Is there a clear vision and a credible strategy to deliver high quality, sustainable care "
    "to people, and robust plans to deliver?",
    6: "Is appropriate and accurate information being effectively processed, challenged and "
    "acted on?",
}


def test_the_framework_loads_every_kloe_and_prompt(framework):
    kloes = list(framework.kloes.order_by("number"))
    assert [kloe.number for kloe in kloes] == list(range(1, 9))
    codes = set(Prompt.objects.filter(kloe__framework=framework).values_list("code", flat=True))
    assert codes == EXPECTED_CODES
    assert len(codes) == 47
    for kloe in kloes:
        assert kloe.prompts.count() == ANNEX_B_PROMPTS[kloe.number]
        assert all(p.code.startswith(f"W{kloe.number}.") for p in kloe.prompts.all())


def test_the_questions_and_prompts_use_the_2017_wording(framework):
    by_number = {kloe.number: kloe for kloe in framework.kloes.all()}
    for number, question in QUESTIONS_2017.items():
        assert by_number[number].question == question
    w35 = Prompt.objects.get(kloe__framework=framework, code="W3.5")
    assert w35.text.startswith("Does the culture encourage, openness and honesty")
    w11 = Prompt.objects.get(kloe__framework=framework, code="W1.1")
    assert "on an ongoing basis" in w11.text


def test_w4_5_applies_to_specialist_mental_health_services_only(framework):
    applies = dict(
        Prompt.objects.filter(kloe__framework=framework).values_list("code", "applies_to")
    )
    assert applies.pop("W4.5") == Prompt.AppliesTo.MENTAL_HEALTH
    assert set(applies.values()) == {Prompt.AppliesTo.CORE}


def test_each_kloe_has_four_levels_of_characteristics_and_good_practice(framework):
    for kloe in framework.kloes.all():
        levels = set(
            RatingsCharacteristic.objects.filter(kloe=kloe, mental_health=False).values_list(
                "level", flat=True
            )
        )
        assert levels == {1, 2, 3, 4}, kloe
        assert GoodPractice.objects.filter(kloe=kloe).exists(), kloe
        assert all(p.descriptions.exists() for p in kloe.good_practice.all()), kloe
    mental_health = RatingsCharacteristic.objects.filter(mental_health=True)
    assert set(mental_health.values_list("kloe__number", flat=True)) == {4}
    assert set(mental_health.values_list("level", flat=True)) == {2, 3, 4}
    assert RatingsCharacteristic.objects.filter(kloe__isnull=True).count() == 4


def test_loading_twice_keeps_one_copy_and_the_admins_scheme(framework):
    scheme = PriorityScheme.objects.get()
    scheme.levels.filter(number=1).update(label="Assured")
    lines = wellled_load_all()
    assert Framework.objects.count() == 1
    assert Prompt.objects.count() == 47
    assert PriorityScheme.objects.get().levels.get(number=1).label == "Assured"
    assert "kept as it is" in lines[1]


def test_the_command_loads_the_framework_and_a_four_level_scheme(db, capsys):
    call_command("load_wellled_framework")
    assert "wellled-2017: loaded" in capsys.readouterr().out
    labels = list(PriorityScheme.objects.get().levels.values_list("label", flat=True))
    assert labels == ["No concerns", "Minor concerns", "Moderate concerns", "Significant concerns"]


def test_the_reader_page_shows_the_framework_and_searches_it(client, framework, trust_user):
    client.force_login(trust_user)
    url = reverse("wellled:framework")
    page = client.get(url).content.decode()
    assert "W8. Learning, continuous improvement and innovation" in page
    assert "W4.5" in page
    assert "Specialist mental health services only" in page
    found = client.get(url, {"q": "succession"}).content.decode()
    assert 'id="search-results"' in found
    assert "W1.4" in found
    nothing = client.get(url, {"q": "zzzz-no-such-text"}).content.decode()
    assert "0 results for" in nothing


def test_the_api_serves_the_framework(client, framework, cqc_user):
    client.force_login(cqc_user)
    response = client.get("/api/v1/wellled/framework/")
    assert response.status_code == HTTPStatus.OK
    data = response.json()
    assert [kloe["number"] for kloe in data] == list(range(1, 9))
    w4 = client.get("/api/v1/wellled/framework/governance_and_accountability/").json()
    assert [p["code"] for p in w4["prompts"]][-1] == "W4.5"
    assert w4["good_practice"][0]["descriptions"]


def test_the_openapi_schema_lists_the_well_led_api(client, assessor):
    client.force_login(assessor)
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == HTTPStatus.OK
    schema = response.content.decode()
    for path in (
        "/api/v1/wellled/framework/",
        "/api/v1/wellled/self-reviews/{id}/sign-off/",
        "/api/v1/wellled/developmental-reviews/",
        "/api/v1/wellled/actions/",
        "/api/v1/wellled/cqc-ratings/",
        "/api/v1/wellled/oversight/",
    ):
        assert path in schema, path
