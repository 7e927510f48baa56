from decimal import Decimal

import pytest

from extract.tables.cells import code_level, find_unit, join_split_code, parse_amount, split_code_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("767.78", "767.78"),
        ("7,677,800.00", "7677800.00"),
        ("164,978,640", "164978640"),
        ("０.４０", "0.40"),  # full-width digits
        ("(12.50)", "-12.50"),
        ("-3.00", "-3.00"),
        ("595.13\n", "595.13"),
    ],
)
def test_amounts_are_parsed_exactly(raw: str, expected: str) -> None:
    amount = parse_amount(raw)
    assert amount.is_number and not amount.is_blank
    assert amount.value == Decimal(expected)


@pytest.mark.parametrize("raw", ["", " ", "-", "—", "\n"])
def test_blank_markers_are_blank_not_zero(raw: str) -> None:
    amount = parse_amount(raw)
    assert amount.is_blank and amount.text is None


@pytest.mark.parametrize("raw", ["717.78 一.一般公共服务支出", "12.3.4", "abc", "1,23,4"])
def test_non_numbers_are_reported_not_guessed(raw: str) -> None:
    amount = parse_amount(raw)
    assert not amount.is_number and amount.text is None


def test_units() -> None:
    assert find_unit("部门名称：海东市人力资源和社会保障局 单位：万元") == "万元"
    assert find_unit("金额单位: 元") == "元"
    assert find_unit("单位:万元") == "万元"
    assert find_unit("部门公开表1") is None


def test_codes() -> None:
    assert split_code_name("2080101", "行政运行") == ("2080101", "行政运行")
    assert split_code_name("", "2080101行政运行") == ("2080101", "行政运行")
    assert split_code_name("", "合计") == (None, "合计")
    assert join_split_code(["208", "01", "01"]) == "2080101"
    assert join_split_code(["208", "01", ""]) == "20801"
    assert join_split_code(["", "", ""]) is None
    assert [code_level(c) for c in ("208", "20801", "2080101")] == [1, 2, 3]


@pytest.mark.parametrize(
    ("line", "unit"),
    [
        ("预算单位：北京市某某局  单位：万元", "万元"),
        ("预算单位：元氏县财政局  单位：万元", "万元"),  # 元 starting a name is not the unit
        ("预算单位：元氏县财政局", None),
        ("金额单位：万元", "万元"),
        ("单位：人民币万元", "万元"),
        ("单位：（万元）", "万元"),
        ("单位：元\n部门：某某局", "元"),
        ("部门：某某局 单位：\n万元", "万元"),
    ],
)
def test_unit_anywhere_on_a_header_line(line: str, unit: str | None) -> None:
    assert find_unit(line) == unit


def test_code_and_name_joined_by_a_dash() -> None:
    assert split_code_name("", "30101-基本工资") == ("30101", "基本工资")
    assert split_code_name("", "3021101-差旅费") == ("3021101", "差旅费")
