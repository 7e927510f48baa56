"""Figures stated in the narrative of the sample (第三部分), read with their shares and changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.narrative import narrative_mentions
from extract.pdf.document import PageInfo, read_pages
from extract.pdf.pages import table_page_candidates

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _page(text: str, number: int = 1) -> PageInfo:
    return PageInfo(number, 595.0, 842.0, 0, text, 0)


@pytest.fixture(scope="module")
def mentions():
    pages = read_pages(FIXTURES / "base.pdf")
    return narrative_mentions(pages, set(table_page_candidates(pages)))


def test_share_of_the_sentence_total(mentions) -> None:
    carryover = next(m for m in mentions if m.subject == "上年结转" and m.share_pct)
    assert (carryover.amount_text, carryover.unit, carryover.base_amount_text, carryover.share_pct) == (
        "50.00",
        "万元",
        "767.78",
        "6.51",
    )


def test_change_against_last_year(mentions) -> None:
    three = next(m for m in mentions if "三公" in m.subject)
    assert (three.amount_text, three.change_direction, three.change_amount_text, three.change_unit) == (
        "4.90",
        "减少",
        "0.60",
        "万元",
    )


def test_economic_items_listed_in_prose(mentions) -> None:
    stated = {m.subject: m.amount_text for m in mentions if m.page == 16}
    assert stated["基本工资"] == "72.38" and stated["公用经费"] == "44.19"


def test_lines_wrapped_mid_word_and_percent_changes() -> None:
    text = "第三部分 情况说明\n行政运行（项）2023年预算数为421.15万元，比上年减少\n8.38万元，下降1.95%。"
    (mention,) = narrative_mentions([_page(text)], set())
    assert (mention.amount_text, mention.change_amount_text, mention.change_pct) == ("421.15", "8.38", "1.95")


def test_no_mentions_before_the_narrative_part() -> None:
    assert narrative_mentions([_page("部门概况：收入100.00万元。")], set()) == []


def test_the_base_of_a_share_is_the_amount_before_its_其中() -> None:
    text = (
        "第三部分 说明\n本年收入合计2946.25万元，本年支出合计2940.05万元，"
        "其中：基本支出2336.91万元，占79.49%。"
    )
    mentions = narrative_mentions([_page(text)], set())
    basic = next(m for m in mentions if m.subject == "基本支出")
    assert (basic.base_amount_text, basic.share_pct) == ("2940.05", "79.49")
