"""Nightly operations, end to end: `budget-etl run` as a user runs it (a subprocess, real Dagster with
its multiprocess executor, real DuckDB, dbt and Camelot), against bad files, reruns, new versions,
a SIGKILL at a random moment, and analysts reading while a run writes.

One warehouse for the module, built up run by run (module fixtures, each depending on the one
before):

1. `first`: a good budget, a permissions-only encrypted one and eight bad files (empty, not a PDF,
   truncated, user password, scanned, no budget tables, over the page limit, over the time limit).
2. `idle`: the same inbox again: nothing to do, done in seconds, the warehouse file untouched.
3. `second`: a revised version of the budget (other bytes, same department/year/kind), a copy of
   the first one under another name, a new department. Analysts read the warehouse all along.
4. `killed`: a copy of the warehouse as it was before (3), the same run SIGKILLed at a random moment
   (seeded and printed; BUDGET_KILL_SEED=n replays one), then run again: what (3) left, exactly.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import (
    AssetKey,
    DagsterInstance,
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    SensorResult,
    SkipReason,
    build_schedule_context,
    build_sensor_context,
    instance_for_test,
    materialize,
)
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from budget_etl.run import DAGSTER_YAML
from dagster_project.assets import documents
from dagster_project.assets.publish import published_warehouse
from dagster_project.definitions import defs
from dagster_project.jobs import STEP_PRELOAD
from dagster_project.resources import ExtractionLimits, WarehousePaths
from dagster_project.sensors import inbox_sensor
from extract.isolation import Limits
from store import ingest
from store.ingest import check_and_extract
from store.limits import limits_from_env
from store.publish import STARTING, NotOwner, WarehouseBusy, Workspace
from tests.support.synthetic import generate

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
BUDGET_ETL = Path(sys.executable).parent / "budget-etl"
# Limits of every run here: the 400-page document needs ~10 s (more than TIMEOUT_S), the others < 2 s.
TIMEOUT_S = 5
MAX_PAGES = 420

BUDGET = "2023_haidong_budget.pdf"
REVISED = "2023_haidong_budget_revised.pdf"
COPY = "copy_of_2023_haidong_budget.pdf"
PERMISSIONS_ONLY = "gaoyou_permissions_only.pdf"
NEW_DEPARTMENT = "suzhou_2026.pdf"
REJECTIONS = {
    "empty.pdf": "empty file",
    "not_a_pdf.pdf": "not a PDF (no %PDF header)",
    "truncated.pdf": None,  # pdfium's wording varies: checked by prefix
    "locked.pdf": "PDF is encrypted with a user password",
    "scanned.pdf": "scanned PDF without a text layer (no OCR is done)",
    "minutes.pdf": "no budget tables",
    "too_long.pdf": f"too many pages ({MAX_PAGES + 10} > limit {MAX_PAGES})",
    "slow.pdf": f"extraction exceeded the time limit of {TIMEOUT_S} s",
}


# ---------------------------------------------------------------- building the inbox


def _reportlab(path: Path, text: str | None, pages: int = 1, **options: object) -> None:
    doc = canvas.Canvas(str(path), pagesize=A4, **options)
    for _ in range(pages):
        if text:
            doc.drawString(72, 720, text)
        else:
            doc.rect(72, 400, 400, 300, fill=1)  # what a scan's image looks like without its pixels
        doc.showPage()
    doc.save()


def _rewritten(source: Path, target: Path, title: str | None = None, encrypt: bool = False) -> None:
    writer = PdfWriter(clone_from=PdfReader(source))
    if title:
        writer.add_metadata({"/Title": title})  # other bytes, same printed content
    if encrypt:  # opens without a password; copying and editing forbidden
        writer.encrypt(user_password="", owner_password="owner", permissions_flag=0b0100)
    with target.open("wb") as handle:
        writer.write(handle)


def first_inbox(inbox: Path, work: Path) -> None:
    inbox.mkdir(parents=True)
    shutil.copy(FIXTURES / "base.pdf", inbox / BUDGET)
    generate(work / "gaoyou.pdf", seed=1)  # 高邮市教育局 2019
    _rewritten(work / "gaoyou.pdf", inbox / PERMISSIONS_ONLY, encrypt=True)
    (inbox / "empty.pdf").write_bytes(b"")
    (inbox / "not_a_pdf.pdf").write_text("部门预算 2023", encoding="utf-8")
    data = (FIXTURES / "base.pdf").read_bytes()
    (inbox / "truncated.pdf").write_bytes(data[: len(data) // 3])
    _reportlab(inbox / "locked.pdf", "secret", encrypt=StandardEncryption("secret", "owner"))
    _reportlab(inbox / "scanned.pdf", None)
    _reportlab(inbox / "minutes.pdf", "Meeting minutes: no tables here at all.")
    _reportlab(inbox / "too_long.pdf", "page", pages=MAX_PAGES + 10)
    writer = PdfWriter()
    for _ in range(20):  # 400 pages of real tables: far more than TIMEOUT_S to extract
        writer.append(PdfReader(FIXTURES / "base.pdf"))
    with (inbox / "slow.pdf").open("wb") as handle:
        writer.write(handle)


def second_inbox(inbox: Path, work: Path) -> None:
    _rewritten(inbox / BUDGET, inbox / REVISED, title="revised")
    shutil.copy(inbox / BUDGET, inbox / COPY)
    generate(inbox / NEW_DEPARTMENT, seed=3)  # 苏州市财政局 2026


# ---------------------------------------------------------------- running and reading


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def run_id(self) -> str:
        match = re.search(r"^Run: (\S+) (SUCCESS|FAILURE)$", self.stdout, re.M)
        assert match, self.stdout
        return match.group(1)

    def explain(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr (tail)\n{self.stderr[-5000:]}"


def command(inbox: Path, warehouse: Path) -> list[str]:
    return [
        str(BUDGET_ETL),
        "run",
        "--inbox",
        str(inbox),
        "--warehouse",
        str(warehouse),
        "--timeout",
        str(TIMEOUT_S),
    ]


def environment(dagster_home: Path) -> dict[str, str]:
    # The page limit comes from the environment, the time limit from the flag: both ways are tested.
    return {**os.environ, "DAGSTER_HOME": str(dagster_home), "BUDGET_MAX_PAGES": str(MAX_PAGES)}


def budget_etl_run(inbox: Path, warehouse: Path, dagster_home: Path) -> Run:
    started = time.monotonic()
    proc = subprocess.run(
        command(inbox, warehouse), env=environment(dagster_home), capture_output=True, text=True, timeout=900
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)


@dataclass(frozen=True)
class State:
    """A published warehouse as analysts see it: statuses, file sightings, every fact row."""

    documents: tuple[tuple, ...]  # (document_id, file_name, status, reason)
    files: tuple[tuple, ...]  # (file_name, sha256)
    facts: tuple[tuple[str, tuple[tuple, ...]], ...]  # (fct table, sorted rows)

    def status_of(self, file_name: str) -> tuple[str, str | None]:
        (row,) = [(status, reason) for _, name, status, reason in self.documents if name == file_name]
        return row

    def fact_rows(self, table: str) -> tuple[tuple, ...]:
        return dict(self.facts)[table]


def read_state(warehouse: Path) -> State:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "and table_name like 'fct%' order by 1"
            ).fetchall()
        ]
        return State(
            documents=tuple(
                con.execute(
                    "select document_id, file_name, status, reason from audit.documents order by 1"
                ).fetchall()
            ),
            files=tuple(con.execute("select file_name, sha256 from audit.files order by 1, 2").fetchall()),
            facts=tuple(
                (t, tuple(sorted(con.execute(f"select * from marts.{t}").fetchall(), key=repr)))
                for t in tables
            ),
        )


def document_id(state: State, file_name: str) -> str:
    (doc,) = [doc for doc, name, _, _ in state.documents if name == file_name]
    return doc


def fact_documents(state: State) -> set[str]:
    return {row[0] for _, rows in state.facts for row in rows}


# ---------------------------------------------------------------- the module's runs


@dataclass
class Module:
    root: Path
    inbox: Path
    warehouse: Path
    dagster_home: Path


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory) -> Module:
    root = tmp_path_factory.mktemp("operations")
    first_inbox(root / "inbox", root)
    return Module(root, root / "inbox", root / "warehouse" / "budget.duckdb", root / "dagster_home")


@dataclass(frozen=True)
class Stage:
    run: Run
    state: State


@pytest.fixture(scope="module")
def first(module: Module) -> Stage:
    run = budget_etl_run(module.inbox, module.warehouse, module.dagster_home)
    assert run.returncode == 0, run.explain()
    return Stage(run, read_state(module.warehouse))


@dataclass(frozen=True)
class Idle:
    run: Run
    state: State
    file_before: os.stat_result
    file_after: os.stat_result


@pytest.fixture(scope="module")
def idle(module: Module, first: Stage) -> Idle:
    before = module.warehouse.stat()
    run = budget_etl_run(module.inbox, module.warehouse, module.dagster_home)
    assert run.returncode == 0, run.explain()
    return Idle(run, read_state(module.warehouse), before, module.warehouse.stat())


@dataclass(frozen=True)
class Second:
    run: Run
    state: State
    before: State
    before_file: Path  # a copy of the warehouse as it was before this run (for the kill test)
    seen_by_readers: list[State]
    reader_errors: list[str]
    query_during_run: subprocess.CompletedProcess[str] | None


def test_nightly_schedule_only_scans_when_nothing_is_new(idle: Idle, module: Module, tmp_path: Path) -> None:
    schedule = defs.resolve_schedule_def("nightly_warehouse")

    def request(inbox: Path, warehouse: Path) -> RunRequest:
        paths = WarehousePaths(inbox=str(inbox), warehouse=str(warehouse))
        with instance_for_test() as instance:
            (run_request,) = schedule.evaluate_tick(
                build_schedule_context(instance=instance, resources={"paths": paths})
            ).run_requests
        return run_request

    quiet = request(module.inbox, module.warehouse)
    assert quiet.asset_selection == [documents.raw_documents.key]
    assert quiet.run_config == {"execution": {"config": {"in_process": {}}}}
    (tmp_path / "inbox").mkdir()
    busy = request(tmp_path / "inbox", tmp_path / "new.duckdb")  # no warehouse yet: a full run
    assert busy.asset_selection is None and busy.run_config == {}


@pytest.fixture(scope="module")
def second(module: Module, idle: Idle) -> Second:
    before_file = module.root / "before_second" / "budget.duckdb"
    before_file.parent.mkdir()
    shutil.copyfile(module.warehouse, before_file)
    second_inbox(module.inbox, module.root)

    seen: list[State] = []
    errors: list[str] = []
    query: list[subprocess.CompletedProcess[str]] = []
    started = time.monotonic()
    proc = subprocess.Popen(
        command(module.inbox, module.warehouse),
        env=environment(module.dagster_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    output: list[str] = []
    collector = threading.Thread(target=lambda: output.extend(proc.communicate()))
    collector.start()
    # Analysts keep reading while the run writes: never a lock error, never a half-built warehouse.
    while collector.is_alive():
        try:
            state = read_state(module.warehouse)
            if not seen or seen[-1] != state:
                seen.append(state)
        except duckdb.Error as error:
            errors.append(f"{type(error).__name__}: {error}")
        if not query and time.monotonic() - started > 10:
            query.append(
                subprocess.run(
                    [
                        str(BUDGET_ETL),
                        "query",
                        "select count(*) from audit.documents",
                        "--warehouse",
                        str(module.warehouse),
                    ],
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
            )
        time.sleep(0.2)
    collector.join()
    run = Run(proc.returncode, output[0], output[1], time.monotonic() - started)
    assert run.returncode == 0, run.explain()
    return Second(
        run, read_state(module.warehouse), idle.state, before_file, seen, errors, query[0] if query else None
    )


# ---------------------------------------------------------------- 1. the first run: bad input


def test_first_run_loads_the_good_documents_and_rejects_the_bad_with_reasons(first: Stage) -> None:
    state = first.state
    assert state.status_of(BUDGET) == ("loaded", None)
    for name, reason in REJECTIONS.items():
        status, actual = state.status_of(name)
        assert status == "rejected", (name, status, actual)
        if reason is None:
            assert actual.startswith(("corrupt or truncated PDF", "could not parse the PDF")), actual
        else:
            assert actual == reason, name
    assert fact_documents(state) >= {document_id(state, BUDGET)}


def test_permissions_only_encryption_loads_normally(first: Stage, module: Module) -> None:
    status, reason = first.state.status_of(PERMISSIONS_ONLY)
    assert status != "rejected", reason
    with duckdb.connect(str(module.warehouse), read_only=True) as con:
        tables = con.execute(
            "select tables_found from raw.documents where file_name = ?", [PERMISSIONS_ONLY]
        ).fetchone()
    assert tables is not None and tables[0] >= 5


def test_progress_line_per_document_and_summary(first: Stage) -> None:
    out = first.run.stdout
    extracted = 2 + len(REJECTIONS)
    assert f"Inbox: {extracted} PDF(s), {extracted} to extract" in out
    lines = re.findall(r"^\[(\d+)/(\d+)\] (\S+): (\d+) pages, (\w+).*, (\d+\.\d) s$", out, re.M)
    assert sorted(int(n) for n, *_ in lines) == list(range(1, extracted + 1))
    assert {total for _, total, *_ in lines} == {str(extracted)}
    assert {name for _, _, name, *_ in lines} == {BUDGET, PERMISSIONS_ONLY, *REJECTIONS}
    by_name = {name: (int(pages), status) for _, _, name, pages, status, _ in lines}
    assert by_name[BUDGET] == (20, "extracted")
    assert by_name["slow.pdf"] == (400, "rejected")
    assert by_name["too_long.pdf"] == (MAX_PAGES + 10, "rejected")

    summary = re.search(
        r"^Documents: (\d+) seen \((\d+) loaded, (\d+) unchanged, (\d+) superseded, "
        r"(\d+) duplicate, (\d+) quarantined, (\d+) rejected",
        out,
        re.M,
    )
    assert summary, out
    seen, loaded, unchanged, superseded, duplicate, quarantined, rejected = map(int, summary.groups())
    assert (seen, unchanged, superseded, duplicate, rejected) == (extracted, 0, 0, 0, len(REJECTIONS))
    assert loaded + quarantined == 2
    for name in REJECTIONS:
        assert f"  rejected: {name}: " in out
    assert re.search(r"^Identity findings: \d+", out, re.M)
    assert re.search(r"^Elapsed: \d+\.\d s$", out, re.M)
    assert "dbt tests (asset checks): " in out
    assert first.run.stdout.rstrip().endswith("SUCCESS")


def test_run_summary_is_dagster_run_metadata(first: Stage, module: Module) -> None:
    with DagsterInstance.from_config(str(module.dagster_home)) as instance:
        run = instance.get_run_by_id(first.run.run_id)
        assert run is not None and run.status == DagsterRunStatus.SUCCESS
        event = instance.get_latest_materialization_event(AssetKey("published_warehouse"))
        assert event is not None and event.run_id == first.run.run_id
        meta = event.asset_materialization.metadata
        summary = re.search(r"^Documents: (.*)$", first.run.stdout, re.M).group(1)
        assert meta["summary"].value == summary
        assert meta["seen"].value == 2 + len(REJECTIONS)
        assert meta["rejected"].value == len(REJECTIONS)
        assert run.tags["budget/summary"] == summary
        # One dynamic partition per document, each with its extraction observed and its status published.
        partitions = set(instance.get_dynamic_partitions("documents"))
        assert {document_id(first.state, name) for name in [BUDGET, *REJECTIONS]} <= partitions
        published = instance.get_materialized_partitions(AssetKey("inbox_document"))
        assert document_id(first.state, BUDGET) in published


def test_status_command_lists_every_document(first: Stage, module: Module) -> None:
    proc = subprocess.run(
        [str(BUDGET_ETL), "status", "--warehouse", str(module.warehouse)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for name in [BUDGET, PERMISSIONS_ONLY, *REJECTIONS]:
        assert name in proc.stdout
    assert re.search(rf"^By status: .*{len(REJECTIONS)} rejected", proc.stdout, re.M)


# ---------------------------------------------------------------- 2. the same inbox again


def test_rerun_changes_nothing(idle: Idle, first: Stage) -> None:
    """Its speed (≤ 10 s) is measured by `make bench` (a quiet machine), not asserted here."""
    out = idle.run.stdout
    assert "Nothing new: extraction and dbt skipped." in out
    assert f"Documents: {2 + len(REJECTIONS)} seen (0 loaded, {2 + len(REJECTIONS)} unchanged" in out
    assert "[1/" not in out
    assert idle.state == first.state
    # Not even rewritten: the same file (a rerun never touches what analysts read).
    assert (idle.file_after.st_ino, idle.file_after.st_mtime_ns) == (
        idle.file_before.st_ino,
        idle.file_before.st_mtime_ns,
    )


# ---------------------------------------------------------------- 3. versions, duplicates, readers


def test_newer_version_supersedes_and_marts_count_it_once(second: Second, first: Stage) -> None:
    state = second.state
    assert state.status_of(BUDGET) == ("superseded", f"superseded by {REVISED}")
    assert state.status_of(REVISED) == ("loaded", None)
    old, new = document_id(state, BUDGET), document_id(state, REVISED)
    assert old not in fact_documents(state) and new in fact_documents(state)
    # The same amounts as the first version, counted once.
    for table, rows in first.state.facts:
        before = sorted(row[1:] for row in rows if row[0] == old)
        after = sorted(row[1:] for row in state.fact_rows(table) if row[0] == new)
        assert after == before, table
    assert state.status_of(NEW_DEPARTMENT)[0] in ("loaded", "quarantined")
    assert "superseded: " + BUDGET + ": superseded by " + REVISED in second.run.stdout


def test_same_bytes_under_another_name_is_a_duplicate(second: Second, first: Stage, module: Module) -> None:
    assert COPY not in {name for _, name, _, _ in second.state.documents}
    sha = {name: sha for name, sha in second.state.files}
    assert sha[COPY] == sha[BUDGET]
    assert f"  duplicate: {COPY}: same bytes as {BUDGET}" in second.run.stdout
    assert re.search(r"\b1 duplicate\b", second.run.stdout)
    status = subprocess.run(
        [str(BUDGET_ETL), "status", "--warehouse", str(module.warehouse)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    (line,) = [line for line in status.stdout.splitlines() if line.startswith(BUDGET + " ")]
    assert "superseded" in line and COPY in line  # its duplicates column


def test_unchanged_files_are_not_extracted_again(second: Second) -> None:
    assert "Inbox: 13 PDF(s), 2 to extract" in second.run.stdout  # the revision and the new department
    summary = re.search(
        r"^Documents: 13 seen \((\d+) loaded, (\d+) unchanged, (\d+) superseded", second.run.stdout, re.M
    )
    assert summary and summary.groups()[1:] == ("9", "1"), second.run.stdout


def test_readers_never_blocked_and_never_see_half_a_run(second: Second) -> None:
    assert second.reader_errors == []
    assert len(second.seen_by_readers) >= 1
    assert all(state in (second.before, second.state) for state in second.seen_by_readers)
    assert second.query_during_run is not None and second.query_during_run.returncode == 0, (
        second.query_during_run
    )


# ---------------------------------------------------------------- 4. SIGKILL at a random moment


@dataclass(frozen=True)
class Killed:
    seed: int
    delay: float
    after_kill: State
    rerun: Run
    after_rerun: State


@pytest.fixture(scope="module")
def killed(module: Module, second: Second) -> Killed:
    seed = int(os.environ.get("BUDGET_KILL_SEED") or random.SystemRandom().randrange(10**6))
    delay = random.Random(seed).uniform(0, second.run.seconds)
    print(f"kill test: seed {seed}, SIGKILL after {delay:.2f} s of a {second.run.seconds:.1f} s run")

    warehouse = module.root / "killed" / "budget.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(second.before_file, warehouse)
    proc = subprocess.Popen(
        command(module.inbox, warehouse),
        env=environment(module.dagster_home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the run, its step processes, dbt
    )
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    after_kill = read_state(warehouse)

    rerun = budget_etl_run(module.inbox, warehouse, module.dagster_home)
    assert rerun.returncode == 0, f"kill seed {seed}\n" + rerun.explain()
    return Killed(seed, delay, after_kill, rerun, read_state(warehouse))


def test_killed_run_leaves_the_warehouse_as_before_or_complete(killed: Killed, second: Second) -> None:
    assert killed.after_kill in (second.before, second.state), (
        f"kill seed {killed.seed}, delay {killed.delay:.2f}"
    )


def test_next_run_completes_the_work_exactly(killed: Killed, second: Second) -> None:
    assert killed.after_rerun.documents == second.state.documents, f"kill seed {killed.seed}"
    assert killed.after_rerun.files == second.state.files, f"kill seed {killed.seed}"
    assert killed.after_rerun.facts == second.state.facts, f"kill seed {killed.seed}"


# ---------------------------------------------------------------- crashes, limits, failures


def _crashing_check_and_extract(path: Path, limits: Limits) -> object:
    if path.stem == "crash":
        raise RuntimeError("boom")
    if path.stem == "killed":
        os.kill(os.getpid(), signal.SIGKILL)  # the extraction process dies without a word
    return check_and_extract(path, limits)


def test_a_crash_of_one_document_gets_an_audit_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In process (so that the extraction child's work can fail on purpose): scan, extract, store, publish."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    generate(inbox / "good.pdf", seed=5)
    (inbox / "crash.pdf").write_bytes(b"%PDF-1.4 crash")
    (inbox / "killed.pdf").write_bytes(b"%PDF-1.4 killed")
    monkeypatch.setattr(ingest, "check_and_extract", _crashing_check_and_extract)
    warehouse = tmp_path / "w.duckdb"
    with instance_for_test() as instance:
        result = materialize(
            [documents.raw_documents, published_warehouse],
            resources={
                "paths": WarehousePaths(inbox=str(inbox), warehouse=str(warehouse)),
                "limits": ExtractionLimits(timeout_s=60, memory_mb=2048, max_pages=100),
            },
            instance=instance,
        )
    assert result.success
    with duckdb.connect(str(warehouse), read_only=True) as con:
        # no dbt in this run: the load outcomes (audit.documents is dbt's view over them)
        audit = dict(con.execute("select file_name, (outcome, reason) from audit.document_loads").fetchall())
    assert audit["good.pdf"] == ("loaded", None)
    assert audit["crash.pdf"] == ("rejected", "unexpected error while reading the PDF (RuntimeError: boom)")
    assert audit["killed.pdf"][0] == "rejected"
    assert audit["killed.pdf"][1].startswith("extraction process died (exit code -9)")


def test_limits_come_from_flags_or_environment(tmp_path: Path) -> None:
    assert limits_from_env(
        {"BUDGET_MAX_PAGES": "7", "BUDGET_TIMEOUT_S": "1.5", "BUDGET_MEMORY_MB": "300"}
    ) == Limits(timeout_s=1.5, memory_mb=300, max_pages=7)
    assert limits_from_env({}) == Limits()
    with pytest.raises(ValueError, match="BUDGET_TIMEOUT_S"):
        limits_from_env({"BUDGET_TIMEOUT_S": "soon"})
    for flag in ("--max-pages", "--timeout", "--memory-mb"):
        proc = subprocess.run(
            [str(BUDGET_ETL), "run", "--inbox", str(tmp_path), flag, "0"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2 and "must be positive" in proc.stderr
    proc = subprocess.run(
        [str(BUDGET_ETL), "run", "--inbox", str(tmp_path)],
        env={**os.environ, "BUDGET_MEMORY_MB": "lots"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "BUDGET_MEMORY_MB='lots' is not a whole number" in proc.stderr


def test_a_failed_run_prints_its_id_and_how_to_open_it(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    generate(tmp_path / "inbox" / "good.pdf", seed=5)
    (tmp_path / "a_file").write_text("not a folder")
    proc = subprocess.run(
        [
            str(BUDGET_ETL),
            "run",
            "--inbox",
            str(tmp_path / "inbox"),
            "--warehouse",
            str(tmp_path / "a_file" / "w.duckdb"),
        ],
        env={**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr[-3000:]
    run_id = re.search(r"^Run: (\S+) FAILURE$", proc.stdout, re.M).group(1)
    assert "dagster dev -w workspace.yaml" in proc.stdout
    assert f"http://127.0.0.1:3000/runs/{run_id}" in proc.stdout


@contextlib.contextmanager
def _claimed_in_another_process(workspace: Workspace, run_id: str) -> Iterator[None]:
    """`run_id` claims the working copy (or `reserve`s it: "(starting)") in another process, which
    dies of SIGKILL at the end."""
    code = (
        "import sys, time; from pathlib import Path\n"
        "from store.publish import STARTING, Workspace\n"
        "w = Workspace(Path(sys.argv[1]))\n"
        "w.reserve() if sys.argv[2] == STARTING else w.claim(sys.argv[2])\n"
        "print('claimed', flush=True); time.sleep(600)"
    )
    claimer = subprocess.Popen(
        [sys.executable, "-c", code, str(workspace.published), run_id],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert claimer.stdout is not None and claimer.stdout.readline() == "claimed\n"
        assert workspace.busy() == run_id
        yield
    finally:
        os.killpg(claimer.pid, signal.SIGKILL)
        claimer.wait(timeout=60)


def test_a_second_writer_is_refused_while_a_run_owns_the_warehouse(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    workspace.claim("run-a")  # held by this process, alive
    workspace.claim("run-a")  # the run's own claim again (its executor's, then its scan step's): fine
    with pytest.raises(WarehouseBusy, match="run run-a .* is writing"):
        workspace.claim("run-b")
    with pytest.raises(WarehouseBusy), workspace.writing_in_place():
        pass  # `budget-etl accept` must not write under a running run either
    assert workspace.busy() == "run-a"
    workspace.check_owner("run-a")
    workspace.release("run-a")
    assert workspace.busy() is None
    # A dead owner (a killed run: its lock died with its process) is no obstacle: its copy is discarded.
    with _claimed_in_another_process(workspace, "run-c"):
        pass
    workspace.building.write_bytes(b"half a warehouse")
    assert workspace.busy() is None and workspace.owner()["run_id"] == "run-c"
    with pytest.raises(NotOwner, match="no live run"):
        workspace.check_owner("run-c")  # a step the killed run left behind stops here
    workspace.claim("run-d")
    assert not workspace.building.exists()
    assert workspace.owner()["run_id"] == "run-d"
    workspace.release("run-d")
    with workspace.writing_in_place() as published:
        assert published == workspace.published


def test_budget_etl_run_reserves_the_copy_for_the_run_it_starts(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "budget.duckdb")
    workspace.reserve()  # before Dagster has created the run
    assert workspace.busy() == STARTING == "(starting)"
    with pytest.raises(WarehouseBusy, match=r"run \(starting\) \(pid \d+\) is writing"):
        with workspace.writing_in_place():
            pass
    workspace.claim("run-a")  # the run's executor, in this process, takes the reservation over
    assert workspace.busy() == "run-a" and workspace.owner()["pid"] == os.getpid()
    workspace.release("run-a", keep_copy=True)
    assert workspace.busy() is None and not workspace.owner_file.exists()
    # Another process's reservation is no one else's: a second `budget-etl run` is refused.
    with _claimed_in_another_process(workspace, STARTING):
        with pytest.raises(WarehouseBusy, match=r"run \(starting\) \(pid \d+\) is writing"):
            workspace.reserve()
    workspace.reserve()
    workspace.release(STARTING)


@pytest.mark.parametrize(
    "forged",
    ["empty", "not JSON", "a live pid", "a symlink to a locked file"],
)
def test_a_forged_owner_file_locks_no_one_out(forged: str, tmp_path: Path) -> None:
    """Only a held lock makes an owner: whatever the owner file says, nobody holding it means no run."""
    workspace = Workspace(tmp_path / "budget.duckdb")
    held = (tmp_path / "locked_elsewhere").open("w")
    fcntl.flock(held, fcntl.LOCK_EX)
    if forged == "empty":
        workspace.owner_file.write_bytes(b"")
    elif forged == "not JSON":
        workspace.owner_file.write_bytes(b"\xff\xfe run 1 {")
    elif forged == "a live pid":  # this test's process: alive, but it holds no lock on the file
        workspace.owner_file.write_text(json.dumps({"run_id": "run-x", "pid": os.getpid()}))
    else:
        workspace.owner_file.symlink_to(held.name)
    assert workspace.busy() is None
    with workspace.writing_in_place():
        pass
    workspace.claim("run-a")
    assert workspace.owner()["run_id"] == "run-a" and not workspace.owner_file.is_symlink()
    workspace.release("run-a")
    held.close()


# ---------------------------------------------------------------- kill -9 of any process of a run


def _processes(session: int) -> dict[int, tuple[int, list[str]]]:
    """Live processes of a session (Linux /proc): pid -> (parent pid, argv)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            argv = (stat.parent / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == session:
            found[int(stat.parent.name)] = (int(fields[1]), argv)
    return found


def _dbt_step(session: int) -> int | None:
    """The step process running `dbt build` (the parent of the dbt process), once it runs."""
    procs = _processes(session)
    for parent, argv in procs.values():
        if "build" in argv and any(Path(arg).name == "dbt" for arg in argv[:2]):
            return parent
    return None


def _kill_target(run: subprocess.Popen[str], target: str) -> int:
    """Wait until the run is in its dbt build (it owns the working copy), then pick the process."""
    deadline = time.monotonic() + 300
    while (step := _dbt_step(run.pid)) is None:
        assert run.poll() is None, "the run ended before its dbt build"
        assert time.monotonic() < deadline, "no dbt build within 300 s"
        time.sleep(0.1)
    if target == "run":
        return run.pid
    if target == "dbt step":
        return step
    (forkserver,) = [
        pid
        for pid, (parent, argv) in _processes(run.pid).items()
        if parent == run.pid and any("forkserver" in arg for arg in argv)
    ]
    return forkserver


@pytest.mark.parametrize("target", ["run", "dbt step", "forkserver"])
def test_kill_9_of_any_process_of_a_run_never_blocks_the_next(target: str, tmp_path: Path) -> None:
    """SIGKILL to one process of a run during its dbt build; once the run is over (killed: at once),
    the next run starts, does the work and publishes. The killed run's orphans may live on."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "base.pdf", inbox / BUDGET)
    warehouse = tmp_path / "w" / "budget.duckdb"
    home = tmp_path / "dagster_home"
    run = subprocess.Popen(
        command(inbox, warehouse),
        env=environment(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group: the run, its step processes, dbt
    )
    try:
        os.kill(_kill_target(run, target), signal.SIGKILL)
        run.wait(timeout=300)  # the killed process's run fails (or gets over it) and ends
        assert target != "run" or not warehouse.exists(), "a killed run published"
        started = time.monotonic()
        nxt = budget_etl_run(inbox, warehouse, home)
        print(f"{target} killed; next run {nxt.seconds:.1f} s, {time.monotonic() - started:.1f} s")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)  # the killed run's orphans (dbt, step processes)
    assert nxt.returncode == 0, nxt.explain()
    assert read_state(warehouse).status_of(BUDGET) == ("loaded", None)


def test_first_openings_of_a_new_dagster_home_take_turns(tmp_path: Path) -> None:
    """Where two first runs collide: opening the instance of a new DAGSTER_HOME creates its SQLite
    storages, which Dagster does not guard against other processes doing the same (IntegrityError,
    "table … already exists": 1 to 5 of these 12 processes failed in every try without the lock)."""
    code = (
        "import sys, time; from pathlib import Path\n"
        "from dagster import DagsterInstance\n"
        "from budget_etl.run import open_instance\n"
        "print('ready', flush=True)\n"
        "while not Path(sys.argv[1]).exists(): time.sleep(0.001)\n"
        "with open_instance() as instance: instance.get_runs(limit=1)\n"
    )
    go = tmp_path / "go"
    procs = []
    for home in (tmp_path / f"home{i}" for i in range(4)):
        home.mkdir()
        (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
        env = {**os.environ, "DAGSTER_HOME": str(home)}
        for _ in range(3):
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-c", code, str(go)],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        go.touch()  # all at once, each with Dagster imported
        errors = [proc.communicate(timeout=300)[1] for proc in procs]
    finally:
        for proc in procs:
            proc.kill()
    failed = [error for proc, error in zip(procs, errors, strict=True) if proc.returncode != 0]
    assert not failed, f"{len(failed)} of {len(procs)} failed; the first:\n{failed[0][-3000:]}"


def test_first_runs_at_once_on_a_fresh_dagster_home(tmp_path: Path) -> None:
    """Three `budget-etl run`s started together on a new DAGSTER_HOME, two into warehouse a, one into
    b: they take turns at creating Dagster's storages; a and b are built; the second run into a is
    refused, in a line, before it starts a Dagster run (exit 75, as `budget-etl accept`)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "base.pdf", inbox / BUDGET)
    targets = ["a", "a", "b"]
    runs = [
        subprocess.Popen(
            command(inbox, tmp_path / name / "budget.duckdb"),
            env=environment(tmp_path / "dagster_home"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for name in targets
    ]
    try:
        outputs = [run.communicate(timeout=600) for run in runs]
    finally:
        for run in runs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.pid, signal.SIGKILL)
    results = [Run(run.returncode, out, err, 0) for run, (out, err) in zip(runs, outputs, strict=True)]
    everything = "\n".join(result.explain() for result in results)
    assert not any("Traceback" in result.stderr or "IntegrityError" in result.stderr for result in results), (
        everything
    )
    assert sorted(result.returncode for result in results[:2]) == [0, 75], everything
    assert results[2].returncode == 0, everything
    (refused,) = [result for result in results if result.returncode == 75]
    assert re.fullmatch(
        r"Processing .*\n"
        r"budget-etl run: run \S+ \(pid \d+\) is writing \S+/a/budget.duckdb; try again later\n",
        refused.stderr,
    ), refused.explain()
    for name in ("a", "b"):
        assert read_state(tmp_path / name / "budget.duckdb").status_of(BUDGET) == ("loaded", None)


# ---------------------------------------------------------------- scheduling


def test_schedule_and_sensor_are_defined() -> None:
    schedule = defs.resolve_schedule_def("nightly_warehouse")
    sensor = defs.resolve_sensor_def("inbox_sensor")
    assert (schedule.job_name, sensor.job_name) == ("warehouse_job", "warehouse_job")
    assert schedule.default_status == DefaultScheduleStatus.STOPPED
    assert sensor.default_status == DefaultSensorStatus.STOPPED
    job = defs.resolve_job_def("warehouse_job")
    assert job.executor_def.name == "multi_or_in_process_executor"
    assert job.run_config_schema.config_type.fields["execution"].default_value == {
        "config": {
            "multiprocess": {
                "max_concurrent": os.cpu_count(),
                "start_method": {"forkserver": {"preload_modules": STEP_PRELOAD}},
            }
        }
    }
    assert documents.inbox_document.partitions_def.name == "documents"


def _tick(instance: DagsterInstance, inbox: Path, cursor: str | None) -> SensorResult | SkipReason:
    context = build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"paths": WarehousePaths(inbox=str(inbox), warehouse=str(inbox.parent / "w.duckdb"))},
    )
    return inbox_sensor(context)


def test_sensor_requests_a_run_for_new_or_changed_files(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with instance_for_test() as instance:
        empty = _tick(instance, inbox, None)
        assert isinstance(empty, SensorResult) and not empty.run_requests

        shutil.copy(FIXTURES / "base.pdf", inbox / "a.pdf")
        new = _tick(instance, inbox, empty.cursor)
        assert len(new.run_requests) == 1 and "a.pdf" in new.run_requests[0].tags["budget/new"]

        same = _tick(instance, inbox, new.cursor)
        assert not same.run_requests
        os.utime(inbox / "a.pdf", ns=(1, 1))  # touched, same bytes: nothing to do
        touched = _tick(instance, inbox, same.cursor)
        assert not touched.run_requests

        shutil.copy(FIXTURES / "yuan.pdf", inbox / "a.pdf")  # same name, other bytes
        changed = _tick(instance, inbox, touched.cursor)
        assert len(changed.run_requests) == 1
        assert changed.run_requests[0].run_key != new.run_requests[0].run_key

        # While a run writes the warehouse the sensor waits (its cursor stays where it was) …
        shutil.copy(FIXTURES / "stream.pdf", inbox / "b.pdf")
        workspace = Workspace(tmp_path / "w.duckdb")
        workspace.claim("a-running-run")
        waiting = _tick(instance, inbox, changed.cursor)
        assert isinstance(waiting, SkipReason) and "waiting for run a-running-run" in waiting.skip_message
        # … and asks as soon as it is done (or dead: a killed run never blocks the sensor).
        workspace.release("a-running-run")
        after = _tick(instance, inbox, changed.cursor)
        assert len(after.run_requests) == 1 and "b.pdf" in after.run_requests[0].tags["budget/new"]
