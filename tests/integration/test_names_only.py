"""A budget whose classification tables print names only (the level shown by indentation): the
warehouse places the 类 rows (functional and economic) by their national names, leaves the rows
below them out of the facts (with an extraction issue saying how many), and counts every amount
once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from store.ingest import ingest_pdf
from tests.support.dbt import dbt_build, failed_nodes
from tests.support.synthetic import SyntheticDocument, generate

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Built:
    doc: SyntheticDocument
    warehouse: Path
    work: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("names_only")
    doc = generate(work / "names_only.pdf", seed=11, code_layout="names_only", narrative=False)
    warehouse = work / "budget.duckdb"
    assert ingest_pdf(doc.path, warehouse).status == "loaded"
    dbt_build(work, {"BUDGET_WAREHOUSE": str(warehouse)})
    return Built(doc, warehouse, work)


def _query(built: Built, sql: str) -> list[tuple]:
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_document_is_admitted_and_every_test_passes(built: Built) -> None:
    assert _query(built, "select status from audit.documents") == [("loaded",)]
    assert failed_nodes(built.work) == []


def test_facts_hold_the_classes_printed_by_name_once_each(built: Built) -> None:
    expected: dict[tuple[str, str], Decimal] = {}
    for line in built.doc.table("expenditure").lines:
        if line.code is not None and len(line.code) == 3:
            for column, amount in line.amounts.items():
                if column != "total" and amount != 0:
                    expected[(line.code, column)] = amount
    assert expected  # the layout drew 类 rows with amounts, or this test proves nothing
    rows = _query(
        built,
        "select functional_code, expenditure_type, amount_yuan from marts.fct_expenditure "
        "where fund_scope = 'all_funds'",
    )
    assert {(code, kind): amount for code, kind, amount in rows} == expected
    assert len(rows) == len(expected)  # no 款 or 项 row counted again under an unknown code


def test_basic_spending_is_held_at_its_economic_classes_and_adds_up(built: Built) -> None:
    lines = built.doc.table("basic_expenditure_economic").lines
    classes = {line.code for line in lines if line.code is not None and len(line.code) == 3}
    (grand_total,) = [line.amounts["total"] for line in lines if line.code is None]
    rows = _query(built, "select economic_code, cost_type, amount_yuan from marts.fct_basic_expenditure")
    assert rows and {code for code, _, _ in rows} <= classes  # 3xx 类 placed by name, nothing unknown
    assert sum(amount for _, _, amount in rows) == grand_total  # each amount once: 款 rows left out


def test_the_rows_left_out_are_reported(built: Built) -> None:
    issues = _query(
        built,
        "select table_index, message from raw.extraction_issues where issue_kind = 'uncoded_rows' order by 1",
    )
    below_class = [line for line in built.doc.table("expenditure").lines if line.code and len(line.code) > 3]
    assert issues and any(message.startswith(f"{len(below_class)} row(s)") for _, message in issues)
