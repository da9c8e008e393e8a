"""Files with a factual-accuracy challenge through the API: the page's checks, the same answers."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from assessments.models import Attachment, Challenge, Status
from core import uploads
from tests.assessments.page_helpers import CHALLENGE, set_status, signed_in, upload, url
from tests.factories import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def api_url(assessment) -> str:
    return reverse("api:assessment-challenges", kwargs={"pk": assessment.pk})


def test_the_trust_raises_a_challenge_with_files_and_staff_download_them(shared, people):
    client = signed_in(people["trust"])
    response = client.post(
        api_url(shared),
        {
            **CHALLENGE,
            "files": [upload("ledger.pdf", PDF_BYTES), upload("screen.png", PNG_BYTES)],
        },
    )
    assert response.status_code == HTTPStatus.CREATED, response.json()
    files = response.json()["files"]
    assert [(f["name"], f["content_type"]) for f in files] == [
        ("ledger.pdf", "application/pdf"),
        ("screen.png", "image/png"),
    ]
    challenge = Challenge.objects.get()
    assert challenge.attachments.count() == 2
    # The same files in the list, and downloadable by the trust and the team, not other trusts.
    listed = signed_in(people["lead"]).get(api_url(shared)).json()
    assert [f["name"] for f in listed[0]["files"]] == ["ledger.pdf", "screen.png"]
    download = files[0]["url"]
    assert download == url(
        "attachment_download", shared, attachment_pk=challenge.attachments.first().pk
    )
    assert b"".join(client.get(download).streaming_content) == PDF_BYTES
    assert signed_in(people["lead"]).get(download).status_code == HTTPStatus.OK
    assert signed_in(people["other_trust"]).get(download).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ledger.exe", PDF_BYTES, uploads.FILE_TYPE),
        ("ledger.pdf", PNG_BYTES, "The file's content is not a PDF file"),
        ("ledger.pdf", b"", "The submitted file is empty."),
    ],
)
def test_a_file_the_page_refuses_is_refused_and_nothing_is_saved(
    shared, people, name, content, message
):
    response = signed_in(people["trust"]).post(
        api_url(shared),
        {**CHALLENGE, "files": [upload("fine.pdf", PDF_BYTES), upload(name, content)]},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in str(response.json()["files"])
    assert not Challenge.objects.exists()
    assert not Attachment.objects.exists()
    # The page refuses the same file with the same words.
    page = signed_in(people["trust"]).post(
        url("challenge_create", shared), {**CHALLENGE, "file": upload(name, content)}
    )
    assert page.status_code == HTTPStatus.OK
    assert message.replace("'", "&#x27;") in page.content.decode()


def test_only_the_trust_adds_files_and_only_while_the_check_is_open(shared, people):
    for who, expected in [("lead", HTTPStatus.FORBIDDEN), ("other_trust", HTTPStatus.NOT_FOUND)]:
        response = signed_in(people[who]).post(
            api_url(shared), {**CHALLENGE, "files": [upload("ledger.pdf", PDF_BYTES)]}
        )
        assert response.status_code == expected, who
    set_status(shared, Status.CQC_REVIEW)
    response = signed_in(people["trust"]).post(
        api_url(shared), {**CHALLENGE, "files": [upload("ledger.pdf", PDF_BYTES)]}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Attachment.objects.exists()
