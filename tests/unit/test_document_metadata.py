"""Department and year from printed titles: the whole name, the cover's year (pure functions)."""

from __future__ import annotations

import pytest

from extract.pdf.document import PageInfo, read_metadata, year_disagreement


def pages(*texts: str) -> list[PageInfo]:
    return [PageInfo(n, 595.0, 842.0, 0, text, 0, 0) for n, text in enumerate(texts, start=1)]


@pytest.mark.parametrize(
    ("cover", "department"),
    [
        ("2025年度\n中共上海市普陀区委社会工作部\n部门预算", "中共上海市普陀区委社会工作部"),
        ("泉州市人民政府办公室\n2024年部门预算", "泉州市人民政府办公室"),
        ("2026年度\n福州市公安局交通管理支队\n单位预算", "福州市公安局交通管理支队"),
        ("上海市普陀区2026年区级部门预算\n预算主管部门：上海市普陀区司法局", "上海市普陀区司法局"),
    ],
)
def test_whole_department_name_from_the_cover(cover: str, department: str) -> None:
    narrative = "部门：福州市公安局\n较2023年预算增加"
    assert read_metadata(pages(cover, narrative), "x.pdf").department_name == department


def test_cover_year_wins_over_the_narrative() -> None:
    meta = read_metadata(
        pages("2026年深圳市财政局（本级）部门预\n算", "支出预算较2025年年初预算减少"), "x.pdf"
    )
    assert (meta.fiscal_year, meta.doc_kind, meta.department_name) == (2026, "预算", "深圳市财政局(本级)")


def test_year_disagreement_names_both_years() -> None:
    message = year_disagreement(2026, ["2025年收支总表", "2025年支出总表", "收入总表"])
    assert message is not None and "2026" in message and "2025" in message
    assert year_disagreement(2026, ["2026年收支总表", "支出总表"]) is None
    assert year_disagreement(None, ["2025年收支总表"]) is None


def test_table_volume_without_a_cover() -> None:
    meta = read_metadata(
        pages(
            "预算01表收支总表\n金额单位：万元",
            "预算13表部门整体支出绩效目标表\n(2026年度)\n部门名称 北京市审计局",
        ),
        "x.pdf",
    )
    assert (meta.department_name, meta.fiscal_year, meta.doc_kind, meta.doc_scope) == (
        "北京市审计局",
        2026,
        "预算",
        "部门",
    )
