"""`budget-etl run`: one Dagster run of warehouse_job (multiprocess executor), with a progress line
per document while it runs and a summary at the end.

stdout carries the progress lines and the summary; Dagster's and dbt's logs go to stderr (the
run's processes get stderr as their stdout, so dbt's console output cannot mix into the summary).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from budget_etl.run_summary import PUBLISH_STEP, print_summary
from budget_etl.run_summary import metadata_value as _value
from extract.names import shown
from store.paths import (
    DAGSTER_HOME_ENV,
    INBOX_ENV,
    WAREHOUSE_ENV,
    default_dagster_home,
    inbox_path,
    warehouse_path,
)

if TYPE_CHECKING:
    from dagster import DagsterEvent, DagsterInstance, JobExecutionResult

DAGSTER_YAML = "telemetry:\n  enabled: false\n"
INSTANCE_LOCK = "budget-etl.instance.lock"  # in DAGSTER_HOME
EXIT_BUSY = 75  # EX_TEMPFAIL, as `budget-etl accept`: another run is writing the warehouse
RUN_TOKEN_TAG = "budget/cli_token"
# Dagster logs go to stderr; INFO keeps step/dbt progress without the DEBUG event firehose.
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
SCAN_STEP = "raw_documents.scan_inbox"
DBT_STEP = "warehouse_dbt_assets"


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[IO[str]]:
    """Point file descriptor 1 at stderr for the duration; yield a writer on the real stdout."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    real = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8")
    try:
        yield real
    finally:
        sys.stdout.flush()
        real.close()
        os.dup2(saved, 1)
        os.close(saved)


def document_line(meta: Mapping[str, Any]) -> str:
    """`file: pages, status (reason), seconds` from an inbox_document observation (name escaped)."""
    status = _value(meta, "status", "?")
    if _value(meta, "reason"):
        status += f" ({shown(_value(meta, 'reason'))})"
    seconds = float(_value(meta, "seconds", 0))
    return (
        f"{shown(_value(meta, 'file_name', ''))}: {_value(meta, 'pages', 0)} pages, {status}, {seconds:.1f} s"
    )


class Progress(threading.Thread):
    """Follows the run's event log (its own instance handle) and prints a line per document."""

    def __init__(self, instance: DagsterInstance, token: str, out: IO[str]) -> None:
        super().__init__(name="budget-etl-progress", daemon=True)
        self._instance_ref = instance.get_ref()
        self._token = token
        self._out = out
        self._stopping = threading.Event()
        self._done = 0
        self._total = 0

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=10)

    def run(self) -> None:
        from dagster import DagsterInstance, RunsFilter

        with DagsterInstance.from_ref(self._instance_ref) as instance:
            run_id = None
            cursor = None
            while True:
                stopping = self._stopping.is_set()
                if run_id is None:
                    runs = instance.get_runs(filters=RunsFilter(tags={RUN_TOKEN_TAG: self._token}), limit=1)
                    run_id = runs[0].run_id if runs else None
                if run_id is not None:
                    cursor = self._poll(instance, run_id, cursor)
                if stopping:
                    return
                self._stopping.wait(0.5)

    def _poll(self, instance: DagsterInstance, run_id: str, cursor: str | None) -> str | None:
        while True:
            connection = instance.get_records_for_run(run_id, cursor=cursor, limit=500)
            for record in connection.records:
                event = record.event_log_entry.dagster_event
                if event is not None:
                    self._show(event)
            cursor = connection.cursor
            if not connection.has_more:
                return cursor

    def _print(self, line: str) -> None:
        print(line, file=self._out, flush=True)

    def _show(self, event: DagsterEvent) -> None:
        kind, step = event.event_type_value, event.step_key
        if kind == "STEP_OUTPUT" and step == SCAN_STEP and event.step_output_data.output_name == "plan":
            meta = event.step_output_data.metadata
            self._total = int(_value(meta, "to_extract", 0))
            why = _value(meta, "why", "")
            self._print(f"Inbox: {_value(meta, 'seen', 0)} PDF(s), {self._total} to extract ({why})")
        elif kind == "ASSET_OBSERVATION":
            observation = event.asset_observation_data.asset_observation
            if observation.asset_key.to_user_string() != "inbox_document":
                return
            meta = observation.metadata
            self._done += 1
            self._print(f"[{self._done}/{self._total}] {document_line(meta)}")
        elif kind == "STEP_START" and step == DBT_STEP:
            self._print("dbt build on the working copy …")
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and step in (DBT_STEP, PUBLISH_STEP):
            name = "dbt build" if step == DBT_STEP else "publish"
            seconds = (event.event_specific_data.duration_ms or 0) / 1000 if kind == "STEP_SUCCESS" else None
            done = f"done in {seconds:.1f} s" if seconds is not None else "FAILED"
            self._print(f"{name}: {done}")


def start_step_server() -> None:
    """Start the executor's forkserver now: it imports the code location while this process does the
    same, instead of after it (the executor reuses a running forkserver). Saves seconds per run."""
    import multiprocessing
    import multiprocessing.forkserver

    from dagster_project.jobs import STEP_PRELOAD

    multiprocessing.get_context("forkserver").set_forkserver_preload(STEP_PRELOAD)
    multiprocessing.forkserver.ensure_running()


def execute(out: IO[str], idle: bool) -> JobExecutionResult:
    """One run of warehouse_job on the instance in DAGSTER_HOME, following its progress on `out`.

    `idle` (a look at the inbox found nothing new): the run selects raw_documents only and runs in
    process — its scan reports and stops, without planning every dbt model and test or starting
    step processes; a few seconds.
    """
    from dagster import execute_job, reconstructable

    from dagster_project.assets.documents import raw_documents
    from dagster_project.definitions import get_warehouse_job
    from dagster_project.jobs import IN_PROCESS_RUN_CONFIG

    token = uuid.uuid4().hex
    with open_instance() as instance:
        progress = Progress(instance, token, out)
        progress.start()
        try:
            return execute_job(
                reconstructable(get_warehouse_job),
                instance,
                run_config={**RUN_CONFIG, **IN_PROCESS_RUN_CONFIG} if idle else RUN_CONFIG,
                tags={RUN_TOKEN_TAG: token, "budget/trigger": "budget-etl run"},
                asset_selection=[raw_documents.key] if idle else None,
            )
        finally:
            progress.stop()


def open_instance() -> DagsterInstance:
    """The instance in DAGSTER_HOME. Opening one creates its SQLite storages when they are missing,
    and Dagster does not guard that against a second process doing the same (IntegrityError, "table
    … already exists"): two first runs on a new DAGSTER_HOME take turns here."""
    from dagster import DagsterInstance

    with (default_dagster_home() / INSTANCE_LOCK).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        return DagsterInstance.get()


def inbox_is_idle(inbox: Path, warehouse: Path) -> bool:
    """Nothing new in the inbox, no status changed since the last build (read-only look)."""
    from store.fingerprints import dbt_project_fingerprint
    from store.plan import assess

    plan, _ = assess(inbox, warehouse, dbt_project_fingerprint())
    return not plan.has_work


# ---------------------------------------------------------------- command line


def prepare_dagster_home() -> Path:
    home = default_dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ[DAGSTER_HOME_ENV] = str(home)
    return home


def positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be positive")
        return value

    return parse


def cmd_run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from store.fingerprints import FULL_REFRESH_ENV
    from store.limits import MAX_PAGES_ENV, MEMORY_ENV, TIMEOUT_ENV, limits_from_env
    from store.publish import WarehouseBusy, Workspace

    inbox = inbox_path(args.inbox)
    warehouse = warehouse_path(args.warehouse)
    if not inbox.is_dir():
        parser.error(f"inbox {inbox} is not a directory")
    # The Definitions read these when imported (in the run's step processes too), and dbt's
    # profiles.yml reads BUDGET_WAREHOUSE.
    os.environ[INBOX_ENV] = str(inbox)
    os.environ[WAREHOUSE_ENV] = str(warehouse)
    flags = ((MAX_PAGES_ENV, args.max_pages), (TIMEOUT_ENV, args.timeout), (MEMORY_ENV, args.memory_mb))
    os.environ[FULL_REFRESH_ENV] = "1" if args.full_refresh else ""
    for env, value in flags:
        if value is not None:
            os.environ[env] = str(value)
    try:
        limits = limits_from_env()
    except ValueError as exc:
        parser.error(str(exc))
    prepare_dagster_home()
    print(
        f"Processing {inbox} into {warehouse} (limits per document: {limits.timeout_s:g} s, "
        f"{limits.memory_mb} MB, {limits.max_pages} pages)",
        file=sys.stderr,
    )
    with stdout_to_stderr() as out:
        idle = not args.full_refresh and inbox_is_idle(inbox, warehouse)
        if not idle:
            # Held by this process until the run ends (the job's executor takes it over): refused
            # here, before a Dagster run exists, while another run writes the warehouse.
            try:
                Workspace(warehouse).reserve()
            except WarehouseBusy as exc:
                print(f"budget-etl run: {exc}", file=sys.stderr)
                return EXIT_BUSY
            except OSError:
                pass  # e.g. no folder for the warehouse: the run fails on it and reports it
            start_step_server()
        try:
            import dagster_project.definitions  # noqa: F401 - fail here, readably, if it does not load
        except Exception as exc:  # e.g. the dbt project does not parse: say so instead of a traceback
            print(
                f"budget-etl run: cannot load the definitions: {type(exc).__name__}: {exc}", file=sys.stderr
            )
            return 1
        result = execute(out, idle)
    print_summary(result, warehouse)
    return 0 if result.success else 1


def add_run_parser(sub: Any, warehouse_flag: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("run", help="one Dagster run over the inbox: extract, load, dbt build, publish")
    p.add_argument("--inbox", metavar="DIR", help=f"folder of PDFs (default: ${INBOX_ENV} or sample_inbox/)")
    warehouse_flag(p)
    p.add_argument(
        "--max-pages",
        type=positive(int),
        metavar="N",
        help="reject documents with more pages (default: $BUDGET_MAX_PAGES or 500)",
    )
    p.add_argument(
        "--timeout",
        type=positive(float),
        metavar="S",
        help="seconds allowed to extract one document (default: $BUDGET_TIMEOUT_S or 300)",
    )
    p.add_argument(
        "--memory-mb",
        type=positive(int),
        metavar="M",
        help="memory limit of one extraction in MB (default: $BUDGET_MEMORY_MB or 2048)",
    )
    p.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every dbt model from all documents (default: only the documents that changed "
        "since the last build; a changed dbt project rebuilds everything by itself)",
    )
    p.set_defaults(func=cmd_run)
