"""The code's shape, checked: no import cycle among the app's modules, digitlib never imports
streamlit, and pages import digitlib and ui, never each other."""

import ast
from pathlib import Path

from tests.support.paths import ROOT


def _modules() -> dict[str, Path]:
    found = {}
    for path in [*ROOT.glob("digitlib/**/*.py"), *ROOT.glob("ui/*.py")]:
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path, package: str) -> set[str]:
    """Every module ``path`` imports, anywhere in it (inside functions too), as dotted names."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names.update({base, *(f"{base}.{alias.name}" for alias in node.names)})
    return names


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = {other for other in _imports(path, package) if other in modules and other != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_the_apps_modules():
    assert cycles(import_graph()) == []


def test_digitlib_never_imports_streamlit():
    for path in ROOT.glob("digitlib/**/*.py"):
        assert not any(name == "streamlit" or name.startswith("streamlit.")
                       for name in _imports(path, "digitlib")), path


def test_pages_import_digitlib_and_ui_never_each_other():
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py")]:
        for name in _imports(path, ""):
            assert not name.startswith("pages") and name != "app", (path, name)
