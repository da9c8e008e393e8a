"""The code's shape: dependencies point one way, nothing imports inside a function to dodge
a cycle, and no module grows past what a reader takes in (docs/architecture.md)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["core", "metrics", "assessments", "wellled"]
# Which of our apps each app may import (core: none of them).
# NOTE: well-led's oversight view shows each trust's UoR rating, so wellled reads assessments'
# published ratings; assessments never imports wellled, so the arrow still points one way.
MAY_IMPORT = {
    "core": set(),
    "metrics": {"core"},
    "assessments": {"core", "metrics"},
    "wellled": {"core", "metrics", "assessments"},
}
MAX_LINES = 450


def modules(app: str) -> dict[str, Path]:
    """Every module of `app` by dotted name, migrations left out."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ours that `name` imports at module level (relative imports resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def test_apps_import_only_what_they_may():
    wrong = []
    for app in APPS:
        known = {name for other in APPS for name in modules(other)}
        for name, path in modules(app).items():
            for target in imports_of(name, path, known):
                other = target.split(".")[0]
                if other != app and other not in MAY_IMPORT[app]:
                    wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_nothing_imports_inside_a_function():
    """Except the `ready()` hooks, which register receivers and tasks once apps are loaded,
    and imports kept off start-up on purpose (WeasyPrint, pandas), which say so with a
    comment "imported here" in the function."""
    found = []
    for app in APPS:
        for name, path in modules(app).items():
            source = path.read_text().splitlines()
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if path.name == "apps.py" and node.name == "ready":
                    continue
                if any(
                    "imported here" in line for line in source[node.lineno - 1 : node.end_lineno]
                ):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        found.append(f"{name}:{inner.lineno}")
    assert found == []


@pytest.mark.parametrize("app", APPS)
def test_no_import_cycle_between_modules(app):
    graph = {}
    known = set(modules(app))
    for name, path in modules(app).items():
        graph[name] = imports_of(name, path, known)
    # NOTE: a package importing its own submodules to re-export them is how a module that grew
    # becomes a package (STYLE.md); those edges point down only and are left out.
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_no_module_passes_450_lines():
    long = [
        f"{name} ({count} lines)"
        for app in APPS
        for name, path in modules(app).items()
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert long == []
