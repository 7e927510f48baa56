"""Layout family: the tables published as a volume of their own, each page one ruled frame (Beijing).

`预算01表 收支总表` and `金额单位：万元` are printed inside the frame, amounts have six decimals
in 万元, economic rows print code-name pairs of both schemes (`50101-工资奖金津补贴  30101-基本工资`).
Read from ../shared/real2, never copied into the repository.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import pytest

from extract.pipeline import ExtractedDocument, extract_document
from tests.support.identities import summary_breaks, within_table_breaks

ROOT = Path(__file__).resolve().parents[2]
VOLUME = ROOT.parent / "shared" / "real2" / "bj_shi_shenjiju_2026_yusuan_baobiao.pdf"

pytestmark = pytest.mark.skipif(not VOLUME.is_file(), reason=f"real document {VOLUME} is absent")

STANDARD = [
    "revenue_expenditure_summary",
    "revenue",
    "expenditure",
    "fiscal_appropriation_summary",
    "general_budget_expenditure",
    "basic_expenditure_economic",
    "government_fund_expenditure",  # empty: only its 合计 line
    "state_capital_expenditure",  # empty
    "three_public_costs",
    "government_procurement",
    None,  # 预算11表 财政拨款政府购买服务明细表: no kind of ours
    "project_performance_targets",  # 预算表12, pages 12-19
    None,  # 预算13表 部门整体支出绩效目标表: the department's goals, not a project's
    None,  # its second page
]


@pytest.fixture(scope="module")
def volume() -> ExtractedDocument:
    return extract_document(VOLUME)


def test_tables_recognized_with_label_and_unit(volume: ExtractedDocument) -> None:
    assert [t.kind for t in volume.tables] == STANDARD
    assert [t.label for t in volume.tables[:6]] == [f"预算0{n}表" for n in range(1, 7)]
    assert {t.unit for t in volume.tables} == {"万元"}
    assert [i for i in volume.issues if i.issue_kind in ("not_a_number", "unknown_unit")] == []


def _to_yuan(amount_text: str, unit: str) -> str:
    """The warehouse's own conversion: dbt_project/macros/money.sql `to_yuan`, run in DuckDB."""
    macros = jinja2.Environment().from_string((ROOT / "dbt_project" / "macros" / "money.sql").read_text())
    sql = str(macros.module.to_yuan(f"'{amount_text}'", f"'{unit}'"))
    with duckdb.connect() as con:
        return str(con.execute(f"select {sql}").fetchone()[0])


def test_six_decimal_amounts_convert_exactly(volume: ExtractedDocument) -> None:
    summary = [i for i in volume.line_items if i.table_index == 0 and i.item_key == "general_budget"]
    assert [i.amount_text for i in summary] == ["32365.090089"]
    assert _to_yuan(summary[0].amount_text, volume.tables[0].unit) == "323650900.89"


def test_both_economic_schemes_kept(volume: ExtractedDocument) -> None:
    basic = {
        (i.item_code, i.other_codes, i.item_name)
        for i in volume.line_items
        if volume.tables[i.table_index].kind == "basic_expenditure_economic"
    }
    assert ("30101", "50101", "基本工资") in basic
    assert ("3021101", "50201", "差旅费") in basic
    spending = {
        (i.item_code, i.other_codes)
        for i in volume.line_items
        if volume.tables[i.table_index].kind == "expenditure"
    }
    assert ("2010801", "50101/30101") in spending


def test_no_identity_breaks(volume: ExtractedDocument) -> None:
    assert within_table_breaks(volume) == []
    assert summary_breaks(volume) == []


def test_three_public_costs_total_column(volume: ExtractedDocument) -> None:
    costs = {i.column_key: i.amount_text for i in volume.line_items if i.table_index == 8 and i.amount_text}
    assert costs["current_budget/total"] == "244.848000"
    assert costs["current_budget/vehicle_total"] == "65.328000"
