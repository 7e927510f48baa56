"""What a table is: its canonical kind from its title, and what each column means."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.tables.cells import find_unit
from extract.text import compact

# A table's printed number: 表一, 公开表1, 部门公开表1, 公开01表, 预算表 1, 预算01表, 预算表12, 附表1-2.
# A number glued to the year after it (表12021年…) ends where the year begins.
_NUMBER = r"(?:\d+?(?=20\d{2}年)|\d+|[一二三四五六七八九十]+)(?:-\d+)?"
_TABLE_NUMBER = (
    rf"(?:部门|单位)?(?:预算|决算)?(?:公开|附)?表\s*{_NUMBER}"
    rf"|(?:部门|单位)?(?:预算|决算)?公开\s*{_NUMBER}\s*表?"
    rf"|(?:部门|单位)?(?:预算|决算)\s*{_NUMBER}\s*表"
)
# Labels and decorations that say nothing about what the table is.
_LABEL = re.compile(rf"^(?:{_TABLE_NUMBER}|[0-9一二三四五六七八九十]+\s*[、.．]\s*)")
_YEAR = re.compile(r"20\d{2}年度?")


@dataclass(frozen=True)
class KindRule:
    kind: str
    all_of: tuple[str, ...]
    none_of: tuple[str, ...] = ()


# Order matters: the first rule whose words all occur (and none of its
# exclusions) wins, so the specific tables come before the general ones.
KIND_RULES: tuple[KindRule, ...] = (
    # 部门整体支出绩效目标表 states the department's goals, not a project's indicators.
    KindRule("project_performance_targets", ("绩效目标",), ("整体",)),
    KindRule("project_performance_targets", ("绩效", "项目支出")),
    KindRule("three_public_costs", ("三公",)),
    KindRule("operating_costs", ("机关运行经费",)),
    KindRule("government_procurement", ("政府采购",)),
    KindRule("government_fund_expenditure", ("政府性基金",)),
    KindRule("state_capital_expenditure", ("国有资本经营",)),
    KindRule("fiscal_appropriation_summary", ("财政拨款", "收支")),
    KindRule("fiscal_appropriation_summary", ("财政拨款", "收入支出")),
    # A title naming its classification (按支出功能分类科目 / 按经济分类) says which codes its rows print.
    KindRule("basic_expenditure_functional", ("基本支出", "功能分类")),
    KindRule("basic_expenditure_functional", ("基本支出", "功能科目")),
    KindRule("basic_expenditure_economic", ("一般公共预算", "基本支出")),
    KindRule("expenditure_economic", ("支出", "经济分类"), ("基本支出",)),
    KindRule("expenditure_economic", ("支出", "经济科目"), ("基本支出",)),
    KindRule("general_budget_expenditure", ("一般公共预算", "支出")),
    KindRule("fiscal_basic_expenditure", ("财政拨款", "基本支出")),
    KindRule("fiscal_appropriation_expenditure", ("财政拨款", "支出")),
    KindRule("revenue_expenditure_summary", ("收支",)),
    KindRule("revenue_expenditure_summary", ("收入支出",)),
    KindRule("revenue", ("收入",), ("支出",)),
    KindRule("expenditure", ("支出",), ("收入", "绩效")),
)

# Words that make a line of text a table title rather than a heading or a note.
_TITLE_WORDS = ("表",)


def clean_title(line: str) -> str:
    """Strip labels (部门公开表1, 公开表一, 表一, 一、), years and spaces from a title line."""
    text = compact(line)
    text = _LABEL.sub("", text)
    return _YEAR.sub("", text)


def classify_title(line: str) -> str | None:
    """Canonical table kind of a title line, or None when it names no known table."""
    title = clean_title(line)
    if not any(word in title for word in _TITLE_WORDS) or "单位" in title and "：" in line:
        return None
    if "。" in title or title.startswith("本表") or "说明" in title or len(title) > 60:
        return None  # a sentence about a table (本表反映…), not its title
    for rule in KIND_RULES:
        if all(w in title for w in rule.all_of) and not any(w in title for w in rule.none_of):
            return rule.kind
    return None


@dataclass(frozen=True)
class TableHeading:
    kind: str | None
    title: str | None
    label: str | None
    unit: str | None


_LABEL_LINE = re.compile(rf"^(?:{_TABLE_NUMBER})$")
_LEADING_LABEL = re.compile(rf"^(?:{_TABLE_NUMBER})")


def starts_with_table_number(line: str) -> bool:
    """A line led by a table's number (预算11表 …, 表一 …): a heading even when its title is unknown."""
    return bool(_LEADING_LABEL.match(compact(line)))


def read_heading(text_above: str) -> TableHeading:
    """Title, label and unit printed above a table (any of them may be missing)."""
    kind = title = label = None
    for line in text_above.splitlines():
        text = compact(line)
        if not text:
            continue
        if _LABEL_LINE.match(text):
            label = text
            continue
        line_kind = classify_title(text)
        if line_kind:
            kind, title = line_kind, text
            leading = _LEADING_LABEL.match(text)  # 预算01表 收支总表: label and title on one line
            label = label or (leading.group(0) if leading else None)
    return TableHeading(kind=kind, title=title, label=label, unit=find_unit(text_above))
