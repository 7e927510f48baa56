"""Project performance-target tables (项目支出绩效目标表): projects and their indicators.

A project's name, amount and goal are merged cells spanning many indicator rows
and page breaks; an empty project cell therefore continues the project above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.grids.structure import LogicalTable, fill_merged
from extract.issues import ExtractionIssue
from extract.tables.cells import find_unit, parse_amount
from extract.text import compact, normalize

# (key, words one of which the flattened header must contain), first match wins.
_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("indicator", ("三级指标", "指标名称", "绩效指标内容")),
    ("operator", ("性质", "符号", "运算")),
    ("target_value", ("指标值", "目标值")),
    ("unit", ("度量单位", "计量单位", "单位")),
    ("project_name", ("项目名称", "项目")),
    ("amount", ("批复数", "金额", "预算数", "资金", "预算")),
    ("goal", ("绩效目标", "年度目标", "目标")),
)
_OPERATORS = {
    "≥": "≥",
    ">=": "≥",
    "≤": "≤",
    "<=": "≤",
    "=": "=",
    "＝": "=",
    ">": ">",
    "<": "<",
    "定性": "定性",
}
_CARRIED = ("project_name", "amount", "goal", "level1", "level2")
# Header words of the columns printed as merged cells over a project's indicator rows.
MERGED_COLUMN_WORDS = ("项目名称", "批复数", "绩效目标", "一级指标", "二级指标")


@dataclass(frozen=True)
class PerformanceIndicator:
    table_index: int
    row_index: int
    page: int
    project_name: str
    amount_text: str | None
    amount_raw: str
    goal: str
    level1: str
    level2: str
    indicator: str
    operator: str
    target_value: str
    unit: str


def performance_columns(table: LogicalTable) -> dict[str, int]:
    """Column index of each meaning found in the header."""
    found: dict[str, int] = {}
    for col, path in enumerate(table.header_paths()):
        leaf = "/".join(compact(p) for p in path if p)
        for key, words in _COLUMNS:
            if key not in found and any(w in leaf for w in words):
                found[key] = col
                break
    return found


def performance_indicators(
    table: LogicalTable, table_index: int
) -> tuple[list[PerformanceIndicator], list[ExtractionIssue]]:
    columns = performance_columns(table)
    if "indicator" not in columns or "project_name" not in columns:
        if any(_find(fill_merged(part.grid), "项目名称") for part in table.parts):
            return form_indicators(table, table_index)
        return [], [
            ExtractionIssue.of_table(
                table.page_first,
                table_index,
                "unrecognized_columns",
                str(table.header_paths())[:200],
                "performance table without project and indicator columns",
            )
        ]
    indicators: list[PerformanceIndicator] = []
    issues: list[ExtractionIssue] = []
    carried: dict[str, str] = {}
    for row_index, row in enumerate(table.rows):
        values = {key: normalize(row.texts[col]) for key, col in columns.items()}
        if values.get("project_name"):
            carried = {}  # a new project: nothing carries over from the previous one
        for key in _CARRIED:
            if key in columns:
                values[key] = values.get(key) or carried.get(key, "")
                carried[key] = values[key]
        if not values.get("indicator"):
            continue
        amount = parse_amount(values.get("amount", ""))
        if not amount.is_number:
            issues.append(
                ExtractionIssue(
                    row.page,
                    table_index,
                    row_index,
                    columns.get("amount"),
                    "not_a_number",
                    values.get("amount", ""),
                    "project amount should be a number",
                )
            )
        operator, target = _operator_and_value(values.get("operator", ""), values.get("target_value", ""))
        indicators.append(
            PerformanceIndicator(
                table_index=table_index,
                row_index=row_index,
                page=row.page,
                project_name=compact(values["project_name"]),
                amount_text=amount.text,
                amount_raw=values.get("amount", ""),
                goal=values.get("goal", ""),
                level1=compact(values.get("level1", "")),
                level2=compact(values.get("level2", "")),
                indicator=values["indicator"],
                operator=operator,
                target_value=target,
                unit=values.get("unit", ""),
            )
        )
    return indicators, issues


_LEADING_OPERATOR = re.compile(r"^(≥|>=|≤|<=|=|＝|>|<)\s*(.*)$")


def _operator_and_value(operator: str, value: str) -> tuple[str, str]:
    """Normalized operator; an operator printed inside the value cell (≥95) is split out."""
    op = _OPERATORS.get(compact(operator), compact(operator))
    match = _LEADING_OPERATOR.match(compact(value))
    if match and not op:
        return _OPERATORS[match.group(1)], match.group(2)
    return op, normalize(value)


# ---- Form layout: one project per page (财政项目支出绩效目标填报表, Shanghai) -------------------------

_FORM_VALUE = re.compile(r"^(≥|>=|≤|<=|=|＝|>|<)\s*([-\d.,]+)\s*(?:\((.*)\))?$")
_AMOUNT_LABELS = ("年度资金申请总额", "项目资金总额", "资金总额", "预算金额", "项目金额")


def _find(texts: list[list[str]], label: str) -> tuple[int, int] | None:
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            if compact(text).startswith(label):
                return r, c
    return None


def _right_of(row: list[str], col: int, label: str) -> str:
    """The first cell right of a label holding something other than the label itself."""
    for text in row[col + 1 :]:
        if compact(text) and compact(text) != compact(label):
            return text
    return ""


def form_indicators(
    table: LogicalTable, table_index: int
) -> tuple[list[PerformanceIndicator], list[ExtractionIssue]]:
    """Projects printed as forms: label cells (项目名称, 年度资金申请总额, …) and an indicator block."""
    indicators: list[PerformanceIndicator] = []
    issues: list[ExtractionIssue] = []
    data_row = {(r.page, r.source_row): i for i, r in enumerate(table.rows)}
    for part in table.parts:
        texts = fill_merged(part.grid)
        found = _find(texts, "项目名称")
        if found is None:
            continue
        name = compact(_right_of(texts[found[0]], found[1], "项目名称"))
        amount_raw, unit = _form_amount(texts)
        goal = _form_goal(texts)
        header = next((r for r, row in enumerate(texts) if any(compact(t) == "三级指标" for t in row)), None)
        if header is None:
            issues.append(
                ExtractionIssue.of_table(
                    part.page,
                    table_index,
                    "unrecognized_columns",
                    name,
                    "performance form without an indicator block",
                )
            )
            continue
        cols = {compact(t): c for c, t in enumerate(texts[header]) if compact(t)}
        value_col = next((c for t, c in cols.items() if "指标值" in t), None)
        for r in range(header + 1, len(texts)):
            row = texts[r]
            indicator = normalize(row[cols["三级指标"]])
            if not indicator:
                continue
            operator, value, value_unit = _form_value(row[value_col] if value_col is not None else "")
            amount = parse_amount(amount_raw)
            indicators.append(
                PerformanceIndicator(
                    table_index=table_index,
                    row_index=data_row.get((part.page, r), -1),
                    page=part.page,
                    project_name=name,
                    amount_text=amount.text,
                    amount_raw=amount_raw,
                    goal=goal,
                    level1=compact(row[cols.get("一级指标", 0)]),
                    level2=compact(row[cols.get("二级指标", 0)]),
                    indicator=indicator,
                    operator=operator,
                    target_value=value,
                    unit=value_unit,
                )
            )
        if unit and table.unit != unit:
            table.unit = unit  # the form states its own unit in the funding label: 项目资金(元)
    return indicators, issues


def _form_amount(texts: list[list[str]]) -> tuple[str, str | None]:
    unit = None
    for row in texts:
        for text in row:
            if "资金" in text and find_unit("单位:" + text.split("(")[-1].strip(")")):
                unit = find_unit("单位:" + text.split("(")[-1].strip(")"))
    for label in _AMOUNT_LABELS:
        for row in texts:
            for c, text in enumerate(row):
                if label in compact(text):
                    for candidate in row[c + 1 :]:
                        amount = parse_amount(candidate)
                        if amount.is_number and amount.text:
                            return normalize(candidate), unit
    return "", unit


def _form_goal(texts: list[list[str]]) -> str:
    found = _find(texts, "年度总体目标") or _find(texts, "项目总目标")
    if found is None or found[0] + 1 >= len(texts):
        return ""
    return normalize(texts[found[0] + 1][found[1]])


def _form_value(text: str) -> tuple[str, str, str]:
    """`≥13459.00(平方米)` → (≥, 13459.00, 平方米); words stay a qualitative target."""
    match = _FORM_VALUE.match(compact(text))
    if match:
        return _OPERATORS[match.group(1)], match.group(2), match.group(3) or ""
    return "定性", normalize(text), ""
