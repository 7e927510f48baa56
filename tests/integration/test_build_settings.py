"""The dbt build's DuckDB is bounded by configuration (issue 16): memory limit, threads and spill
directory come from store/limits.py:build_settings through the plugin profiles.yml names
(store/dbt_plugin.py), whatever the data size."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from store.limits import (
    DEFAULT_DUCKDB_MEMORY,
    DEFAULT_DUCKDB_THREADS,
    DUCKDB_MEMORY_ENV,
    DUCKDB_TEMP_ENV,
    DUCKDB_THREADS_ENV,
    build_settings,
)

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
SETTINGS_SQL = (
    "select current_setting('memory_limit') as memory_limit, current_setting('threads') as threads, "
    "current_setting('temp_directory') = '{temp}' as spills_where_told"
)


def _dbt_show(work: Path, env: dict[str, str], sql: str) -> str:
    dbt = Path(sys.executable).parent / "dbt"
    proc = subprocess.run(
        [
            str(dbt),
            "show",
            "--inline",
            sql,
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ],
        env={**os.environ, **env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    return proc.stdout


def test_settings_come_from_the_environment_or_the_defaults(tmp_path: Path) -> None:
    database = tmp_path / "budget.duckdb.building"
    assert build_settings(database, {}) == {
        DUCKDB_MEMORY_ENV: DEFAULT_DUCKDB_MEMORY,
        DUCKDB_THREADS_ENV: str(DEFAULT_DUCKDB_THREADS),
        DUCKDB_TEMP_ENV: f"{database}.tmp",
    }
    given = {DUCKDB_MEMORY_ENV: "3GB", DUCKDB_THREADS_ENV: "4", DUCKDB_TEMP_ENV: "/var/spill"}
    assert build_settings(database, given) == given
    with pytest.raises(ValueError, match="BUDGET_DUCKDB_THREADS"):
        build_settings(database, {DUCKDB_THREADS_ENV: "0"})


def test_the_profile_names_no_folder_and_leaves_the_settings_to_the_plugin() -> None:
    """One source for the settings (store/limits.py, applied by store/dbt_plugin.py) and a profile
    that is the same for a warehouse in any folder, so dbt's parse state holds across warehouses."""
    dev = yaml.safe_load((DBT_PROJECT / "profiles.yml").read_text())["budget_warehouse"]["outputs"]["dev"]
    assert set(dev["config_options"]) == {"storage_compatibility_version"}
    assert dev["plugins"] == [{"module": "store.dbt_plugin"}]
    assert ".split('/')[-1]" in dev["path"]


def test_dbt_connections_apply_the_settings(tmp_path: Path) -> None:
    """What the run hands dbt (build_settings) is what DuckDB runs with: a limit far below the
    machine's memory, one thread, and a spill folder inside the warehouse's folder."""
    warehouse = tmp_path / "warehouse" / "budget.duckdb.building"
    warehouse.parent.mkdir()
    env = {"BUDGET_WAREHOUSE": str(warehouse)} | build_settings(
        warehouse, {DUCKDB_MEMORY_ENV: "300MB", DUCKDB_THREADS_ENV: "1"}
    )
    out = _dbt_show(tmp_path, env, SETTINGS_SQL.format(temp=f"{warehouse}.tmp"))
    row = next(line for line in out.splitlines() if "MiB" in line or "MB" in line)
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    assert re.fullmatch(r"(286\.\d MiB|300\.0 MB)", cells[0]), cells
    assert cells[1] == "1", cells
    assert cells[2] == "True", cells


@pytest.mark.parametrize("published", [True, False])
def test_the_run_removes_its_spill_folder(tmp_path: Path, published: bool) -> None:
    """Spilled intermediate results are the build's, never the warehouse's: gone when the run ends,
    published or discarded."""
    import duckdb

    from store.publish import Workspace

    workspace = Workspace(tmp_path / "budget.duckdb")
    workspace.claim("run-1")
    building = workspace.begin("run-1")
    duckdb.connect(str(building)).close()
    spill = Path(build_settings(building, {})[DUCKDB_TEMP_ENV])
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"x" * 1024)
    if published:
        workspace.publish("run-1")
    workspace.release("run-1")
    assert not spill.exists()
    assert (tmp_path / "budget.duckdb").exists() is published


def test_a_build_that_spills_to_disk_succeeds(tmp_path: Path) -> None:
    """Past its memory limit the build spills and goes on. With the limits given per connection
    (dbt-duckdb's `settings`), every connection after the first spill failed: "Cannot switch
    temporary directory after the current one has been used" (DuckDB 2.0; 64 MB reproduces it on
    three documents)."""
    from extract.isolation import Limits
    from store.ingest import ingest_pdf

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    warehouse = tmp_path / "budget.duckdb"
    for name in ("base.pdf", "yuan.pdf", "stream.pdf"):
        assert ingest_pdf(fixtures / name, warehouse, Limits()).status == "loaded"
    env = {"BUDGET_WAREHOUSE": str(warehouse)} | build_settings(warehouse, {DUCKDB_MEMORY_ENV: "64MB"})
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "build",
            "--exclude-resource-type",
            "unit_test",  # as a run builds (their fixtures alone need more than 64 MB)
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        env={**os.environ, **env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0 and " ERROR=0 " in proc.stdout, proc.stdout[-4000:]
