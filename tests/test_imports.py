"""The apps' modules import one another one way: no cycle, and no import hidden inside a
function to dodge one (an AppConfig's `ready()` is where Django wants such imports)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("assessments", "core", "metrics", "wellled")
# wellled/services.py still imports inside a function; add it here once that is gone.
NO_FUNCTION_IMPORTS = ("assessments", "core", "metrics")


def _modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imported(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The dotted names an import statement may load, relative imports resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        names = {
            name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for name in _imported(module, path, node)
        }
        graph[module] = {name for name in names if name in modules and name != module}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph, or [] (depth-first search with the path on a stack)."""
    done, path, on_path = set(), [], set()

    def visit(module: str) -> list[str]:
        path.append(module)
        on_path.add(module)
        for imported in sorted(graph[module]):
            if imported in on_path:
                return [*path[path.index(imported) :], imported]
            if imported not in done and (found := visit(imported)):
                return found
        on_path.discard(path.pop())
        done.add(module)
        return []

    for module in sorted(graph):
        if module not in done and (found := visit(module)):
            return found
    return []


def test_no_import_cycle_between_modules():
    cycle = _cycle(_graph())
    assert not cycle, " → ".join(cycle)


@pytest.mark.parametrize("app", NO_FUNCTION_IMPORTS)
def test_no_import_inside_a_function(app):
    found = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for function in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if path.name == "apps.py" and function.name == "ready":
                continue
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno} in {function.name}()"
                for node in ast.walk(function)
                if isinstance(node, ast.Import | ast.ImportFrom)
            ]
    assert not found, "\n".join(found)
