"""The run summary: what happened to every inbox file, counted, and recorded in audit.runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import duckdb

from store.fingerprints import state_fingerprint
from store.outcomes import FileOutcome
from store.schema import create_audit_tables
from store.status import read_statuses

# The summary's counts, in the order they are printed.
COUNTS = ("seen", "loaded", "unchanged", "superseded", "duplicate", "quarantined", "rejected")
# Printed only when not zero: accepted or retired (by a person), skipped (left for the next run, or
# not a regular file: never read), pending (left for the next run).
EXTRA_COUNTS = ("narrative", "accepted", "retired", "skipped", "pending")
# Statuses a document can end a run with in audit.documents (computed by dbt; DESIGN.md).
AUDIT_STATUSES = ("loaded", "quarantined", "rejected", "superseded", "accepted", "retired", "narrative")


@dataclass(frozen=True)
class RunSummary:
    counts: dict[str, int]
    findings: int | None  # rows of audit.identity_findings for the inbox's documents (None: no table)
    elapsed_s: float
    files: list[FileOutcome] = field(default_factory=list)  # final status per inbox file
    changed: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # other documents:
    # (document_id, file_name, new status, reason) whose status this run changed (e.g. superseded)

    def metadata(self) -> dict[str, int | float]:
        """The flat numbers (also Dagster run metadata)."""
        out: dict[str, int | float] = dict(self.counts)
        if self.findings is not None:
            out["findings"] = self.findings
        out["elapsed_s"] = round(self.elapsed_s, 1)
        return out

    def rows(self) -> list[FileOutcome]:
        """Every inbox file, then the other documents whose status this run changed."""
        others = [FileOutcome(name, doc, "", status, reason) for doc, name, status, reason in self.changed]
        return [*self.files, *others]

    def line(self) -> str:
        counts = ", ".join(f"{self.counts.get(name, 0)} {name}" for name in COUNTS[1:])
        extra = "".join(f", {self.counts[name]} {name}" for name in EXTRA_COUNTS if self.counts.get(name))
        return f"{self.counts.get('seen', 0)} seen ({counts}{extra})"


def count_findings(con: duckdb.DuckDBPyConnection, document_ids: Sequence[str]) -> int | None:
    if not document_ids:
        return 0
    try:
        return con.execute(
            "select count(*) from audit.identity_findings where document_id in (select unnest(?))",
            [list(document_ids)],
        ).fetchone()[0]
    except duckdb.CatalogException:
        return None


def summarize(
    con: duckdb.DuckDBPyConnection,
    outcomes: Sequence[FileOutcome],
    statuses_before: Mapping[str, str],
    elapsed_s: float,
) -> RunSummary:
    """Counts after the dbt build: a document loaded in this run may have been quarantined by it or
    superseded by a later file; documents from earlier runs may have been superseded."""
    final = read_statuses(con)
    files = []
    for o in outcomes:
        status, reason, _ = final.get(o.document_id, (o.status, o.reason, o.file_name))
        processed = o.status in ("loaded", "rejected", "narrative")
        # An unchanged file whose document changed status in this run (e.g. a newer version arrived),
        # or that a person retired: the summary says why it is not in the marts.
        newly = o.status == "unchanged" and statuses_before.get(o.document_id, status) != status
        retired = o.status == "unchanged" and status == "retired"
        files.append(replace(o, status=status, reason=reason) if processed or newly or retired else o)
    in_inbox = {o.document_id for o in outcomes}
    changed = [
        (doc, name, status, reason)
        for doc, (status, reason, name) in sorted(final.items())
        if doc not in in_inbox and statuses_before.get(doc) != status
    ]
    counts = {name: 0 for name in COUNTS}
    counts["seen"] = len(outcomes)
    for f in files:
        counts[f.status] = counts.get(f.status, 0) + 1
    for _, _, status, _ in changed:
        counts[status] = counts.get(status, 0) + 1
    inbox_documents = sorted({o.document_id for o in outcomes if o.document_id})
    return RunSummary(counts, count_findings(con, inbox_documents), elapsed_s, files, changed)


def idle_summary(outcomes: Sequence[FileOutcome], findings: int | None, elapsed_s: float) -> RunSummary:
    """The summary of a run that found nothing to do."""
    counts = {name: 0 for name in COUNTS}
    counts["seen"] = len(outcomes)
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    return RunSummary(counts, findings, elapsed_s, list(outcomes))


def record_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    started_at: datetime,
    inbox: str,
    summary: RunSummary,
    code_fingerprint: str,
) -> None:
    """audit.runs: one row per completed run, with the fingerprint of the state it leaves."""
    create_audit_tables(con)  # audit.runs (store/schema.py)
    c = summary.counts
    con.execute(
        "insert or replace into audit.runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            started_at.astimezone(UTC).replace(tzinfo=None),
            datetime.now(UTC).replace(tzinfo=None),
            inbox,
            *(c.get(name, 0) for name in COUNTS),
            c.get("accepted", 0),
            c.get("skipped", 0),
            summary.findings,
            summary.elapsed_s,
            state_fingerprint(con, code_fingerprint),
        ],
    )
