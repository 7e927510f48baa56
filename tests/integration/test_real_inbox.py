"""Every shared real document in one inbox, with a hostile but ordinary file or three beside them
(issue 11's acceptance): `budget-etl run` exits 0, publishes, and gives every file a status.

Straight from ../shared/real and ../shared/real2 (copied into a temporary inbox, never into the
repository); skipped when those folders are absent.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
FOLDERS = (SHARED / "real", SHARED / "real2")
BUDGET_ETL = Path(sys.executable).parent / "budget-etl"
RunResult = tuple[subprocess.CompletedProcess[str], Path, Path]
STATUSES = {"loaded", "quarantined", "rejected", "superseded", "accepted"}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    missing = [str(folder) for folder in FOLDERS if not folder.is_dir()]
    if missing:
        pytest.skip(f"shared real documents absent: {', '.join(missing)}")
    root = tmp_path_factory.mktemp("real_inbox")
    inbox = root / "inbox"
    inbox.mkdir()
    for folder in FOLDERS:
        for pdf in sorted(folder.glob("*.pdf")):
            shutil.copy(pdf, inbox / pdf.name)
    sample = REPO / "tests" / "fixtures" / "base.pdf"
    # A name that is not UTF-8, a link out of the inbox, a PDF cut short.
    with open(os.path.join(os.fsencode(inbox), b"bad-\xff-name.pdf"), "wb") as handle:
        handle.write(sample.read_bytes())
    (inbox / "outside.pdf").symlink_to(sample)
    (inbox / "cut_short.pdf").write_bytes(sample.read_bytes()[:20_000])
    warehouse = root / "budget.duckdb"
    proc = subprocess.run(
        [str(BUDGET_ETL), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env={**os.environ, "DAGSTER_HOME": str(root / "dagster_home")},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return proc, inbox, warehouse


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr (tail)\n{proc.stderr[-4000:]}"


def test_run_completes_and_publishes(run: RunResult) -> None:
    proc, _, warehouse = run
    assert proc.returncode == 0, explain(proc)
    assert re.search(r"^Run: \S+ SUCCESS$", proc.stdout, re.M), explain(proc)
    assert "failed [error]" not in proc.stdout, explain(proc)
    assert warehouse.exists()


def test_every_real_document_has_a_status(run: RunResult) -> None:
    _, _, warehouse = run
    names = {pdf.name for folder in FOLDERS for pdf in folder.glob("*.pdf")} | {"cut_short.pdf"}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        statuses = dict(con.execute("select file_name, status from audit.documents").fetchall())
        loaded = con.execute("select count(*) from audit.documents where status = 'loaded'").fetchone()[0]
        facts = con.execute("select count(*) from marts.fct_expenditure").fetchone()[0]
    assert names <= set(statuses), sorted(names - set(statuses))
    assert set(statuses.values()) <= STATUSES, statuses
    assert statuses["cut_short.pdf"] == "rejected"
    assert loaded >= 6 and facts > 0, (loaded, facts)


def test_hostile_names_are_reported_not_loaded(run: RunResult) -> None:
    proc, _, warehouse = run
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = {name for (name,) in con.execute("select file_name from audit.files").fetchall()}
    assert "outside.pdf" not in names
    assert not any("bad-" in name for name in names), names
    lines = proc.stdout.splitlines()
    assert any("outside.pdf" in line and "link" in line for line in lines), explain(proc)
    assert any("bad-" in line and "UTF-8" in line for line in lines), explain(proc)
