"""Admins upload metric values in the browser; the load runs as a Celery task."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metrics.forms import NOT_CSV_OR_XLSX
from metrics.models import DataLoad, MetricValue
from metrics.services import metric_values as service

GOOD = (
    b"ods_code,metric_code,period,value\nRAA,ie_margin,2024-01,-1.2\nRAA,liquidity_days,2024-01,3\n"
)
BAD = b"ods_code,metric_code,period,value\nRAA,ie_margin,2024-01,x\nRZZ,ie_margin,2024-01,1\n"
URL = "metrics:metric_load"


def upload(client, content, name="values.csv"):
    return client.post(reverse(URL), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse(URL))
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["assessor", "qa_user", "cqc_user", "trust_user"])
def test_only_admins_may_upload(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(URL)).status_code == HTTPStatus.FORBIDDEN
    assert upload(client, GOOD).status_code == HTTPStatus.FORBIDDEN
    assert not DataLoad.objects.exists()


@pytest.mark.django_db
def test_upload_loads_and_the_page_shows_the_result(
    client, admin_user, trust, metric_definitions, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    assert client.get(reverse(URL)).status_code == HTTPStatus.OK
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, GOOD)  # tasks run in-process without a broker
    load = DataLoad.objects.get()
    assert response["Location"] == reverse("metrics:data_load_detail", kwargs={"pk": load.pk})
    assert (load.kind, load.status, load.uploaded_by) == ("metrics", "done", admin_user)
    page = client.get(response["Location"]).content.decode()
    assert "2 created, 0 updated" in page
    assert MetricValue.objects.count() == 2


@pytest.mark.django_db
def test_bad_upload_loads_nothing_and_lists_each_bad_row(
    client, admin_user, trust, metric_definitions, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, BAD)
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was loaded" in page
    assert "line 2: " + service.NOT_NUMERIC.format(value="x").replace("'", "&#x27;") in page
    assert "line 3: " + service.UNKNOWN_TRUST.format(value="RZZ").replace("'", "&#x27;") in page
    assert reverse(URL) in page  # "Upload a corrected file" comes back here
    assert not MetricValue.objects.exists()


@pytest.mark.django_db
def test_upload_accepts_xlsx_and_refuses_other_files(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, b"whatever", name="values.xlsm")
    assert response.status_code == HTTPStatus.OK
    assert NOT_CSV_OR_XLSX in response.content.decode()
    assert not DataLoad.objects.exists()


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_upload_is_loaded_by_a_real_worker(
    client, admin_user, trust, metric_definitions, celery_worker_process
):
    from metrics.tasks import data_load_task

    client.force_login(admin_user)
    response = upload(client, GOOD)
    load = DataLoad.objects.get()
    # The task was queued on commit; wait for the worker through a second, direct call.
    result = data_load_task.delay(load.pk).get(timeout=60)
    assert result == {"status": "done", "created": 2, "updated": 0}
    assert MetricValue.objects.get(metric__code="ie_margin").value == -1.2
    page = client.get(response["Location"]).content.decode()
    assert "2 created, 0 updated" in page


@pytest.mark.django_db
def test_the_page_counts_every_bad_row_beyond_the_fifty_it_lists(
    client, admin_user, trust, metric_definitions, django_capture_on_commit_callbacks
):
    rows = "".join(f"RAA,ie_margin,2026-{month:02d},x\n" for month in range(1, 13)) * 5
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, b"ods_code,metric_code,period,value\n" + rows.encode())
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was loaded: the file has 60 problems" in page
    assert "and 10 more rows with problems (60 in all)" in page
    assert DataLoad.objects.get().error_count == 60
