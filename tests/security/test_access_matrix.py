"""Every route the URL resolver knows, as every actor, with every method, on PostgreSQL.

The expected answers come from each app's access.py (gathered by core.access); this test
only builds the world (real objects of two trusts) and compares.
A route with no row fails the suite.
"""

import os
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.models import Assessment, Evidence
from core.access import (
    STATIC_PATHS,
    Actor,
    Answer,
    Route,
    matrix,
    resolver_routes,
    routes_without_rows,
    row_for,
)
from metrics.models import DataLoad, Notification, Role, SecurityEvent, Trust, User
from tests.factories import (
    AgendaSessionFactory,
    AssessmentFactory,
    AttachmentFactory,
    EvidenceFactory,
    TrustFactory,
    UserFactory,
    visit_held,
)

# One folder per test run (scripts/test.sh sets it), so two runs never mix their tables.
REPORT_DIR = Path(
    os.environ.get("UOR_MATRIX_REPORT_DIR")
    or Path(__file__).resolve().parents[2] / ".tmp-access-matrix"
)
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
ROUTES = resolver_routes()


@dataclass
class World:
    """Real objects of two trusts: actors of each kind and the objects routes point at."""

    trust: Trust
    other_trust: Trust
    actors: dict[Actor, User | None]
    data_load: DataLoad
    subject: User  # a user the admin pages can act on without touching an actor
    assessment: Assessment  # of `trust`, led by the assessor on the team
    evidence: Evidence  # on `assessment`, with one attached file
    wellled: dict | None = None  # well-led objects of `trust` (see _wellled_world)


@pytest.fixture
def world(db):
    from metrics.services.peer_groups import peer_groups_ensure_defaults

    peer_groups_ensure_defaults()  # a transactional test before may have flushed them
    trust = TrustFactory(ods_code="RAA", name="Alpha Hospitals NHS Trust")
    other_trust = TrustFactory(ods_code="RBB", name="Beta Hospitals NHS Trust")
    admin = UserFactory(username="m-admin", role=Role.ADMIN)
    actors = {
        Actor.ANONYMOUS: None,
        Actor.ADMIN: admin,
        Actor.ASSESSOR_ON_TEAM: UserFactory(username="m-assessor", role=Role.ASSESSOR),
        Actor.ASSESSOR_OFF_TEAM: UserFactory(username="m-assessor2", role=Role.ASSESSOR),
        Actor.QA: UserFactory(username="m-qa", role=Role.QA),
        Actor.CQC: UserFactory(username="m-cqc", role=Role.CQC),
        Actor.TRUST_OWN: UserFactory(username="m-trust", role=Role.TRUST, trust=trust),
        Actor.TRUST_OTHER: UserFactory(username="m-trust2", role=Role.TRUST, trust=other_trust),
    }
    data_load = DataLoad.objects.create(
        kind=DataLoad.Kind.TRUSTS, file_name="trusts.csv", content=b"x", uploaded_by=admin
    )
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN, username="m-admin")
    AccessAttempt.objects.create(
        username="someone", ip_address="127.0.0.1", user_agent="test", failures_since_start=1
    )
    subject = UserFactory(username="m-subject", role=Role.ASSESSOR)
    assessment = AssessmentFactory(trust=trust, lead=actors[Actor.ASSESSOR_ON_TEAM])
    # The site visit held yesterday: the rows say who may act in each state, and ratings
    # wait for the visit's day.
    visit_held(assessment)
    AgendaSessionFactory(assessment=assessment, number=1)
    evidence = EvidenceFactory(assessment=assessment)
    AttachmentFactory(evidence=evidence)
    world = World(trust, other_trust, actors, data_load, subject, assessment, evidence)
    world.wellled = _wellled_world(trust)
    return world


def _wellled_world(trust: Trust) -> dict:
    """Well-led objects of `trust`: a draft self-review with a file and a ready PDF, a
    completed developmental review, an action, and the admin's priority scheme."""
    import hashlib

    from tests.factories import (
        PDF_BYTES,
        DevelopmentalReviewFactory,
        SelfReviewAttachmentFactory,
        SelfReviewFactory,
        WellLedActionFactory,
    )
    from wellled.models import SelfReviewReport

    review = SelfReviewFactory(trust=trust)
    dev_review = DevelopmentalReviewFactory(trust=trust)
    report = SelfReviewReport.objects.create(
        review=review,
        number=1,
        status="ready",
        pdf=PDF_BYTES,
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )
    return {
        "self_review": review,
        "attachment": SelfReviewAttachmentFactory(review=review),
        "report": report,
        "dev_review": dev_review,
        "action": WellLedActionFactory(developmental_review=dev_review),
    }


def _admin_object_kwargs(world: World, route: Route) -> dict:
    """Fill an admin route's arguments from the model its name (or path) speaks of."""
    keys = set(route.pattern.pattern.regex.groupindex)
    kwargs = {}
    if "app_label" in keys:
        kwargs["app_label"] = "metrics"
    if "id" in keys:  # the admin's set-password page for a user
        kwargs["id"] = str(world.subject.pk)
    if "object_id" in keys:
        name = route.name.removeprefix("admin:")
        model = next(
            m.model_class()
            for m in ContentType.objects.all()
            if m.model_class()
            and (
                name.startswith(f"{m.app_label}_{m.model}_")
                or name.startswith(f"/admin/{m.app_label}/{m.model}/")
            )
        )
        instance = world.subject if model is User else model.objects.order_by("pk").first()
        kwargs["object_id"] = str(instance.pk)
    return kwargs


def kwargs_for(row_kwargs: str, world: World, route: Route) -> dict:
    if row_kwargs == "trust":
        return {"ods_code": world.trust.ods_code}
    if row_kwargs == "assessment":
        return {"pk": world.assessment.pk}
    if row_kwargs == "workflow_action":  # QA's return: the check page of one action
        return {"pk": world.assessment.pk, "action": "return"}
    if row_kwargs == "metric_definition":
        from metrics.services import metric_definitions_load

        metric_definitions_load()
        return {"code": "ie_margin"}
    if row_kwargs == "metric_context":  # the context note of one metric of `trust`
        from metrics.services import metric_definitions_load

        metric_definitions_load()
        return {"ods_code": world.trust.ods_code, "code": "ie_margin"}
    if row_kwargs == "peer_recompute":
        from metrics.models import PeerRecompute

        job = PeerRecompute.objects.create(reason="cohort saved", status="done")
        return {"pk": job.pk}
    if row_kwargs == "kloe":
        return {"pk": world.assessment.pk, "code": world.evidence.kloe.code}
    if row_kwargs == "evidence":
        return {"pk": world.assessment.pk, "evidence_pk": world.evidence.pk}
    if row_kwargs == "evidence_attachment":
        attachment = world.evidence.attachments.get()
        return {"pk": world.assessment.pk, "attachment_pk": attachment.pk}
    if row_kwargs == "report":  # a ready draft of `assessment`
        import hashlib

        from assessments.models import ReportVersion
        from tests.factories import PDF_BYTES

        report, _ = ReportVersion.objects.get_or_create(
            assessment=world.assessment,
            kind="draft",
            number=1,
            defaults={
                "status": "ready",
                "pdf": PDF_BYTES,
                "size": len(PDF_BYTES),
                "sha256": hashlib.sha256(PDF_BYTES).hexdigest(),
            },
        )
        return {"pk": world.assessment.pk, "report_pk": report.pk}
    if row_kwargs.startswith("self_review") or row_kwargs in (
        "dev_review",
        "wellled_action",
        "wellled_kloe",
    ):
        objects = world.wellled
        review = objects["self_review"]
        return {
            "self_review": {"pk": review.pk},
            "self_review_kloe": {"pk": review.pk, "code": "leadership_capacity"},
            "self_review_attachment": {"pk": review.pk, "attachment_pk": objects["attachment"].pk},
            "self_review_report": {"pk": review.pk, "report_pk": objects["report"].pk},
            "dev_review": {"pk": objects["dev_review"].pk},
            "wellled_action": {"pk": objects["action"].pk},
            "wellled_kloe": {"code": "leadership_capacity"},
        }[row_kwargs]
    if row_kwargs == "notification":  # one of the own trust user's notifications
        notification, _ = Notification.objects.get_or_create(
            user=world.actors[Actor.TRUST_OWN],
            event="scheduled",
            defaults={"title": "Assessment scheduled", "url": world.assessment.get_absolute_url()},
        )
        return {"pk": notification.pk}
    if row_kwargs == "challenge":  # a challenge the trust raised on `assessment`
        from assessments.models import Challenge

        challenge, _ = Challenge.objects.get_or_create(
            assessment=world.assessment,
            number=1,
            defaults={
                "kind": Challenge.Kind.TYPING,
                "section": "Finance",
                "passage": "12%",
                "correction": "2%",
                "reason": "A typing error",
                "raised_by": world.actors[Actor.TRUST_OWN],
            },
        )
        return {"pk": world.assessment.pk, "challenge_pk": challenge.pk}
    if row_kwargs == "accepted_challenge":  # an accepted challenge, waiting to be resolved
        from assessments.models import Challenge

        challenge, _ = Challenge.objects.get_or_create(
            assessment=world.assessment,
            number=2,
            defaults={
                "kind": Challenge.Kind.TYPING,
                "target": Challenge.Target.SUMMARY,
                "section": "Summary of findings",
                "passage": "12%",
                "correction": "2%",
                "reason": "A typing error",
                "raised_by": world.actors[Actor.TRUST_OWN],
                "outcome": Challenge.Outcome.ACCEPTED,
                "response": "Agreed.",
            },
        )
        return {"pk": world.assessment.pk, "challenge_pk": challenge.pk}
    if row_kwargs == "published":  # `assessment` with its published rating
        from django.utils import timezone

        from assessments.models import PublishedRating

        PublishedRating.objects.get_or_create(
            assessment=world.assessment,
            version=1,
            defaults={
                "rating": 2,
                "published_by": world.actors[Actor.CQC],
                "published_at": timezone.now(),
            },
        )
        return {"pk": world.assessment.pk}
    if row_kwargs in ("published_trust", "published_report"):
        # `assessment` with its published rating and, for the report, a ready final version.
        import hashlib

        from django.utils import timezone

        from assessments.models import PublishedRating, ReportVersion
        from tests.factories import PDF_BYTES

        PublishedRating.objects.get_or_create(
            assessment=world.assessment,
            version=1,
            defaults={
                "rating": 2,
                "published_by": world.actors[Actor.CQC],
                "published_at": timezone.now(),
            },
        )
        if row_kwargs == "published_trust":
            return {"ods_code": world.trust.ods_code}
        ReportVersion.objects.get_or_create(
            assessment=world.assessment,
            kind="final",
            number=1,
            defaults={
                "status": "ready",
                "pdf": PDF_BYTES,
                "size": len(PDF_BYTES),
                "sha256": hashlib.sha256(PDF_BYTES).hexdigest(),
                "published_at": timezone.now(),  # publishing marks the version it publishes
            },
        )
        return {"ods_code": world.trust.ods_code, "pk": world.assessment.pk}
    if row_kwargs == "finance_score_month":  # a month of `trust` with a proposed moderation
        import datetime

        from metrics.models import FinanceScore

        FinanceScore.objects.get_or_create(
            trust=world.trust,
            period=datetime.date(2024, 3, 1),
            defaults={
                "overall": 2,
                "proposed": 3,
                "moderated": 3,
                "moderation": "scored 4 on agency_spend_vs_cap",
            },
        )
        return {"ods_code": world.trust.ods_code, "month": "2024-03"}
    if row_kwargs == "data_load":
        return {"pk": world.data_load.pk}
    if row_kwargs == "reset_link":
        return {
            "uidb64": urlsafe_base64_encode(force_bytes(world.subject.pk)),
            "token": default_token_generator.make_token(world.subject),
        }
    if row_kwargs == "admin_view_on_site":
        return {
            "content_type_id": ContentType.objects.get_for_model(Trust).pk,
            "object_id": str(world.trust.pk),
        }
    if row_kwargs == "admin_object":
        return _admin_object_kwargs(world, route)
    if row_kwargs == "admin_unknown_page":
        return {"url": "metrics/no-such-page/"}
    assert not row_kwargs, f"the test does not know how to fill kwargs={row_kwargs!r}"
    return {}


def answer_of(response) -> Answer | str:
    status = response.status_code
    if 200 <= status < 300:
        return Answer.OK
    if status in (301, 302, 303):
        target = urlparse(response["Location"]).path
        if target in (reverse("accounts:login"), reverse("admin:login")):
            return Answer.LOGIN
        return Answer.REDIRECT
    return {
        400: Answer.INVALID,
        401: Answer.LOGIN,
        403: Answer.FORBIDDEN,
        404: Answer.NOT_FOUND,
        405: Answer.NOT_ALLOWED,
    }.get(status, str(status))


def request_as(user: User | None, method: str, url: str):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.generic(method, url, data="", HTTP_ACCEPT="text/html,application/json")


def test_every_route_has_a_row():
    missing = routes_without_rows()
    assert not missing, f"routes with no row in any app's access.py: {missing}"


def test_every_row_names_a_route():
    names = {route.name for route in ROUTES}
    stale = [
        row.route
        for row in matrix()
        if (row.is_wildcard and not any(fnmatchcase(name, row.route) for name in names))
        or (not row.is_wildcard and row.route not in names)
    ]
    assert not stale, f"rows for routes that no longer exist: {stale}"


@override_settings(ROOT_URLCONF="tests.security.urls_with_unlisted_route")
def test_enumeration_catches_a_route_without_a_row():
    assert routes_without_rows() == ["forgotten_page"]


def url_of(route: Route, kwargs: dict) -> str:
    if route.pattern.name:
        return reverse(route.name, kwargs=kwargs)
    # An unnamed route: fill its pattern by hand.
    path = route.path
    for key, value in kwargs.items():
        path = re.sub(rf"<(\w+:)?{key}>|\(\?P<{key}>[^)]*\)", str(value), path)
    return path.replace("^", "").replace("$", "")


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_route_answers_each_actor_as_the_matrix_says(world, route):
    row = row_for(route.name)
    assert row is not None, f"{route.name} has no row in the access matrix"
    url = url_of(route, kwargs_for(row.kwargs, world, route))
    if row.query:
        url = f"{url}?{row.query}"

    mismatches, lines = [], []
    # Where the answer depends on the workflow state, check every state the row names.
    for state, methods in (row.by_state or {"": row.methods}).items():
        if state:
            Assessment.objects.filter(pk=world.assessment.pk).update(status=state)
        where = f" [{state}]" if state else ""
        for method in ALL_METHODS:
            expected = methods.get(method)
            for actor in Actor:
                got = answer_of(request_as(world.actors[actor], method, url))
                if expected is not None:
                    if got != expected[actor]:
                        mismatches.append(
                            f"{method}{where} as {actor}: expected {expected[actor]}, got {got}"
                        )
                    lines.append(
                        f"{route.name}{where.replace(' ', '')} {method} {actor.name} {got}"
                    )
                elif got in (Answer.OK, Answer.REDIRECT):
                    # A method the table does not list must never do anything.
                    mismatches.append(
                        f"{method}{where} as {actor}: not in the matrix but answered {got}"
                    )
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    report_name = re.sub(r"[^A-Za-z0-9_-]+", "_", route.name)
    (REPORT_DIR / f"{report_name}.txt").write_text("\n".join(lines) + "\n")
    assert not mismatches, f"{url}:\n" + "\n".join(mismatches)


@pytest.mark.parametrize("path", STATIC_PATHS)
def test_static_files_are_served_to_everyone(world, path):
    for actor in Actor:
        response = request_as(world.actors[actor], "GET", path)
        assert response.status_code == HTTPStatus.OK, (path, actor)
