"""`manage.py load_trusts`: all rows or none, every bad row named with its line."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from metrics.models import Trust

HEADER = "ods_code,name,trust_type,region,foundation_trust\n"


def write(tmp_path, body, header=HEADER):
    path = tmp_path / "trusts.csv"
    path.write_text(header + body)
    return path


@pytest.mark.django_db
def test_load_creates_then_updates(tmp_path):
    path = write(
        tmp_path,
        "RAA,Alpha NHS Trust,acute,London,false\nRBB,Beta NHS FT,mental_health,Midlands,yes\n",
    )
    out = StringIO()
    call_command("load_trusts", str(path), stdout=out)
    assert "2 created, 0 updated" in out.getvalue()
    beta = Trust.objects.get(ods_code="RBB")
    assert (beta.name, beta.trust_type, beta.foundation_trust) == (
        "Beta NHS FT",
        "mental_health",
        True,
    )

    path = write(tmp_path, "RBB,Beta Renamed NHS FT,mental_health,North West,true\n")
    out = StringIO()
    call_command("load_trusts", str(path), stdout=out)
    assert "0 created, 1 updated" in out.getvalue()
    beta.refresh_from_db()
    assert (beta.name, beta.region) == ("Beta Renamed NHS FT", "North West")
    assert Trust.objects.count() == 2


@pytest.mark.django_db
def test_any_bad_row_loads_nothing_and_every_bad_row_is_named(tmp_path):
    path = write(
        tmp_path,
        "RAA,Alpha NHS Trust,acute,London,false\n"  # line 2: fine
        "RCC,Gamma NHS Trust,hospital,London,false\n"  # line 3: unknown type
        "RAA,Alpha Again,acute,London,false\n"  # line 4: duplicate code
        "RDD,,acute,London,false\n",  # line 5: missing name
    )
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing loaded: 3 problems"):
        call_command("load_trusts", str(path), stderr=err)
    report = err.getvalue()
    assert "line 3: trust_type 'hospital' is not one of" in report
    assert "line 4: ods_code 'RAA' appears again (first on line 2)" in report
    assert "line 5: name is missing" in report
    assert Trust.objects.count() == 0


@pytest.mark.django_db
def test_missing_column_is_reported_against_the_header(tmp_path):
    path = write(tmp_path, "RAA,Alpha,acute\n", header="ods_code,name,trust_type\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_trusts", str(path), stderr=err)
    assert "line 1: the header must name the columns" in err.getvalue()
    assert "region, foundation_trust" in err.getvalue()


@pytest.mark.django_db
def test_command_exits_non_zero_on_bad_file(tmp_path):
    path = write(tmp_path, "RAA,,acute,London,false\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "load_trusts", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "uor_site.settings.test"},
    )
    assert result.returncode != 0
    assert "line 2: name is missing" in result.stderr
