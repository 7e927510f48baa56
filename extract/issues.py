"""What the extractor could not read with certainty, from any step: the rows of raw.extraction_issues."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractionIssue:
    page: int | None
    table_index: int | None
    row_index: int | None
    col_index: int | None
    issue_kind: str
    raw_text: str
    message: str

    @classmethod
    def of_table(
        cls, page: int | None, table_index: int | None, issue_kind: str, raw_text: str, message: str
    ) -> ExtractionIssue:
        """An issue about a whole table (or, without a table index, the whole document): no row or column."""
        return cls(page, table_index, None, None, issue_kind, raw_text, message)
