"""What each column of a table means, from its flattened header (independent of column order)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extract.tables.labels import REVENUE_SOURCES, revenue_source
from extract.text import compact

# Tables by functional classification (支出功能分类科目): their rows' codes are functional codes.
FUNCTIONAL_KINDS = {
    "expenditure",
    "general_budget_expenditure",
    "government_fund_expenditure",
    "state_capital_expenditure",
    "fiscal_appropriation_expenditure",
    "basic_expenditure_functional",
}
# Tables by economic classification (支出经济分类科目): their rows' codes are economic codes.
ECONOMIC_KINDS = {
    "basic_expenditure_economic",
    "fiscal_basic_expenditure",
    "operating_costs",
    "expenditure_economic",
}
# Tables whose rows print classification codes, by either scheme.
CODED_KINDS = FUNCTIONAL_KINDS | ECONOMIC_KINDS
SUMMARY_KINDS = {
    "revenue_expenditure_summary",
    "fiscal_appropriation_summary",
    "government_fund_summary",  # a fund's own revenue and spending sides (政府性基金收支表)
    "state_capital_summary",
}
LABEL_ROLES = {"code", "code_1", "code_2", "code_3", "label"}

# Split codes print 类 | 款 | 项 as one-character headers (or in the first data row).
SPLIT_CODE_LEAVES = {"类": "code_1", "款": "code_2", "项": "code_3"}

# The parts of 基本支出 come first: under a 基本支出 group header (基本支出 / 人员经费) the column is
# the part, not the group.
_PERSONNEL_PUBLIC: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("personnel", ("人员经费",)),
    ("personnel", ("人员支出",)),
    ("personnel", ("人员类",)),
    ("public", ("公用经费",)),
    ("public", ("公用支出",)),  # 日常公用支出
)
_EXPENDITURE_AMOUNTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    *_PERSONNEL_PUBLIC,
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("project", ("专项业务",)),  # 专项业务经费支出 (Xi'an): spending by project
    ("business_operation", ("经营支出",)),
    ("to_superior", ("上缴上级",)),
    ("to_subsidiary", ("附属单位", "补助")),  # not 附属单位上缴收入, a fund source
    ("reserve", ("机动经费",)),
    ("carry_forward", ("结转下年",)),
    ("carry_forward", ("年末结转",)),
    ("carryover", ("年初结转",)),
    ("revenue", ("本年收入",)),
    ("initial_budget", ("年初预算",)),
    ("total", ("本年支出",)),  # a group over 小计 | 基本支出 | 项目支出 (决算)
)
_BASIC_AMOUNTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    *_PERSONNEL_PUBLIC,
    ("initial_budget", ("年初预算",)),
)
_TOTAL_WORDS = ("合计", "小计", "总计", "金额", "决算数", "预算数", "机关运行经费")
_LINE_NUMBER_WORDS = ("行次", "栏次")
_LABEL_WORDS = ("名称", "项目", "预算单位", "单位名称", "科目", "品目", "组织形式")
_FUND_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("general_public_budget", ("一般公共预算",)),
    ("government_fund", ("政府性基金",)),
    ("state_capital", ("国有资本经营",)),
)


@dataclass(frozen=True)
class Column:
    index: int
    role: str  # code | code_1 | code_2 | code_3 | label | amount
    key: str | None  # canonical meaning of an amount column (raw.line_items.column_key)
    group: int = 0  # side-by-side groups of label and amount columns


def _parts(path: list[str]) -> list[str]:
    parts: list[str] = []
    for p in path:
        text = compact(p)
        if text and text != "无" and (not parts or parts[-1] != text):  # 无: an empty table's note
            parts.append(text)
    return parts


def _matches(words: tuple[str, ...], parts: list[str]) -> bool:
    # Joined without separators too: a header word wrapped over two lines (基本支 / 出).
    return any(all(w in path for w in words) for path in ("/".join(parts), "".join(parts)))


def _label_role(parts: list[str]) -> str | None:
    leaf = parts[-1] if parts else ""
    if leaf in SPLIT_CODE_LEAVES:
        return SPLIT_CODE_LEAVES[leaf]
    if "单位" in leaf and ("编码" in leaf or "代码" in leaf):
        return None  # 单位编码: an organisation's code (201, 201001), never a classification code
    if "编码" in leaf or "代码" in leaf:
        return "code"
    if "科目" in leaf:
        return "label"  # 支出功能分类科目(按大类): a classification names rows, whatever its words
    if any(w in leaf for w in _LABEL_WORDS) and not any(w in leaf for w in ("支出", "收入", "经费")):
        return "label"
    if leaf.endswith("名称"):
        return "label"
    return None


def plan_columns(
    kind: str | None, header_paths: list[list[str]], first_row: list[str]
) -> list[Column | None]:
    """Role and key of every column; None for columns with no known meaning."""
    if kind is None:
        return [None] * len(header_paths)
    paths: list[list[str]] = []
    for index, path in enumerate(header_paths):
        parts = _parts(path)
        if index < len(first_row) and compact(first_row[index]) in SPLIT_CODE_LEAVES:
            parts = [*parts, compact(first_row[index])]  # 类 | 款 | 项 printed in the first body row
        paths.append(parts)
    plan = [_column(kind, index, parts) for index, parts in enumerate(paths)]
    if kind == "three_public_costs":
        plan = _year_bases(plan, paths)
        _separate_grand_total(plan, header_paths)
    elif kind not in SUMMARY_KINDS:
        plan = nested_headers(kind, plan, paths)
    grouped = _with_groups(plan)
    return _economic_summary_groups(grouped, paths) if kind in SUMMARY_KINDS else grouped


def _column(kind: str, index: int, parts: list[str]) -> Column | None:
    if not parts or parts[-1] in _LINE_NUMBER_WORDS:
        return None  # 行次: line numbers
    if parts[-1].startswith("其中") and len(parts[-1]) > 3:
        # 其中:基本支出 names a part; an "of which" without a meaning (其中:预留给中小企业的项目资金)
        # is inside its neighbour, never a part of a sum.
        column = _column(kind, index, [*parts[:-1], parts[-1][3:]])
        return column if column is not None and column.role == "amount" else None
    if kind == "three_public_costs":
        key = three_public_key(parts)
        return Column(index, "amount", key) if key else None
    label = _label_role(parts)
    if label:
        return Column(index, label, None)
    if kind in SUMMARY_KINDS:
        return Column(index, "amount", _summary_amount_key(parts))
    if kind == "revenue":
        joined = "".join(parts)  # header words wrap: 上年结 / 转
        if "使用" in joined and "结余" in joined:
            return Column(index, "amount", "surplus_use")  # 使用非财政拨款结余: not an appropriation
        source = revenue_source(joined) or ("carryover" if "结转" in joined else None)
        if source:
            return Column(index, "amount", source)
    rules = (
        _BASIC_AMOUNTS
        if kind in ("basic_expenditure_economic", "fiscal_basic_expenditure")
        else _EXPENDITURE_AMOUNTS
    )
    for key, words in rules:
        if _matches(words, parts):
            return Column(index, "amount", key)
    if any(w in parts[-1] for w in _TOTAL_WORDS) or any(w in "".join(parts) for w in ("合计", "小计")):
        return Column(index, "amount", "total")
    return None


# A total word under a group header (基本支出 / 小计) is that group's total.
_SUBTOTAL_WORDS = ("小计", "合计", "金额")
_REVENUE_GROUP_KEYS = {key for key, _ in REVENUE_SOURCES} | {"carryover", "surplus_use"}


def nested_headers(kind: str, plan: list[Column | None], paths: list[list[str]]) -> list[Column | None]:
    """Read a header tree, not flat words: a group's 小计 is the group's total (基本支出 / 小计 →
    `basic`), never the table's `total` nor one of the group's parts; where the group has no
    meaning of its own (财政拨款 / 小计 in a spending table) the subtotal has none either.
    A group child repeating its group's meaning (上年结转 / 单位资金 beside 上年结转 / 小计) is a
    breakdown the vocabulary cannot name; so is a child repeating another group's meaning
    (上年结转 / 一般公共预算 beside 本年收入 / 一般公共预算)."""
    out = list(plan)
    amounts = {i for i, c in enumerate(plan) if c is not None and c.role == "amount"}
    nested: dict[int, str | None] = {}  # member column → the key of its group's subtotal
    for index, parts in enumerate(paths):
        if len(parts) < 2 or parts[-1] not in _SUBTOTAL_WORDS or plan[index] is None:
            continue
        members = _group_members(paths, index)
        if amounts <= members:
            continue  # the group spans every amount column: its total is the table's
        key = _group_key(kind, index, parts[:-1])
        out[index] = Column(index, "amount", key) if key else None
        nested.update({m: key for m in members if m != index})
    for member, key in nested.items():
        column = out[member]
        if column is None or column.key is None or key is None:
            continue
        repeated = any(c is not None and c.key == column.key for i, c in enumerate(out) if i != member)
        if column.key == key or repeated:
            out[member] = None
    return out


def _group_members(paths: list[list[str]], index: int) -> set[int]:
    """Columns under the same group header as column `index`: the adjacent run sharing its prefix."""
    prefix = paths[index][:-1]

    def under(i: int) -> bool:
        return len(paths[i]) > len(prefix) and paths[i][: len(prefix)] == prefix

    first = last = index
    while first > 0 and under(first - 1):
        first -= 1
    while last + 1 < len(paths) and under(last + 1):
        last += 1
    return set(range(first, last + 1))


def _group_key(kind: str, index: int, prefix: list[str]) -> str | None:
    """What the group header alone means in this kind of table (None: no meaning of its own)."""
    column = _column(kind, index, prefix)
    key = column.key if column is not None and column.role == "amount" else None
    if kind == "revenue" and key not in _REVENUE_GROUP_KEYS:
        return None  # 本年收入 / 小计: a revenue table adds sources; a subtotal of them is none
    return key


def _summary_amount_key(parts: list[str]) -> str:
    path = "/".join(parts)
    group = "revenue" if "收入" in parts[0] and "支出" not in parts[0] else "expenditure"
    if "支出用途" in path:
        group = "expenditure_use"
    for key, words in _FUND_COLUMNS:
        if group == "expenditure" and _matches(words, parts[1:] or parts):
            return f"{group}/{key}"
    if group == "expenditure" and parts[-1] in ("合计", "小计"):
        return f"{group}/total"
    return f"{group}/amount"


def _with_groups(plan: list[Column | None]) -> list[Column | None]:
    """Number side-by-side groups: a label column after an amount column starts a new group."""
    result: list[Column | None] = []
    group, seen_amount = 0, False
    for column in plan:
        if column is None:
            result.append(None)
            continue
        if column.role in LABEL_ROLES and seen_amount:
            group, seen_amount = group + 1, False
        seen_amount = seen_amount or column.role == "amount"
        result.append(Column(column.index, column.role, column.key, group))
    return result


def _economic_summary_groups(plan: list[Column | None], paths: list[list[str]]) -> list[Column | None]:
    """A summary table printing spending side by side by function and by economic class (部门预算
    支出经济科目 | 政府预算支出经济分类科目, Xi'an) gives each economic group a side of its own, so
    that no two columns of a row mean `expenditure/amount`."""
    out = list(plan)
    for group in {c.group for c in plan if c is not None}:
        members = [c for c in plan if c is not None and c.group == group]
        heading = "".join("".join(paths[c.index]) for c in members if c.role in LABEL_ROLES)
        if "经济" not in heading:
            continue
        side = "expenditure_government_economic" if "政府" in heading else "expenditure_economic"
        for c in members:
            if c.key and c.key.startswith("expenditure/"):
                out[c.index] = replace(c, key=side + c.key[len("expenditure") :])
    return out


_FUND_LEAVES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "一般公共预算拨款", "政府性基金")


def three_public_key(parts: list[str]) -> str | None:
    """`basis/category` for a column of a 三公 table (up to three header levels)."""
    if len(parts) > 1 and parts[-1] in _FUND_LEAVES:
        parts = parts[:-1]  # a category split by fund at a third level: the fund is no category
    path = "/".join(parts)
    leaf = parts[-1]
    if leaf in ("预算数", "决算数", "本年预算数", "上年预算数") and len(parts) > 1:
        basis_word, parts = leaf, parts[:-1]  # 决算 tables put the basis under each category
        leaf = parts[-1]
    else:
        basis_word = path
    basis = "prior_budget" if "上年" in basis_word else "current_budget"
    if "决算" in basis_word:
        basis = "final_accounts"
    category = None
    for k in range(1, min(3, len(parts)) + 1):
        # A header word wrapped over lines (因公出 / 国(境)费) is read joined again.
        leaf = "".join(parts[-k:])
        category = _three_public_category(leaf, "/".join(parts))
        if category:
            break
    return f"{basis}/{category}" if category else None


def _three_public_category(leaf: str, path: str) -> str | None:
    if "机关运行" in leaf:
        return "operating_costs"
    if "会议" in leaf:
        return "meeting"
    if "培训" in leaf:
        return "training"
    if "出国" in leaf:
        return "overseas_travel"
    if "接待" in leaf:
        return "reception"
    if "购置" in leaf and "运行" not in leaf:
        return "vehicle_purchase"
    if "运行" in leaf and "购置" not in leaf:
        return "vehicle_operation"
    if "公务用车" in path and (leaf in ("小计", "合计") or "购置及运行" in leaf):
        return "vehicle_total"
    if leaf in ("合计", "小计", "总计") or leaf.endswith("三公”经费") or leaf.endswith('三公"经费'):
        return "total"
    if "三公" in leaf and leaf.endswith(("总额", "合计", "总计")):  # “三公”经费财政拨款预算总额
        return "total"
    return None


_YEAR = re.compile(r"(20\d\d)年")


def _year_bases(plan: list[Column | None], paths: list[list[str]]) -> list[Column | None]:
    """Two years side by side (2025年预算数 | 2026年预算数) are the prior and the current budget,
    told apart by position in the header, not by the words; a 增减 (change) group is no amount."""
    years = [_header_year(parts) for parts in paths]
    latest = max((y for y in years if y), default="")
    out = list(plan)
    for index, column in enumerate(plan):
        if column is None or column.key is None:
            continue
        if any("增减" in part for part in paths[index]):
            out[index] = None
        elif years[index] and years[index] < latest and column.key.startswith("current_budget/"):
            out[index] = replace(column, key=column.key.replace("current_budget/", "prior_budget/", 1))
    return out


def _header_year(parts: list[str]) -> str:
    match = _YEAR.search(parts[0]) if parts else None
    return match.group(1) if match else ""


def _without_fund(path: list[str]) -> list[str]:
    parts = _parts(path)
    return parts[:-1] if len(parts) > 1 and parts[-1] in _FUND_LEAVES else parts


def _separate_grand_total(plan: list[Column | None], header_paths: list[list[str]]) -> None:
    """Where a table adds 会议费/培训费 to 三公, its outer 合计 is the grand total, not the 三公 total."""
    totals = [c for c in plan if c is not None and c.key and c.key.endswith("/total")]
    for column in totals:
        # Another total of the same basis, not the same total split by fund.
        header = _without_fund(header_paths[column.index])
        same_basis = [
            c for c in totals if c.key == column.key and _without_fund(header_paths[c.index]) != header
        ]
        in_group = "三公" in "".join(header_paths[column.index])
        if same_basis and not in_group:
            plan[column.index] = Column(column.index, "amount", column.key.replace("/total", "/grand_total"))
