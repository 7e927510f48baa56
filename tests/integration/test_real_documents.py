"""Real published PDFs (../shared/real): every standard table recognized, every identity intact.

These documents have no cell-level truth; a correct extraction satisfies the
document's own accounting identities. Run straight from ../shared/real, never
copied into the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.pipeline import ExtractedDocument, extract_document
from tests.support.identities import summary_breaks, within_table_breaks

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"

JIANGSU_12 = [
    "revenue_expenditure_summary",
    "revenue",
    "expenditure",
    "fiscal_appropriation_summary",
    "fiscal_appropriation_expenditure",
    "fiscal_basic_expenditure",
]
EXPECTED_TABLES = {
    "js_gaoyuan_2017_yusuan.pdf": [
        *JIANGSU_12,
        "government_fund_expenditure",
        "general_budget_expenditure",
        "basic_expenditure_economic",
        "operating_costs",
        "three_public_costs",
        "government_procurement",
        None,  # p20: a pie chart's frame
    ],
    "js_renda_bangongting_2019_yusuan_biao.pdf": [
        *JIANGSU_12,
        "general_budget_expenditure",
        "basic_expenditure_economic",
        "three_public_costs",
        "government_fund_expenditure",
        "operating_costs",
        "government_procurement",
    ],
    "js_zhengxie_bangongting_2018_yusuan_biao.pdf": [
        *JIANGSU_12,
        "general_budget_expenditure",
        "basic_expenditure_economic",
        "three_public_costs",
        "government_fund_expenditure",
        "operating_costs",
        "government_procurement",
    ],
    "sh_putuo_caizhengju_2024_juesuan.pdf": [
        None,  # p5: the ruled 单位构成 list, not budget data
        "revenue_expenditure_summary",
        "revenue",
        "expenditure",
        "fiscal_appropriation_summary",
        "general_budget_expenditure",
        "basic_expenditure_economic",
        "three_public_costs",
        "government_fund_expenditure",  # empty: 本表无数据
        "state_capital_expenditure",  # empty: 本表无数据
    ],
    "sh_putuo_sifaju_2026_bumen_yusuan.pdf": [
        "revenue_expenditure_summary",
        "revenue",
        "expenditure",
        "fiscal_appropriation_summary",
        "general_budget_expenditure",
        "government_fund_expenditure",
        "state_capital_expenditure",
        "basic_expenditure_economic",
        "three_public_costs",
    ],
    "sh_putuo_wanlijiedao_2023_bumen_yusuan.pdf": [
        "revenue_expenditure_summary",
        "revenue",
        "expenditure",
        "fiscal_appropriation_summary",
        "general_budget_expenditure",
        "government_fund_expenditure",
        "state_capital_expenditure",
        "basic_expenditure_economic",
        "three_public_costs",
        *["project_performance_targets"] * 5,
    ],
}
EXPECTED_METADATA = {
    "js_gaoyuan_2017_yusuan.pdf": ("江苏省高级人民法院", 2017, "预算"),
    "js_renda_bangongting_2019_yusuan_biao.pdf": ("江苏省人大常委会办公厅", 2019, "预算"),
    "js_zhengxie_bangongting_2018_yusuan_biao.pdf": ("江苏省政协办公厅", 2018, "预算"),
    "sh_putuo_caizhengju_2024_juesuan.pdf": ("上海市普陀区财政局", 2024, "决算"),
    "sh_putuo_sifaju_2026_bumen_yusuan.pdf": ("上海市普陀区司法局", 2026, "预算"),
    "sh_putuo_wanlijiedao_2023_bumen_yusuan.pdf": ("上海市普陀区人民政府万里街道办事处", 2023, "预算"),
}

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"real documents folder {REAL} is absent")
_CACHE: dict[str, ExtractedDocument] = {}


def extracted(name: str) -> ExtractedDocument:
    if name not in _CACHE:
        _CACHE[name] = extract_document(REAL / name)
    return _CACHE[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_TABLES))
def test_every_standard_table_is_recognized(name: str) -> None:
    assert [t.kind for t in extracted(name).tables] == EXPECTED_TABLES[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_METADATA))
def test_document_metadata(name: str) -> None:
    meta = extracted(name).metadata
    assert (meta.department_name, meta.fiscal_year, meta.doc_kind) == EXPECTED_METADATA[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_TABLES))
def test_no_within_table_identity_breaks(name: str) -> None:
    doc = extracted(name)
    assert len(doc.line_items) > 50
    assert within_table_breaks(doc) == []
    assert summary_breaks(doc) == []


@pytest.mark.parametrize("name", sorted(EXPECTED_TABLES))
def test_no_unreadable_amounts(name: str) -> None:
    assert [i for i in extracted(name).issues if i.issue_kind in ("not_a_number", "unknown_unit")] == []


def test_shanghai_units_switch_inside_the_document() -> None:
    doc = extracted("sh_putuo_sifaju_2026_bumen_yusuan.pdf")
    units = {t.kind: t.unit for t in doc.tables}
    assert units["expenditure"] == "元" and units["three_public_costs"] == "万元"


def test_glued_income_amount_is_split_from_the_next_label() -> None:
    """p10 prints `96,282,213.44 一、公共安全支出` in one cell: the amount is revenue, the label spending."""
    doc = extracted("sh_putuo_sifaju_2026_bumen_yusuan.pdf")
    summary = [i for i in doc.line_items if doc.tables[i.table_index].kind == "revenue_expenditure_summary"]
    by_key = {(i.column_key, i.item_key, i.item_code): i.amount_text for i in summary if i.amount_text}
    assert by_key[("revenue/amount", "fiscal_appropriation", None)] == "96282213.44"
    assert by_key[("expenditure/amount", "functional_class", "204")] == "87267272.44"


def test_form_layout_performance_targets() -> None:
    doc = extracted("sh_putuo_wanlijiedao_2023_bumen_yusuan.pdf")
    projects = {i.project_name: i.amount_text for i in doc.indicators}
    assert projects["新建万里街道社区公共服务中心"] == "4100000.00"
    assert len(projects) == 5
    first = doc.indicators[0]
    assert (first.level1, first.level2, first.indicator, first.operator, first.target_value, first.unit) == (
        "产出指标",
        "数量指标",
        "规划建筑面积",
        "≥",
        "13459.00",
        "平方米",
    )
