import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_postgresql_under_make_test():
    if not os.environ.get("UOR_REQUIRE_POSTGRES"):
        pytest.skip("only `make test` promises PostgreSQL")
    assert connection.vendor == "postgresql"
