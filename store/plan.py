"""What a run has to do: the inbox's files (by sha256) against what the published warehouse knows.

Reading only: the published warehouse is opened read-only (never locked for analysts), and
nothing is decided for good here — the writer checks every file again on its own copy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from extract import EXTRACTOR_VERSION
from extract.names import shown
from extract.pdf.document import document_id_for, sha256_of
from extract.pdf.files import NotRegularFile
from store.fingerprints import FULL_REFRESH_ENV, last_built_fingerprint, state_fingerprint
from store.inbox import SKIPPED, Refused, list_inbox
from store.load import seen_with_version
from store.outcomes import FileOutcome, outcome
from store.status import read_statuses


@dataclass(frozen=True)
class InboxFile:
    """One PDF in the inbox as it was when the run (or the sensor) looked at it."""

    path: str
    file_name: str
    sha256: str
    size: int
    mtime_ns: int

    @property
    def document_id(self) -> str:
        return document_id_for(self.sha256)


@dataclass(frozen=True)
class InboxScan:
    """The inbox's regular PDFs with their sha256, and the entries that are not read (links, FIFOs,
    folders, names that are not UTF-8), both in name order."""

    files: list[InboxFile]
    refused: list[Refused]


def scan_inbox_folder(inbox: Path, known: Mapping[str, InboxFile] | None = None) -> InboxScan:
    """Every regular PDF in the inbox with its sha256, and every other *.pdf entry with its reason.

    A file whose size and modification time match `known` keeps its hash (the sensor's cache);
    the others are read, never through a symbolic link. Files that vanish while we look are left
    out; one that cannot be read (or was swapped for a link meanwhile) is refused, not fatal.
    """
    listing = list_inbox(inbox)
    folder = inbox.resolve()  # the folder's own links resolved once; the files' never
    files, refused = [], list(listing.refused)
    for entry in listing.files:
        name = entry.path.name
        cached = (known or {}).get(name)
        try:
            if cached is not None and (cached.size, cached.mtime_ns) == (entry.size, entry.mtime_ns):
                sha = cached.sha256
            else:
                sha = sha256_of(entry.path)
        except FileNotFoundError:
            continue
        except OSError as error:
            refused.append(Refused(shown(name), SKIPPED, _unreadable(error)))
            continue
        files.append(InboxFile(str(folder / name), name, sha, entry.size, entry.mtime_ns))
    return InboxScan(files, sorted(refused, key=lambda r: r.name))


def _unreadable(error: OSError) -> str:
    if isinstance(error, NotRegularFile):
        return error.strerror
    return f"cannot be read ({error.strerror or error})"


def hash_inbox(inbox: Path, known: Mapping[str, InboxFile] | None = None) -> list[InboxFile]:
    """The inbox's regular PDFs with their sha256 (what the sensor watches)."""
    return scan_inbox_folder(inbox, known).files


@dataclass(frozen=True)
class WarehouseKnowledge:
    """What the published warehouse already holds about the inbox's files."""

    exists: bool
    sightings: frozenset[tuple[str, str]] = frozenset()  # (file_name, sha256) in audit.files
    processed: frozenset[str] = frozenset()  # document_ids with an outcome from this extractor version
    statuses: Mapping[str, str] = field(default_factory=dict)  # document_id -> audit status
    first_names: Mapping[str, str] = field(default_factory=dict)  # document_id -> name first seen
    retired: Mapping[str, str] = field(default_factory=dict)  # document_id -> reason, if retired
    state: str | None = None  # fingerprint of the warehouse's statuses now
    last_built: str | None = None  # fingerprint the last completed run left


def read_knowledge(warehouse: Path, files: Iterable[InboxFile], code_fingerprint: str) -> WarehouseKnowledge:
    if not warehouse.exists():
        return WarehouseKnowledge(exists=False)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            sightings = frozenset(con.execute("select file_name, sha256 from audit.files").fetchall())
            current = read_statuses(con)  # audit.documents (dbt's), or its fallback before a build
            statuses = {doc: status for doc, (status, _, _) in current.items()}
            retired = {
                doc: reason or "" for doc, (status, reason, _) in current.items() if status == "retired"
            }
            first_names = dict(
                con.execute(
                    "select document_id, arg_min(file_name, (first_seen_at, file_name)) "
                    "from audit.files group by document_id"
                ).fetchall()
            )
            processed = frozenset(
                f.document_id for f in files if seen_with_version(con, f.document_id) == EXTRACTOR_VERSION
            )
        except duckdb.CatalogException:  # an empty or foreign file: everything is new
            return WarehouseKnowledge(exists=True)
        return WarehouseKnowledge(
            exists=True,
            sightings=sightings,
            processed=processed,
            statuses=statuses,
            first_names=first_names,
            retired=retired,
            state=state_fingerprint(con, code_fingerprint),
            last_built=last_built_fingerprint(con),
        )


@dataclass(frozen=True)
class RunPlan:
    """The inbox, the documents to extract (one per sha256) and why the run has work, if it has."""

    inbox: str
    files: tuple[InboxFile, ...]
    to_extract: tuple[InboxFile, ...]
    statuses_before: Mapping[str, str]
    reasons: tuple[str, ...]
    refused: tuple[Refused, ...] = ()  # entries not read: reported, never a reason to run

    @property
    def has_work(self) -> bool:
        return bool(self.reasons)


def plan_run(
    inbox: Path, files: list[InboxFile], knowledge: WarehouseKnowledge, refused: Iterable[Refused] = ()
) -> RunPlan:
    to_extract: dict[str, InboxFile] = {}
    for f in files:
        if f.document_id not in knowledge.processed:
            to_extract.setdefault(f.document_id, f)
    new_names = [f for f in files if (f.file_name, f.sha256) not in knowledge.sightings]

    reasons = []
    if not knowledge.exists:
        reasons.append("no published warehouse yet")
    if to_extract:
        reasons.append(f"{len(to_extract)} document(s) to extract")
    if new_names and len(new_names) > len(to_extract):
        reasons.append(f"{len(new_names)} file name(s) not seen before")
    if knowledge.exists and knowledge.state != knowledge.last_built:
        reasons.append(
            "never built by this pipeline"
            if knowledge.last_built is None
            else "statuses, acceptances or the dbt project changed since the last build"
        )
    if os.environ.get(FULL_REFRESH_ENV, "") not in ("", "0"):
        reasons.append("a full refresh was asked for (--full-refresh)")
    return RunPlan(
        str(inbox),
        tuple(files),
        tuple(to_extract.values()),
        dict(knowledge.statuses),
        tuple(reasons),
        tuple(refused),
    )


def assess(inbox: Path, warehouse: Path, code_fingerprint: str) -> tuple[RunPlan, WarehouseKnowledge]:
    """Hash the inbox and read the published warehouse: what a run over them has to do."""
    scan = scan_inbox_folder(inbox)
    knowledge = read_knowledge(warehouse, scan.files, code_fingerprint)
    return plan_run(inbox, scan.files, knowledge, scan.refused), knowledge


def idle_outcomes(files: Iterable[InboxFile], knowledge: WarehouseKnowledge) -> list[FileOutcome]:
    """Every file of a run that does nothing: unchanged, a duplicate of the name seen first,
    retired (still in the inbox, kept out by a person) or pending (new, left for the next full run)."""
    outcomes = []
    for f in files:
        first = knowledge.first_names.get(f.document_id, f.file_name)
        if f.document_id not in knowledge.processed:
            outcomes.append(outcome(f, "pending", "new; processed by the next full run"))
        elif first != f.file_name:
            outcomes.append(outcome(f, "duplicate", f"same bytes as {first}"))
        elif f.document_id in knowledge.retired:
            outcomes.append(outcome(f, "retired", knowledge.retired[f.document_id] or None))
        else:
            outcomes.append(outcome(f, "unchanged"))
    return outcomes
