"""Project performance-target tables (项目支出绩效目标表): projects and their indicators.

A project's name, amount and goal are merged cells spanning many indicator rows
and page breaks; an empty project cell therefore continues the project above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.cells import parse_amount
from extract.rows import ExtractionIssue
from extract.structure import LogicalTable
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
_OPERATORS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", "=": "=", "＝": "=", ">": ">", "<": "<", "定性": "定性"}
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
        return [], [ExtractionIssue(table.page_first, table_index, None, None, "unrecognized_columns",
                                    str(table.header_paths())[:200],
                                    "performance table without project and indicator columns")]
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
            issues.append(ExtractionIssue(row.page, table_index, row_index, columns.get("amount"),
                                          "not_a_number", values.get("amount", ""),
                                          "project amount should be a number"))
        operator, target = _operator_and_value(values.get("operator", ""), values.get("target_value", ""))
        indicators.append(PerformanceIndicator(
            table_index=table_index, row_index=row_index, page=row.page,
            project_name=compact(values["project_name"]), amount_text=amount.text,
            amount_raw=values.get("amount", ""), goal=values.get("goal", ""),
            level1=compact(values.get("level1", "")), level2=compact(values.get("level2", "")),
            indicator=values["indicator"], operator=operator, target_value=target,
            unit=values.get("unit", ""),
        ))
    return indicators, issues


_LEADING_OPERATOR = re.compile(r"^(≥|>=|≤|<=|=|＝|>|<)\s*(.*)$")


def _operator_and_value(operator: str, value: str) -> tuple[str, str]:
    """Normalized operator; an operator printed inside the value cell (≥95) is split out."""
    op = _OPERATORS.get(compact(operator), compact(operator))
    match = _LEADING_OPERATOR.match(compact(value))
    if match and not op:
        return _OPERATORS[match.group(1)], match.group(2)
    return op, normalize(value)
