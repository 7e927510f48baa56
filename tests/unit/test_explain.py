"""`budget-etl explain`: how the sample was read, row by row, with its identities; nothing written."""

from __future__ import annotations

import dataclasses
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from budget_etl.explain import explain_lines
from budget_etl.main import main
from extract.identities import within_table_checks
from extract.pipeline import ExtractedDocument, extract_document
from tests.conftest import FIXTURES

BASE = FIXTURES / "base.pdf"


@pytest.fixture(scope="module")
def base() -> ExtractedDocument:
    return extract_document(BASE)


def section(lines: list[str], title: str) -> list[str]:
    """The lines of one table's section, from its heading to the next table's."""
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("Table ")), len(lines))
    return lines[start:end]


def test_total_row_in_yuan_and_its_row_total(base: ExtractedDocument) -> None:
    table = section(explain_lines(base, "x"), "Table 2 of 10: 支出总表")
    total = next(line for line in table if line.split()[:2] == ["0", "6"])
    assert total.split()[2:7] == ["total", "合计", "total", "767.78", "7677800.00"]
    assert "row_total holds" in total
    # 595.13 + 172.66 = 767.79 against a printed 767.78: a rounding difference within tolerance.
    check = next(line for line in table if line.split()[:3] == ["0", "合计", "row_total"])
    assert check.split()[3:7] == ["holds", "767.78", "767.79", "-0.01"]


def test_code_levels_and_blank_cells(base: ExtractedDocument) -> None:
    table = section(explain_lines(base, "x"), "Table 2 of 10: 支出总表")
    rows = {line.split()[2]: line.split() for line in table if line.split()[:2][-1:] == ["6"]}
    assert rows["208"][3:5] == ["类", "社会保障和就业支出"]
    assert rows["20801"][3] == "款"
    assert rows["2080104"][3:9] == ["项", "综合业务管理", "total", "17.00", "170000.00", "row_total"]
    after = table[table.index(next(line for line in table if " 2080104 " in line)) + 1]
    assert after.split() == ["basic", "blank"]  # blank is kept apart from 0
    assert "    blank on every row: business_operation, to_superior, to_subsidiary" in table


def test_header_tree_puts_columns_under_their_group(base: ExtractedDocument) -> None:
    table = section(explain_lines(base, "x"), "Table 4 of 10: 一般公共预算支出表")
    group = next(i for i, line in enumerate(table) if line.strip() == "2023年预算数")
    basic = table[group + 2]
    assert basic.split() == ["基本支出", "[3]", "amount", "→", "basic"]
    indent = len(basic) - len(basic.lstrip())
    assert indent > len(table[group]) - len(table[group].lstrip())
    three = section(explain_lines(base, "x"), "Table 6 of 10")
    vehicles = three.index("      公务用车购置及运行费")
    assert three[vehicles + 1].split() == ["小计", "[2]", "amount", "→", "prior_budget/vehicle_total"]
    assert three[vehicles + 1].startswith("        小计")


def test_metadata_and_summary_balances(base: ExtractedDocument) -> None:
    lines = explain_lines(base, "edb397a99d3d8853")
    assert "  department         海东市人力资源和社会保障局" in lines
    assert "  fiscal year        2023" in lines
    assert "  parent department  —" in lines
    assert "Extraction issues: none" in lines
    summary = section(lines, "Table 0 of 10: 收支总表")
    balance = next(line for line in summary if "revenue_balance" in line and "revenue_total" in line)
    assert balance.split()[3:7] == ["holds", "767.78", "767.78", "0.00"]
    assert balance.endswith("revenue_total 717.78 + carryover 50.00")


def test_a_misread_figure_shows_as_a_break(base: ExtractedDocument) -> None:
    # 行政运行 read as 421.25 instead of 421.15: its row total and its 款's sum break.
    items = [
        dataclasses.replace(i, amount_text="421.25")
        if i.table_index == 2 and i.item_code == "2080101" and i.column_key == "total"
        else i
        for i in base.line_items
    ]
    doc = dataclasses.replace(base, line_items=items)
    broken = {(c.identity, c.item) for c in within_table_checks(doc) if not c.holds}
    assert broken == {("row_total", "2080101"), ("parent_total", "20801")}
    check = next(c for c in within_table_checks(doc) if (c.identity, c.item) == ("row_total", "2080101"))
    assert (check.expected, check.actual) == (Decimal("421.25"), Decimal("421.15"))
    table = section(explain_lines(doc, "x"), "Table 2 of 10")
    assert any(line.split()[:4] == ["2", "20801", "parent_total", "BREAKS"] for line in table)
    assert "Identities: 132 checked, 2 broken in 10 table(s) shown." in explain_lines(doc, "x")[-1]


def test_command_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_duckdb(*args: object, **kwargs: object) -> None:
        raise AssertionError("explain opened DuckDB")

    monkeypatch.setattr(duckdb, "connect", no_duckdb)  # the forked extraction inherits it
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.chdir(tmp_path)
    assert main(["explain", str(BASE)]) == 0
    out = capsys.readouterr().out
    assert "Table 9 of 10: 部门预算项目支出绩效目标公开表" in out
    assert out.rstrip().endswith("Identities: 132 checked, 0 broken in 10 table(s) shown.")
    assert os.listdir(tmp_path) == []


def test_page_limits_the_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(BASE), "--page", "4"]) == 0
    out = capsys.readouterr().out
    assert "Table 0 of 10: 收支总表 (部门公开表1) — pages 3, 4" in out  # continued on page 4
    assert "Table 1 of 10" not in out and "Table 2 of 10" not in out
    assert "  department         海东市人力资源和社会保障局" in out


def test_not_a_pdf_exits_1_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad\x1b[31m.pdf"
    path.write_bytes(b"hello, not a PDF")
    assert main(["explain", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err
        == "budget-etl explain: bad\\x1b[31m.pdf: could not be read: not a PDF (no %PDF header)\n"
    )


@pytest.mark.parametrize(
    "argv", [["explain"], ["explain", "missing.pdf"], ["explain", str(BASE), "--page", "0"], ["explain", "."]]
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage: budget-etl" in capsys.readouterr().err


def test_page_beyond_the_document_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(BASE), "--page", "21"]) == 2
    assert capsys.readouterr().err == "budget-etl explain: --page 21: base.pdf has 20 pages\n"
