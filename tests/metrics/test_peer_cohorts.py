"""Peer cohorts: quartiles within the trust's cohort beside the national ones, admin-defined
cohorts, context notes, and the background recompute a cohort change starts."""

import datetime
import time
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.jobs import job_kind_for, jobs_sweep
from metrics.models import (
    MetricBenchmark,
    MetricContextNote,
    MetricValue,
    PeerGroup,
    PeerRecompute,
    Role,
    Trust,
)
from metrics.pack import metrics_pack_get
from metrics.services import benchmarks_refresh, context_note_save, peer_group_save
from metrics.services.peer_groups import peer_groups_ensure_defaults
from tests.factories import TrustFactory, UserFactory

PERIOD = datetime.date(2026, 6, 1)
# I&E margin (higher is better) of five acute and three community trusts.
ACUTE = {"RA1": 1.0, "RA2": 2.0, "RA3": 3.0, "RA4": 4.0, "RA5": 5.0}
COMMUNITY = {"RC1": 10.0, "RC2": 20.0, "RC3": 30.0}


def _world(metric_definitions, months=(PERIOD,)) -> dict[str, Trust]:
    peer_groups_ensure_defaults()
    trusts = {code: TrustFactory(ods_code=code) for code in ACUTE}
    trusts |= {code: TrustFactory(ods_code=code, trust_type="community") for code in COMMUNITY}
    margin = metric_definitions["ie_margin"]
    MetricValue.objects.bulk_create(
        MetricValue(trust=trusts[code], metric=margin, period=month, value=value)
        for code, value in (ACUTE | COMMUNITY).items()
        for month in months
    )
    benchmarks_refresh()  # as the load of these values would
    return trusts


def _margin(trust: Trust, user=None):
    pack = metrics_pack_get(user=user, trust=trust, period=PERIOD, codes={"ie_margin"})
    (metric,) = [m for _, metrics in pack.areas for m in metrics]
    return pack, metric


@pytest.mark.django_db
def test_quartiles_are_computed_within_the_cohort_with_the_national_figure_beside(
    metric_definitions,
):
    trusts = _world(metric_definitions)
    # National, 8 values 1 2 3 4 5 10 20 30: q1 = 2 + 0.75 * 1 = 2.75, median = 4.5,
    # q3 = 10 + 0.25 * 10 = 12.5. Acute 1..5: 2, 3, 4. Community 10 20 30: 15, 20, 25.
    pack, rc1 = _margin(trusts["RC1"])
    assert pack.cohort.name == "Community trusts"
    figures = rc1.benchmark
    assert (figures["peer_q1"], figures["peer_median"], figures["peer_q3"]) == (15, 20, 25)
    assert (figures["national_q1"], figures["national_median"], figures["national_q3"]) == (
        2.75,
        4.5,
        12.5,
    )
    assert (figures["peer_count"], figures["national_count"]) == (3, 8)
    # 10 is below the community's 25th percentile (15): quartile 4 of its cohort, and so
    # flagged, though nationally it is above the median (quartile 2).
    assert (figures["peer_quartile"], figures["national_quartile"]) == (4, 2)
    assert figures["outlier"] is True
    _, ra5 = _margin(trusts["RA5"])
    assert (ra5.benchmark["peer_median"], ra5.benchmark["peer_quartile"]) == (3, 1)
    assert (ra5.benchmark["national_quartile"], ra5.benchmark["outlier"]) == (2, False)


@pytest.mark.django_db
def test_the_pack_names_the_cohort_and_shows_the_national_figure_beside(
    client, metric_definitions, admin_user
):
    _world(metric_definitions)
    client.force_login(admin_user)
    url = reverse("metrics:metrics_pack", args=["RC1"])
    page = client.get(url, {"period": "2026-06", "metric": "ie_margin"}).content.decode()
    text = " ".join(page.split())  # as a reader sees it, line breaks aside
    assert (
        "Quartile 4 within its cohort, Community trusts (median 20, quartiles 15 to 25, "
        "3 trusts); nationally quartile 2 (median 4.5, quartiles 2.75 to 12.5, 8 trusts)"
    ) in text
    assert "Bottom quartile of its cohort</strong>" in page
    assert ">Outlier<" not in page
    # The cohort is on the trust's page too.
    trust_page = client.get(reverse("metrics:trust_detail", args=["RC1"])).content.decode()
    assert "Community trusts" in trust_page


@pytest.mark.django_db
def test_an_admin_defined_cohort_moves_a_trusts_quartile(
    metric_definitions, admin_user, django_capture_on_commit_callbacks
):
    trusts = _world(metric_definitions)
    Trust.objects.filter(ods_code__in=["RA1", "RA2"]).update(pfi=True)
    _, before = _margin(trusts["RA2"])
    assert (before.benchmark["peer_median"], before.benchmark["peer_quartile"]) == (3, 3)

    group = PeerGroup(code="acute-pfi", name="Acute trusts with PFI", trust_type="acute", pfi="yes")
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process here
        job = peer_group_save(group=group, actor=admin_user)
    job.refresh_from_db()
    assert (job.status, job.months_done, job.months_total) == ("done", 1, 1)

    trusts["RA2"].refresh_from_db()
    assert trusts["RA2"].cohort == group
    # RA1, RA2 (1, 2): q1 1.25, median 1.5, q3 1.75, so 2 is quartile 1 of its new cohort.
    pack, after = _margin(trusts["RA2"])
    assert pack.cohort == group
    assert (after.benchmark["peer_median"], after.benchmark["peer_quartile"]) == (1.5, 1)
    assert after.benchmark["peer_count"] == 2
    # Nationally nothing moved: 2 is below the national 25th percentile (2.75).
    assert after.benchmark["national_quartile"] == before.benchmark["national_quartile"] == 4
    # The acute trusts left behind (3, 4, 5: q1 3.5) put RA3 in their bottom quartile.
    _, ra3 = _margin(Trust.objects.get(ods_code="RA3"))
    assert (ra3.benchmark["peer_quartile"], ra3.benchmark["outlier"]) == (4, True)


@pytest.mark.django_db
def test_a_trust_adds_context_to_its_own_metric_and_the_pack_shows_it(client, metric_definitions):
    trusts = _world(metric_definitions)
    own = UserFactory(username="rc1-user", role=Role.TRUST, trust=trusts["RC1"])
    client.force_login(own)
    url = reverse("metrics:context_note_edit", args=["RC1", "ie_margin"])
    text = "A PFI unitary charge of £12m a year is outside our control."
    response = client.post(url, {"text": text})
    assert response.status_code == HTTPStatus.FOUND
    pack = client.get(response["Location"]).content.decode()
    assert "A PFI unitary charge of £12m a year is outside our control." in pack
    note = MetricContextNote.objects.get()
    assert (note.trust, note.updated_by) == (trusts["RC1"], own)
    # Shown on the trust's page too, and carried by the pack to evidence and the workspace.
    trust_page = client.get(reverse("metrics:trust_detail", args=["RC1"])).content.decode()
    assert "outside our control" in trust_page
    _, metric = _margin(trusts["RC1"])
    assert metric.context_note.text == text


@pytest.mark.django_db
def test_context_is_refused_for_another_trust_and_for_cqc(client, metric_definitions):
    trusts = _world(metric_definitions)
    other = UserFactory(username="ra1-user", role=Role.TRUST, trust=trusts["RA1"])
    cqc = UserFactory(username="cqc", role=Role.CQC)
    assessor = UserFactory(username="assessor", role=Role.ASSESSOR)
    url = reverse("metrics:context_note_edit", args=["RC1", "ie_margin"])
    client.force_login(other)
    assert client.post(url, {"text": "x"}).status_code == HTTPStatus.NOT_FOUND
    client.force_login(cqc)
    assert client.post(url, {"text": "x"}).status_code == HTTPStatus.FORBIDDEN
    with pytest.raises(PermissionDenied):  # the service asks the same predicate
        context_note_save(
            actor=other, trust=trusts["RC1"], metric=metric_definitions["ie_margin"], text="x"
        )
    assert not MetricContextNote.objects.exists()
    client.force_login(assessor)  # NHS Improvement may
    assert client.post(url, {"text": "Delayed discharges."}).status_code == HTTPStatus.FOUND
    assert MetricContextNote.objects.get().text == "Delayed discharges."
    assert client.post(url, {"text": "x" * 2001}).status_code == HTTPStatus.OK  # refused
    assert MetricContextNote.objects.get().text == "Delayed discharges."


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_saving_a_cohort_recomputes_every_month_in_a_real_worker(
    client, metric_definitions, admin_user, celery_worker_process
):
    months = [datetime.date(2025 + (4 + n) // 12, (4 + n) % 12 + 1, 1) for n in range(14)]
    assert months[-1] == PERIOD
    _world(metric_definitions, months=months)
    Trust.objects.filter(ods_code__in=["RA1", "RA2"]).update(pfi=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:metrics_peergroup_add"),
        {
            "name": "Acute trusts with PFI",
            "code": "acute-pfi",
            "description": "",
            "trust_type": "acute",
            "region": "",
            "teaching": "",
            "pfi": "yes",
            "income_min": "",
            "income_below": "",
        },
    )
    job = PeerRecompute.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("metrics:peer_recompute_detail", args=[job.pk])
    poll = f"{response['Location']}?format=json"
    deadline = time.monotonic() + 60
    while not client.get(poll).json()["finished"] and time.monotonic() < deadline:
        time.sleep(0.2)
    progress = client.get(poll).json()
    assert progress["status"] == "done", progress
    assert (progress["months_done"], progress["months_total"], progress["progress"]) == (
        14,
        14,
        100,
    )
    page = client.get(response["Location"]).content.decode()
    assert "14 of 14 months recomputed" in page
    # Every month now has the new cohort's benchmarks.
    _, metric = _margin(Trust.objects.get(ods_code="RA2"))
    assert (metric.benchmark["peer_median"], metric.benchmark["peer_quartile"]) == (1.5, 1)
    stored = MetricBenchmark.objects.filter(peer_group="acute-pfi")
    assert sorted(stored.values_list("period", flat=True)) == months


@pytest.mark.django_db
def test_the_sweep_requeues_a_recompute_whose_worker_stopped(metric_definitions, settings):
    _world(metric_definitions)
    kind = job_kind_for(PeerRecompute)
    stopped = timezone.now() - datetime.timedelta(
        seconds=kind.time_limit + settings.UOR_JOB_MARGIN_SECONDS + 60
    )
    job = PeerRecompute.objects.create(
        reason="Cohort saved", status="running", attempts=1, started_at=stopped, months_done=0
    )
    done = jobs_sweep()
    assert done["requeued"] == [f"metrics.peerrecompute#{job.pk}"]
    job.refresh_from_db()  # sent again, and run in-process here
    assert (job.status, job.months_done, job.months_total, job.attempts) == ("done", 1, 1, 2)


COHORT_HEADER = "ods_code,name,trust_type,region,foundation_trust,teaching,pfi,income_millions\n"


@pytest.mark.django_db
def test_the_trust_upload_loads_the_cohort_fields_and_applies_the_cohorts_rules(
    client, admin_user, django_capture_on_commit_callbacks
):
    group = PeerGroup.objects.create(
        code="big-teaching", name="Large teaching trusts", teaching="yes", income_min=500
    )
    csv = COHORT_HEADER + (
        "RAA,Alpha NHS Trust,acute,London,true,yes,true,612.5\n"
        "RBB,Beta NHS Trust,acute,London,false,no,false,\n"
    )
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("metrics:trust_load"),
            {"file": _upload(csv)},
        )
    assert "2 created, 0 updated" in client.get(response["Location"]).content.decode()
    alpha, beta = Trust.objects.get(ods_code="RAA"), Trust.objects.get(ods_code="RBB")
    assert (alpha.teaching, alpha.pfi, float(alpha.income_millions)) == (True, True, 612.5)
    assert (beta.teaching, beta.pfi, beta.income_millions) == (False, False, None)
    # The loaded trusts are in step with the cohorts: Alpha meets the group's rules.
    assert (alpha.cohort, beta.cohort) == (group, None)
    assert set(
        PeerGroup.objects.filter(is_type_default=True).values_list("code", flat=True)
    ) == set(Trust.TrustType.values)


@pytest.mark.django_db
def test_a_bad_cohort_field_is_named_with_its_line_and_nothing_is_loaded(
    client, admin_user, django_capture_on_commit_callbacks
):
    csv = COHORT_HEADER + (
        "RAA,Alpha NHS Trust,acute,London,true,maybe,true,612.5\n"
        "RBB,Beta NHS Trust,acute,London,false,no,sometimes,-3\n"
        "RCC,Gamma NHS Trust,acute,London,false,no,no,12.25\n"
    )
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("metrics:trust_load"), {"file": _upload(csv)})
    page = client.get(response["Location"]).content.decode()
    assert "the file has 4 problems" in page
    assert "line 2: teaching &#x27;maybe&#x27; must be true or false" in page
    assert "line 3: pfi &#x27;sometimes&#x27; must be true or false" in page
    assert "line 3: income_millions &#x27;-3&#x27; must be the annual income in £ million" in page
    assert "line 4: income_millions &#x27;12.25&#x27;" in page
    assert not Trust.objects.exists()


def _upload(text: str):
    return SimpleUploadedFile("trusts.csv", text.encode(), content_type="text/csv")
