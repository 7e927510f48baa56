"""Inbox hygiene, `accept`'s rebuild and `retire`, end to end: `budget-etl` in subprocesses, as a
user runs it. One warehouse for the module, built up command by command (module fixtures, each
depending on the one before):

1. `first` (`budget-etl run`): a good budget (base.pdf), a copy of it edited to break an identity
   (quarantined) whose name holds a tab, and entries that are not regular files: symbolic links to
   a PDF outside the inbox, to /etc/passwd and to /proc/self/environ, a FIFO, a folder named *.pdf.
2. `accepted`: three files dropped in (a PDF whose name is not valid UTF-8, a file whose name
   carries a newline and an escape sequence, the budget of another year), then `budget-etl accept` of the
   quarantined copy without --inbox: its rebuild reads the inbox the warehouse recorded.
3. `retired` (`budget-etl retire good.pdf`): its rebuild takes the document out of the marts.
4. `again` (`budget-etl run`): nothing new, the retired document stays retired.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from tests.integration.test_identities import PDFS, edit_pdf_text

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
BUDGET_ETL = Path(sys.executable).parent / "budget-etl"

GOOD = "good.pdf"
EDITED = "edited\tcopy.pdf"  # quarantined: 2080101 printed 421.25 instead of 421.15
NEW_YEAR = "budget_2021.pdf"
LINKS = {"outside.pdf": None, "passwd.pdf": Path("/etc/passwd"), "environ.pdf": Path("/proc/self/environ")}
NOT_UTF8 = b"bad\xff.pdf"
FORGED = "forged\nRun: 00000000 SUCCESS\x1b[2K.pdf"  # a name that tries to print a line of its own
FORGED_SHOWN = "forged\\nRun: 00000000 SUCCESS\\x1b[2K.pdf"
RETIRE_REASON = "withdrawn by the publisher"
SKIPPED = {
    "outside.pdf": "symbolic link, not followed",
    "passwd.pdf": "symbolic link, not followed",
    "environ.pdf": "symbolic link, not followed",
    "fifo.pdf": "a named pipe, not a regular file",
    "folder.pdf": "a directory, not a file",
}


def write_rendering(path: Path, name: str) -> None:
    """A rendering of the sample printed as another year (test_identities.PDFS: one per year)."""
    source, edits = PDFS[name]
    path.write_bytes(edit_pdf_text((FIXTURES / f"{source}.pdf").read_bytes(), edits))


def document_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Module:
    root: Path
    inbox: Path
    warehouse: Path
    dagster_home: Path

    def env(self) -> dict[str, str]:
        # No BUDGET_INBOX / BUDGET_WAREHOUSE from the caller: the commands must not need them.
        env = {k: v for k, v in os.environ.items() if k not in ("BUDGET_INBOX", "BUDGET_WAREHOUSE")}
        return {**env, "DAGSTER_HOME": str(self.dagster_home)}

    def budget_etl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BUDGET_ETL), *args, "--warehouse", str(self.warehouse)],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=900,
        )

    def run(self) -> subprocess.CompletedProcess[str]:
        return self.budget_etl("run", "--inbox", str(self.inbox))


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr (tail)\n{proc.stderr[-5000:]}"


@dataclass(frozen=True)
class State:
    documents: dict[str, tuple[str, str, str | None]]  # document_id -> (file_name, status, reason)
    file_names: set[str]  # audit.files
    fact_documents: set[str]  # document_ids with rows in any fct_* table
    in_marts: dict[str, bool]  # rpt_document_status
    runs_inbox: str | None  # audit.runs: the last run's inbox

    def status_of(self, file_name: str) -> tuple[str, str | None]:
        (row,) = [(status, reason) for name, status, reason in self.documents.values() if name == file_name]
        return row

    def id_of(self, file_name: str) -> str:
        (doc,) = [doc for doc, (name, _, _) in self.documents.items() if name == file_name]
        return doc


def read_state(warehouse: Path) -> State:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "and table_name like 'fct%'"
            ).fetchall()
        ]
        fact_documents = {
            doc
            for t in facts
            for (doc,) in con.execute(f"select distinct document_id from marts.{t}").fetchall()
        }
        runs = con.execute("select inbox from audit.runs order by finished_at desc limit 1").fetchone()
        return State(
            documents={
                doc: (name, status, reason)
                for doc, name, status, reason in con.execute(
                    "select document_id, file_name, status, reason from audit.documents"
                ).fetchall()
            },
            file_names={name for (name,) in con.execute("select file_name from audit.files").fetchall()},
            fact_documents=fact_documents,
            in_marts=dict(
                con.execute("select document_id, in_marts from marts.rpt_document_status").fetchall()
            ),
            runs_inbox=runs[0] if runs else None,
        )


@dataclass(frozen=True)
class Stage:
    proc: subprocess.CompletedProcess[str]
    state: State


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory) -> Module:
    root = tmp_path_factory.mktemp("hygiene")
    inbox = root / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "base.pdf", inbox / GOOD)
    write_rendering(inbox / EDITED, "edited")
    (root / "elsewhere").mkdir()
    write_rendering(root / "elsewhere" / "outside.pdf", "stream")  # a loadable budget (2022)
    for name, target in LINKS.items():
        (inbox / name).symlink_to(target or root / "elsewhere" / "outside.pdf")
    os.mkfifo(inbox / "fifo.pdf")
    (inbox / "folder.pdf").mkdir()
    return Module(root, inbox, root / "warehouse" / "budget.duckdb", root / "dagster_home")


@pytest.fixture(scope="module")
def first(module: Module) -> Stage:
    proc = module.run()
    assert proc.returncode == 0, explain(proc)
    return Stage(proc, read_state(module.warehouse))


@pytest.fixture(scope="module")
def accepted(module: Module, first: Stage) -> Stage:
    write_rendering(module.root / "bad_name.pdf", "yuan")  # a loadable budget (2020), but for its name
    os.rename(os.fsencode(module.root / "bad_name.pdf"), os.fsencode(module.inbox) + b"/" + NOT_UTF8)
    (module.inbox / FORGED).write_bytes(b"not a PDF at all")
    write_rendering(module.inbox / NEW_YEAR, "split_code")
    edited = first.state.id_of(EDITED)
    proc = module.budget_etl("accept", edited, "--reason", "checked 2080101 against the PDF by hand")
    assert proc.returncode == 0, explain(proc)
    return Stage(proc, read_state(module.warehouse))


@pytest.fixture(scope="module")
def retired(module: Module, accepted: Stage) -> Stage:
    proc = module.budget_etl("retire", GOOD, "--reason", RETIRE_REASON)
    assert proc.returncode == 0, explain(proc)
    return Stage(proc, read_state(module.warehouse))


@pytest.fixture(scope="module")
def again(module: Module, retired: Stage) -> Stage:
    proc = module.run()
    assert proc.returncode == 0, explain(proc)
    return Stage(proc, read_state(module.warehouse))


# ---------------------------------------------------------------- 1. not regular files


def test_links_fifos_and_folders_are_not_read(first: Stage, module: Module) -> None:
    state = first.state
    assert state.status_of(GOOD) == ("loaded", None)
    assert state.status_of(EDITED)[0] == "quarantined"
    assert state.id_of(GOOD) in state.fact_documents
    assert state.file_names == {GOOD, EDITED}
    out = first.proc.stdout
    assert "Inbox: 7 PDF(s), 2 to extract" in out, out
    for name, reason in SKIPPED.items():
        assert f"  skipped: {name}: {reason}\n" in out, out
    assert re.search(r"^Documents: 7 seen \(1 loaded, .* 1 quarantined, 0 rejected, 5 skipped\)$", out, re.M)
    # Not even hashed: no partition for the bytes behind the links.
    outside = document_id_of((module.root / "elsewhere" / "outside.pdf").read_bytes())
    passwd = document_id_of(Path("/etc/passwd").read_bytes())
    with DagsterInstance.from_config(str(module.dagster_home)) as instance:
        partitions = set(instance.get_dynamic_partitions("documents"))
    assert partitions == {state.id_of(GOOD), state.id_of(EDITED)}
    assert outside not in state.documents and passwd not in state.documents


def test_a_later_run_says_nothing_new_and_still_lists_what_it_skipped(again: Stage) -> None:
    out = again.proc.stdout
    assert "Nothing new: extraction and dbt skipped." in out, out
    for name, reason in SKIPPED.items():
        assert f"  skipped: {name}: {reason}\n" in out


# ---------------------------------------------------------------- 2. names


def test_a_name_that_is_not_utf8_is_rejected_alone(accepted: Stage) -> None:
    out = accepted.proc.stdout
    assert "  rejected: bad\\xff.pdf: file name is not valid UTF-8\n" in out, out
    assert accepted.state.status_of(NEW_YEAR)[0] in ("loaded", "quarantined")
    assert accepted.state.id_of(NEW_YEAR) in accepted.state.fact_documents
    assert not any(name.startswith("bad") for name in accepted.state.file_names)
    assert re.search(r"^Run: \S+ SUCCESS$", out, re.M)


def test_a_name_cannot_forge_output_lines(accepted: Stage, module: Module) -> None:
    out = accepted.proc.stdout
    assert "\x1b" not in out
    assert [line for line in out.splitlines() if line.startswith("Run: ")] == [
        line for line in out.splitlines() if re.fullmatch(r"Run: [0-9a-f-]{36} SUCCESS", line)
    ]
    assert re.search(rf"^\[\d/\d\] {re.escape(FORGED_SHOWN)}: 0 pages, rejected \(not a PDF", out, re.M), out
    assert f"  rejected: {FORGED_SHOWN}: not a PDF (no %PDF header)\n" in out
    assert FORGED in accepted.state.file_names  # stored as it is; only shown escaped

    status = module.budget_etl("status")
    assert status.returncode == 0, explain(status)
    assert "\x1b" not in status.stdout and "\t" not in status.stdout
    assert not any(line.startswith("Run: ") for line in status.stdout.splitlines())
    assert FORGED_SHOWN in status.stdout and "edited\\tcopy.pdf" in status.stdout

    findings = module.budget_etl("findings")
    assert findings.returncode == 0, explain(findings)
    assert re.search(r"^edited\\tcopy\.pdf \(\w+, accepted\): ", findings.stdout, re.M), findings.stdout


# ---------------------------------------------------------------- 3. accept rebuilds the recorded inbox


def test_accept_without_inbox_rebuilds_the_recorded_inbox_not_the_sample(
    accepted: Stage, first: Stage, module: Module
) -> None:
    state = accepted.state
    assert state.status_of(EDITED)[0] == "accepted"
    assert state.id_of(EDITED) in state.fact_documents
    assert state.runs_inbox == str(module.inbox)
    assert "haidong_hrss_2023.pdf" not in state.file_names  # the bundled sample
    assert state.status_of(GOOD) == ("loaded", None)


# ---------------------------------------------------------------- 4. retire


def test_retire_takes_the_document_out_of_the_marts(retired: Stage, accepted: Stage) -> None:
    state = retired.state
    good = state.id_of(GOOD)
    assert state.status_of(GOOD) == ("retired", RETIRE_REASON)
    assert good not in state.fact_documents and state.in_marts[good] is False
    assert state.id_of(EDITED) in state.fact_documents  # the others stay
    assert f"retired {GOOD} ({good}): {RETIRE_REASON}" in retired.proc.stdout
    assert re.search(r"^Run: \S+ SUCCESS$", retired.proc.stdout, re.M), retired.proc.stdout


def test_retirement_records_who_and_when(retired: Stage, module: Module) -> None:
    with duckdb.connect(str(module.warehouse), read_only=True) as con:
        rows = con.execute(
            "select document_id, reason, retired_by, retired_at from audit.retirements"
        ).fetchall()
    ((document, reason, who, when),) = rows
    assert (document, reason, who) == (retired.state.id_of(GOOD), RETIRE_REASON, getpass.getuser())
    assert when is not None


def test_a_retired_document_stays_retired_while_its_file_stays(again: Stage, retired: Stage) -> None:
    assert again.state == retired.state
    assert f"  retired: {GOOD}: {RETIRE_REASON}\n" in again.proc.stdout, again.proc.stdout
