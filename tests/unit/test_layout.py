"""The layout: which package may import which, no import cycles, no file too long to read.

The import graph is read from the source with ast (no module is imported), every `import` and
`from … import …` counted, those inside functions too; only imports under `if TYPE_CHECKING:`
are left out (they never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("extract", "store", "budget_etl", "dagster_project")
MAX_LINES = 400
ORCHESTRATION = ("dagster", "dagster_dbt", "dbt", "dagster_project")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((REPO / package).rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(nodes: list[ast.stmt] | list[ast.AST]) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node):
            yield from _import_nodes(node.orelse)
        else:
            yield from _import_nodes(list(ast.iter_child_nodes(node)))


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module `name` imports: a project module by its full name, any other by its top level."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            base = ".".join([*anchor, *([base] if base else [])])
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            found.add(submodule if submodule in known else base)
    return {m if m in known else m.split(".")[0] for m in found}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def top(module: str) -> str:
    return module.split(".")[0]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_graph_sees_function_level_imports() -> None:
    graph = import_graph()
    assert "dagster_project.definitions" in graph["budget_etl.run"]  # imported inside a function
    assert "store.ingest" in graph["dagster_project.assets.documents"]


def test_cycles_are_found() -> None:
    graph = {"a": {"b"}, "b": {"c", "os"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def forbidden_imports(
    package: str, forbidden: set[str], allowed_in: tuple[str, ...] = ()
) -> dict[str, list[str]]:
    """The modules of `package` (but those `allowed_in`) that import a forbidden top-level name."""
    wrong = {}
    for name, targets in import_graph().items():
        bad = sorted(t for t in targets if top(t) in forbidden)
        if top(name) == package and name not in allowed_in and bad:
            wrong[name] = bad
    return wrong


def test_extract_is_pure() -> None:
    assert forbidden_imports("extract", {"store", "budget_etl", *ORCHESTRATION}) == {}


def test_store_imports_neither_orchestration_nor_the_command_line() -> None:
    # But the plugin dbt loads to keep a run's build inside its ownership (dbt's side of store/publish.py).
    allowed = ("store.dbt_plugin",)
    assert forbidden_imports("store", {"budget_etl", *ORCHESTRATION}, allowed_in=allowed) == {}
    assert forbidden_imports("store", {"dagster", "dagster_dbt", "dagster_project", "budget_etl"}) == {}


def test_only_the_run_command_imports_dagster() -> None:
    assert forbidden_imports("budget_etl", set(ORCHESTRATION), allowed_in=("budget_etl.run",)) == {}


def test_no_file_outside_tests_is_too_long() -> None:
    long = {}
    for path in sorted(REPO.rglob("*.py")):
        relative = path.relative_to(REPO)
        if relative.parts[0] in ("tests", ".venv") or any(part.startswith(".") for part in relative.parts):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            long[str(relative)] = lines
    assert long == {}
