"""The draft and final reports: what the PDF says, rendering once, checked downloads, who sees.

PDFs are read back with pdftotext (poppler-utils), as a person would read them.
"""

import datetime
import hashlib
import re
import subprocess
import time
import zlib
from http import HTTPStatus
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentTransition, KloeRating, ReportVersion, Status
from assessments.refusals import REPORT_DRAFT_REFUSED
from assessments.reports.services import (
    REPORT_CHECKSUM_MISMATCH,
    report_render,
    report_request,
    report_version_create,
)
from assessments.tasks import report_render_task
from assessments.workflow import assessment_transition
from core.pdf import (
    URL_REFUSED,
    StaticOnlyURLFetcher,
    URLRefused,
    html_to_pdf,
)
from metrics.models import MetricValue, Role
from metrics.services import benchmarks_refresh
from tests.factories import AssessmentFactory, EvidenceFactory, UserFactory

SCRIPT = '<script>alert("x")</script> & <b>not bold</b>'


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as pdftotext reads it, with runs of white space made single spaces."""
    result = subprocess.run(
        ["/usr/bin/pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return re.sub(r"\s+", " ", result.stdout.decode())


@pytest.fixture
def report_assessment(trust, assessor, metric_definitions):
    """An assessment of `trust` at draft_report: two rated KLOEs, evidence on both prompts
    (the second prompt's recorded first), an overall rating, and a metric with values."""
    assessment = AssessmentFactory(trust=trust, lead=assessor, status=Status.DRAFT_REPORT)
    finance, people = assessment.framework.kloes.order_by("number")
    f1, f2 = finance.prompts.order_by("number")
    EvidenceFactory(assessment=assessment, kloe=finance, prompt=f2, text="Second prompt finding.")
    EvidenceFactory(assessment=assessment, kloe=finance, prompt=f1, text=SCRIPT)
    EvidenceFactory(assessment=assessment, kloe=people, prompt=None, text="Sickness is low.")
    for kloe, rating in ((finance, 3), (people, 2), (None, 3)):
        KloeRating.objects.create(
            assessment=assessment,
            kloe=kloe,
            rating=rating,
            rationale=f"Rationale for {kloe or 'overall'}.",
            updated_by=assessor,
        )
    margin = metric_definitions["ie_margin"]
    finance.metrics.add(margin)
    for month in range(1, 7):
        MetricValue.objects.create(
            trust=trust, metric=margin, period=datetime.date(2018, month, 1), value=month - 3.5
        )
    benchmarks_refresh()  # as a load of these values would
    return assessment


def render(assessment, user, django_capture_on_commit_callbacks) -> ReportVersion:
    """Request the report as `user`; the task runs in-process once the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(assessment=assessment, user=user)
    report.refresh_from_db()
    return report


# What the PDF says ---------------------------------------------------------------------


@pytest.mark.django_db
def test_draft_report_shows_cover_ratings_findings_in_prompt_order_and_charts(
    report_assessment, assessor, django_capture_on_commit_callbacks
):
    report = render(report_assessment, assessor, django_capture_on_commit_callbacks)

    assert report.status == ReportVersion.Status.READY
    assert bytes(report.pdf).startswith(b"%PDF-1.7")
    text = pdf_text(bytes(report.pdf))
    assert "Alpha Hospitals NHS Trust" in text
    assert f"{report_assessment.site_visit_date:%-d %B %Y}" in text
    assert "Test UoR framework (version 2017)" in text
    assert text.count("DRAFT \u2013 not for publication") == pages_of(report.pdf)  # every page
    assert "Contents" in text
    assert "About this assessment" in text
    assert "Summary of findings" in text
    assert "1. Finance Requires improvement" in text
    assert "2. People Good" in text
    assert "Overall: are resources used productively? Requires improvement" in text
    # Findings follow the framework's prompts (F1 before F2), whatever the recording order.
    assert text.index(SCRIPT) < text.index("Second prompt finding.")
    assert "Other findings" in text  # evidence recorded against the KLOE itself
    assert "Sickness is low." in text
    # The glossary and the chart of the linked metric, with its axis and medians.
    assert "Glossary of metrics" in text
    assert "Income and expenditure (I&E) margin" in text
    # Each chart's key is text in its caption, so it reads and copies as words.
    assert "Black dashed line: national median. Red dotted line: median of its peer cohort." in text
    assert "Latest value 2.5% (Jun 2018)" in text
    assert "Page 1 of" in text


def pages_of(pdf) -> int:
    result = subprocess.run(
        ["/usr/bin/pdfinfo", "-"], input=bytes(pdf), capture_output=True, check=True
    )
    return int(re.search(r"Pages:\s+(\d+)", result.stdout.decode()).group(1))


@pytest.mark.django_db
def test_free_text_is_escaped_never_interpreted(
    report_assessment, assessor, django_capture_on_commit_callbacks
):
    report = render(report_assessment, assessor, django_capture_on_commit_callbacks)
    text = pdf_text(bytes(report.pdf))
    assert '<script>alert("x")</script> & <b>not bold</b>' in text


@pytest.mark.django_db
def test_pdf_is_tagged_with_language_and_title(
    report_assessment, assessor, django_capture_on_commit_callbacks
):
    report = render(report_assessment, assessor, django_capture_on_commit_callbacks)
    info = subprocess.run(
        ["/usr/bin/pdfinfo", "-"], input=bytes(report.pdf), capture_output=True, check=True
    ).stdout.decode()
    assert "Tagged:          yes" in info
    assert "Title:           Use of Resources assessment report: Alpha Hospitals" in info
    objects = pdf_objects(bytes(report.pdf))
    assert b'pdfuaid:part="1"' in objects  # PDF/UA-1, in the XMP metadata
    assert b"/Lang (en-GB)" in objects
    assert b"/StructTreeRoot" in objects
    for tag in (b"/H1", b"/H2", b"/H3", b"/Table", b"/TH", b"/LI", b"/Figure"):
        assert tag in objects, tag


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's compressed streams (object streams included), decompressed and joined."""
    found = []
    for match in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", pdf):
        data = pdf[match.end() : match.end() + int(match.group(1))]
        try:
            found.append(zlib.decompress(data))
        except zlib.error:
            continue
    return b"\n".join(found)


@pytest.mark.django_db
def test_final_report_prints_cqc_ratings_and_no_internal_notes(
    report_assessment, assessor, cqc_user, django_capture_on_commit_callbacks
):
    now = timezone.now()
    for action, source, target, actor, note in [
        ("ratify", "qa_review", "draft_report", assessor, ""),
        ("dispute_rating", "cqc_review", "dispute", cqc_user, "Finance evidence is thin."),
        ("agree_rating", "dispute", "finalised", cqc_user, "Agreed after discussion."),
    ]:
        AssessmentTransition.objects.create(
            assessment=report_assessment,
            action=action,
            from_status=source,
            to_status=target,
            actor=actor,
            note=note,
            at=now,
        )
    KloeRating.objects.filter(assessment=report_assessment, kloe__code="finance").update(
        agreed_rating=4
    )
    report_assessment.status = Status.FINALISED
    report_assessment.save()

    report = render(report_assessment, cqc_user, django_capture_on_commit_callbacks)

    assert report.kind == ReportVersion.Kind.FINAL
    text = pdf_text(bytes(report.pdf))
    assert "DRAFT" not in text
    assert "Final report" in text
    assert "1. Finance Inadequate" in text  # CQC's rating is the one printed
    assert "2. People Good" in text
    assert "This rating is the Care Quality Commission's" in text
    assert "NHS Improvement proposed requires improvement; CQC rated it inadequate" in text
    # The published report keeps the regulators' internal exchanges out.
    assert "Finance evidence is thin." not in text
    assert "Rating in discussion" not in text
    assert assessor.username not in text
    assert cqc_user.username not in text


# Rendering once ------------------------------------------------------------------------


@pytest.mark.django_db
def test_rendering_the_same_version_twice_yields_one_unchanged_report(
    report_assessment, assessor, django_capture_on_commit_callbacks
):
    report = render(report_assessment, assessor, django_capture_on_commit_callbacks)
    pdf, sha = bytes(report.pdf), report.sha256
    assert hashlib.sha256(pdf).hexdigest() == sha

    again = report_render(report_id=report.pk)
    report_render_task.delay(report.pk)  # a redelivered task

    assert ReportVersion.objects.count() == 1
    again.refresh_from_db()
    assert (bytes(again.pdf), again.sha256, again.attempts) == (pdf, sha, 1)


@pytest.mark.django_db
def test_a_new_request_is_a_new_version(
    report_assessment, assessor, django_capture_on_commit_callbacks
):
    first = render(report_assessment, assessor, django_capture_on_commit_callbacks)
    second = render(report_assessment, assessor, django_capture_on_commit_callbacks)
    assert (first.number, second.number) == (1, 2)
    assert report_assessment.has_ready_draft()


@pytest.mark.django_db
def test_a_failed_render_shows_its_error_and_can_be_requested_again(
    client, report_assessment, assessor, django_capture_on_commit_callbacks
):
    with mock.patch(
        "assessments.reports.services.report_pdf", side_effect=RuntimeError("fonts gone")
    ):
        failed = render(report_assessment, assessor, django_capture_on_commit_callbacks)
    assert failed.status == ReportVersion.Status.FAILED
    assert failed.error == "RuntimeError: fonts gone"
    assert not report_assessment.has_ready_draft()

    client.force_login(assessor)
    page = client.get(reverse("assessments:report_list", kwargs={"pk": report_assessment.pk}))
    assert "RuntimeError: fonts gone" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.wsgi_request.path)
    assert response.status_code == HTTPStatus.FOUND
    assert ReportVersion.objects.get(number=2).status == ReportVersion.Status.READY


def test_the_task_survives_a_lost_worker_and_retries_three_times():
    assert report_render_task.acks_late is True
    assert report_render_task.reject_on_worker_lost is True
    assert report_render_task.max_retries == 3


@pytest.mark.django_db
def test_a_worker_retries_then_marks_the_version_failed(report_assessment):
    report = report_version_create(assessment=report_assessment, kind="draft", requested_by=None)
    task = report_render_task._get_current_object()
    request = mock.Mock(is_eager=False, retries=0)
    with (
        mock.patch("assessments.reports.services.report_pdf", side_effect=OSError("disk")),
        mock.patch.object(task, "retry", side_effect=RuntimeError("retry")) as retry,
        mock.patch.object(type(task), "request", request),
    ):
        with pytest.raises(RuntimeError, match="retry"):
            report_render_task.run(report.pk)
        assert retry.call_args.kwargs["countdown"] >= 5
        report.refresh_from_db()
        assert (report.status, report.error) == ("queued", "OSError: disk")
        request.retries = 3  # the last retry
        assert report_render_task.run(report.pk)["status"] == "failed"
    report.refresh_from_db()
    assert (report.status, report.error) == ("failed", "OSError: disk")


@pytest.mark.django_db
def test_only_the_lead_requests_the_draft(report_assessment, cqc_user):
    member = UserFactory(role=Role.ASSESSOR)
    report_assessment.members.add(member)
    with pytest.raises(PermissionDenied, match=re.escape(REPORT_DRAFT_REFUSED)):
        report_request(assessment=report_assessment, user=member)
    assert not ReportVersion.objects.exists()


@pytest.mark.django_db
def test_share_draft_needs_a_ready_draft(
    report_assessment, assessor, django_capture_on_commit_callbacks
):
    from assessments.workflow import DRAFT_NOT_RENDERED, TransitionRefused

    with pytest.raises(TransitionRefused, match=DRAFT_NOT_RENDERED):
        assessment_transition(assessment=report_assessment, action="share_draft", actor=assessor)
    render(report_assessment, assessor, django_capture_on_commit_callbacks)
    shared = assessment_transition(
        assessment=report_assessment, action="share_draft", actor=assessor
    )
    assert shared.status == Status.FACTUAL_ACCURACY


@pytest.mark.django_db
def test_render_report_command_prints_version_size_and_sha256(report_assessment):
    out = StringIO()
    call_command("render_report", report_assessment.pk, "--kind", "final", stdout=out)
    report = ReportVersion.objects.get()
    assert (report.kind, report.status, report.requested_by) == ("final", "ready", None)
    assert f"Final report version 1 of assessment {report_assessment.pk}" in out.getvalue()
    assert f"{report.size} bytes, SHA-256 {report.sha256}" in out.getvalue()


# Only our static files and data: URIs ----------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://example.com/", "https://example.com/x.css", "file:///etc/passwd", "ftp://x/"]
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(URLRefused, match=re.escape(URL_REFUSED.format(url=url))):
        StaticOnlyURLFetcher().fetch(url)


def test_the_fetcher_refuses_a_way_out_of_the_static_folders():
    with pytest.raises(URLRefused):
        StaticOnlyURLFetcher().fetch(
            "https://uor-report.invalid/static/../uor_site/settings/base.py"
        )


def test_the_fetcher_serves_our_static_files_and_data_uris():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch("https://uor-report.invalid/static/reports/report.css")
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_a_render_never_loads_what_the_fetcher_refuses():
    fetcher = StaticOnlyURLFetcher()
    html = (
        '<html lang="en-GB"><head><title>t</title>'
        '<link rel="stylesheet" href="http://example.com/evil.css"></head>'
        '<body><p>Text</p><img alt="x" src="file:///etc/passwd">'
        '<img alt="y" src="http://example.com/pixel.png"></body></html>'
    )
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert "Text" in pdf_text(pdf)
    assert fetcher.refused == [
        "http://example.com/evil.css",
        "file:///etc/passwd",
        "http://example.com/pixel.png",
    ]


# Pages and downloads ---------------------------------------------------------------------


def report_urls(report):
    kwargs = {"pk": report.assessment_id, "report_pk": report.pk}
    return (
        reverse("assessments:report_list", kwargs={"pk": report.assessment_id}),
        reverse("assessments:report_status", kwargs=kwargs),
        reverse("assessments:report_download", kwargs=kwargs),
    )


@pytest.mark.django_db
def test_the_page_polls_the_status_while_rendering_and_works_without_javascript(
    client, report_assessment, assessor, django_capture_on_commit_callbacks
):
    client.force_login(assessor)
    list_url = reverse("assessments:report_list", kwargs={"pk": report_assessment.pk})
    page = client.get(list_url).content.decode()
    assert "Request a draft report" in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(list_url, follow=True)
    report = ReportVersion.objects.get()
    _, status_url, download_url = report_urls(report)
    page = response.content.decode()
    assert "Draft report version 1 is queued" in page
    assert f'data-poll-url="{status_url}"' in page
    assert f'href="{list_url}">Refresh the page</a>' in page
    assert client.get(status_url).json() == {
        "status": "queued",
        "status_label": "Queued",
        "progress": 0,
        "finished": False,
    }
    callbacks[0]()  # the task runs
    assert client.get(status_url).json() == {
        "status": "ready",
        "status_label": "Ready",
        "progress": 100,
        "finished": True,
    }
    page = client.get(list_url).content.decode()
    assert "data-poll-url" not in page
    assert download_url in page
    assert "<script" not in page.split("</main>")[0].split("<main")[1]
    assert 'style="' not in page


@pytest.mark.django_db
def test_download_is_an_attachment_with_the_checked_bytes(
    client, report_assessment, assessor, django_capture_on_commit_callbacks
):
    report = render(report_assessment, assessor, django_capture_on_commit_callbacks)
    client.force_login(assessor)
    response = client.get(report_urls(report)[2])
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="uor-{report_assessment.pk}-draft-v1.pdf"'
    )
    assert hashlib.sha256(response.content).hexdigest() == report.sha256


@pytest.mark.django_db
def test_download_refuses_bytes_that_do_not_match_their_sha256(
    client, report_assessment, assessor, django_capture_on_commit_callbacks
):
    report = render(report_assessment, assessor, django_capture_on_commit_callbacks)
    ReportVersion.objects.filter(pk=report.pk).update(pdf=bytes(report.pdf) + b"tampered")
    client.force_login(assessor)
    response = client.get(report_urls(report)[2], follow=True)
    assert response.redirect_chain[-1][0] == report_urls(report)[0]
    assert response["Content-Type"].startswith("text/html")
    message = REPORT_CHECKSUM_MISMATCH.format(report=report)
    assert message.split(";")[0] in response.content.decode()


@pytest.mark.django_db
def test_a_report_not_ready_cannot_be_downloaded(client, report_assessment, assessor):
    report = report_version_create(assessment=report_assessment, kind="draft", requested_by=None)
    client.force_login(assessor)
    assert client.get(report_urls(report)[2]).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db
def test_the_trust_gets_404_until_the_draft_is_shared_then_only_ready_drafts(
    client,
    report_assessment,
    assessor,
    trust_user,
    other_trust_user,
    django_capture_on_commit_callbacks,
):
    report = render(report_assessment, assessor, django_capture_on_commit_callbacks)
    failed = report_version_create(assessment=report_assessment, kind="draft", requested_by=None)
    failed.status = ReportVersion.Status.FAILED
    failed.save()
    client.force_login(trust_user)
    for url in report_urls(report):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url

    assessment_transition(assessment=report_assessment, action="share_draft", actor=assessor)

    list_url, _, download_url = report_urls(report)
    page = client.get(list_url)
    assert page.status_code == HTTPStatus.OK
    assert download_url in page.content.decode()
    assert "Request a draft report" not in page.content.decode()
    assert client.post(list_url).status_code == HTTPStatus.FORBIDDEN
    assert client.get(download_url).status_code == HTTPStatus.OK
    assert client.get(report_urls(failed)[1]).status_code == HTTPStatus.NOT_FOUND
    client.force_login(other_trust_user)
    for url in report_urls(report):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url


# A real worker ---------------------------------------------------------------------------


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_report_on_redis(
    client, report_assessment, assessor, celery_worker_process
):
    client.force_login(assessor)
    response = client.post(reverse("assessments:report_list", kwargs={"pk": report_assessment.pk}))
    assert response.status_code == HTTPStatus.FOUND
    report = ReportVersion.objects.get()
    status_url = report_urls(report)[1]
    deadline = time.monotonic() + 90
    while not (status := client.get(status_url).json())["finished"]:
        assert time.monotonic() < deadline, f"still {status} after 90 s"
        time.sleep(0.5)
    assert status["status"] == "ready", ReportVersion.objects.get().error
    report.refresh_from_db()
    assert hashlib.sha256(bytes(report.pdf)).hexdigest() == report.sha256
    assert "Alpha Hospitals NHS Trust" in pdf_text(bytes(report.pdf))


@pytest.mark.django_db
def test_report_prints_summary_improvements_and_outstanding_practice_in_words(
    report_assessment, assessor, django_capture_on_commit_callbacks
):
    report_assessment.summary = "The trust has a firm grip on its costs."
    report_assessment.save()
    KloeRating.objects.filter(assessment=report_assessment, kloe__code="finance").update(
        areas_for_improvement="- Reduce agency spend below the cap.\nPublish the estates plan.",
        outstanding_practice="Shared theatre lists across the region.",
    )
    text = pdf_text(
        bytes(render(report_assessment, assessor, django_capture_on_commit_callbacks).pdf)
    )
    assert text.index("Summary of findings") < text.index("The trust has a firm grip on its costs.")
    assert text.index("Areas for improvement") < text.index("Reduce agency spend below the cap.")
    assert "Publish the estates plan." in text
    assert text.index("Outstanding practice") < text.index(
        "Shared theatre lists across the region."
    )
    # The people KLOE has none: it is not listed under either heading.
    assert "The assessment did not identify" not in text


def test_the_fetcher_serves_the_hashed_names_collectstatic_wrote(settings, tmp_path):
    # Under the production settings `{% static %}` names report.<hash>.css, which only the
    # collected folder holds; without it every production PDF lost its stylesheet.
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "report.0a1b2c3d.css").write_bytes(b"@page { size: A4 }")
    css = StaticOnlyURLFetcher().fetch(
        "https://uor-report.invalid/static/reports/report.0a1b2c3d.css"
    )
    assert css.read() == b"@page { size: A4 }"
    with pytest.raises(URLRefused):
        StaticOnlyURLFetcher().fetch("https://uor-report.invalid/static//etc/passwd")
