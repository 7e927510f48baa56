"""Where things are: the repository, the default inbox, warehouse and DAGSTER_HOME.

Kept free of Dagster imports so that `budget-etl query` starts fast.
"""

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

# The package is installed editable (`pip install -e .`), so the repo is one level up.
REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

# What dbt writes inside its project folder (never part of what it parses).
DBT_OUTPUT_DIRS = {"target", "logs", "dbt_packages"}

INBOX_ENV = "BUDGET_INBOX"
WAREHOUSE_ENV = "BUDGET_WAREHOUSE"
DAGSTER_HOME_ENV = "DAGSTER_HOME"


def inbox_path(given: str | Path | None = None) -> Path:
    """`given` (an --inbox flag), else BUDGET_INBOX, else the bundled sample inbox; always absolute."""
    return Path(given or os.environ.get(INBOX_ENV) or REPO_ROOT / "sample_inbox").resolve()


def warehouse_path(given: str | Path | None = None) -> Path:
    """`given` (a --warehouse flag), else BUDGET_WAREHOUSE, else `<repo>/warehouse/budget.duckdb`;
    always absolute, and never resolved: the path is a link to the published version
    (store/standby.py), and the run's files are named after the link."""
    chosen = given or os.environ.get(WAREHOUSE_ENV) or REPO_ROOT / "warehouse" / "budget.duckdb"
    return Path(os.path.abspath(chosen))


def default_dagster_home() -> Path:
    """DAGSTER_HOME, else `<repo>/.dagster`; always absolute (Dagster insists)."""
    return Path(os.environ.get(DAGSTER_HOME_ENV) or REPO_ROOT / ".dagster").resolve()


def put_venv_on_path() -> None:
    """dagster-dbt runs `dbt` from PATH (also to re-parse the manifest under `dagster dev`); make the
    `dbt` beside this interpreter win, since `.venv/bin/...` commands run without an activated venv."""
    bin_dir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])


@contextlib.contextmanager
def environment(name: str, value: str, **more: str) -> Iterator[None]:
    """os.environ[name] = value (and every NAME=value of `more`) for the duration, then restored:
    in-process runs share the environment."""
    values = {name: value, **more}
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in before.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def dbt_sources(project_dir: Path) -> Iterator[Path]:
    """Every file and folder dbt parses (folders too: their mtime changes when a file is deleted)."""
    for root, dirs, files in os.walk(project_dir):
        dirs[:] = [d for d in dirs if not (Path(root) == project_dir and d in DBT_OUTPUT_DIRS)]
        yield Path(root)
        yield from (Path(root) / f for f in files)
