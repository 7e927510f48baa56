"""`budget-etl findings` and `budget-etl accept`: reviewing what the identities found.

A document with an `error` finding is quarantined: kept in raw and audit, out of the marts.
A person who has checked the findings against the PDF admits it with `accept`; who, why and
when are recorded in audit.acceptances, and the next build brings its rows into the marts.
"""

from __future__ import annotations

import argparse
import getpass
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from dagster_project.analyst import WarehouseUnavailable, friendly_error, open_read_only
from dagster_project.operations.workspace import WarehouseBusy, Workspace
from dagster_project.paths import default_warehouse

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
            lines.append(f"{f.file_name} ({f.document_id}, {f.status}): {count} finding{'s' * (count != 1)}")
        lines.append(
            f"  {f.severity:5} {f.table} p{f.page if f.page is not None else '?'} {f.identity}: {f.item}\n"
            f"        expected {_yuan(f.expected)} 元, printed {_yuan(f.actual)} 元, "
            f"difference {_yuan(f.difference)} 元 (tolerance {_yuan(f.tolerance)} 元)"
        )
    return "\n".join(lines)


def accept(warehouse: Path, document: str, reason: str, who: str | None = None) -> tuple[str, str]:
    """Mark a quarantined document accepted and record who/why/when. Returns (document_id, file_name).

    Written in place, under the warehouse lock: refused (WarehouseBusy) while a run owns the working
    copy, whose swap would silently undo the acceptance; no run can start until the write is done.
    """
    if not reason.strip():
        raise ValueError("a reason is required: say what you checked in the PDF")
    if not warehouse.exists():
        raise LookupError(f"no warehouse at {warehouse} (run `budget-etl run` first)")
    with Workspace(warehouse).writing_in_place(), duckdb.connect(str(warehouse)) as con:
        row = con.execute(
            "select document_id, file_name, status from audit.documents "
            "where document_id = ? or file_name = ?",
            [document, document],
        ).fetchone()
        if row is None:
            raise LookupError(f"no document {document!r} in {warehouse} (see `budget-etl status`)")
        document_id, file_name, status = row
        if status != "quarantined":
            raise ValueError(f"{file_name} is {status}, not quarantined: nothing to accept")
        # Also created by dbt (on-run-start); here for a warehouse built before it existed.
        con.execute(
            "create table if not exists audit.acceptances "
            "(document_id varchar not null, reason varchar, accepted_by varchar, accepted_at timestamp)"
        )
        now = datetime.now(UTC).replace(tzinfo=None)
        con.execute("begin transaction")
        con.execute(
            "insert into audit.acceptances (document_id, reason, accepted_by, accepted_at) "
            "values (?, ?, ?, ?)",
            [document_id, reason, who or getpass.getuser(), now],
        )
        con.execute(
            "update audit.documents set status = 'accepted', reason = ? where document_id = ?",
            [reason, document_id],
        )
        con.execute("commit")
    return document_id, file_name


# ---------------------------------------------------------------- command line


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
    p.add_argument("--inbox", metavar="DIR", help="inbox for the rebuild run (default: $BUDGET_INBOX)")
    p.add_argument("--no-rebuild", action="store_true", help="only record; the next run rebuilds the marts")
    warehouse_flag(p)
    p.set_defaults(func=cmd_accept)


def _warehouse(args: argparse.Namespace) -> Path:
    return Path(args.warehouse).resolve() if args.warehouse else default_warehouse()


def cmd_findings(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    warehouse = _warehouse(args)
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


def cmd_accept(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    warehouse = _warehouse(args)
    try:
        document_id, file_name = accept(warehouse, args.document, args.reason)
    except (LookupError, ValueError) as error:
        print(f"budget-etl accept: {error}", file=sys.stderr)
        return 1
    except WarehouseBusy as error:
        print(f"budget-etl accept: nothing recorded: {error}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: the same command succeeds once the run has finished
    print(f"accepted {file_name} ({document_id}): {args.reason}")
    if args.no_rebuild:
        print("the marts take it in at the next `budget-etl run`")
        return 0
    # The marts are rebuilt by a normal run, so the accepted rows arrive the way all rows do.
    command = [str(Path(sys.executable).parent / "budget-etl"), "run", "--warehouse", str(warehouse)]
    if args.inbox:
        command += ["--inbox", args.inbox]
    return subprocess.run(command, check=False).returncode
