"""Inbox hygiene and `retire` without a run: listing (regular files only, names), opening without
following links, names shown escaped, the retired status kept by later loads, and where `accept`
and `retire` rebuild from. The whole path through `budget-etl` is tests/integration/test_inbox_hygiene.py.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from budget_etl import main as cli
from budget_etl import review as review_command
from extract.names import is_valid_utf8, shown
from extract.pdf.document import sha256_of
from extract.pdf.files import NotRegularFile, open_regular
from store import review
from store.inbox import Refused, list_inbox
from store.load import connect, record_status
from store.plan import scan_inbox_folder
from store.status import FALLBACK_SQL

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("海东市_2023.pdf", "海东市_2023.pdf"),
        ("a\nb.pdf", "a\\nb.pdf"),
        ("a\r\tb.pdf", "a\\r\\tb.pdf"),
        ("a\x1b[2Jb.pdf", "a\\x1b[2Jb.pdf"),
        ("a\x7f\x85b.pdf", "a\\x7f\\x85b.pdf"),
        ("a\u2028b\u202eb.pdf", "a\\u2028b\\u202eb.pdf"),
        (os.fsdecode(b"bad\xff\xfe.pdf"), "bad\\xff\\xfe.pdf"),
        ("a b\u3000c.pdf", "a b\u3000c.pdf"),  # spaces stay spaces
    ],
)
def test_names_are_shown_on_one_line_and_idempotently(name: str, expected: str) -> None:
    assert shown(name) == expected
    assert shown(shown(name)) == expected
    assert len(expected.splitlines()) == 1
    expected.encode("utf-8")  # never a surrogate


def test_only_names_decoded_from_utf8_are_valid() -> None:
    assert is_valid_utf8("海东.pdf") and is_valid_utf8("a\nb.pdf")
    assert not is_valid_utf8(os.fsdecode(b"bad\xff.pdf"))


# ---------------------------------------------------------------- listing and opening


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "base.pdf", inbox / "good.pdf")
    (inbox / "UPPER.PDF").write_bytes(b"%PDF-1.4 upper")
    (inbox / "notes.txt").write_text("not a pdf name")
    (tmp_path / "outside.pdf").write_bytes(b"%PDF-1.4 outside")
    (inbox / "outside.pdf").symlink_to(tmp_path / "outside.pdf")
    (inbox / "passwd.pdf").symlink_to("/etc/passwd")
    (inbox / "dangling.pdf").symlink_to(tmp_path / "missing.pdf")
    os.mkfifo(inbox / "fifo.pdf")
    (inbox / "folder.pdf").mkdir()
    with open(os.fsencode(inbox) + b"/bad\xff.pdf", "wb") as handle:  # a bytes path: not UTF-8
        handle.write(b"%PDF-1.4 bad name")
    return inbox


LINK = "symbolic link, not followed"


def test_listing_keeps_regular_files_and_says_why_it_skips_the_rest(inbox: Path) -> None:
    listing = list_inbox(inbox)
    assert [f.path.name for f in listing.files] == ["UPPER.PDF", "good.pdf"]
    assert listing.files[1].size == (FIXTURES / "base.pdf").stat().st_size
    assert listing.refused == (
        Refused("bad\\xff.pdf", "rejected", "file name is not valid UTF-8"),
        Refused("dangling.pdf", "skipped", LINK),
        Refused("fifo.pdf", "skipped", "a named pipe, not a regular file"),
        Refused("folder.pdf", "skipped", "a directory, not a file"),
        Refused("outside.pdf", "skipped", LINK),
        Refused("passwd.pdf", "skipped", LINK),
    )


def test_links_and_fifos_are_never_opened(inbox: Path) -> None:
    for name in ("outside.pdf", "passwd.pdf"):
        with pytest.raises(NotRegularFile, match=LINK):
            sha256_of(inbox / name)
    with pytest.raises(NotRegularFile, match="named pipe"):  # and it does not block
        open_regular(inbox / "fifo.pdf")
    with open_regular(inbox / "good.pdf") as handle:
        assert handle.read(4) == b"%PDF"


def test_a_file_swapped_for_a_link_after_the_listing_is_refused(
    inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = list_inbox(inbox)

    def swapped(folder: Path) -> object:
        (inbox / "good.pdf").unlink()
        (inbox / "good.pdf").symlink_to("/etc/passwd")
        return listed

    monkeypatch.setattr("store.plan.list_inbox", swapped)
    scan = scan_inbox_folder(inbox)
    assert [f.file_name for f in scan.files] == ["UPPER.PDF"]
    assert Refused("good.pdf", "skipped", LINK) in scan.refused


# ---------------------------------------------------------------- retire


# A stand-in for dbt's audit.documents (model `documents`; the rule's own tests are dbt unit tests of
# int_document_status): the load outcome with people's decisions (store.status's fallback), a loaded
# version with a newer one that counts superseded, one with an error finding quarantined.
STAND_IN = f"""
create view audit.documents as
with fallback as ({FALLBACK_SQL}),
seen as (select document_id, min(first_seen_at) as first_seen_at from audit.files group by document_id),
versions as (
    select f.*, s.first_seen_at,
        exists (select 1 from fallback n join seen ns using (document_id)
                where n.status not in ('retired', 'rejected') and ns.first_seen_at > s.first_seen_at)
            as has_newer,
        exists (select 1 from audit.identity_findings e
                where e.document_id = f.document_id and e.severity = 'error') as has_errors
    from fallback f left join seen s using (document_id)
)
select document_id, file_name,
    case when status = 'loaded' and has_newer then 'superseded'
        when status = 'loaded' and has_errors then 'quarantined' else status end as status,
    case when status = 'loaded' and has_newer then 'superseded by a newer version'
        when status = 'loaded' and has_errors then '1 identity errors, see audit.identity_findings'
        else reason end as reason
from versions
"""


def _document(con: duckdb.DuckDBPyConnection, doc: str, status: str, seen: str, name: str) -> None:
    """A document as a run leaves it: raw.documents, audit.files, audit.document_loads."""
    con.execute(
        "insert into raw.documents (document_id, file_name, department_name, fiscal_year, doc_kind, "
        "doc_scope) values (?, ?, '海东市人社局', 2023, '预算', '部门')",
        [doc, name],
    )
    con.execute("insert into audit.files values (?, ?, ?, ?, ?)", [name, doc * 4, doc, seen, seen])
    record_status(con, doc, name, doc * 4, status, None, when=datetime.fromisoformat(seen))


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """An older version (superseded), the newer one (loaded), a rejected file, no recorded run."""
    path = tmp_path / "w.duckdb"
    with connect(path) as con:
        _document(con, "old0000000000000", "loaded", "2024-01-01", "v1.pdf")
        _document(con, "new0000000000000", "loaded", "2024-02-01", "v2.pdf")
        record_status(con, "bad0000000000000", "bad.pdf", "bad", "rejected", "not a PDF (no %PDF header)")
        con.execute(
            'create table audit.identity_findings (document_id varchar, identity varchar, "table" varchar, '
            "item varchar, expected_yuan decimal(20,2), actual_yuan decimal(20,2), "
            "difference_yuan decimal(20,2), tolerance_yuan decimal(20,4), page integer, severity varchar)"
        )
        con.execute(STAND_IN)
    return path


def _quarantine(warehouse: Path, document_id: str) -> None:
    """What a build finding an identity error in the document leaves."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "insert into audit.identity_findings (document_id, identity, severity) "
            "values (?, 'expenditure_row_total', 'error')",
            [document_id],
        )


def _statuses(warehouse: Path) -> dict[str, tuple[str, str | None]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select file_name, status, reason from audit.documents").fetchall()
    return {name: (status, reason) for name, status, reason in rows}


def test_retire_records_who_and_why_and_the_older_version_counts_again(warehouse: Path) -> None:
    assert review.retire(warehouse, "v2.pdf", "withdrawn", who="tester") == (
        "new0000000000000",
        "v2.pdf",
        "v1.pdf",
    )
    assert _statuses(warehouse)["v2.pdf"] == ("retired", "withdrawn")
    assert _statuses(warehouse)["v1.pdf"] == ("loaded", None)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ((doc, reason, who, when),) = con.execute("select * from audit.retirements").fetchall()
    assert (doc, reason, who) == ("new0000000000000", "withdrawn", "tester") and when is not None


def test_retire_refuses_what_is_not_in_the_marts(warehouse: Path) -> None:
    with pytest.raises(ValueError, match="bad.pdf is rejected"):
        review.retire(warehouse, "bad.pdf", "gone")
    review.retire(warehouse, "v2.pdf", "gone")
    with pytest.raises(ValueError, match="v2.pdf is retired"):
        review.retire(warehouse, "v2.pdf", "again")
    with pytest.raises(LookupError, match="no document"):
        review.retire(warehouse, "nothing.pdf", "gone")
    with pytest.raises(ValueError, match="a reason is required"):
        review.retire(warehouse, "v1.pdf", "  ")


def test_a_retired_document_stays_retired_when_it_is_loaded_again(warehouse: Path) -> None:
    review.retire(warehouse, "v2.pdf", "withdrawn")
    with connect(warehouse) as con:  # what a new extractor version's load writes
        record_status(con, "new0000000000000", "v2.pdf", "new0" * 16, "loaded", None)
    assert _statuses(warehouse)["v2.pdf"] == ("retired", "withdrawn")


# ---------------------------------------------------------------- where accept and retire rebuild from


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The rebuild runs `accept` / `retire` start (recorded instead of run)."""
    commands: list[list[str]] = []

    def run(command: list[str], check: bool) -> object:
        commands.append(command)
        return type("Done", (), {"returncode": 0})()

    monkeypatch.setattr(review_command.subprocess, "run", run)
    monkeypatch.delenv("BUDGET_INBOX", raising=False)
    return commands


def test_without_a_recorded_inbox_accept_and_retire_need_one(
    warehouse: Path, rebuilds: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    _quarantine(warehouse, "new0000000000000")
    for command in ("accept", "retire"):
        with pytest.raises(SystemExit) as exit_:
            cli.main([command, "v2.pdf", "--reason", "checked", "--warehouse", str(warehouse)])
        assert exit_.value.code == 2
        assert "records no inbox to rebuild from: give --inbox DIR" in capsys.readouterr().err
    assert _statuses(warehouse)["v2.pdf"][0] == "quarantined"  # nothing recorded
    assert rebuilds == []


def test_accept_and_retire_rebuild_from_the_recorded_inbox(
    warehouse: Path, rebuilds: list[list[str]], tmp_path: Path
) -> None:
    recorded = tmp_path / "recorded_inbox"
    recorded.mkdir()
    _quarantine(warehouse, "new0000000000000")
    with connect(warehouse) as con:
        con.execute("drop table audit.runs")
        con.execute("create table audit.runs (run_id varchar, finished_at timestamp, inbox varchar)")
        con.execute(
            "insert into audit.runs values ('r1', '2024-01-01', '/old'), ('r2', '2024-03-01', ?)",
            [str(recorded)],
        )
    assert cli.main(["accept", "v2.pdf", "--reason", "checked", "--warehouse", str(warehouse)]) == 0
    assert cli.main(["retire", "v2.pdf", "--reason", "withdrawn", "--warehouse", str(warehouse)]) == 0
    for command in rebuilds:
        assert command[1:] == ["run", "--warehouse", str(warehouse), "--inbox", str(recorded)]
    assert len(rebuilds) == 2


def test_accept_while_a_reader_holds_the_file_says_so_without_a_traceback(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A DuckDB client in another process holding the warehouse open: nothing recorded, exit 75."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print('open', flush=True); time.sleep(60)",
            str(warehouse),
        ],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        code = cli.main(
            ["accept", "v2.pdf", "--reason", "checked", "--warehouse", str(warehouse), "--no-rebuild"]
        )
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert code == 75, err
    assert "another process holds the warehouse open" in err and "Traceback" not in err
    assert _statuses(warehouse)["v2.pdf"] == ("loaded", None)
