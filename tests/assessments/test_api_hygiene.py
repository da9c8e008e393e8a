"""The API takes no longer text than the pages (one limit for both, core.text_limits), and an
edit without the `version` it changes is refused with 428 instead of overwriting."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from assessments.api import (
    CommentaryWriteSerializer,
    EvidenceWriteSerializer,
    RatingWriteSerializer,
    SiteVisitSerializer,
    TransitionSerializer,
)
from assessments.change_forms import SiteVisitForm
from assessments.cqc_review.api import (
    DiscussionMessageSerializer,
    QualityRatingsSerializer,
    RationaleRevisionSerializer,
)
from assessments.cqc_review.forms import (
    AgreedRatingsForm,
    DiscussionForm,
    QualityRatingsForm,
    RationaleRevisionForm,
)
from assessments.factual_accuracy.api import (
    ChallengeAnswerSerializer,
    ChallengeResolveSerializer,
    ChallengeWriteSerializer,
)
from assessments.factual_accuracy.forms import (
    ChallengeAnswerForm,
    ChallengeForm,
    ChallengeResolveForm,
)
from assessments.forms import CommentaryForm, EvidenceForm, RatingForm, TransitionForm
from assessments.models import Commentary, KloeRating, Status
from assessments.publication.api import ReviewDecisionSerializer, ReviewRequestWriteSerializer
from assessments.publication.forms import ReviewDecisionForm, ReviewRequestForm
from assessments.services import EDIT_CONFLICT, VERSION_REQUIRED
from assessments.team.api import TeamChangeSerializer
from assessments.team.forms import TeamChangeForm
from core import text_limits
from tests.assessments.page_helpers import set_status, signed_in, url
from tests.factories import CommentaryFactory, visit_held
from wellled.api import (
    ActionSerializer,
    DevelopmentalReviewSerializer,
    EntryWriteSerializer,
    SignOffSerializer,
    WellLedRatingSerializer,
)
from wellled.forms.actions import ActionForm
from wellled.forms.developmental_reviews import DevelopmentalReviewForm
from wellled.forms.ratings_and_segments import WellLedRatingForm
from wellled.forms.self_reviews import SelfReviewEntryForm
from wellled.forms.self_reviews import SignOffForm as BoardSignOffForm

pytestmark = pytest.mark.django_db

# (page form, API serializer, the fields both take, the one limit they share)
SHARED_LIMITS = [
    (CommentaryForm, CommentaryWriteSerializer, ["text"], text_limits.LONG_TEXT),
    (EvidenceForm, EvidenceWriteSerializer, ["text"], text_limits.LONG_TEXT),
    (RatingForm, RatingWriteSerializer, ["rationale", "summary"], text_limits.LONG_TEXT),
    (
        RatingForm,
        RatingWriteSerializer,
        ["areas_for_improvement", "outstanding_practice"],
        text_limits.PASSAGE,
    ),
    (TransitionForm, TransitionSerializer, ["note"], text_limits.NOTE),
    (AgreedRatingsForm, TransitionSerializer, ["note"], text_limits.NOTE),
    (SiteVisitForm, SiteVisitSerializer, ["reason"], text_limits.REASON),
    (TeamChangeForm, TeamChangeSerializer, ["reason"], text_limits.REASON),
    (ChallengeForm, ChallengeWriteSerializer, ["section"], text_limits.TITLE),
    (
        ChallengeForm,
        ChallengeWriteSerializer,
        ["passage", "correction", "reason"],
        text_limits.NOTE,
    ),
    (ChallengeResolveForm, ChallengeResolveSerializer, ["text"], text_limits.PASSAGE),
    (ChallengeResolveForm, ChallengeResolveSerializer, ["reason"], text_limits.NOTE),
    (ChallengeAnswerForm, ChallengeAnswerSerializer, ["response"], text_limits.NOTE),
    (DiscussionForm, DiscussionMessageSerializer, ["text"], text_limits.NOTE),
    (RationaleRevisionForm, RationaleRevisionSerializer, ["rationale"], text_limits.PASSAGE),
    (QualityRatingsForm, QualityRatingsSerializer, ["override_reason"], text_limits.SHORT_NOTE),
    (ReviewRequestForm, ReviewRequestWriteSerializer, ["grounds"], text_limits.NOTE),
    (ReviewDecisionForm, ReviewDecisionSerializer, ["decision_note"], text_limits.NOTE),
    (ActionForm, ActionSerializer, ["text"], text_limits.PASSAGE),
    (ActionForm, ActionSerializer, ["owner"], text_limits.TITLE),
    (WellLedRatingForm, WellLedRatingSerializer, ["note"], text_limits.PASSAGE),
    (
        SelfReviewEntryForm,
        EntryWriteSerializer,
        ["explanation", "assurance", "actions"],
        text_limits.PASSAGE,
    ),
    (BoardSignOffForm, SignOffSerializer, ["signed_off_by_name"], text_limits.TITLE),
    (
        DevelopmentalReviewForm,
        DevelopmentalReviewSerializer,
        ["peer_reviewers", "safeguard", "extra_areas", "findings", "good_practice"],
        text_limits.PASSAGE,
    ),
]


@pytest.mark.parametrize(
    ("form", "serializer", "names", "limit"),
    SHARED_LIMITS,
    ids=[f"{form.__name__}-{names[0]}" for form, _, names, _ in SHARED_LIMITS],
)
def test_the_page_and_the_api_take_the_same_longest_text(form, serializer, names, limit):
    fields = serializer().fields
    for name in names:
        assert (form.base_fields[name].max_length, fields[name].max_length) == (limit, limit)


# Through the API and the page -------------------------------------------------------------


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_url(name, assessment):
    return reverse(f"api:assessment-{name}", kwargs={"pk": assessment.pk})


def post(client, address, data):
    return client.post(address, data, content_type="application/json")


def test_api_refuses_commentary_longer_than_the_page_takes_naming_the_field(assessment, people):
    client = api(people["trust"])
    too_long = post(
        client, api_url("commentary", assessment), {"kloe": "finance", "text": "x" * 60_000}
    )
    assert too_long.status_code == HTTPStatus.BAD_REQUEST
    assert list(too_long.json()) == ["text"]
    assert f"no more than {text_limits.LONG_TEXT} characters" in too_long.json()["text"][0]
    assert not Commentary.objects.exists()


def test_the_longest_commentary_the_page_takes_the_api_takes_too(assessment, people):
    longest = "x" * text_limits.LONG_TEXT
    page = signed_in(people["trust"]).post(
        url("commentary_edit", assessment, code="people"), {"text": longest, "version": 0}
    )
    assert page.status_code == HTTPStatus.FOUND  # saved, and on to the next KLOE
    made = post(
        api(people["trust"]),
        api_url("commentary", assessment),
        {"kloe": "finance", "text": longest},
    )
    assert made.status_code == HTTPStatus.CREATED, made.json()
    assert sorted(len(c.text) for c in Commentary.objects.all()) == [text_limits.LONG_TEXT] * 2


def test_the_page_refuses_one_character_more_than_the_api(assessment, people):
    page = signed_in(people["trust"]).post(
        url("commentary_edit", assessment, code="finance"),
        {"text": "x" * (text_limits.LONG_TEXT + 1), "version": 0},
    )
    assert page.status_code == HTTPStatus.OK
    assert f"at most {text_limits.LONG_TEXT} characters" in page.content.decode()
    made = post(
        api(people["trust"]),
        api_url("commentary", assessment),
        {"kloe": "finance", "text": "x" * (text_limits.LONG_TEXT + 1)},
    )
    assert made.status_code == HTTPStatus.BAD_REQUEST
    assert not Commentary.objects.exists()


def test_api_refuses_a_rating_rationale_longer_than_the_page_takes(assessment, people):
    gathering = visit_held(set_status(assessment, Status.EVIDENCE))
    refused = post(
        api(people["lead"]),
        api_url("ratings", gathering),
        {"kloe": "finance", "rating": 2, "rationale": "x" * 60_000},
    )
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert list(refused.json()) == ["rationale"]
    assert not KloeRating.objects.exists()


# Edits without the version -----------------------------------------------------------------


def test_commentary_edit_without_version_is_refused_with_428(assessment, people):
    saved = CommentaryFactory(assessment=assessment, text="The trust's first draft")
    client = api(people["trust"])
    refused = post(client, api_url("commentary", assessment), {"kloe": "finance", "text": "Over"})
    assert refused.status_code == HTTPStatus.PRECONDITION_REQUIRED
    assert refused.json() == {"version": [VERSION_REQUIRED.format(thing="commentary")]}
    saved.refresh_from_db()
    assert (saved.text, saved.version) == ("The trust's first draft", 1)

    stale = post(
        client,
        api_url("commentary", assessment),
        {"kloe": "finance", "text": "Over", "version": saved.version + 5},
    )
    assert stale.status_code == HTTPStatus.CONFLICT
    assert stale.json() == {"errors": [EDIT_CONFLICT.format(thing="commentary")]}

    current = post(
        client,
        api_url("commentary", assessment),
        {"kloe": "finance", "text": "Second draft", "version": saved.version},
    )
    assert current.status_code == HTTPStatus.CREATED
    assert (current.json()["text"], current.json()["version"]) == ("Second draft", 2)


def test_the_first_commentary_needs_no_version(assessment, people):
    made = post(
        api(people["trust"]), api_url("commentary", assessment), {"kloe": "people", "text": "New"}
    )
    assert made.status_code == HTTPStatus.CREATED
    assert made.json()["version"] == 1


@pytest.mark.parametrize("kloe", ["finance", "overall"])
def test_rating_edit_without_version_is_refused_with_428(assessment, people, kloe):
    gathering = visit_held(set_status(assessment, Status.EVIDENCE))
    client = api(people["lead"])
    body = {"kloe": kloe, "rating": 2, "rationale": "Strong controls"}
    first = post(client, api_url("ratings", gathering), body)
    assert first.status_code == HTTPStatus.CREATED
    refused = post(client, api_url("ratings", gathering), {**body, "rating": 4, "version": None})
    assert refused.status_code == HTTPStatus.PRECONDITION_REQUIRED
    assert refused.json() == {"version": [VERSION_REQUIRED.format(thing="rating")]}
    assert KloeRating.objects.get().rating == 2  # nothing overwritten

    stale = post(client, api_url("ratings", gathering), {**body, "rating": 4, "version": 7})
    assert stale.status_code == HTTPStatus.CONFLICT
    changed = post(client, api_url("ratings", gathering), {**body, "rating": 4, "version": 1})
    assert changed.status_code == HTTPStatus.CREATED
    assert (KloeRating.objects.get().rating, changed.json()["version"]) == (4, 2)


def test_a_rating_someone_created_since_the_page_opened_is_a_conflict_not_overwritten(
    assessment, people
):
    gathering = visit_held(set_status(assessment, Status.EVIDENCE))
    page = url("kloe_workspace", gathering, code="finance")
    form = {"rating": 3, "rationale": "Mine", "version": ""}  # opened before any rating
    theirs = {"kloe": "finance", "rating": 2, "rationale": "Theirs"}
    post(api(people["member"]), api_url("ratings", gathering), theirs)
    response = signed_in(people["lead"]).post(page, form)
    assert response.status_code == HTTPStatus.OK
    assert "Someone else changed this rating while you were editing it" in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert KloeRating.objects.get().rationale == "Theirs"
