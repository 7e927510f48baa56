"""What a run did with one inbox file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FileOutcome:
    """status: loaded | rejected | unchanged | duplicate | skipped while storing; after the dbt build a
    loaded document may read quarantined or superseded (see report.summarize)."""

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
