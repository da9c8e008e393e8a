"""Board self-review: a draft per KLOE with files, the board's sign-off, then read-only on
the page and in the API; the PDF is rendered by the Celery task."""

import datetime
import hashlib
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import PDF_BYTES, PNG_BYTES
from wellled import policies, services
from wellled.models import PriorityLevel, SelfReview, SelfReviewAttachment, SelfReviewReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(framework, trust, trust_user):
    return services.self_review_create(trust=trust, actor=trust_user, title="Board review 2026")


def fill_every_entry(review, user):
    level = PriorityLevel.objects.get(scheme=review.scheme, number=2)
    for entry in review.entries.select_related("kloe"):
        services.self_review_entry_save(
            review=review,
            kloe=entry.kloe,
            actor=user,
            priority=level,
            explanation=f"Why {entry.kloe.label} is rated so",
            assurance="Board minutes",
            actions="Discuss with the reviewers",
        )


def test_a_trust_user_starts_a_review_with_an_entry_per_kloe(client, framework, trust, trust_user):
    client.force_login(trust_user)
    url = reverse("wellled:selfreview_create", args=[trust.ods_code])
    response = client.post(url, {"title": ""})
    assert "Enter a title for the self-review" in response.content.decode()
    response = client.post(url, {"title": "Board self-review 2026"})
    review = SelfReview.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == review.get_absolute_url()
    assert review.entries.count() == 8
    assert review.status == SelfReview.Status.DRAFT
    assert review.scheme.levels.count() == 4


def test_staff_cannot_start_a_review_for_a_trust(framework, trust, assessor):
    with pytest.raises(PermissionDenied, match=policies.NOT_YOUR_TRUST):
        services.self_review_create(trust=trust, actor=assessor, title="x")


def test_the_page_saves_an_entry_with_a_file(client, review, trust_user):
    client.force_login(trust_user)
    level = review.scheme.levels.get(number=3)
    url = reverse("wellled:selfreview_entry", args=[review.pk, "culture"])
    response = client.post(
        url,
        {
            "priority": level.pk,
            "explanation": "Staff survey shows gaps",
            "assurance": "Survey results",
            "actions": "Culture programme",
            "file": _upload("survey.png", PNG_BYTES),
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    entry = review.entries.get(kloe__code="culture")
    assert entry.priority == level
    attachment = SelfReviewAttachment.objects.get()
    assert attachment.original_name == "survey.png"
    assert attachment.stored_name != "survey.png"
    assert attachment.file.name.startswith(f"wellled/{review.pk}/")
    download = client.get(reverse("wellled:selfreview_attachment", args=[review.pk, attachment.pk]))
    assert download.status_code == HTTPStatus.OK
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_file_that_is_not_what_its_name_says_is_refused(client, review, trust_user):
    client.force_login(trust_user)
    level = review.scheme.levels.get(number=1)
    url = reverse("wellled:selfreview_entry", args=[review.pk, "culture"])
    response = client.post(
        url,
        {"priority": level.pk, "explanation": "x", "file": _upload("fake.pdf", PNG_BYTES)},
    )
    assert response.status_code == HTTPStatus.OK
    assert "not a PDF file" in response.content.decode()
    assert not SelfReviewAttachment.objects.exists()


def test_sign_off_needs_every_kloe_rated_and_explained(review, trust_user):
    with pytest.raises(ValidationError) as error:
        services.self_review_sign_off(
            review=review,
            actor=trust_user,
            signed_off_on=timezone.localdate(),
            signed_off_by_name="Chair",
        )
    assert "Missing: W1, W2, W3, W4, W5, W6, W7, W8" in error.value.messages[0]


def test_sign_off_date_cannot_be_in_the_future(review, trust_user):
    fill_every_entry(review, trust_user)
    with pytest.raises(ValidationError) as error:
        services.self_review_sign_off(
            review=review,
            actor=trust_user,
            signed_off_on=timezone.localdate() + datetime.timedelta(days=1),
            signed_off_by_name="Chair",
        )
    assert error.value.message_dict["signed_off_on"] == [services.SIGN_OFF_DATE_FUTURE]


@pytest.fixture
def signed_off(client, review, trust_user):
    fill_every_entry(review, trust_user)
    client.force_login(trust_user)
    today = timezone.localdate()
    response = client.post(
        reverse("wellled:selfreview_signoff", args=[review.pk]),
        {
            "signed_off_on_0": today.day,
            "signed_off_on_1": today.month,
            "signed_off_on_2": today.year,
            "signed_off_by_name": "Jo Chair, chair of the board",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    review.refresh_from_db()
    return review


def test_signing_off_records_the_date_and_name(signed_off, trust_user):
    assert signed_off.status == SelfReview.Status.SIGNED_OFF
    assert signed_off.signed_off_by_name == "Jo Chair, chair of the board"
    assert signed_off.signed_off_on == timezone.localdate()
    assert signed_off.signed_off_recorded_by == trust_user


def test_after_sign_off_the_pages_refuse_edits(client, signed_off, trust_user):
    client.force_login(trust_user)
    entry_url = reverse("wellled:selfreview_entry", args=[signed_off.pk, "culture"])
    page = client.get(entry_url)
    assert page.status_code == HTTPStatus.OK
    assert "read-only" in page.content.decode()
    assert "Save as draft" not in page.content.decode()
    level = signed_off.scheme.levels.get(number=4)
    response = client.post(entry_url, {"priority": level.pk, "explanation": "changed"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert signed_off.entries.get(kloe__code="culture").explanation == "Why W3 is rated so"
    signoff = client.get(reverse("wellled:selfreview_signoff", args=[signed_off.pk]))
    assert signoff.status_code == HTTPStatus.FORBIDDEN


def test_after_sign_off_the_api_refuses_edits(client, signed_off, trust_user):
    client.force_login(trust_user)
    response = client.post(
        f"/api/v1/wellled/self-reviews/{signed_off.pk}/entry/",
        {"kloe": "culture", "priority": 4, "explanation": "changed"},
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["detail"] == policies.SELF_REVIEW_LOCKED
    response = client.post(
        f"/api/v1/wellled/self-reviews/{signed_off.pk}/sign-off/",
        {"signed_off_on": "2026-01-01", "signed_off_by_name": "Someone"},
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert signed_off.entries.get(kloe__code="culture").explanation == "Why W3 is rated so"


def test_after_sign_off_the_services_refuse_edits_and_files(signed_off, trust_user):
    kloe = signed_off.entries.first().kloe
    with pytest.raises(PermissionDenied, match="signed off"):
        services.self_review_entry_save(
            review=signed_off,
            kloe=kloe,
            actor=trust_user,
            priority=None,
            explanation="",
            assurance="",
            actions="",
        )
    with pytest.raises(PermissionDenied, match="signed off"):
        services.self_review_attachment_add(
            review=signed_off, kloe=kloe, actor=trust_user, name="a.pdf", content=PDF_BYTES
        )


def test_the_api_runs_a_self_review_to_sign_off(client, framework, trust_user):
    client.force_login(trust_user)
    created = client.post(
        "/api/v1/wellled/self-reviews/", {"title": "API review"}, content_type="application/json"
    )
    assert created.status_code == HTTPStatus.CREATED
    pk = created.json()["id"]
    for code in [entry["kloe"] for entry in created.json()["entries"]]:
        saved = client.post(
            f"/api/v1/wellled/self-reviews/{pk}/entry/",
            {"kloe": code, "priority": 1, "explanation": "Assured"},
            content_type="application/json",
        )
        assert saved.status_code == HTTPStatus.OK, saved.json()
    bad = client.post(
        f"/api/v1/wellled/self-reviews/{pk}/entry/",
        {"kloe": "culture", "priority": 9, "explanation": "x"},
        content_type="application/json",
    )
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    done = client.post(
        f"/api/v1/wellled/self-reviews/{pk}/sign-off/",
        {"signed_off_on": str(timezone.localdate()), "signed_off_by_name": "Chair"},
        content_type="application/json",
    )
    assert done.status_code == HTTPStatus.OK
    assert done.json()["status"] == "signed_off"


def test_staff_read_a_review_but_cannot_edit_it(client, review, assessor):
    client.force_login(assessor)
    assert client.get(review.get_absolute_url()).status_code == HTTPStatus.OK
    url = reverse("wellled:selfreview_entry", args=[review.pk, "culture"])
    assert "Save as draft" not in client.get(url).content.decode()
    assert client.post(url, {"explanation": "x"}).status_code == HTTPStatus.FORBIDDEN


def test_the_pdf_is_rendered_by_the_task_and_downloaded_intact(
    client, signed_off, trust_user, django_capture_on_commit_callbacks
):
    client.force_login(trust_user)
    url = reverse("wellled:selfreview_reports", args=[signed_off.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == HTTPStatus.FOUND
    report = SelfReviewReport.objects.get()
    assert report.status == SelfReviewReport.Status.READY, report.error
    pdf = bytes(report.pdf)
    assert pdf.startswith(b"%PDF")
    assert report.sha256 == hashlib.sha256(pdf).hexdigest()
    download = client.get(
        reverse("wellled:selfreview_report_download", args=[signed_off.pk, report.pk])
    )
    assert download.status_code == HTTPStatus.OK
    assert download.content == pdf
    assert "attachment" in download["Content-Disposition"]


def test_the_pdf_holds_the_boards_record(signed_off):
    from wellled.reports import self_review_html

    html = self_review_html(review=signed_off, version=1)
    assert "Signed off by Jo Chair, chair of the board" in html
    assert "Why W3 is rated so" in html
    assert "Minor concerns" in html


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
