"""`core` is what the apps share, so it must import none of them (they import it)."""

import ast
from pathlib import Path

from django.conf import settings

APPS = {"metrics", "assessments", "wellled", "uor_site"}


def test_core_imports_no_app():
    imported = set()
    for path in (Path(settings.BASE_DIR) / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {(path.name, alias.name.split(".")[0]) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add((path.name, node.module.split(".")[0]))
    assert {(name, module) for name, module in imported if module in APPS} == set()
