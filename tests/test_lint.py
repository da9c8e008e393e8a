"""The house style holds on every run: ruff (lint and format) and djlint for templates."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "--quiet", "."],
        ["ruff", "format", "--check", "--quiet", "."],
        ["djlint", "templates", "--lint"],
    ],
    ids=["ruff-check", "ruff-format", "djlint"],
)
def test_code_is_clean(command):
    result = subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_template_comment_spans_lines():
    """Django's {# #} comment ends at the line's end: one that runs on shows its text on the
    page (the KLOE workspace once printed one). Longer comments use {% comment %}."""
    unclosed = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert unclosed == []
