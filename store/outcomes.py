"""What a run did with one inbox file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from store.inbox import Refused


@dataclass(frozen=True)
class FileOutcome:
    """status: loaded | rejected | unchanged | duplicate | skipped while storing; after the dbt build a
    loaded document may read quarantined or superseded, an unchanged one retired (see
    report.summarize). An inbox entry that was not read (store.inbox.Refused) has no document_id."""

    file_name: str
    document_id: str
    sha256: str
    status: str
    reason: str | None = None
    pages: int = 0
    tables_found: int = 0
    line_items: int = 0
    seconds: float = 0.0


class _File(Protocol):
    file_name: str
    sha256: str

    @property
    def document_id(self) -> str: ...


def outcome(file: _File, status: str, reason: str | None = None) -> FileOutcome:
    """The outcome of a file that was not (re)loaded: unchanged, duplicate or skipped."""
    return FileOutcome(file.file_name, file.document_id, file.sha256, status, reason)


def refused_outcome(entry: Refused) -> FileOutcome:
    """An inbox entry that was not read: no bytes, so no document_id or sha256."""
    return FileOutcome(entry.name, "", "", entry.status, entry.reason)


def with_refused(outcomes: Iterable[FileOutcome], refused: Iterable[Refused]) -> list[FileOutcome]:
    """Every inbox entry in name order: the files' outcomes and the entries that were not read."""
    return sorted([*outcomes, *map(refused_outcome, refused)], key=lambda o: o.file_name)
