"""`budget-etl findings`, `accept` and `retire`: the command line over store/review.py.

`findings` reads through the analysts' sandboxed read-only connection; `accept` and `retire` record
the decision (store.review), then rebuild the marts with a normal run over the inbox the warehouse
records (never the bundled sample by default).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from budget_etl.sandbox import WarehouseUnavailable, friendly_error, open_read_only
from extract.names import shown
from store.paths import INBOX_ENV, warehouse_path
from store.publish import WarehouseBusy
from store.review import accept, recorded_inbox, retire

FINDINGS_SQL = """
select d.file_name, f.document_id, d.status, f.severity, f.identity, f."table", f.item,
       f.expected_yuan, f.actual_yuan, f.difference_yuan, f.tolerance_yuan, f.page
from audit.identity_findings f
join audit.documents d using (document_id)
where ? is null or f.document_id = ? or d.file_name = ?
order by d.file_name, f.severity, f."table", f.page, f.identity, f.item
"""


@dataclass(frozen=True)
class Finding:
    file_name: str
    document_id: str
    status: str
    severity: str
    identity: str
    table: str
    item: str
    expected: Decimal
    actual: Decimal
    difference: Decimal
    tolerance: Decimal
    page: int | None


def _yuan(value: Decimal | None) -> str:
    return "NULL" if value is None else f"{value:,.2f}"


def read_findings(warehouse: Path, document: str | None) -> list[Finding]:
    with open_read_only(warehouse) as con:  # the analysts' sandboxed connection
        exists = con.execute(
            "select 1 from information_schema.tables "
            "where table_schema = 'audit' and table_name = 'identity_findings'"
        ).fetchone()
        if not exists:
            return []
        return [Finding(*row) for row in con.execute(FINDINGS_SQL, [document, document, document]).fetchall()]


def format_findings(findings: list[Finding]) -> str:
    """One block per document; each finding on one line with its numbers in 元."""
    if not findings:
        return "No findings: every identity holds within its rounding tolerance."
    lines: list[str] = []
    current = None
    for f in findings:
        if f.document_id != current:
            current = f.document_id
            count = sum(1 for g in findings if g.document_id == current)
            name = shown(f.file_name)
            lines.append(f"{name} ({f.document_id}, {f.status}): {count} finding{'s' * (count != 1)}")
        lines.append(
            f"  {f.severity:5} {f.table} p{f.page if f.page is not None else '?'} {f.identity}: "
            f"{shown(f.item)}\n"
            f"        expected {_yuan(f.expected)} 元, printed {_yuan(f.actual)} 元, "
            f"difference {_yuan(f.difference)} 元 (tolerance {_yuan(f.tolerance)} 元)"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- command line


def _rebuild_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--inbox",
        metavar="DIR",
        help=f"inbox for the rebuild run (default: the one the warehouse's last run read, else ${INBOX_ENV})",
    )
    p.add_argument("--no-rebuild", action="store_true", help="only record; the next run rebuilds the marts")


def add_review_parsers(sub: Any, warehouse_flag: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "findings", help="failed accounting identities, per document (audit.identity_findings)"
    )
    p.add_argument("document", nargs="?", metavar="DOCUMENT", help="document_id or file name (default: all)")
    warehouse_flag(p)
    p.set_defaults(func=cmd_findings)

    p = sub.add_parser("accept", help="admit a quarantined document to the marts, recording who and why")
    p.add_argument("document", metavar="DOCUMENT", help="document_id or file name")
    p.add_argument("--reason", required=True, metavar="TEXT", help="what you checked in the PDF")
    _rebuild_flags(p)
    warehouse_flag(p)
    p.set_defaults(func=cmd_accept)

    p = sub.add_parser(
        "retire",
        help="take a document out of the marts for good (withdrawn by its publisher, or deleted from the "
        "inbox), recording who and why",
    )
    p.add_argument("document", metavar="DOCUMENT", help="document_id or file name")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why: e.g. withdrawn by the publisher")
    _rebuild_flags(p)
    warehouse_flag(p)
    p.set_defaults(func=cmd_retire)


def cmd_findings(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    warehouse = warehouse_path(args.warehouse)
    if not warehouse.exists():
        print(
            f"budget-etl findings: no warehouse at {warehouse} (run `budget-etl run` first)", file=sys.stderr
        )
        return 1
    try:
        findings = read_findings(warehouse, args.document)
    except WarehouseUnavailable as error:
        print(f"budget-etl findings: {error}", file=sys.stderr)
        return 1
    except duckdb.Error as error:
        print(f"budget-etl findings: {friendly_error(error)}", file=sys.stderr)
        return 1
    print(format_findings(findings))
    return 0


def rebuild_inbox(args: argparse.Namespace, parser: argparse.ArgumentParser, warehouse: Path) -> Path | None:
    """The inbox the rebuild run reads: --inbox, else the one the warehouse's last run read, else
    $BUDGET_INBOX; never the bundled sample by default (it would load the sample into the user's
    warehouse). None without a rebuild. Checked before anything is recorded (bad usage: exit 2)."""
    if args.no_rebuild or not warehouse.exists():
        return None
    chosen = args.inbox or recorded_inbox(warehouse) or os.environ.get(INBOX_ENV)
    if not chosen:
        parser.error(f"{args.command}: {warehouse} records no inbox to rebuild from: give --inbox DIR")
    inbox = Path(chosen).resolve()
    if not inbox.is_dir():
        parser.error(f"{args.command}: inbox {inbox} is not a directory: give --inbox DIR (or --no-rebuild)")
    return inbox


def _rebuild(warehouse: Path, inbox: Path | None, later: str) -> int:
    """The marts are rebuilt by a normal run, so rows arrive (or leave) the way all rows do."""
    if inbox is None:
        print(f"the marts {later} at the next `budget-etl run`")
        return 0
    sys.stdout.flush()  # our lines before the run's
    command = [str(Path(sys.executable).parent / "budget-etl"), "run", "--warehouse", str(warehouse)]
    return subprocess.run([*command, "--inbox", str(inbox)], check=False).returncode


def _decide(command: str, decision: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...] | int:
    """Run accept/retire; an exit code when it was refused (nothing recorded)."""
    try:
        return decision()
    except (LookupError, ValueError) as error:
        print(f"budget-etl {command}: {error}", file=sys.stderr)
        return 1
    except WarehouseBusy as error:
        print(f"budget-etl {command}: nothing recorded: {error}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: the same command succeeds once the run has finished
    except duckdb.IOException as error:
        # Another process (a DuckDB client, a notebook) holds the file open: its lock wins.
        first_line = str(error).splitlines()[0]
        print(
            f"budget-etl {command}: nothing recorded: another process holds the warehouse open "
            f"({first_line}); close it (or open it read-only) and run the command again",
            file=sys.stderr,
        )
        return 75
    except duckdb.Error as error:
        print(f"budget-etl {command}: nothing recorded: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1


def cmd_accept(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    warehouse = warehouse_path(args.warehouse)
    inbox = rebuild_inbox(args, parser, warehouse)
    result = _decide("accept", lambda: accept(warehouse, args.document, args.reason))
    if isinstance(result, int):
        return result
    document_id, file_name = result
    print(f"accepted {shown(file_name)} ({document_id}): {shown(args.reason)}")
    return _rebuild(warehouse, inbox, "take it in")


def cmd_retire(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    warehouse = warehouse_path(args.warehouse)
    inbox = rebuild_inbox(args, parser, warehouse)
    result = _decide("retire", lambda: retire(warehouse, args.document, args.reason))
    if isinstance(result, int):
        return result
    document_id, file_name, restored = result
    print(f"retired {shown(file_name)} ({document_id}): {shown(args.reason)}")
    if restored is not None:
        print(f"{shown(restored)} counts again: no newer version of it is left")
    return _rebuild(warehouse, inbox, "drop it")
