"""Publishing: a run never writes the version readers open; it builds the other one and swaps.

    budget.duckdb                 the published warehouse: a symbolic link to one of two versions,
                                  only ever switched whole (store/standby.py)
    budget.duckdb.a / .b          the two versions: the published one and the standby
    budget.duckdb.building        during a run, a link to the standby: the run loads documents and
                                  runs dbt on it (a fixed name: dbt's partial parse stays valid)
    budget.duckdb.building.tmp    where the dbt build's DuckDB spills past its memory limit (removed)
    budget.duckdb.building.claims the documents the run's extraction workers took (store/work_queue.py)
    budget.duckdb.building.owner  the run that owns the standby (run id, pid), flock'ed by that run's process
    budget.duckdb.lock            flock'ed briefly to look at or change the owner (claim, publish, accept)

A run claims the standby before its first step, in the process that lives as long as the run (the
`budget-etl run` process, or the daemon's run worker: jobs.holding_the_warehouse; `budget-etl run`
even `reserve`s it before it creates the Dagster run): it creates the owner file and holds an
exclusive flock on it until the run ends. The lock, not the file's content, says the owner is
alive: the kernel drops it when that process exits, however it dies (kill -9 included), and no
other process keeps it (opened O_CLOEXEC; step processes fork from an exec'ed forkserver). So the
forkserver, step processes or dbt a killed run leaves behind never block the next run (nor write
on: a run's dbt exits once its run stops owning the copy, store/owner_guard.py), and an
owner file nobody holds a lock on — a dead run's, or anything written there by hand — is stale:
the next claim discards it and goes on. While the lock is held, another claim is refused
(WarehouseBusy, "run … is writing …"), so are `budget-etl accept` and `retire`, and the sensor
and the schedule wait (`busy`). A step checks that its run still holds the lock (`check_owner`); a
step run some other way than by the job's executor (in process, `materialize`) claims the standby
itself, for as long as its process lives.

The run first brings the standby up to the published version — copying only the documents whose
load differs (store/standby.py: the cost follows the change, not the warehouse), or the whole file
when the standby is missing, held by a reader, or holds an unpublished run's writes — then loads
documents and runs dbt on it, then switches the published link to it (after fsync of the file; the
folder is fsync'ed after the rename), under the short lock and only while its owner lock is still
held: killed at any moment, a run leaves the published version as it was or completely replaced (a
step left running by a dead run cannot publish). Readers with the old version open keep reading
it. Both versions keep the published file's stem, so DuckDB's catalog name (and dbt's relations)
stay the same.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from store.standby import fsync, prepare_standby, promote, resolved, wal
from store.work_queue import claims_root

BUILDING_SUFFIX = ".building"
# The owner's run id while `budget-etl run` holds the copy for a run Dagster has not created yet.
STARTING = "(starting)"


class WarehouseBusy(RuntimeError):
    """Another live run owns the working copy."""


class NotOwner(RuntimeError):
    """This run does not own the working copy (it was discarded, or another run took over)."""


def building_path(published: Path) -> Path:
    """Where a run builds the next version of `published` (dbt's BUDGET_WAREHOUSE during a run)."""
    return published.with_name(published.name + BUILDING_SUFFIX)


def _remove_spill(database: Path) -> None:
    """The build's default spill folder (store.limits.build_settings), gone with its database."""
    shutil.rmtree(database.with_name(database.name + ".tmp"), ignore_errors=True)


# Owner files whose lock this process holds: path -> (run id, descriptor).
_held: dict[Path, tuple[str, int]] = {}


def _live_owner(owner_file: Path) -> dict:
    """The owner record if a process holds the owner file's lock, else {} (no owner, or a dead or
    forged one, whatever its content). Only under Workspace._locked(): the probe locks for an instant."""
    try:  # not a symlink: a link to a file someone keeps locked would lock runs out
        fd = os.open(owner_file, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return {}
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return {}
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:  # held: its owner is alive
            try:
                record = json.loads(os.pread(fd, 65536, 0))
            except ValueError:
                record = None
            return record if isinstance(record, dict) else {"run_id": "?"}
        return {}  # nobody's: closing the descriptor drops the probe's lock
    finally:
        os.close(fd)


def _write_owner(fd: int, run_id: str) -> None:
    record = {"run_id": run_id, "pid": os.getpid(), "claimed_at": datetime.now(UTC).isoformat()}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(record).encode(), 0)


def _holding(owner_file: Path) -> str | None:
    """The run this process holds `owner_file`'s lock for (the file now at that path), else None."""
    held = _held.get(owner_file)
    try:
        now = os.stat(owner_file, follow_symlinks=False)
        return held[0] if held is not None and os.path.samestat(os.fstat(held[1]), now) else None
    except OSError:
        return None


def _let_go(owner_file: Path) -> None:
    """Drop this process's lock on `owner_file`, if it holds one."""
    held = _held.pop(owner_file, None)
    if held is not None:
        os.close(held[1])


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

    def claim(self, run_id: str) -> None:
        """Make `run_id` the owner of the working copy, held by this process until it exits or calls
        `release` (or `publish`). A no-op when `run_id` owns it already (its run process claimed it
        before the steps); refused (WarehouseBusy) while another live run owns it; a stale owner
        file is discarded with its copy."""
        with self._locked():
            owner = _live_owner(self.owner_file)
            if _holding(self.owner_file) == STARTING:  # `reserve`d by this process for the run now starting
                fd = _held[self.owner_file][1]
                _write_owner(fd, run_id)
                _held[self.owner_file] = (run_id, fd)
                return
            if owner.get("run_id") == run_id != STARTING:  # claimed already by this run's process
                return
            self._refuse_if_owned(owner)
            _let_go(self.owner_file)  # a lock this process kept on a file since unlinked
            self._discard()
            self.owner_file.unlink(missing_ok=True)  # stale: a new file, so no one else has it open
            flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(self.owner_file, flags, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                _write_owner(fd, run_id)
            except BaseException:
                os.close(fd)
                self.owner_file.unlink(missing_ok=True)
                raise
            _held[self.owner_file] = (run_id, fd)

    def reserve(self) -> None:
        """`claim` for the run this process is about to start, before Dagster gives it an id (so that
        `budget-etl run` is refused before it creates a run); the run's claim takes it over."""
        self.claim(STARTING)

    def busy(self) -> str | None:
        """The run that owns the working copy, if it is alive (holds the owner lock), else None."""
        if not self.owner_file.exists():  # no run: nothing to lock (nor a folder to create)
            return None
        with self._locked():
            owner = _live_owner(self.owner_file)
        return str(owner.get("run_id", "?")) if owner else None

    def _refuse_if_owned(self, owner: dict) -> None:
        if owner:
            raise WarehouseBusy(
                f"run {owner.get('run_id', '?')} (pid {owner.get('pid', '?')}) is writing {self.published}; "
                "try again later"
            )

    @contextlib.contextmanager
    def writing_in_place(self) -> Iterator[Path]:
        """For a small write outside a run (`budget-etl accept`): refused while a live run owns the
        working copy (its swap would undo the write); no run can claim it until the write is done."""
        with self._locked():
            self._refuse_if_owned(_live_owner(self.owner_file))
            yield self.published

    def check_owner(self, run_id: str) -> None:
        with self._locked():
            self._check_owner(run_id)

    def _check_owner(self, run_id: str) -> None:
        owner = _live_owner(self.owner_file)
        if owner.get("run_id") != run_id:
            holder = f"run {owner.get('run_id')}" if owner else "no live run"
            raise NotOwner(
                f"{self.building} belongs to {holder}, not to run {run_id}: the warehouse is only written "
                "by a whole warehouse_job run, whose process holds the working copy until the run ends"
            )

    def begin(self, run_id: str) -> Path:
        """Point the working copy at the standby, made equal to the published version (or absent:
        a new warehouse); see store/standby.py."""
        self.check_owner(run_id)
        self._discard()
        current = resolved(self.published)
        if current is not None and wal(current).exists():
            # Someone wrote the published file in place and did not finish: let DuckDB replay it.
            with duckdb.connect(str(current)) as con:
                con.execute("checkpoint")
        standby, _how = prepare_standby(self.published)
        self.building.symlink_to(standby.name)
        return self.building

    def publish(self, run_id: str) -> None:
        """Atomically make the run's version the published one, durably."""
        self.check_owner(run_id)
        standby = resolved(self.building)
        if standby is None or not self.building.is_symlink():
            raise RuntimeError(f"{self.building} is not a run's working copy: nothing to publish")
        with duckdb.connect(str(standby)) as con:  # fold any WAL into the file before switching
            con.execute("checkpoint")
        if wal(standby).exists():
            raise RuntimeError(f"{wal(standby)} is still there after a checkpoint")
        current = resolved(self.published)
        if current is not None and wal(current).exists():
            raise RuntimeError(
                f"{self.published} was written in place during the run ({wal(current)} exists); "
                "not replacing it"
            )
        fsync(standby)
        with self._locked():
            # Checked with the swap, under the lock: once this run's process is gone (a step left
            # running by a killed run), the next run may be preparing the standby already.
            self._check_owner(run_id)
            promote(self.published, standby)
            self._discard()
            self.owner_file.unlink(missing_ok=True)
            _let_go(self.owner_file)

    def release(self, run_id: str, keep_copy: bool = False) -> None:
        """The run is over (published, or not: then its copy is discarded, or kept for a look with
        `keep_copy` until the next claim discards it): drop its owner file and this process's lock."""
        with self._locked():
            if _live_owner(self.owner_file).get("run_id") == run_id:
                if not keep_copy:
                    self._discard()
                self.owner_file.unlink(missing_ok=True)
            held = _held.get(self.owner_file)
            if held is not None and held[0] == run_id:
                _let_go(self.owner_file)

    def _discard(self) -> None:
        """Drop the working copy's link (the standby stays, marked unpublished if a run began on it)
        and what an older layout left: a copy of its own and its WAL."""
        self.building.unlink(missing_ok=True)
        wal(self.building).unlink(missing_ok=True)
        _remove_spill(self.building)
        shutil.rmtree(claims_root(self.building), ignore_errors=True)  # the extraction workers' claims
