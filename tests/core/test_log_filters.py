"""An expected refusal (403, 404) is logged as one line with its reason, not a traceback."""

import logging
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from assessments.refusals import CREATE_FOR_ASSESSORS

pytestmark = pytest.mark.django_db


def test_a_refused_page_logs_one_line_with_the_reason(caplog, qa_user):
    client = Client()
    client.force_login(qa_user)
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get(reverse("assessments:assessment_create"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    line = caplog.handler.format(record)
    assert "\n" not in line
    assert "Forbidden (Permission denied): /assessments/new/" in line
    assert CREATE_FOR_ASSESSORS in line
    assert "Traceback" not in caplog.text


def test_a_hidden_assessment_logs_one_line(caplog, qa_user):
    client = Client()
    client.force_login(qa_user)
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get(reverse("assessments:assessment_detail", kwargs={"pk": 999999}))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Not Found: /assessments/999999/" in caplog.text
    assert all(r.exc_info is None for r in caplog.records)
    assert "Traceback" not in caplog.text
