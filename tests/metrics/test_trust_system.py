"""A trust's system (ICS or STP) in the trust CSV: loaded when the column is there, kept
when it is not, and a bad value named with its line; nothing is half-loaded."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from metrics.models import Trust

pytestmark = pytest.mark.django_db

HEADER = "ods_code,name,trust_type,region,foundation_trust"


def load(tmp_path, text, stderr=None):
    path = tmp_path / "trusts.csv"
    path.write_text(text)
    call_command("load_trusts", str(path), stdout=StringIO(), stderr=stderr or StringIO())


def test_the_system_column_is_loaded_and_a_file_without_it_keeps_it(tmp_path):
    load(tmp_path, f"{HEADER},system\nRAA,Alpha NHS Trust,acute,London,no,North London ICS\n")
    assert Trust.objects.get(ods_code="RAA").system == "North London ICS"
    load(tmp_path, f"{HEADER}\nRAA,Alpha Renamed NHS Trust,acute,London,no\n")
    alpha = Trust.objects.get(ods_code="RAA")
    assert (alpha.name, alpha.system) == ("Alpha Renamed NHS Trust", "North London ICS")
    load(tmp_path, f"{HEADER},system\nRAA,Alpha Renamed NHS Trust,acute,London,no,\n")
    assert Trust.objects.get(ods_code="RAA").system == ""


def test_a_system_too_long_is_named_with_its_line_and_nothing_loads(tmp_path):
    long_name = "S" * 101
    text = (
        f"{HEADER},system\n"
        "RAA,Alpha NHS Trust,acute,London,no,Fine ICS\n"
        f"RBB,Beta NHS Trust,acute,London,no,{long_name}\n"
    )
    errors = StringIO()
    with pytest.raises(CommandError, match="Nothing loaded: 1 problem"):
        load(tmp_path, text, stderr=errors)
    assert (
        "line 3: system (the trust's ICS or STP) must be at most 100 characters; it has 101"
        in errors.getvalue()
    )
    assert not Trust.objects.exists()
