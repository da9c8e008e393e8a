"""The well-led demo data of `make run` gives the oversight view something to flag."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from metrics.models import CqcRating
from wellled.models import Action, DevelopmentalReview, OversightConcern

pytestmark = pytest.mark.django_db


def test_demo_wellled_data_loads_once_and_shows_flags(client):
    for command in (
        "load_demo",
        "load_wellled_framework",
        "load_demo_wellled",
        "load_demo_wellled",
    ):
        call_command(command, stdout=StringIO())
    assert DevelopmentalReview.objects.count() == 2
    assert Action.objects.count() == 1
    assert CqcRating.objects.filter(question="well_led", source="well_led_page").count() == 2

    from metrics.models import User

    client.force_login(User.objects.get(username="admin"))
    page = client.get(reverse("wellled:oversight")).content.decode()
    assert "Developmental review overdue" in page
    assert "Well-led rating Requires improvement or Inadequate" in page
    # NHS Improvement's demo records: a warning notice and a strategic-change concern, once.
    assert OversightConcern.objects.count() == 2
    assert 'data-flag="warning_notice" data-theme="quality"' in page
    assert 'data-flag="concern_strategic" data-theme="strategic"' in page
