"""The within-table identities for extraction tests: one implementation, in `extract.identities`
(`budget-etl explain` shows the same checks row by row)."""

from extract.identities import (  # noqa: F401 - re-exported for the tests
    BASIC_KINDS,
    CODED_KINDS,
    PARTS,
    Break,
    Check,
    summary_breaks,
    summary_checks,
    within_table_breaks,
    within_table_checks,
)
