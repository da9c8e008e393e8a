"""Schemathesis over /api/v1/schema/ as each role: no 5xx, and every answer as documented.

Each role signs in (a real session cookie, and the CSRF cookie and header DRF asks of an
unsafe method) and sends every operation of the schema a few generated requests, in-process
through Django's request handler inside the test's transaction. Path parameters point at
real objects of a small world (assessments at several steps, a challenge, a report, well-led
records) most of the time, so the requests reach the services, not only 404s.
"""

import hashlib
from http import HTTPStatus

import pytest
import schemathesis
from django.conf import settings
from django.test import Client
from django.test.client import ClientHandler
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from assessments.models import (
    Challenge,
    DiscussionMessage,
    PublishedRating,
    ReportVersion,
    Status,
)
from assessments.services import rating_propose
from metrics.models import Role
from metrics.services import metric_definitions_load
from tests.factories import (
    PDF_BYTES,
    AssessmentFactory,
    CommentaryFactory,
    DevelopmentalReviewFactory,
    EvidenceFactory,
    SelfReviewFactory,
    TrustFactory,
    UserFactory,
    WellLedActionFactory,
    visit_held,
)

pytestmark = pytest.mark.django_db

# Requests per operation: with the real objects drawn first, enough to reach the world's
# branches; few enough that a role takes about half a minute.
EXAMPLES = 4


def csrf_accepted(ctx, response, case):
    """The session's CSRF token was taken: otherwise every unsafe request would be a 403,
    which the schema allows, and the run would prove nothing about writes."""
    if b"CSRF Failed" in (response.content or b""):
        raise AssertionError(f"CSRF refused: {response.content!r}")


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    csrf_accepted,
]
CSRF_TOKEN = "schemathesis0csrf0token000000000"  # 32 letters and digits, as Django's
ASSESSMENT_KLOES = ["finance", "people", "overall"]


def wsgi_app(environ, start_response):
    """Django's test request handler as a WSGI application: it keeps the test's database
    connection (and transaction) open between requests, which Django's own WSGIHandler
    closes, and checks CSRF as production does."""
    response = HANDLER(environ)
    headers = [*response.items()]
    headers += [("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    return response.streaming_content if response.streaming else [response.content]


HANDLER = ClientHandler(enforce_csrf_checks=True)


def set_status(assessment, status):
    type(assessment).objects.filter(pk=assessment.pk).update(status=status)
    assessment.refresh_from_db()
    return assessment


def ready_report(assessment, kind="draft"):
    return ReportVersion.objects.create(
        assessment=assessment,
        kind=kind,
        number=1,
        status="ready",
        pdf=PDF_BYTES,
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )


def build_world() -> dict:
    """Two trusts; the own trust's assessments at five steps with their records; well-led."""
    own = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")
    other = TrustFactory(ods_code="RBB", name="Beta Hospitals NHS Trust")
    people = {
        "admin": UserFactory(username="s-admin", role=Role.ADMIN),
        "assessor": UserFactory(username="s-assessor", role=Role.ASSESSOR),
        "qa": UserFactory(username="s-qa", role=Role.QA),
        "cqc": UserFactory(username="s-cqc", role=Role.CQC),
        "trust": UserFactory(username="s-trust", role=Role.TRUST, trust=own),
    }
    lead = people["assessor"]
    metric_definitions_load()

    scheduled = AssessmentFactory(trust=own, lead=lead)
    CommentaryFactory(assessment=scheduled, updated_by=people["trust"])

    gathering = visit_held(set_status(AssessmentFactory(trust=own, lead=lead), Status.EVIDENCE))
    EvidenceFactory(assessment=gathering)
    rating_propose(
        assessment=gathering,
        actor=lead,
        kloe=gathering.framework.kloes.get(code="finance"),
        rating=2,
        rationale="Service-line reporting is used in every division.",
    )

    checking = visit_held(AssessmentFactory(trust=own, lead=lead))
    EvidenceFactory(assessment=checking)
    set_status(checking, Status.FACTUAL_ACCURACY)
    report = ready_report(checking)
    raised = Challenge.objects.create(
        assessment=checking,
        number=1,
        kind=Challenge.Kind.TYPING,
        section="Finance",
        passage="12%",
        correction="2%",
        reason="A typing error",
        raised_by=people["trust"],
    )
    accepted = Challenge.objects.create(
        assessment=checking,
        number=2,
        kind=Challenge.Kind.TYPING,
        target=Challenge.Target.SUMMARY,
        section="Summary of findings",
        passage="12%",
        correction="2%",
        reason="A typing error",
        raised_by=people["trust"],
        outcome=Challenge.Outcome.ACCEPTED,
        response="Agreed.",
    )

    disputed = set_status(visit_held(AssessmentFactory(trust=own, lead=lead)), Status.DISPUTE)
    DiscussionMessage.objects.create(assessment=disputed, author=people["cqc"], text="Why 3?")

    published = set_status(visit_held(AssessmentFactory(trust=own, lead=lead)), Status.PUBLISHED)
    PublishedRating.objects.create(
        assessment=published,
        version=1,
        rating=2,
        published_by=people["cqc"],
        published_at=timezone.now(),
    )
    final = ready_report(published, kind="final")

    elsewhere = AssessmentFactory(trust=other)
    dev_review = DevelopmentalReviewFactory(trust=own)
    self_review = SelfReviewFactory(trust=own)
    return {
        "people": people,
        "assessments": [
            a.pk for a in (scheduled, gathering, checking, disputed, published, elsewhere)
        ],
        "challenges": [str(raised.pk), str(accepted.pk)],
        "reports": [str(report.pk), str(final.pk)],
        "self-reviews": [self_review.pk],
        "developmental-reviews": [dev_review.pk],
        "actions": [WellLedActionFactory(developmental_review=dev_review).pk],
        "wellled_kloes": list(self_review.framework.kloes.values_list("code", flat=True)),
        "ods_codes": [own.ods_code, other.ods_code],
        "metric_codes": ["ie_margin", "agency_spend"],
    }


def real_values(world: dict, path: str, name: str) -> list:
    """The real objects a path parameter may name: of the path's own kind."""
    if name == "ods_code":
        return world["ods_codes"]
    if name in ("challenge_pk", "report_pk"):
        return world[name.replace("_pk", "s")]
    if name == "code":
        return world["wellled_kloes"] if "/wellled/" in path else world["metric_codes"]
    if path.startswith("/api/v1/assessments/"):
        return world["assessments"]
    return world.get(path.split("/")[4], [])


def modes_for(operation) -> list[GenerationMode]:
    """Invalid requests too where there is input to get wrong: a body or query parameters
    (an invalid path parameter is only ever a 404)."""
    has_input = bool(operation.body) or bool(operation.query)
    if has_input:
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


@st.composite
def requests_to(draw, operation, world: dict):
    """A generated request, pointed most of the time at a real object and a real KLOE."""
    mode = draw(st.sampled_from(modes_for(operation)))
    case = draw(operation.as_strategy(generation_mode=mode))
    # None keeps the generated value (most likely a 404); the first choices are real.
    for name in list(case.path_parameters or {}):
        value = draw(st.sampled_from([*real_values(world, operation.path, name), None]))
        if value is not None:
            case.path_parameters[name] = value
    if isinstance(case.body, dict) and "kloe" in case.body:
        kloes = world["wellled_kloes"] if "/wellled/" in operation.path else ASSESSMENT_KLOES
        if (kloe := draw(st.sampled_from([*kloes, None]))) is not None:
            case.body["kloe"] = kloe
    return case


def signed_in_cookies(user) -> dict:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: CSRF_TOKEN}


def api_schema(user) -> schemathesis.schemas.BaseSchema:
    client = Client()
    client.force_login(user)
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == HTTPStatus.OK
    return schemathesis.openapi.from_dict(response.json())


def exercise(operation, world: dict, cookies: dict) -> str | None:
    """Send the operation its requests; the first answer out of line, described, or None."""

    @hypothesis_settings(
        max_examples=EXAMPLES,
        phases=[Phase.explicit, Phase.generate],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=requests_to(operation, world))
    def run(case):
        case.call_and_validate(
            app=wsgi_app, cookies=cookies, headers={"X-CSRFToken": CSRF_TOKEN}, checks=CHECKS
        )

    try:
        run()
    except (Exception, BaseExceptionGroup) as failure:
        return f"{operation.label}: {failure}"
    return None


# Fields that name an existing object by its code (a trust, a framework, a user, a KLOE): the
# lookup refuses anything else with a 400, so their length needs no limit of its own.
REFERENCES = {"trust", "framework", "lead", "members", "kloes"}


def unlimited_texts(schema: dict, components: dict, where: str) -> list[str]:
    """Where a request body takes a string of any length (not a choice, date, file or
    reference)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return unlimited_texts(components[name], components, f"{where}/{name}")
    found = []
    for key in ("oneOf", "anyOf", "allOf"):
        for index, part in enumerate(schema.get(key, [])):
            found += unlimited_texts(part, components, f"{where}/{key}{index}")
    for name, part in schema.get("properties", {}).items():
        if not part.get("readOnly") and name not in REFERENCES:
            found += unlimited_texts(part, components, f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found += unlimited_texts(schema[key], components, f"{where}[]")
    if schema.get("type") == "string" and not {"enum", "format", "maxLength"} & set(schema):
        found.append(where)
    return found


def test_every_text_the_api_takes_has_a_longest_length(admin_user):
    schema = api_schema(admin_user).raw_schema
    components = schema["components"]["schemas"]
    unlimited = [
        text
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for media, body in operation.get("requestBody", {}).get("content", {}).items()
        for text in unlimited_texts(body["schema"], components, f"{method.upper()} {path} {media}")
    ]
    assert unlimited == []


@pytest.mark.parametrize("role", ["admin", "assessor", "qa", "cqc", "trust"])
def test_every_operation_answers_as_documented(role):
    world = build_world()
    user = world["people"][role]
    schema = api_schema(user)
    cookies = signed_in_cookies(user)
    failures = [
        failure
        for result in schema.get_all_operations()
        if (failure := exercise(result.ok(), world, cookies))
    ]
    assert failures == [], "\n\n".join(failures)


def test_an_api_url_no_route_matches_answers_json_and_a_page_url_a_page(client):
    missing = client.get("/api/v1/no-such-thing/")
    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert (missing["Content-Type"], missing.json()) == (
        "application/json",
        {"detail": "Not found."},
    )
    page = client.get("/no-such-page/")
    assert page.status_code == HTTPStatus.NOT_FOUND
    assert page["Content-Type"].startswith("text/html")
