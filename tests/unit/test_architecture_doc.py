"""docs/architecture.md stays true: every `path::function` and every file it names exists."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "architecture.md"
PACKAGES = ("extract", "store", "budget_etl", "dagster_project", "dbt_project", "docs")


def _resolve(path: str) -> Path | None:
    """A path as the page writes it: from the repository root or dbt_project/, or a file name that
    names one file of the packages (`row_kinds.py`, `_catalog.sql`)."""
    for root in (REPO, REPO / "dbt_project"):
        if (root / path).exists():
            return root / path
    matches = [
        found
        for package in PACKAGES
        for found in (REPO / package).rglob(Path(path).name)
        if "target" not in found.parts
    ]
    return matches[0] if len(matches) == 1 else None


def test_every_named_function_exists_in_its_file() -> None:
    references = re.findall(r"`([\w/]+\.py)::(\w+)`", DOC.read_text(encoding="utf-8"))
    assert len(references) >= 10
    missing = [
        f"{path}::{name}"
        for path, name in references
        if not (REPO / path).is_file()
        or not re.search(rf"^\s*(def|class) {name}\b|^{name} = ", (REPO / path).read_text(), re.M)
    ]
    assert not missing, f"docs/architecture.md names what does not exist: {missing}"


def test_every_named_file_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    paths = set(re.findall(r"`((?:[\w]+/)*[\w]+\.(?:py|sql|md))(?:::\w+)?`", text))
    assert len(paths) >= 15
    missing = sorted(p for p in paths if _resolve(p) is None)
    assert not missing, f"docs/architecture.md names files that do not exist: {missing}"


def test_every_macro_named_exists() -> None:
    macros = set(re.findall(r"macro `(\w+)`", DOC.read_text(encoding="utf-8")))
    sources = "\n".join(p.read_text() for p in (REPO / "dbt_project" / "macros").rglob("*.sql"))
    missing = sorted(m for m in macros if not re.search(rf"macro {m}\(", sources))
    assert macros and not missing, f"macros named but not defined: {missing}"
