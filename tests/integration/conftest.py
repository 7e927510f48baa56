"""A sample warehouse shared by the read-only integration tests (docs site, README queries): one real
`budget-etl run` over the bundled sample per session, in a subprocess like a user's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUDGET_ETL = Path(sys.executable).parent / "budget-etl"


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
