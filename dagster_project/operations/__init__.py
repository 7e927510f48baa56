"""Plain-Python operations behind the Dagster wiring (no Dagster imports here).

- `limits`: extraction limits from the environment (BUDGET_MAX_PAGES, BUDGET_TIMEOUT_S, BUDGET_MEMORY_MB).
- `inbox`: hashing the inbox and deciding what a run has to do, by reading the published warehouse.
- `extraction`: `extract.ingest.prepare` in a child process, so that even a crash becomes a rejection.
- `storing`: the single writer: every inbox file's outcome, one DuckDB transaction per document.
- `workspace`: copy-and-swap: a run writes `<warehouse>.building`, then atomically replaces the warehouse.
- `report`: the run summary, `audit.runs`, and the state fingerprint that lets an idle run skip everything.
"""
