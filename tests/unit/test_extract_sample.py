"""Camelot on the sample renderings: the tables come out exactly as printed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extract.pipeline import ExtractedDocument, extract_document
from extract.text import compact, normalize

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPECTED_KINDS = [
    "revenue_expenditure_summary",
    "revenue",
    "expenditure",
    "fiscal_appropriation_summary",
    "general_budget_expenditure",
    "basic_expenditure_economic",
    "three_public_costs",
    "government_fund_expenditure",
    "state_capital_expenditure",
    "project_performance_targets",
]


_CACHE: dict[str, ExtractedDocument] = {}


def extracted(name: str) -> ExtractedDocument:
    if name not in _CACHE:
        _CACHE[name] = extract_document(FIXTURES / name)
    return _CACHE[name]


@pytest.fixture(scope="module")
def base() -> ExtractedDocument:
    return extracted("base.pdf")


def test_metadata(base: ExtractedDocument) -> None:
    meta = base.metadata
    assert (meta.department_name, meta.fiscal_year, meta.doc_kind) == (
        "海东市人力资源和社会保障局",
        2023,
        "预算",
    )
    assert base.pages == 20


def test_every_table_is_recognized_in_order(base: ExtractedDocument) -> None:
    assert [t.kind for t in base.tables] == EXPECTED_KINDS


def test_row_counts_match_truth_across_page_breaks(base: ExtractedDocument, truth_tables: dict) -> None:
    for table in base.tables:
        assert len(table.rows) == len(truth_tables[table.kind]["rows"]), table.kind


@pytest.mark.parametrize("kind", ["expenditure", "general_budget_expenditure", "basic_expenditure_economic"])
def test_coded_tables_are_exact_blank_cells_included(
    base: ExtractedDocument, truth_tables: dict, kind: str
) -> None:
    table = next(t for t in base.tables if t.kind == kind)
    got = [row.texts for row in table.rows]
    want = [[normalize(cell) for cell in row] for row in truth_tables[kind]["rows"]]
    assert got == want


def test_lineage_points_at_the_printed_cell(base: ExtractedDocument) -> None:
    item = next(i for i in base.line_items if i.item_code == "30231" and i.column_key == "public")
    table = base.tables[item.table_index]
    row = table.rows[item.row_index]
    assert (item.page, row.page, row.raw[item.col_index].strip()) == (11, 11, "2.50")


@pytest.mark.parametrize("rendering", ["yuan.pdf", "split_code.pdf", "stream.pdf"])
def test_other_renderings_give_the_same_amounts_in_yuan(base: ExtractedDocument, rendering: str) -> None:
    other = extracted(rendering)

    def in_yuan(doc: ExtractedDocument) -> dict:
        units = {i: t.unit for i, t in enumerate(doc.tables)}
        factor = {"万元": Decimal(10000), "元": Decimal(1)}
        return {
            (doc.tables[i.table_index].kind, i.item_code, i.item_name, i.column_key): Decimal(i.amount_text)
            * factor[units[i.table_index]]
            for i in doc.line_items
            if i.amount_text is not None
        }

    expected = in_yuan(base)
    assert len(expected) > 100
    assert in_yuan(other) == expected


RENDERINGS = ["base.pdf", "yuan.pdf", "split_code.pdf", "stream.pdf"]


def _squeeze(text: str) -> str:
    return compact(text)  # the truth keeps full-width punctuation; extraction normalizes it


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_every_rendering_recognizes_every_table(rendering: str) -> None:
    assert [t.kind for t in extracted(rendering).tables] == EXPECTED_KINDS


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_performance_indicators_equal_truth(rendering: str, truth_tables: dict) -> None:
    want = [
        tuple(_squeeze(cell) for cell in row) for row in truth_tables["project_performance_targets"]["rows"]
    ]
    got = [
        tuple(
            _squeeze(v)
            for v in (
                i.project_name,
                i.goal,
                i.level1,
                i.level2,
                i.indicator,
                i.operator,
                i.target_value,
                i.unit,
            )
        )
        for i in extracted(rendering).indicators
    ]
    assert len(got) == 62
    assert got == [row[:1] + row[2:] for row in want]


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_project_amounts_equal_truth_in_yuan(rendering: str, truth_tables: dict) -> None:
    doc = extracted(rendering)
    factor = {"万元": Decimal(10000), "元": Decimal(1)}
    unit = doc.tables[doc.indicators[0].table_index].unit
    got = {(i.project_name, Decimal(i.amount_text) * factor[unit]) for i in doc.indicators}
    want = {
        (_squeeze(r[0]), Decimal(r[1]) * 10000) for r in truth_tables["project_performance_targets"]["rows"]
    }
    assert len(want) == 9
    assert got == want
