"""`accept` and `retire`: a person's decisions about documents (the commands: budget_etl/review.py).

A document with an `error` finding is quarantined: kept in raw and audit, out of the marts.
A person who has checked the findings against the PDF admits it with `accept`; who, why and
when are recorded in audit.acceptances, and the next build brings its rows into the marts.
A document its publisher withdrew (or that was deleted from the inbox) is taken out with
`retire`: recorded in audit.retirements, status `retired`, gone from the marts at the next build
and kept out by later runs even while its file stays in the inbox.

Only the decisions are written here: the status they give (`accepted`, `retired`, an older version
current again) is computed by dbt (audit.documents, a view: it shows at once).

Both write the published warehouse in place, under the warehouse lock; the command then rebuilds
the marts with a normal run over the inbox the warehouse records (never the bundled sample by default).
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from extract.names import shown
from store.publish import Workspace
from store.schema import create_audit_tables
from store.status import documents_relation, read_statuses

RETIRABLE = ("loaded", "quarantined", "accepted", "superseded")  # rejected ones never were in the marts


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _find_document(con: duckdb.DuckDBPyConnection, warehouse: Path, document: str) -> tuple[str, str, str]:
    """(document_id, file_name, status) of the one document with this id or file name."""
    rows = con.execute(
        f"select document_id, file_name, status from {documents_relation(con)} as d "
        "where document_id = ? or file_name = ? order by document_id",
        [document, document],
    ).fetchall()
    if not rows:
        raise LookupError(f"no document {shown(document)!r} in {warehouse} (see `budget-etl status`)")
    if len(rows) > 1:  # versions with other bytes under the same name
        ids = ", ".join(row[0] for row in rows)
        raise LookupError(f"{shown(document)} names {len(rows)} documents ({ids}): give the document_id")
    return rows[0]


def _check_request(warehouse: Path, reason: str, hint: str) -> None:
    if not reason.strip():
        raise ValueError(f"a reason is required: {hint}")
    if not warehouse.exists():
        raise LookupError(f"no warehouse at {warehouse} (run `budget-etl run` first)")


def accept(warehouse: Path, document: str, reason: str, who: str | None = None) -> tuple[str, str]:
    """Mark a quarantined document accepted and record who/why/when. Returns (document_id, file_name).

    Written in place, under the warehouse lock: refused (WarehouseBusy) while a run owns the working
    copy, whose swap would silently undo the acceptance; no run can start until the write is done.
    """
    _check_request(warehouse, reason, "say what you checked in the PDF")
    with Workspace(warehouse).writing_in_place(), duckdb.connect(str(warehouse)) as con:
        document_id, file_name, status = _find_document(con, warehouse, document)
        if status != "quarantined":
            raise ValueError(f"{shown(file_name)} is {status}, not quarantined: nothing to accept")
        create_audit_tables(con)  # a warehouse from before audit.acceptances existed
        con.execute(
            "insert into audit.acceptances (document_id, reason, accepted_by, accepted_at) "
            "values (?, ?, ?, ?)",
            [document_id, reason, who or getpass.getuser(), _now()],
        )
    return document_id, file_name


def retire(
    warehouse: Path, document: str, reason: str, who: str | None = None
) -> tuple[str, str, str | None]:
    """Record who retired a document, why and when, under the warehouse lock like `accept`.

    Returns (document_id, file_name, the file name of an older version that counts again): a
    version this one had superseded is current again once no newer version counts (dbt's rule,
    read from audit.documents; None before dbt has built it).
    """
    _check_request(warehouse, reason, "say why the document is withdrawn")
    with Workspace(warehouse).writing_in_place(), duckdb.connect(str(warehouse)) as con:
        document_id, file_name, status = _find_document(con, warehouse, document)
        if status not in RETIRABLE:
            raise ValueError(f"{shown(file_name)} is {status}: it is not in the marts, nothing to retire")
        create_audit_tables(con)  # a warehouse from before audit.retirements existed
        before = read_statuses(con)
        con.execute(
            "insert into audit.retirements (document_id, reason, retired_by, retired_at) values (?, ?, ?, ?)",
            [document_id, reason, who or getpass.getuser(), _now()],
        )
        after = read_statuses(con)
    restored = sorted(
        name
        for doc, (status, _, name) in after.items()
        if before.get(doc, ("",))[0] == "superseded" and status not in ("superseded", "retired")
    )
    return document_id, file_name, (restored[0] if restored else None)


def recorded_inbox(warehouse: Path) -> str | None:
    """The inbox the warehouse's last completed run read (audit.runs), if one is recorded."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            row = con.execute(
                "select inbox from audit.runs where inbox is not null order by finished_at desc limit 1"
            ).fetchone()
        except duckdb.CatalogException:
            return None
    return row[0] if row else None
