"""Warehouses shared by the read-only integration tests, each built once per session by a real
`budget-etl run` in a subprocess like a user's: the bundled sample (docs site, README queries), and
every shared real document in one inbox with hostile files beside them (the real-document tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUDGET_ETL = Path(sys.executable).parent / "budget-etl"
SHARED = REPO.parent / "shared"
REAL_FOLDERS = (SHARED / "real", SHARED / "real2")


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample, built by `budget-etl run`; tests must only read it."""
    root = tmp_path_factory.mktemp("sample_warehouse")
    warehouse = root / "budget.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(root / "dagster_home")}
    proc = subprocess.run(
        [str(BUDGET_ETL), "run", "--inbox", str(REPO / "sample_inbox"), "--warehouse", str(warehouse)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, f"budget-etl run failed:\n{proc.stdout}\n{proc.stderr[-4000:]}"
    return warehouse


@dataclass(frozen=True)
class RealInboxRun:
    """One run over ../shared/real + ../shared/real2, plus a non-UTF-8 name, a symlink out of the
    inbox and a truncated PDF."""

    proc: subprocess.CompletedProcess[str]
    inbox: Path
    warehouse: Path

    def explain(self) -> str:
        proc = self.proc
        return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr[-4000:]}"


@pytest.fixture(scope="session")
def real_inbox_run(tmp_path_factory: pytest.TempPathFactory) -> RealInboxRun:
    """Tests must only read it. Skipped when the shared folders are absent."""
    missing = [str(folder) for folder in REAL_FOLDERS if not folder.is_dir()]
    if missing:
        pytest.skip(f"shared real documents absent: {', '.join(missing)}")
    root = tmp_path_factory.mktemp("real_inbox")
    inbox = root / "inbox"
    inbox.mkdir()
    for folder in REAL_FOLDERS:
        for pdf in sorted(folder.glob("*.pdf")):
            shutil.copy(pdf, inbox / pdf.name)
    sample = REPO / "tests" / "fixtures" / "base.pdf"
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
    return RealInboxRun(proc, inbox, warehouse)
