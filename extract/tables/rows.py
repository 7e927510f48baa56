"""Typed line items from logical tables: one per amount cell, with its row's code, label and meaning."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from extract.grids.structure import LogicalTable
from extract.issues import ExtractionIssue
from extract.tables.cells import join_split_code, parse_amount, split_code_name
from extract.tables.column_parts import settle_parts
from extract.tables.columns import (
    CODED_KINDS,
    ECONOMIC_KINDS,
    FUNCTIONAL_KINDS,
    LABEL_ROLES,
    SUMMARY_KINDS,
    Column,
    plan_columns,
)
from extract.tables.glued import unglued
from extract.tables.labels import (
    FUNCTIONAL_CLASSES,
    economic_classes,
    revenue_source,
    strip_enumeration,
    summary_row_key,
)
from extract.tables.row_shapes import is_column_numbers, row_year_bases
from extract.text import clean_label, compact, normalize

_TOTAL_WORDS = ("合计", "总计")
LINE_ITEM_KINDS = {*CODED_KINDS, *SUMMARY_KINDS, "three_public_costs", "revenue", "government_procurement"}


@dataclass(frozen=True)
class LineItem:
    table_index: int
    row_index: int
    col_index: int
    page: int
    row_role: str  # total | item
    item_code: str | None
    item_name: str
    item_key: str | None
    column_key: str
    amount_text: str | None
    is_blank: bool
    raw_text: str
    # Codes of other schemes printed on the same row, `/`-joined (Beijing's government economic
    # code 50101 beside the department code 30101); None when the row prints one code.
    other_codes: str | None = None


def table_plan(table: LogicalTable) -> list[Column | None]:
    """Column meanings; a column without a header of its own that holds only words is a label."""
    first_row = table.rows[0].texts if table.rows else []
    plan = plan_columns(table.kind, table.header_paths(), first_row)
    for i, column in enumerate(plan):
        if column is not None or not table.rows:
            continue
        texts = [compact(row.texts[i]) for row in table.rows]
        if any(texts) and not any(parse_amount(t).text for t in texts):
            neighbour = next((c for c in plan[:i][::-1] if c is not None), None)
            plan[i] = Column(i, "label", None, neighbour.group if neighbour else 0)
    columns = [[row.texts[i] for row in table.rows] for i in range(len(plan))]
    return _split_code_levels(settle_parts(plan, columns).plan)


_CODE_ROLES = ("code", "code_1", "code_2", "code_3")


def _split_code_levels(plan: list[Column | None]) -> list[Column | None]:
    """Where a group splits its codes over 类 | 款 | 项 columns, its adjacent code columns are those
    levels from left to right. Without vertical rules (three-line tables) a level's header word can
    sit over the neighbouring column, leaving `类 | code | 款` for `208 | 01 | 01`: read by position,
    the row keeps its whole code (30103, not 301)."""
    out = list(plan)
    for group in sorted({c.group for c in plan if c is not None}):
        codes = [c for c in plan if c is not None and c.group == group and c.role in _CODE_ROLES]
        indexes = [c.index for c in codes]
        if (
            not codes
            or all(c.role == "code" for c in codes)
            or len(codes) > 3
            or indexes != list(range(indexes[0], indexes[0] + len(codes)))
        ):
            continue
        for level, column in enumerate(codes, start=1):
            out[column.index] = replace(column, role=f"code_{level}")
    return out


def column_keys(table: LogicalTable) -> list[str | None]:
    """Canonical key (amounts) or role (labels) per column, for inspection."""
    return [(c.key or c.role) if c else None for c in table_plan(table)]


def line_items(table: LogicalTable, table_index: int) -> tuple[list[LineItem], list[ExtractionIssue]]:
    """Line items of every amount cell of a table with known column meanings."""
    if table.kind not in LINE_ITEM_KINDS:
        return [], []
    plan = table_plan(table)
    groups = sorted({c.group for c in plan if c is not None})
    items: list[LineItem] = []
    issues: list[ExtractionIssue] = []
    class_codes = _class_codes(table, plan, groups)
    previous: dict[int, str | None] = {}  # each group's last code: the levels a split code leaves blank
    bases = _row_bases(table, plan)
    for row_index, row in enumerate(table.rows):
        cells = unglued(row, plan)
        if _is_split_code_header(cells, plan) or _is_column_numbers(cells, plan):
            continue  # 类 | 款 | 项 or column numbers printed as a body row: header, not data
        for group in groups:
            columns = [c for c in plan if c is not None and c.group == group]
            code, name, other_codes = _row_codes(columns, cells, table.kind, previous.get(group))
            previous[group] = code or previous.get(group)
            group_side = _side(columns)
            item_code, item_key = _row_meaning(table.kind, code, name, group_side, class_codes)
            unlabelled = not any(
                c.role in LABEL_ROLES for c in columns
            )  # Jiangsu's 支出预算总表: one total row
            role = (
                "total"
                if unlabelled or code is None and any(w in compact(name) for w in _TOTAL_WORDS)
                else "item"
            )
            for column in columns:
                if column.role != "amount" or column.key is None:
                    continue
                column_key = _with_row_basis(column.key, bases[row_index])
                if column_key is None:
                    continue  # 增减变化金额: a change between the years, no amount of its own
                raw = cells[column.index][0]
                amount = parse_amount(raw)
                if not amount.is_number:
                    issues.append(
                        ExtractionIssue(
                            row.page,
                            table_index,
                            row_index,
                            column.index,
                            "not_a_number",
                            row.raw[column.index],
                            f"cell under '{column.key}' should hold an amount but reads {raw!r}",
                        )
                    )
                    continue
                if amount.is_blank and not name and item_code is None and table.kind in SUMMARY_KINDS:
                    continue  # an empty line of a summary table's shorter side
                items.append(
                    LineItem(
                        table_index,
                        row_index,
                        column.index,
                        row.page,
                        role,
                        item_code,
                        name,
                        item_key,
                        column_key,
                        amount.text,
                        amount.is_blank,
                        row.raw[column.index],
                        other_codes,
                    )
                )
    if table.kind in SUMMARY_KINDS:
        items = _grand_totals(items)
    items = _one_line_across_groups(items)
    issues += _uncoded_rows(table, table_index, items)
    return items, issues


def _uncoded_rows(table: LogicalTable, table_index: int, items: list[LineItem]) -> list[ExtractionIssue]:
    """A classification table whose rows print no code (names only, levels shown by indentation):
    one issue saying how many rows the facts cannot place. Only code-carrying rows are facts; a
    functional 类 printed by name gets its code from the name (FUNCTIONAL_CLASSES)."""
    if table.kind not in CODED_KINDS:
        return []
    uncoded = sorted(
        {
            (i.row_index, i.page, i.item_name)
            for i in items
            if i.row_role == "item" and not i.item_code and i.item_name.strip()
        }
    )
    if not uncoded:
        return []
    row_index, page, name = uncoded[0]
    return [
        ExtractionIssue(
            page,
            table_index,
            row_index,
            None,
            "uncoded_rows",
            name,
            f"{len(uncoded)} row(s) print no classification code (first: {name!r}); they stay in "
            "raw.line_items but not in the fact tables, which need a code to place an amount once",
        )
    ]


def _row_bases(table: LogicalTable, plan: list[Column | None]) -> list[str | None]:
    """A 三公 table printing its years as rows: each row's basis (row_shapes.row_year_bases)."""
    if table.kind != "three_public_costs":
        return [None] * len(table.rows)
    labels = [c.index for c in plan if c is not None and c.role in LABEL_ROLES]
    return row_year_bases([" ".join(row.texts[i] for i in labels) for row in table.rows])


def _with_row_basis(key: str, basis: str | None) -> str | None:
    """The column's key with the row's basis in place of the header's default (current_budget)."""
    if basis is None or not key.startswith("current_budget/"):
        return key
    return None if basis == "change" else basis + key[len("current_budget") :]


def _one_line_across_groups(items: list[LineItem]) -> list[LineItem]:
    """A total label merged over side-by-side groups (公用经费合计 spanning two code | name | amount
    groups) is one line: its figure is printed in one group's column, the others' are the same cell's
    blank remainder. Where exactly one holds a figure (or none does) the line keeps one cell."""
    lines: dict[tuple, list[LineItem]] = {}
    for item in items:
        if item.row_role == "total":
            key = (item.row_index, item.item_code, item.item_name, item.column_key)
            lines.setdefault(key, []).append(item)
    dropped: set[tuple[int, int]] = set()
    for cells in lines.values():
        printed = [c for c in cells if c.amount_text]
        if len(cells) > 1 and len(printed) <= 1:
            kept = printed[0] if printed else cells[0]
            dropped |= {(c.row_index, c.col_index) for c in cells if c is not kept}
    return [i for i in items if (i.row_index, i.col_index) not in dropped]


def _grand_totals(items: list[LineItem]) -> list[LineItem]:
    """Where a subtotal (当年收入小计) precedes 收入合计, the latter is the grand total (with carry-over)."""
    result = list(items)
    for key in ("revenue_total", "expenditure_total"):
        rows = sorted({i.row_index for i in items if i.item_key == key})
        if len(rows) > 1:
            grand = key.replace("_total", "_grand_total")
            result = [
                replace(i, item_key=grand) if i.item_key == key and i.row_index == rows[-1] else i
                for i in result
            ]
    return result


def _is_split_code_header(cells: list[tuple[str, str, str]], plan: list[Column | None]) -> bool:
    split = [c for c in plan if c is not None and c.role in ("code_1", "code_2", "code_3")]
    return (
        bool(split)
        and all(compact(cells[c.index][1]) in ("类", "款", "项") for c in split)
        and not any(
            parse_amount(cells[c.index][0]).text for c in plan if c is not None and c.role == "amount"
        )
    )


# A code's first digit names its scheme: functional (2xx), department economic (3xx); the
# government economic scheme (5xx) is the other one printed beside them.
_SCHEME_DIGIT = {**dict.fromkeys(FUNCTIONAL_KINDS, "2"), **dict.fromkeys(ECONOMIC_KINDS, "3")}


def _row_codes(
    columns: list[Column], cells: list[tuple[str, str, str]], kind: str | None, previous: str | None = None
) -> tuple[str | None, str, str | None]:
    """(code, name, other codes): where every label cell is a code-name pair of its own scheme
    (`50101-工资奖金津补贴 | 30101-基本工资`), the code of the table's scheme leads, the rest are kept."""
    labels = [cells[c.index][1] for c in columns if c.role in LABEL_ROLES and compact(cells[c.index][1])]
    pairs = [split_code_name("", label) for label in labels]
    if len(pairs) < 2 or not all(code for code, _ in pairs):
        return (*_row_label(columns, cells, previous), None)
    digit = _SCHEME_DIGIT.get(kind or "")
    lead = next((i for i, (code, _) in enumerate(pairs) if digit and code and code.startswith(digit)), 0)
    others = "/".join(code for i, (code, _) in enumerate(pairs) if i != lead and code)
    return pairs[lead][0], clean_label(pairs[lead][1]), others


def _is_column_numbers(cells: list[tuple[str, str, str]], plan: list[Column | None]) -> bool:
    """The header's last line numbering the columns (栏次 / ** | 1 | 2 | 3): not a data row."""
    labels = {c.index for c in plan if c is not None and c.role in LABEL_ROLES}
    return is_column_numbers([amount for amount, _, _ in cells], labels)


def _row_label(
    columns: list[Column], cells: list[tuple[str, str, str]], previous: str | None = None
) -> tuple[str | None, str]:
    """The row's canonical code and its name within one column group."""
    split = [c for c in columns if c.role in ("code_1", "code_2", "code_3")]
    labels = [cells[c.index][1] for c in columns if c.role == "label" and cells[c.index][1]]
    if not labels:
        # A label merged across groups (当年支出小计 over both spending groups) is printed in the first.
        labels = [cells[c.index][2] for c in columns if c.role == "label" and cells[c.index][2]]
    name = "/".join(dict.fromkeys(clean_label(text) for text in labels))
    if split:
        parts = [cells[c.index][1] for c in split]
        if all(compact(p) in ("类", "款", "项") for p in parts):
            parts = [""] * len(parts)
        code = join_split_code(parts, previous)
        if not name:
            name = next((normalize(p) for p in parts if p and not compact(p).isdigit()), "")
        return code, name
    code_columns = [c for c in columns if c.role == "code"]
    if code_columns:
        return split_code_name(cells[code_columns[0].index][1], name)
    if name:
        return split_code_name("", name)
    return None, ""


def _side(columns: list[Column]) -> str:
    keys = [c.key for c in columns if c.role == "amount" and c.key]
    return keys[0].split("/")[0] if keys and "/" in keys[0] else ""


def _class_codes(table: LogicalTable, plan: list[Column | None], groups: list[int]) -> Mapping[str, str]:
    """类 name → code for the classification a table's rows belong to (empty for other tables).

    Names-only tables: a 类 is known by its national name; the levels below are not (their names
    repeat across 类 and change by year), so those rows stay uncoded.
    """
    if table.kind in FUNCTIONAL_KINDS:
        return FUNCTIONAL_CLASSES
    if table.kind in ECONOMIC_KINDS:
        labels = []
        for row in table.rows:
            cells = unglued(row, plan)
            for group in groups:
                labels.append(_row_label([c for c in plan if c is not None and c.group == group], cells)[1])
        return economic_classes(labels)
    return {}


def _row_meaning(
    kind: str | None, code: str | None, name: str, side: str, class_codes: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """(item_code, item_key): a summary or revenue label's meaning; coded rows keep their code; a
    classification row printed without a code has the code of the 类 it names, if it names one."""
    if code is not None:
        return code, None
    if class_codes:
        return class_codes.get(strip_enumeration(name)), None
    if kind in SUMMARY_KINDS:
        code, key = summary_row_key(name, "revenue" if side == "revenue" else "expenditure")
        if "economic" in side and key == "functional_class":
            return None, None  # 其他支出 on a side by economic class is no functional 类
        return code, key
    if kind == "revenue":
        head = name.split("/")[0]
        if compact(head) in ("合计", "收入总计", "总计", "本年收入合计"):
            return None, "revenue_total"
        sub = name.split("/")[-1] if "/" in name else ""
        if sub and compact(sub) not in ("小计", "合计"):
            return None, None  # a detail line under a source (Jiangsu's vertical revenue table)
        return None, revenue_source(head) or ("carryover" if "结转" in head else None)
    return None, None
