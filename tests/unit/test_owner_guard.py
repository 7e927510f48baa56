"""A run's dbt stops once its run no longer owns the working copy (store/owner_guard.py): the
plugin dbt loads (store.dbt_plugin.py) checks when dbt opens the database, then watches."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from store.dbt_plugin import Plugin
from store.limits import DEFAULT_DUCKDB_THREADS, DUCKDB_MEMORY_ENV, DUCKDB_TEMP_ENV, DUCKDB_THREADS_ENV
from store.owner_guard import LOST_EXIT_STATUS, RUN_ID_ENV, workspace_of
from store.paths import WAREHOUSE_ENV
from store.publish import NotOwner, Workspace

CLAIM_AND_WAIT = (
    "import sys, time; from pathlib import Path\n"
    "from store.publish import Workspace\n"
    "Workspace(Path(sys.argv[1])).claim(sys.argv[2])\n"
    "print('claimed', flush=True); time.sleep(600)"
)
# What dbt-duckdb does when it opens the database: the plugin's hook, then the work.
DBT_OPENING = (
    "import sys, time; from types import SimpleNamespace\n"
    "from store.dbt_plugin import Plugin\n"
    "plugin = Plugin(name='guard', plugin_config={})\n"
    "plugin.update_connection_config(SimpleNamespace(path='budget.duckdb'), {})\n"
    "print('opened', flush=True); time.sleep(600)"
)


def _start(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )


def _open(creds: SimpleNamespace, config: dict[str, str]) -> None:
    """What dbt-duckdb does just before it opens the database."""
    Plugin(name="guard", plugin_config={}).update_connection_config(creds, config)


def test_working_copy_names_its_warehouse(tmp_path: Path) -> None:
    assert workspace_of(tmp_path / "budget.duckdb.building") == Workspace(tmp_path / "budget.duckdb")
    assert workspace_of(tmp_path / "budget.duckdb") is None  # not a run's copy: dbt by hand


def test_dbt_of_a_run_exits_within_a_poll_of_its_run_dying(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    run = _start(CLAIM_AND_WAIT, str(workspace.published), "run-a")
    dbt = None
    try:
        assert run.stdout is not None and run.stdout.readline() == "claimed\n"
        env = {**os.environ, RUN_ID_ENV: "run-a", WAREHOUSE_ENV: str(workspace.building)}
        dbt = _start(DBT_OPENING, env=env)
        assert dbt.stdout is not None and dbt.stdout.readline() == "opened\n"
        time.sleep(1)
        assert dbt.poll() is None, "dbt stopped while its run was alive"
        os.killpg(run.pid, signal.SIGKILL)
        died = time.monotonic()
        assert dbt.wait(timeout=10) == LOST_EXIT_STATUS
        assert time.monotonic() - died < 2
        assert "no live run" in dbt.stderr.read()
    finally:
        for proc in (run, dbt):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def test_dbt_of_a_dead_run_never_opens_the_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    workspace.claim("run-b")  # another run owns it now
    monkeypatch.setenv(RUN_ID_ENV, "run-a")
    monkeypatch.setenv(WAREHOUSE_ENV, str(workspace.building))
    with pytest.raises(NotOwner, match="belongs to run run-b, not to run run-a"):
        Plugin(name="guard", plugin_config={}).update_connection_config(
            SimpleNamespace(path="budget.duckdb"), {}
        )
    workspace.release("run-b")


def test_dbt_by_hand_is_not_watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RUN_ID_ENV, raising=False)
    building = Workspace(tmp_path / "budget.duckdb").building
    monkeypatch.setenv(WAREHOUSE_ENV, str(building))
    _open(SimpleNamespace(path="budget.duckdb"), {})


def test_dbt_opens_the_file_the_environment_names_with_the_build_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The profile names the file only (dbt's parse state holds for a warehouse in any folder)."""
    monkeypatch.delenv(RUN_ID_ENV, raising=False)
    for name in (DUCKDB_MEMORY_ENV, DUCKDB_THREADS_ENV, DUCKDB_TEMP_ENV):
        monkeypatch.delenv(name, raising=False)
    building = tmp_path / "w" / "budget.duckdb.building"
    monkeypatch.setenv(WAREHOUSE_ENV, str(building))
    monkeypatch.setenv(DUCKDB_MEMORY_ENV, "300MB")
    creds, config = SimpleNamespace(path="budget.duckdb"), {"storage_compatibility_version": "v1.4.0"}
    _open(creds, config)
    assert creds.path == str(building)
    assert config == {
        "storage_compatibility_version": "v1.4.0",
        "memory_limit": "300MB",
        "threads": str(DEFAULT_DUCKDB_THREADS),
        "temp_directory": f"{building}.tmp",
    }
    monkeypatch.delenv(WAREHOUSE_ENV)
    monkeypatch.chdir(tmp_path)
    _open(creds, {})
    assert creds.path == str(tmp_path.parent / "warehouse" / "budget.duckdb")
