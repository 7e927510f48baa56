"""Layout families (issue 12), the warehouse side: a code printed on several rows of one table, revenue
printed below 本年收入合计, and the new table kinds, on two ../shared/real2 documents through the real
extractor and a real `dbt build`.

- Beijing 北京市审计局 2026 预算03表 支出总表 (p3) prints each functional 项 once per economic code beside
  it (`2010801 行政运行 50101-工资奖金津补贴 30101-基本工资 …`), its 预算05表 一般公共预算支出表 (p5) lists
  blocks repeating codes: before, 18 `structure_repeated_fact_key` errors (all_funds 2010801 basic printed
  24 times). Both tables print one 合计 checked against every row (int_coded_tables.is_rollup_checked),
  so a code's rows are parts of one fact: the facts add them up, and equal the printed 合计.
- Yantai 烟台市教育局 2026: its 一般公共预算基本支出表 (p18-20) prints each department economic 类 once per
  government 类 (301 under 501 机关工资福利支出 and under 505 对事业单位经常性补助): 18 repeated keys;
  its 收支总体情况表 (p9) prints 上级补助收入 205.89 below 本年收入合计 315,235.83, inside 收入总计
  315,441.72 (2 summary errors); its 收入总体情况表 (p10) lists functional codes and ends with a blank
  ruled line, which made it a table of units (8 revenue_column_total errors, 类 + 款 + 项 added up).

Skips when ../shared/real2 is absent.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from store.ingest import ingest_pdf
from tests.integration.test_identities import dbt_build

pytestmark = pytest.mark.slow

REAL2 = Path(__file__).resolve().parents[2].parent / "shared" / "real2"
BEIJING = "bj_shi_shenjiju_2026_yusuan_baobiao.pdf"
YANTAI = "sd_yantai_jiaoyuju_2026_yusuan.pdf"
FIXED = (
    "structure_repeated_fact_key",
    "summary_revenue_balance",
    "summary_revenue_sources",
    "revenue_column_total",
    "parent_equals_children",
    "expenditure_row_total",
    "basic_row_total",
)


def _rows(warehouse: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    pdfs = [REAL2 / BEIJING, REAL2 / YANTAI]
    for pdf in pdfs:
        if not pdf.exists():
            pytest.skip(f"{pdf} absent: the shared real documents are not on this machine")
    work = tmp_path_factory.mktemp("cross_tables")
    warehouse = work / "w.duckdb"
    for pdf in pdfs:
        outcome = ingest_pdf(pdf, warehouse)
        assert outcome.status == "loaded", outcome
    dbt_build(warehouse, work)
    ids = dict(_rows(warehouse, "select file_name, document_id from raw.documents"))
    return warehouse, ids


@pytest.mark.parametrize("file_name", [BEIJING, YANTAI])
def test_no_repeated_keys_nor_misread_totals(built: tuple[Path, dict[str, str]], file_name: str) -> None:
    warehouse, ids = built
    findings = _rows(
        warehouse,
        "select identity, item from audit.identity_findings where document_id = ? and severity = 'error'",
        ids[file_name],
    )
    assert [f for f in findings if f[0] in FIXED] == []


def test_beijing_facts_add_a_codes_rows_up_to_the_printed_total(built: tuple[Path, dict[str, str]]) -> None:
    warehouse, ids = built
    document_id = ids[BEIJING]
    (cells,) = _rows(
        warehouse,
        "select printed_cells from intermediate.int_expenditure_facts where document_id = ? "
        "and fund_scope = 'all_funds' and functional_code = '2010801' and expenditure_type = 'basic'",
        document_id,
    )[0]
    assert cells == 24
    facts = dict(
        _rows(
            warehouse,
            "select fund_scope || ' ' || expenditure_type, sum(amount_yuan) "
            "from intermediate.int_expenditure_facts where document_id = ? group by 1",
            document_id,
        )
    )
    totals = dict(
        _rows(
            warehouse,
            "select case table_kind when 'expenditure' then 'all_funds' else 'general_public_budget' end "
            "|| ' ' || column_key, amount_yuan from intermediate.int_line_items where document_id = ? "
            "and row_role = 'total' and column_key in ('basic', 'project') "
            "and table_kind in ('expenditure', 'general_budget_expenditure')",
            document_id,
        )
    )
    # 支出总表 合计: 基本 25,218.537585 + 项目 7,633.516247 万元; 一般公共预算支出表: 项目 7,583.399054
    assert totals["all_funds basic"] == Decimal("252185375.85")
    assert facts == totals


def test_yantai_repeated_economic_codes_are_checked_per_block(built: tuple[Path, dict[str, str]]) -> None:
    warehouse, ids = built
    document_id = ids[YANTAI]
    rollups = _rows(
        warehouse,
        "select item_code, printed_yuan, children_sum_yuan, is_within_tolerance "
        "from intermediate.int_classification_rollups where document_id = ? "
        "and table_kind = 'basic_expenditure_economic' and item_code = '301' "
        "and column_key = 'total' order by row_index",
        document_id,
    )
    # 301 under 501 (1,014.57) and 301 under 505 (165,157.74), each = Σ its own 款
    assert [(code, printed, ok) for code, printed, _, ok in rollups] == [
        ("301", Decimal("10145700.00"), True),
        ("301", Decimal("1651577400.00"), True),
    ]
    (amount, cells) = _rows(
        warehouse,
        "select amount_yuan, printed_cells from intermediate.int_basic_expenditure_facts "
        "where document_id = ? and economic_code = '30101' and cost_type = 'personnel'",
        document_id,
    )[0]
    assert (amount, cells) == (Decimal("443717000.00"), 2)  # 236.54 + 44,135.16 万元


def test_yantai_revenue_below_the_total_is_in_the_grand_total(built: tuple[Path, dict[str, str]]) -> None:
    warehouse, ids = built
    document_id = ids[YANTAI]
    checks = _rows(
        warehouse,
        "select identity, expected_yuan, actual_yuan, is_within_tolerance "
        "from intermediate.int_identity_checks where document_id = ? "
        "and table_kind = 'revenue_expenditure_summary' "
        "and identity in ('summary_revenue_balance', 'summary_revenue_sources') order by identity",
        document_id,
    )
    assert checks == [
        ("summary_revenue_balance", Decimal("3154417200.00"), Decimal("3154417200.00"), True),
        ("summary_revenue_sources", Decimal("3152358300.00"), Decimal("3152358300.00"), True),
    ]
    revenue = dict(
        _rows(
            warehouse,
            "select revenue_source, amount_yuan from marts.fct_revenue where document_id = ?",
            document_id,
        )
    )
    assert revenue["superior_subsidy"] == Decimal("2058900.00")


def test_yantai_coded_revenue_table_and_economic_spending_are_checked(
    built: tuple[Path, dict[str, str]],
) -> None:
    warehouse, ids = built
    document_id = ids[YANTAI]
    (coded,) = _rows(
        warehouse,
        "select distinct is_coded_table from intermediate.int_revenue_cells where document_id = ?",
        document_id,
    )[0]
    assert coded
    # 公开表10 基本支出预算情况表 (expenditure_economic): checked through its codes, never a fact
    checked = _rows(
        warehouse,
        "select count(*), count(*) filter (where not is_within_tolerance) "
        "from intermediate.int_identity_checks where document_id = ? and table_kind = 'expenditure_economic'",
        document_id,
    )[0]
    assert checked[0] > 0 and checked[1] == 0
    assert _rows(
        warehouse,
        "select count(*) from intermediate.int_expenditure_facts f join intermediate.int_expenditure_rows r "
        "using (document_id, table_index) where f.document_id = ? and r.table_kind = 'expenditure_economic'",
        document_id,
    ) == [(0,)]
