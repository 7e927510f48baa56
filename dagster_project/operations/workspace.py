"""Copy-and-swap: a run never writes the published warehouse in place.

    budget.duckdb                 the published warehouse: what analysts read, only ever replaced whole
    budget.duckdb.building        this run's working copy (loads, then dbt build)
    budget.duckdb.building.owner  which run owns the copy: run id, pid of the run's process
    budget.duckdb.lock            flock'ed briefly while a run claims the copy

A run claims the copy, copies the published file into it, loads documents and runs dbt on it,
then `os.replace`s it over the published file (after fsync of the file; the folder is fsync'ed
after the rename). Killed at any moment, a run leaves the published file as it was or
completely replaced; the next run finds the dead owner, discards its copy and starts over.
The copy keeps the published file's stem, so DuckDB's catalog name (and dbt's relations) stay
the same, and a fixed name, so dbt's partial parse stays valid from run to run.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from extract.duckdb_format import copy_warehouse

BUILDING_SUFFIX = ".building"


class WarehouseBusy(RuntimeError):
    """Another live run owns the working copy."""


class NotOwner(RuntimeError):
    """This run does not own the working copy (it was discarded, or another run took over)."""


def building_path(published: Path) -> Path:
    """Where a run builds the next version of `published` (dbt's BUDGET_WAREHOUSE during a run)."""
    return published.with_name(published.name + BUILDING_SUFFIX)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _process_start(pid: int) -> str | None:
    """The process's start time in clock ticks (Linux), to tell a reused pid from the original."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _alive(pid: int, start: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return start is None or _process_start(pid) in (None, start)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Workspace:
    published: Path

    @property
    def building(self) -> Path:
        return building_path(self.published)

    @property
    def owner_file(self) -> Path:
        return self.building.with_name(self.building.name + ".owner")

    @property
    def lock_file(self) -> Path:
        return self.published.with_name(self.published.name + ".lock")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.published.parent.mkdir(parents=True, exist_ok=True)
        with self.lock_file.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def owner(self) -> dict | None:
        try:
            return json.loads(self.owner_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None

    def claim(self, run_id: str, pid: int, run_finished: Callable[[str], bool] | None = None) -> None:
        """Make `run_id` (whose process is `pid`) the owner of the working copy.

        Refused while another run that is still alive owns it; a dead owner's copy is discarded.
        """
        with self._locked():
            self._refuse_if_owned(run_id, run_finished)
            self._discard()
            record = {
                "run_id": run_id,
                "pid": pid,
                "pid_start": _process_start(pid),
                "claimed_at": datetime.now(UTC).isoformat(),
            }
            tmp = self.owner_file.with_name(self.owner_file.name + ".tmp")
            tmp.write_text(json.dumps(record), encoding="utf-8")
            os.replace(tmp, self.owner_file)

    def busy(self, run_finished: Callable[[str], bool] | None = None) -> str | None:
        """The run that owns the working copy, if its process is still alive (else None)."""
        owner = self.owner()
        if not owner:
            return None
        run_id = str(owner.get("run_id", "?"))
        if run_finished is not None and run_finished(run_id):
            return None
        return run_id if _alive(int(owner.get("pid", 0)), owner.get("pid_start")) else None

    def _refuse_if_owned(self, run_id: str | None, run_finished: Callable[[str], bool] | None) -> None:
        """WarehouseBusy when a run other than `run_id` owns the working copy and is still alive."""
        other = self.busy(run_finished)
        if other is not None and other != run_id:
            pid = (self.owner() or {}).get("pid")
            raise WarehouseBusy(f"run {other} (pid {pid}) is writing {self.published}; try again later")

    @contextlib.contextmanager
    def writing_in_place(self) -> Iterator[Path]:
        """For a small write outside a run (`budget-etl accept`): refused while a live run owns the
        working copy (its swap would undo the write); no run can claim it until the write is done."""
        with self._locked():
            self._refuse_if_owned(None, None)
            yield self.published

    def check_owner(self, run_id: str) -> None:
        owner = self.owner()
        if not owner or owner.get("run_id") != run_id:
            holder = f"run {owner.get('run_id')}" if owner else "no run"
            raise NotOwner(
                f"{self.building} belongs to {holder}, not to run {run_id}: the warehouse is only written "
                "by a whole warehouse_job run (its first step claims the working copy)"
            )

    def begin(self, run_id: str) -> Path:
        """Fill the working copy with the published warehouse (or leave it absent: a new warehouse)."""
        self.check_owner(run_id)
        for stale in (self.building, _wal(self.building)):
            stale.unlink(missing_ok=True)
        if self.published.exists():
            if _wal(self.published).exists():
                # Someone wrote the published file in place and did not finish: let DuckDB replay it.
                with duckdb.connect(str(self.published)) as con:
                    con.execute("checkpoint")
            copy_warehouse(self.published, self.building)  # converted if too new for clients
        return self.building

    def publish(self, run_id: str) -> None:
        """Atomically replace the published warehouse by the working copy, durably."""
        self.check_owner(run_id)
        with duckdb.connect(str(self.building)) as con:  # fold any WAL into the file before moving it
            con.execute("checkpoint")
        if _wal(self.building).exists():
            raise RuntimeError(f"{_wal(self.building)} is still there after a checkpoint")
        if _wal(self.published).exists():
            raise RuntimeError(
                f"{self.published} was written in place during the run ({_wal(self.published)} exists); "
                "not replacing it"
            )
        _fsync(self.building)
        os.replace(self.building, self.published)
        _fsync(self.published.parent)
        with self._locked():
            if (self.owner() or {}).get("run_id") == run_id:
                self.owner_file.unlink(missing_ok=True)

    def release(self, run_id: str) -> None:
        """Give up the working copy without publishing it."""
        with self._locked():
            if (self.owner() or {}).get("run_id") == run_id:
                self._discard()
                self.owner_file.unlink(missing_ok=True)

    def _discard(self) -> None:
        for stale in (self.building, _wal(self.building)):
            stale.unlink(missing_ok=True)
