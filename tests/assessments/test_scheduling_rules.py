"""Scheduling keeps to the documents: the trust types the framework covers, no consultation
draft for a live assessment (a pilot only, marked by an admin), a calendar month of notice,
and the scheduling e-mail with the visit's date and agenda to the trust's contacts."""

import datetime
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.models import Assessment
from assessments.refusals import CREATE_FOR_ASSESSORS, PILOT_FOR_ADMINS
from assessments.services import (
    DRAFT_NOT_LIVE,
    assessment_create,
    frameworks_load_all,
    notice_warning,
)
from metrics.models import Role, Trust
from tests.assessments.page_helpers import signed_in
from tests.factories import TrustFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def frameworks(metric_definitions):
    frameworks_load_all()
    from assessments.models import Framework

    return {framework.code: framework for framework in Framework.objects.all()}


@pytest.fixture
def lead():
    return UserFactory(username="lead", role=Role.ASSESSOR)


def schedule(trust, framework, created_by, lead, **kwargs):
    return assessment_create(
        trust=trust,
        framework=framework,
        site_visit_date=TODAY + datetime.timedelta(days=60),
        lead=lead,
        members=[],
        created_by=created_by,
        today=TODAY,
        **kwargs,
    )


def test_a_trust_type_the_framework_does_not_cover_is_refused_naming_the_trust(frameworks, lead):
    framework = frameworks["uor-2017-acute-2"]
    mental_health = TrustFactory(trust_type=Trust.TrustType.MENTAL_HEALTH, name="Mind NHS FT")
    with pytest.raises(ValidationError) as refused:
        schedule(mental_health, framework, lead, lead)
    message = refused.value.message_dict["trust"][0]
    assert "covers acute trusts only, and Mind NHS FT is of type mental health" in message
    assert not Assessment.objects.exists()
    # The other side: a (non-specialist) acute trust is scheduled.
    acute = TrustFactory(trust_type=Trust.TrustType.ACUTE)
    assert schedule(acute, framework, lead, lead).pilot is False


def test_the_consultation_draft_is_refused_for_a_live_assessment(frameworks, lead, trust):
    draft = frameworks["uor-2016-draft"]
    with pytest.raises(ValidationError) as refused:
        schedule(trust, draft, lead, lead)
    assert refused.value.message_dict["framework"] == [DRAFT_NOT_LIVE.format(framework=draft)]


def test_only_an_admin_marks_a_pilot_which_may_use_the_draft_for_any_trust_type(
    frameworks, lead, admin_user
):
    draft = frameworks["uor-2016-draft"]
    ambulance = TrustFactory(trust_type=Trust.TrustType.AMBULANCE)
    with pytest.raises(ValidationError) as refused:
        schedule(ambulance, draft, lead, lead, pilot=True)
    assert refused.value.message_dict["pilot"] == [PILOT_FOR_ADMINS]
    pilot = schedule(ambulance, draft, admin_user, lead, pilot=True)
    assert pilot.pilot
    page = signed_in(admin_user).get(pilot.get_absolute_url()).content.decode()
    assert 'id="assessment-pilot"' in page
    lead_page = signed_in(lead).get(pilot.get_absolute_url()).content.decode()
    assert "An admin marked this assessment a pilot" in lead_page


def test_a_qa_member_cannot_schedule_at_all(frameworks, lead, qa_user, trust):
    with pytest.raises(PermissionDenied, match=CREATE_FOR_ASSESSORS):
        schedule(trust, frameworks["uor-2017-acute-2"], qa_user, lead)


def test_the_form_offers_the_pilot_box_to_admins_only_and_names_the_field(
    frameworks, lead, admin_user
):
    url = reverse("assessments:assessment_create")
    assert 'name="pilot"' not in signed_in(lead).get(url).content.decode()
    assert 'name="pilot"' in signed_in(admin_user).get(url).content.decode()
    visit = timezone.localdate() + datetime.timedelta(days=60)
    community = TrustFactory(trust_type=Trust.TrustType.COMMUNITY, name="Community NHS Trust")
    data = {
        "trust": community.pk,
        "framework": frameworks["uor-2016-draft"].pk,
        "site_visit_date_0": visit.day,
        "site_visit_date_1": visit.month,
        "site_visit_date_2": visit.year,
        "lead": lead.pk,
    }
    refused = signed_in(lead).post(url, data)
    assert refused.status_code == HTTPStatus.OK
    body = refused.content.decode()
    assert escape("Community NHS Trust is of type community") in body
    assert escape("is the consultation draft: a live assessment cannot use it") in body
    created = signed_in(admin_user).post(url, data | {"pilot": "on"})
    assert created.status_code == HTTPStatus.FOUND
    assert Assessment.objects.get().pilot


def test_the_api_refuses_a_pilot_from_an_assessor_naming_the_field(frameworks, lead, trust):
    response = signed_in(lead).post(
        reverse("api:assessment-list"),
        {
            "trust": trust.ods_code,
            "framework": "uor-2016-draft",
            "site_visit_date": str(timezone.localdate() + datetime.timedelta(days=60)),
            "lead": lead.username,
            "pilot": True,
        },
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["pilot"] == [PILOT_FOR_ADMINS]


@pytest.mark.parametrize(
    ("today", "visit", "warned"),
    [
        # 28 days ahead, but short of a calendar month (1 March to 1 April is 31 days).
        (datetime.date(2027, 3, 1), datetime.date(2027, 3, 29), True),
        (datetime.date(2027, 3, 1), datetime.date(2027, 3, 31), True),
        (datetime.date(2027, 3, 1), datetime.date(2027, 4, 1), False),
        # From 31 January a month runs to the last day of February.
        (datetime.date(2027, 1, 31), datetime.date(2027, 2, 27), True),
        (datetime.date(2027, 1, 31), datetime.date(2027, 2, 28), False),
    ],
)
def test_notice_is_a_calendar_month(today, visit, warned):
    warning = notice_warning(site_visit_date=visit, today=today)
    assert bool(warning) is warned
    if warned:
        assert "less than a calendar month" in warning


def test_the_scheduling_email_gives_the_date_and_agenda_to_the_trusts_contacts_only(
    frameworks, lead, trust, django_capture_on_commit_callbacks
):
    contact = UserFactory(
        username="ceo", role=Role.TRUST, trust=trust, is_trust_contact=True, email="ceo@t.nhs.uk"
    )
    UserFactory(username="clerk", role=Role.TRUST, trust=trust, email="clerk@t.nhs.uk")
    with django_capture_on_commit_callbacks(execute=True):
        assessment = schedule(trust, frameworks["uor-2017-acute-2"], lead, lead)
    to_trust = [message for message in mail.outbox if message.to[0].endswith("@t.nhs.uk")]
    assert [message.to for message in to_trust] == [[contact.email]]
    body = to_trust[0].body
    assert f"{assessment.site_visit_date:%A %d %B %Y}" in body
    assert "10:45 to 12:15: Clinical services and People (Medical director" in body
    assert "13:00 to 14:45: Operational and Finance" in body
