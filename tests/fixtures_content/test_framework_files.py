"""The framework content files in fixtures/frameworks/: shape, counts and cross-references.

Plain file checks, no database: run with `pytest tests/fixtures_content -p no:django`.
"""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = ROOT / "fixtures" / "frameworks"
METRIC_DEFINITIONS = ROOT / "fixtures" / "metric_definitions.yaml"

FILES = ["uor-2016-draft", "uor-2017-acute", "uor-2017-acute-2", "wellled-2017"]
UOR_FILES = ["uor-2016-draft", "uor-2017-acute", "uor-2017-acute-2"]
UOR_2017 = ["uor-2017-acute", "uor-2017-acute-2"]
LEVELS = ["outstanding", "good", "requires_improvement", "inadequate"]
TOP_KEYS = [
    "code",
    "name",
    "version",
    "published",
    "sources",
    "notes",
    "rating_levels",
    "overall_characteristics",
    "kloes",
]
KLOE_KEYS = {"code", "number", "title", "question", "metric_codes", "prompts", "characteristics"}
WELLLED_PROMPT_COUNTS = {1: 4, 2: 6, 3: 9, 4: 5, 5: 6, 6: 7, 7: 5, 8: 5}


def load(name):
    with open(FRAMEWORKS / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module", params=FILES)
def framework(request):
    return request.param, load(request.param)


def all_strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from all_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from all_strings(value)


# ---- every file ---------------------------------------------------------------------------


def test_top_level_keys(framework):
    name, data = framework
    assert [key for key in data if key in TOP_KEYS] == TOP_KEYS
    assert data["code"] == name
    assert data["rating_levels"] == LEVELS
    assert data["sources"]
    assert all(isinstance(s, str) and s for s in data["sources"])
    assert isinstance(data["notes"], str)
    assert data["notes"].strip()


def test_kloe_shape_and_order(framework):
    _, data = framework
    kloes = data["kloes"]
    assert [k["number"] for k in kloes] == list(range(1, len(kloes) + 1))
    codes = [k["code"] for k in kloes]
    assert len(codes) == len(set(codes))
    for kloe in kloes:
        assert set(kloe) >= KLOE_KEYS, kloe["code"]
        assert kloe["code"].replace("_", "").isalnum()
        assert kloe["code"] == kloe["code"].lower()
        assert kloe["title"]
        assert kloe["question"].endswith("?")
        assert isinstance(kloe["metric_codes"], list)
        assert kloe["prompts"], kloe["code"]


def test_prompt_codes_unique_and_shaped(framework):
    name, data = framework
    prompts = [p for k in data["kloes"] for p in k["prompts"]]
    codes = [p["code"] for p in prompts]
    assert len(codes) == len(set(codes))
    for prompt in prompts:
        assert prompt["text"].strip() == prompt["text"]
        assert prompt["text"]
        assert "carried_over_from" in prompt
        if name.startswith("wellled"):
            assert prompt["applies_to"] in {"core", "mental_health"}
        else:
            assert "applies_to" not in prompt


def test_every_kloe_has_characteristics_for_all_four_levels(framework):
    _, data = framework
    for kloe in data["kloes"]:
        assert list(kloe["characteristics"]) == LEVELS, kloe["code"]
        for level in LEVELS:
            statements = kloe["characteristics"][level]
            assert statements, (kloe["code"], level)
            assert all(isinstance(s, str) and s.strip() == s and s for s in statements)


def test_overall_characteristics_for_all_four_levels(framework):
    _, data = framework
    overall = data["overall_characteristics"]
    assert list(overall) == LEVELS
    assert all(overall[level] for level in LEVELS)


def test_no_layout_residue_in_text(framework):
    _, data = framework
    content = {"overall": data["overall_characteristics"], "kloes": data["kloes"]}
    for text in all_strings(content):
        for residue in ("Continues...", "](#)", "<p>", "</p>", "<ul", "**", "\t", "•"):
            assert residue not in text, (residue, text[:80])


def test_metric_codes_exist_in_metric_definitions(framework):
    with open(METRIC_DEFINITIONS, encoding="utf-8") as f:
        known = {m["code"] for m in yaml.safe_load(f)}
    _, data = framework
    for kloe in data["kloes"]:
        assert len(kloe["metric_codes"]) == len(set(kloe["metric_codes"]))
        missing = set(kloe["metric_codes"]) - known
        assert not missing, (kloe["code"], missing)


# ---- UoR 2016 draft -----------------------------------------------------------------------


def test_2016_draft_has_four_kloes_with_figure_a5_prompts():
    data = load("uor-2016-draft")
    kloes = data["kloes"]
    assert [k["code"] for k in kloes] == ["finance", "clinical_services", "people", "operational"]
    assert [k["title"] for k in kloes] == ["Finance", "Clinical services", "People", "Operational"]
    assert [len(k["prompts"]) for k in kloes] == [8, 6, 9, 7]
    assert [p["code"] for p in kloes[0]["prompts"]] == [f"F{i}" for i in range(1, 9)]
    assert all(p["carried_over_from"] is None for k in kloes for p in k["prompts"])
    assert kloes[1]["question"] == (
        "How well is the trust maximising patient benefit, given its resources?"
    )
    assert kloes[2]["question"] == (
        "How effectively is the trust using its workforce to maximise patient benefit?"
    )
    assert kloes[2]["prompts"][2]["text"] == (
        "Are there significant gaps in current staff rotas? "
        "What is the trust doing to address these?"
    )


def test_2016_draft_characteristics_are_annex_a_section_4_statements():
    data = load("uor-2016-draft")
    overall = data["overall_characteristics"]
    assert [len(overall[level]) for level in LEVELS] == [11, 7, 8, 10]
    assert overall["outstanding"][0].startswith("The trust is performing strongly")
    assert overall["inadequate"][-1].startswith("The trust is not utilising its existing digital")
    for kloe in data["kloes"]:
        for level in LEVELS:
            assert set(kloe["characteristics"][level]) <= set(overall[level]), kloe["code"]
    allocated = {
        level: {s for k in data["kloes"] for s in k["characteristics"][level]} for level in LEVELS
    }
    # Only the opening statement of each level, and two general statements, are overall only.
    assert [len(overall[level]) - len(allocated[level]) for level in LEVELS] == [1, 1, 2, 2]


def test_2016_draft_finance_metrics_are_the_sof_five():
    finance = load("uor-2016-draft")["kloes"][0]
    assert finance["metric_codes"] == [
        "capital_service_capacity",
        "liquidity_days",
        "ie_margin",
        "distance_from_plan",
        "agency_spend_vs_cap",
    ]


# ---- UoR 2017 acute -----------------------------------------------------------------------


@pytest.mark.parametrize("name", UOR_2017)
def test_2017_acute_has_the_five_final_kloes_in_order(name):
    kloes = load(name)["kloes"]
    assert [k["title"] for k in kloes] == [
        "Clinical services",
        "People",
        "Clinical support services",
        "Corporate services, procurement, estates and facilities",
        "Finance",
    ]
    assert [k["code"] for k in kloes] == [
        "clinical_services",
        "people",
        "clinical_support_services",
        "corporate_services",
        "finance",
    ]
    assert [len(k["prompts"]) for k in kloes] == [6, 9, 1, 6, 8]


@pytest.mark.parametrize("name", UOR_2017)
def test_2017_acute_prompts_are_carried_over_verbatim_from_2016(name):
    old = load("uor-2016-draft")
    old_prompts = {(k["code"], p["code"]): p["text"] for k in old["kloes"] for p in k["prompts"]}
    new = load(name)
    sources = []
    for kloe in new["kloes"]:
        for prompt in kloe["prompts"]:
            framework, kloe16, code16 = prompt["carried_over_from"].split(":")
            assert framework == "uor-2016-draft"
            assert prompt["text"] == old_prompts[(kloe16, code16)]
            sources.append((kloe16, code16))
    # Every 2016 prompt is carried over exactly once.
    assert sorted(sources) == sorted(old_prompts)


@pytest.mark.parametrize("name", UOR_2017)
def test_2017_acute_characteristics_are_carried_over_from_2016(name):
    old = load("uor-2016-draft")
    new = load(name)
    assert new["overall_characteristics"] == old["overall_characteristics"]
    old_by_code = {k["code"]: k["characteristics"] for k in old["kloes"]}
    new_by_code = {k["code"]: k["characteristics"] for k in new["kloes"]}
    for code in ("clinical_services", "people", "finance"):
        assert new_by_code[code] == old_by_code[code]
    assert new_by_code["corporate_services"] == old_by_code["operational"]
    for level in LEVELS:
        support = new_by_code["clinical_support_services"][level]
        assert all("pathology" in s for s in support)
        assert set(support) <= set(old_by_code["operational"][level])


@pytest.mark.parametrize("name", UOR_2017)
def test_2017_acute_notes_say_what_was_carried_over(name):
    notes = load(name)["notes"].lower()
    for phrase in ("carried over", "clinical support services", "limiters", "cannot challenge"):
        assert phrase in notes


# ---- Provenance and scope -------------------------------------------------------------------


@pytest.mark.parametrize("name", UOR_FILES)
def test_every_uor_file_says_where_its_words_come_from(name):
    data = load(name)
    assert data["trust_types"] == ["acute"]
    assert data["consultation_draft"] is (name == "uor-2016-draft")
    provenance = data["provenance"]
    assert set(provenance) == {"framework", "kloe", "prompt", "characteristic"}
    assert all(text.strip() for text in provenance.values())
    assert "later" in data["notes"]
    assert "stand" in data["notes"]


def test_the_first_2017_version_keeps_its_content_and_says_it_asks_one_question_twice():
    kloes = {k["code"]: k for k in load("uor-2017-acute")["kloes"]}
    operational = "How well is the trust maximising its operational productivity?"
    for code in ("clinical_support_services", "corporate_services"):
        assert kloes[code]["question"] == operational
        assert "both clinical support services and corporate services" in kloes[code]["source"]


def test_revision_2_gives_the_two_operational_kloes_their_own_questions_saying_so():
    first = {k["code"]: k for k in load("uor-2017-acute")["kloes"]}
    second = {k["code"]: k for k in load("uor-2017-acute-2")["kloes"]}
    support, corporate = second["clinical_support_services"], second["corporate_services"]
    assert support["question"] != corporate["question"]
    assert "clinical support services" in support["question"]
    assert "corporate services, procurement, estates and facilities" in corporate["question"]
    for kloe in (support, corporate):
        assert kloe["source"].startswith("The service's wording, derived from the 2017 brief")
        assert "Operational and Finance" in kloe["source"]
    # Nothing else differs from the version in use.
    for code in first:
        if code not in ("clinical_support_services", "corporate_services"):
            assert first[code] == second[code]
    agenda = ROOT.parent / "shared/reference/seeds/004_07cef81e6bada78f.txt"
    if agenda.exists():
        text = agenda.read_text()
        assert "Questions on Clinical support services KLOE" in text
        assert "Corporate services, procurement, estates and facilities KLOE" in text


@pytest.mark.parametrize("name", UOR_2017)
def test_the_2017_frameworks_mark_the_statements_on_future_plans_outside_their_scope(name):
    data = load(name)
    outside = data["outside_scope"]
    assert "does not cover a trust's strategy or plans" in outside["reason"]
    every = {s for level in data["overall_characteristics"].values() for s in level}
    assert set(outside["statements"]) <= every
    assert len(outside["statements"]) == 3
    assert any("next 12 months" in s for s in outside["statements"])
    assert "outside_scope" not in load("uor-2016-draft")


# ---- Well-led 2017 ------------------------------------------------------------------------


def test_wellled_has_w1_to_w8_with_every_prompt():
    kloes = load("wellled-2017")["kloes"]
    assert [k["number"] for k in kloes] == list(range(1, 9))
    for kloe in kloes:
        n = kloe["number"]
        assert [p["code"] for p in kloe["prompts"]] == [
            f"W{n}.{i}" for i in range(1, WELLLED_PROMPT_COUNTS[n] + 1)
        ]
        assert kloe["metric_codes"] == []
    assert sum(len(k["prompts"]) for k in kloes) == 47


def test_wellled_w4_5_is_for_mental_health_services_only():
    prompts = {p["code"]: p for k in load("wellled-2017")["kloes"] for p in k["prompts"]}
    assert prompts["W4.5"]["applies_to"] == "mental_health"
    assert "Mental Health Act 1983" in prompts["W4.5"]["text"]
    others = {code for code, p in prompts.items() if p["applies_to"] == "core"}
    assert others == set(prompts) - {"W4.5"}


def test_wellled_uses_the_2017_question_wording():
    kloes = {k["number"]: k for k in load("wellled-2017")["kloes"]}
    assert kloes[6]["question"] == (
        "Is appropriate and accurate information being effectively processed, challenged and "
        "acted on?"
    )
    assert kloes[2]["question"] == (
        "Is there a clear vision and a credible strategy to deliver high quality, sustainable "
        "care to people, and robust plans to deliver?"
    )
    w85 = kloes[8]["prompts"][4]["text"]
    assert w85.startswith("Are there systems in place to support improvement and innovation work")


def test_wellled_good_practice_per_kloe():
    kloes = load("wellled-2017")["kloes"]
    assert [len(k["good_practice"]) for k in kloes] == [4, 5, 6, 3, 5, 7, 3, 5]
    for kloe in kloes:
        for item in kloe["good_practice"]:
            assert set(item) == {"characteristic", "descriptions"}
            assert item["characteristic"]
            assert item["descriptions"], item["characteristic"]
    first = kloes[0]["good_practice"][3]
    assert first["characteristic"] == "Leaders at every level are visible and approachable."


def test_wellled_ratings_characteristics_from_annex_b():
    data = load("wellled-2017")
    counts = {
        k["number"]: [len(k["characteristics"][level]) for level in LEVELS] for k in data["kloes"]
    }
    assert counts == {
        1: [4, 4, 5, 6],
        2: [4, 7, 7, 7],
        3: [6, 15, 10, 11],
        4: [2, 3, 3, 4],
        5: [2, 6, 5, 3],
        6: [3, 10, 5, 4],
        7: [5, 3, 2, 4],
        8: [6, 5, 4, 3],
    }
    assert [len(data["overall_characteristics"][level]) for level in LEVELS] == [1, 1, 1, 1]
    w4 = data["kloes"][3]
    mental_health = w4["characteristics_mental_health"]
    assert list(mental_health) == ["good", "requires_improvement", "inadequate"]
    assert all("characteristics_mental_health" not in k for k in data["kloes"] if k is not w4)


@pytest.mark.parametrize("name", UOR_FILES)
def test_a_prompts_metrics_are_its_kloes_and_each_answers_one_prompt(name):
    """Metric evidence attaches to the prompt its metric answers: each prompt names only
    metrics of its own KLOE, and no metric answers two prompts of a KLOE."""
    unanswered = set()
    for kloe in load(name)["kloes"]:
        named = [c for p in kloe["prompts"] for c in p.get("metric_codes") or []]
        assert set(named) <= set(kloe["metric_codes"]), kloe["code"]
        assert len(named) == len(set(named)), kloe["code"]
        unanswered |= set(kloe["metric_codes"]) - set(named)
    # The 2017 clinical support services prompt asks about pathology, not pharmacy spend.
    assert unanswered == ({"pharmacy_spend_qoq_change"} if name in UOR_2017 else set())
