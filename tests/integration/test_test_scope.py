"""An incremental build's data tests read the changed documents only (issue 16,
dbt_project/macros/test_scope.sql): with BUDGET_TEST_CHANGED_ONLY=1 a test of a model with a
document_id column checks the rows of int_changed_documents' documents, and still catches what is
wrong there; without the variable (a full refresh, a plain `dbt test`) it checks every row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from store.fingerprints import TEST_SCOPE_ENV
from tests.support.dbt import run_dbt

pytestmark = pytest.mark.slow

SCOPED = {TEST_SCOPE_ENV: "1"}
# A generic test rendered at parse time (it records the ref itself) and an accounting identity.
DUPLICATE_ROWS = "unique_combination_int_line_items_document_id__table_index__row_index__col_index"
IDENTITY = "accounting_identity_int_expenditure_rows_expenditure_row_total"


def _failing_tests(work: Path) -> set[str]:
    """Tests that failed, errored or warned (a warn-severity identity too)."""
    results = json.loads((work / "target-dev" / "run_results.json").read_text(encoding="utf-8"))
    bad = ("fail", "error", "warn")
    return {r["unique_id"].split(".")[2] for r in results["results"] if r["status"] in bad}


def _test(work: Path, warehouse: Path, env: dict[str, str] | None = None) -> set[str]:
    # int_basic_expenditure_rows: identities that read other relations too (int_line_items)
    selection = ("--select", "int_line_items int_expenditure_rows int_basic_expenditure_rows")
    proc = run_dbt(work, {"BUDGET_WAREHOUSE": str(warehouse), **(env or {})}, "test", *selection)
    assert (work / "target-dev" / "run_results.json").exists(), proc.stdout[-3000:] + proc.stderr[-2000:]
    return _failing_tests(work)


def test_scoped_tests_check_the_changed_documents_only(sample_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "budget.duckdb"
    shutil.copyfile(sample_warehouse.resolve(), warehouse)
    with duckdb.connect(str(warehouse)) as con:
        (document,) = con.execute("select document_id from intermediate.int_changed_documents").fetchone()
        # Two defects in the sample's one document: a duplicated cell and row totals that no longer add up.
        items = "intermediate.int_line_items"
        con.execute(f"insert into {items} select * from {items} limit 1")
        changed = con.execute(
            "update intermediate.int_expenditure_rows set total_yuan = total_yuan + 1000 where has_parts"
        ).fetchone()[0]
        assert changed > 0
        # A later build in which the document did not change.
        con.execute("delete from intermediate.int_changed_documents")

    # Every side of an identity is scoped alike: nothing fails or warns for the documents left out.
    assert _test(tmp_path / "unchanged", warehouse, SCOPED) == set()
    assert {DUPLICATE_ROWS, IDENTITY} <= _test(tmp_path / "all_rows", warehouse)

    with duckdb.connect(str(warehouse)) as con:  # a build in which it did change
        con.execute("insert into intermediate.int_changed_documents (document_id) values (?)", [document])
    assert {DUPLICATE_ROWS, IDENTITY} <= _test(tmp_path / "changed", warehouse, SCOPED)
