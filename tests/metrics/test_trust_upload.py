"""Admins upload a trusts CSV in the browser; a real Celery worker on Redis loads it."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metrics.models import DataLoad, Trust

HEADER = b"ods_code,name,trust_type,region,foundation_trust\n"
GOOD = HEADER + b"RAA,Alpha NHS Trust,acute,London,no\n"
BAD = HEADER + b"RAA,Alpha,acute,London,no\nRBB,,x,London,no\n"


def upload(client, content, name="trusts.csv"):
    return client.post(
        reverse("metrics:trust_load"), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_upload_is_loaded_by_a_real_worker(client, admin_user, celery_worker_process):
    from metrics.tasks import data_load_task

    client.force_login(admin_user)
    response = upload(client, GOOD)
    load = DataLoad.objects.get()
    assert response["Location"] == reverse("metrics:data_load_detail", kwargs={"pk": load.pk})
    # The task was queued on commit; wait for the worker through a second, direct call.
    result = data_load_task.delay(load.pk).get(timeout=60)
    assert result == {"status": "done", "created": 1, "updated": 0}
    load.refresh_from_db()
    assert load.status == DataLoad.Status.DONE
    assert Trust.objects.get(ods_code="RAA").name == "Alpha NHS Trust"
    page = client.get(response["Location"]).content.decode()
    assert "1 created, 0 updated" in page


@pytest.mark.django_db
def test_bad_file_loads_nothing_and_the_page_lists_each_bad_row(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, BAD)  # tasks run in-process without a broker
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was loaded: the file has 2 problems" in page
    assert "line 3: name is missing" in page
    assert "line 3: trust_type &#x27;x&#x27; is not one of" in page
    assert not Trust.objects.exists()
    assert DataLoad.objects.get().uploaded_by == admin_user


@pytest.mark.django_db
def test_progress_is_answered_as_json_for_the_page_script(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, GOOD)
    queued = client.get(response["Location"], {"format": "json"}).json()
    assert queued == {
        "status": "queued",
        "status_label": "Queued",
        "progress": 0,
        "finished": False,
    }
    callbacks[0]()  # the task runs
    status = client.get(response["Location"], {"format": "json"}).json()
    assert status == {"status": "done", "status_label": "Loaded", "progress": 100, "finished": True}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("trusts.txt", GOOD, "The file must be a CSV file (ending .csv)."),
        ("trusts.csv", b"", "The submitted file is empty."),
    ],
)
def test_wrong_files_are_refused_on_the_form(client, admin_user, name, content, message):
    client.force_login(admin_user)
    response = upload(client, content, name)
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not DataLoad.objects.exists()
