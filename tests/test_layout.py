"""The code's shape, checked: no import cycle among the app's modules, digitlib never imports
streamlit, pages import digitlib and ui (never each other), digitlib is packages with a map each,
no two of the app's modules share a name, no file is too long to read in one sitting, nothing
edits ``sys.path``, and tests import helpers from ``tests.support``, never from each other."""

import ast
import re
import subprocess
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


MOST_LINES = 400
MOST_TOP_LEVEL = 5  # errors, serving, cli, __main__ and the package's __init__


def _python_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).exists()]


def test_digitlib_keeps_at_most_five_modules_at_its_top():
    top = sorted(path.name for path in (ROOT / "digitlib").glob("*.py"))
    assert len(top) <= MOST_TOP_LEVEL, top


def test_each_digitlib_package_has_a_map_naming_its_modules():
    for package in (ROOT / "digitlib").iterdir():
        init = package / "__init__.py"
        if not init.exists():
            continue
        docstring = ast.get_docstring(ast.parse(init.read_text())) or ""
        for module in package.glob("*.py"):
            if module.stem not in ("__init__", "__main__"):
                assert f"``{module.stem}``" in docstring, (package.name, module.stem)


def test_no_two_of_the_apps_modules_share_a_name():
    seen = {}
    for path in [*ROOT.glob("digitlib/**/*.py"), *ROOT.glob("ui/*.py")]:
        if path.stem in ("__init__", "__main__") or "migrations" in path.parts:
            continue
        assert path.stem not in seen, (path, seen.get(path.stem))
        seen[path.stem] = path


def test_every_file_reads_in_one_sitting():
    long = {str(path.relative_to(ROOT)): n for path in _python_files()
            if "migrations" not in path.parts and (n := len(path.read_text().splitlines())) > MOST_LINES}
    assert long == {}


def test_nothing_edits_sys_path():
    edit = re.compile(r"\bsys\.path\s*(\[[^]]*\]\s*=|\.(insert|append|extend)\b|=)")
    edits = [f"{path.relative_to(ROOT)}:{i}" for path in _python_files()
             for i, line in enumerate(path.read_text().splitlines(), 1) if edit.search(line)]
    assert edits == []


def test_tests_import_helpers_from_tests_support_never_from_each_other():
    for path in ROOT.glob("tests/**/*.py"):
        for name in _imports(path, ""):
            assert not re.match(r"(tests\.)?(\w+\.)*test_\w+$", name) and not name.startswith("conftest"), (path, name)
