"""One scope per department-year (issue 13): a department's 部门预算 and one unit's 单位预算 of the same
department and year both load, both stay queryable in the facts, and no department-level aggregate
adds them together.

The 单位 document is the sample's rows under another document id with doc_scope 单位, as a
department publishing its own unit's budget beside its consolidated one prints them (the issue's
上海市普陀区商务委员会 2025: 371,514,655 元 in each document, 743,029,310 元 when added).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from store.ingest import ingest_pdf
from tests.support.dbt import dbt_build

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
UNIT_ID = "00000000000000aa"
RAW_TABLES = (
    "tables",
    "cells",
    "line_items",
    "performance_indicators",
    "narrative_mentions",
    "extraction_issues",
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("scope")
    warehouse = root / "budget.duckdb"
    outcome = ingest_pdf(REPO / "tests" / "fixtures" / "base.pdf", warehouse)
    department_doc = outcome.document_id
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "insert into raw.documents select * replace (? as document_id, '单位' as doc_scope, "
            "'haidong_unit.pdf' as file_name, 'unit' || sha256 as sha256) "
            "from raw.documents where document_id = ?",
            [UNIT_ID, department_doc],
        )
        for table in RAW_TABLES:
            con.execute(
                f"insert into raw.{table} select * replace (? as document_id) "
                f"from raw.{table} where document_id = ?",
                [UNIT_ID, department_doc],
            )
        con.execute(
            "insert into audit.document_loads select * "
            "replace (? as document_id, 'haidong_unit.pdf' as file_name) "
            "from audit.document_loads where document_id = ?",
            [UNIT_ID, department_doc],
        )
    dbt_build(root, {"BUDGET_WAREHOUSE": str(warehouse)})
    return warehouse, department_doc


def test_both_scopes_load(warehouse: tuple[Path, str]) -> None:
    path, department_doc = warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        documents = dict(
            con.execute(
                "select document_id, (doc_scope, is_department_level) from marts.dim_document"
            ).fetchall()
        )
        facts = dict(
            con.execute("select document_id, count(*) from marts.fct_expenditure group by all").fetchall()
        )
    assert documents == {department_doc: ("部门", True), UNIT_ID: ("单位", False)}
    assert facts[department_doc] == facts[UNIT_ID] > 0


def test_department_level_reports_never_add_the_unit(warehouse: tuple[Path, str]) -> None:
    path, department_doc = warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        for report in (
            "rpt_spending_by_function",
            "rpt_basic_cost_structure",
            "rpt_three_public_costs_change",
        ):
            counts = {n for (n,) in con.execute(f"select distinct documents from marts.{report}").fetchall()}
            assert counts == {1}, (report, counts)
        (reported,) = con.execute(
            "select sum(total_yuan) from marts.rpt_spending_by_function where fund_scope = 'all_funds'"
        ).fetchone()
        (printed,) = con.execute(
            "select sum(amount_yuan) from marts.fct_expenditure "
            "where fund_scope = 'all_funds' and document_id = ?",
            [department_doc],
        ).fetchone()
    assert reported == printed == Decimal("7677800.00")
