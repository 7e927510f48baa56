"""Synthetic department-budget PDFs with exact, known contents, for extraction tests and benchmarks.

A seed gives a `Budget`: one department's tables with every identity holding
exactly (parent code = Σ children, 合计 = Σ parts, the 收支总表 balances, table 5's
basic spending = table 6's total, 三公 reception = 30217). A `Layout` says how it
is drawn: which tables, the rules, page size and rotation, how codes and numbers
are printed, and the quirks real documents have (wrapped names, tables broken
across pages, an amount glued to the next cell's label, empty tables with a note,
unreadable cells). `generate()` writes the PDF and returns what was drawn — every
amount in 元 as a `Decimal`, and the page each line was printed on — so a test can
compare an extraction cell by cell.

Drawing works in "display" coordinates (as a reader sees the page); a page with
/Rotate 90 gets a transform so that it still reads upright.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import accumulate, zip_longest
from pathlib import Path
from typing import Literal

from reportlab.lib.pagesizes import A3, A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # Debian fonts-wqy-microhei
FONT = "WQY"

Unit = Literal["元", "千元", "万元", "亿元"]
Rules = Literal["lines", "rects", "both", "three_line"]
CodeLayout = Literal["joined", "split", "glued", "names_only"]
LabelStyle = Literal["部门公开表N", "公开表一", "公开01表", "表一", "一、"]
UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(10**8),
}

# The standard template's numbers (they also number the labels: 部门公开表3 is always 支出总表).
TABLE_NUMBERS: dict[str, int] = {
    "revenue_expenditure_summary": 1,
    "revenue": 2,
    "expenditure": 3,
    "general_budget_expenditure": 5,
    "basic_expenditure_economic": 6,
    "three_public_costs": 7,
    "government_fund_expenditure": 8,
}
STANDARD_TABLES: tuple[str, ...] = (
    "revenue_expenditure_summary",
    "revenue",
    "expenditure",
    "general_budget_expenditure",
    "basic_expenditure_economic",
    "three_public_costs",
)
CODED_KINDS = frozenset(
    {"expenditure", "general_budget_expenditure", "basic_expenditure_economic", "government_fund_expenditure"}
)
TITLES: dict[str, tuple[str, ...]] = {
    "revenue_expenditure_summary": (
        "收支总表",
        "部门收支总表",
        "{year}年收支预算总表",
        "部门财务收支预算总表",
    ),
    "revenue": ("收入总表", "部门收入总表", "{year}年收入预算总表", "部门收入预算总表"),
    "expenditure": ("支出总表", "部门支出总表", "{year}年支出预算总表", "部门支出预算总表"),
    "general_budget_expenditure": (
        "一般公共预算支出表",
        "部门一般公共预算支出表",
        "{year}年一般公共预算支出预算表",
        "部门一般公共预算支出功能分类预算表",
    ),
    "basic_expenditure_economic": (
        "一般公共预算基本支出表",
        "部门一般公共预算基本支出表",
        "{year}年一般公共预算基本支出预算表",
        "部门一般公共预算基本支出部门预算经济分类预算表",
    ),
    "three_public_costs": (
        "一般公共预算“三公”经费支出表",
        "部门“三公”经费支出表",
        "{year}年“三公”经费支出预算表",
        "部门一般公共预算“三公”经费支出预算表",
    ),
    "government_fund_expenditure": (
        "政府性基金预算支出表",
        "部门政府性基金预算支出表",
        "{year}年政府性基金预算支出预算表",
        "部门政府性基金预算支出功能分类预算表",
    ),
}
# Amount columns of each table, in printed order (raw_contract column keys).
THREE_PUBLIC_CATEGORIES = (
    "total",
    "overseas_travel",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "revenue_expenditure_summary": ("revenue/amount", "expenditure/amount"),
    "revenue": ("total", "carryover", "general_budget", "government_fund", "business", "other"),
    "expenditure": ("total", "basic", "project", "business_operation"),
    "general_budget_expenditure": ("total", "basic", "project"),
    "basic_expenditure_economic": ("total", "personnel", "public"),
    "three_public_costs": tuple(
        f"{basis}/{category}"
        for basis in ("prior_budget", "current_budget")
        for category in THREE_PUBLIC_CATEGORIES
    ),
    "government_fund_expenditure": ("total", "basic", "project"),
}

# ---------------------------------------------------------------------------------------------------------
# Classification catalogs (names of the national lists, 2019 onwards)

FUNCTIONAL_CLASSES: dict[str, str] = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
}
FUNCTIONAL_TREE: dict[str, dict[str, dict[str, str]]] = {
    "201": {
        "20101 人大事务": {"2010101": "行政运行", "2010102": "一般行政管理事务", "2010104": "人大会议"},
        "20103 政府办公厅（室）及相关机构事务": {
            "2010301": "行政运行",
            "2010302": "一般行政管理事务",
            "2010350": "事业运行",
        },
        "20106 财政事务": {"2010601": "行政运行", "2010607": "信息化建设", "2010699": "其他财政事务支出"},
    },
    "204": {
        "20402 公安": {"2040201": "行政运行", "2040219": "信息化建设", "2040220": "执法办案"},
        "20406 司法": {"2040601": "行政运行", "2040604": "基层司法业务", "2040610": "社区矫正"},
    },
    "205": {
        "20502 普通教育": {"2050201": "学前教育", "2050202": "小学教育", "2050203": "初中教育"},
        "20508 进修及培训": {"2050803": "培训支出"},
    },
    "207": {"20701 文化和旅游": {"2070101": "行政运行", "2070109": "群众文化"}},
    "208": {
        "20801 人力资源和社会保障管理事务": {
            "2080101": "行政运行",
            "2080104": "综合业务管理",
            "2080109": "社会保险经办机构",
        },
        "20805 行政事业单位养老支出": {
            "2080505": "机关事业单位基本养老保险缴费支出",
            "2080506": "机关事业单位职业年金缴费支出",
            "2080599": "其他行政事业单位养老支出",
        },
        "20808 抚恤": {"2080801": "死亡抚恤"},
    },
    "210": {
        "21011 行政事业单位医疗": {
            "2101101": "行政单位医疗",
            "2101102": "事业单位医疗",
            "2101103": "公务员医疗补助",
        }
    },
    "212": {"21201 城乡社区管理事务": {"2120101": "行政运行", "2120104": "城管执法"}},
    "213": {"21301 农业农村": {"2130101": "行政运行", "2130104": "事业运行"}},
    "221": {"22102 住房改革支出": {"2210201": "住房公积金", "2210202": "提租补贴", "2210203": "购房补贴"}},
}
# Every department pays pensions (20805), health insurance (21011) and housing (22102).
COMMON_BRANCHES = ("20805", "21011", "22102")
ECONOMIC_TREE: dict[str, tuple[str, dict[str, str]]] = {
    "301": (
        "工资福利支出",
        {
            "30101": "基本工资",
            "30102": "津贴补贴",
            "30103": "奖金",
            "30107": "绩效工资",
            "30108": "机关事业单位基本养老保险缴费",
            "30109": "职业年金缴费",
            "30110": "职工基本医疗保险缴费",
            "30112": "其他社会保障缴费",
            "30113": "住房公积金",
            "30199": "其他工资福利支出",
        },
    ),
    "302": (
        "商品和服务支出",
        {
            "30201": "办公费",
            "30202": "印刷费",
            "30205": "水费",
            "30206": "电费",
            "30211": "差旅费",
            "30215": "会议费",
            "30216": "培训费",
            "30217": "公务接待费",
            "30228": "工会经费",
            "30231": "公务用车运行维护费",
            "30239": "其他交通费用",
            "30299": "其他商品和服务支出",
        },
    ),
    "303": ("对个人和家庭的补助", {"30302": "退休费", "30305": "生活补助", "30307": "医疗费补助"}),
}
PERSONNEL_CLASSES = ("301", "303")  # 人员经费; 302 is 公用经费
# (department, 款 of its own business)
DEPARTMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("海东市人力资源和社会保障局", ("20801",)),
    ("上海市普陀区司法局", ("20406",)),
    ("高邮市教育局", ("20502", "20508")),
    ("苏州市财政局", ("20106",)),
    ("南京市人民代表大会常务委员会办公厅", ("20101",)),
    ("无锡市文化广电和旅游局", ("20701",)),
    ("杭州市西湖区城市管理局", ("21201",)),
    ("成都市农业农村局", ("21301",)),
    ("青岛市公安局", ("20402",)),
    ("上海市普陀区人民政府万里街道办事处", ("20103", "21201")),
)
SUMMARY_SOURCES: tuple[tuple[str, str], ...] = (
    ("general_budget", "一般公共预算拨款收入"),
    ("government_fund", "政府性基金预算拨款收入"),
    ("state_capital", "国有资本经营预算拨款收入"),
    ("business", "事业收入"),
    ("other", "其他收入"),
)
CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 31 → 三十一 (enumerations and labels)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (
        ("" if tens == 1 else CHINESE_NUMERALS[tens - 1])
        + "十"
        + (CHINESE_NUMERALS[ones - 1] if ones else "")
    )


# ---------------------------------------------------------------------------------------------------------
# The data: a budget whose identities hold exactly


@dataclass(frozen=True)
class Line:
    """One printed line of a table: amounts in 元 per column key (zero where the cell is blank)."""

    code: str | None  # canonical classification code (joined: 2080101), None for labelled lines
    name: str  # name or label as printed, without enumeration or indentation
    amounts: Mapping[str, Decimal]
    key: str | None = None  # raw_contract item_key of summary and revenue lines
    level: int = 0  # 0 total / label line, 1 类, 2 款, 3 项

    @property
    def row_id(self) -> str:
        """How tests address the line: its code, else its item key, else its name."""
        return self.code or self.key or self.name


@dataclass(frozen=True)
class Budget:
    seed: int
    department: str
    year: int
    step: Decimal  # every amount is a multiple of this (in 元), so it prints exactly in every unit used
    revenue_sources: tuple[Line, ...]  # 收支总表, left side
    functional_classes: tuple[Line, ...]  # 收支总表, right side (the 类 of 支出总表)
    # (本年收入合计, 本年支出合计), (上年结转, 结转下年), (收入总计, 支出总计)
    summary_totals: tuple[tuple[Line, Line], ...]
    revenue: tuple[Line, ...]
    expenditure: tuple[Line, ...]
    general_budget: tuple[Line, ...]
    basic_economic: tuple[Line, ...]
    three_public: tuple[Line, ...]
    government_fund: tuple[Line, ...]  # the empty table: its 合计 line, all zero

    def lines(self, kind: str) -> tuple[Line, ...]:
        if kind == "revenue_expenditure_summary":
            totals = tuple(line for pair in self.summary_totals for line in pair)
            return self.revenue_sources + self.functional_classes + totals
        return {
            "revenue": self.revenue,
            "expenditure": self.expenditure,
            "general_budget_expenditure": self.general_budget,
            "basic_expenditure_economic": self.basic_economic,
            "three_public_costs": self.three_public,
            "government_fund_expenditure": self.government_fund,
        }[kind]


def make_budget(seed: int, step: Decimal = Decimal(100), negative_line: bool = False) -> Budget:
    """A department's budget from a seed. `step` (元) is the finest amount the coarsest printed unit shows."""
    rng = random.Random(seed)
    department, own = rng.choice(DEPARTMENTS)
    year = rng.randint(2018, 2026)
    top = max(5, int(Decimal(5_000_000) / step))  # a 项 is at most ~500万元 (in steps)

    def amount(zero_chance: float = 0.0) -> Decimal:
        return Decimal(0) if rng.random() < zero_chance else step * rng.randint(1, top)

    # 项 of table 5: basic and project spending (a 项 with neither is not printed).
    branches = sorted({*own, *COMMON_BRANCHES})
    leaves: dict[str, tuple[str, Decimal, Decimal]] = {}  # code → (name, basic, project)
    for branch in branches:
        items = _branch_items(branch)
        for code in sorted(rng.sample(sorted(items), rng.randint(1, len(items)))):
            basic, project = amount(0.3), amount(0.6)
            if basic == project == 0:
                basic = amount()
            leaves[code] = (items[code], basic, project)
    if sum(b for _, b, _ in leaves.values()) < 20 * step:  # enough to spread over table 6's 款
        code = min(leaves)
        name, basic, project = leaves[code]
        leaves[code] = (name, basic + 20 * step, project)
    if negative_line:  # an adjustment printed as a negative project amount
        code = rng.choice(sorted(leaves))
        name, basic, _ = leaves[code]
        leaves[code] = (name, basic, -step * rng.randint(1, max(1, int(basic / step))))  # at most the basic
    general = _functional_lines({c: {"basic": b, "project": p} for c, (_, b, p) in leaves.items()}, leaves)

    # 支出总表 = table 5 plus project spending paid from carry-over and 事业收入.
    extra = {c: amount(0.6) for c in leaves}
    every = {
        c: {"basic": b, "project": p + extra[c], "business_operation": Decimal(0)}
        for c, (_, b, p) in leaves.items()
    }
    expenditure = _functional_lines(every, leaves)

    basic_total = general[0].amounts["basic"]
    basic_economic = _economic_lines(rng, basic_total, step)
    by_code = {line.code: line.amounts["total"] for line in basic_economic}
    three_public = (_three_public(rng, amount, by_code["30217"], by_code["30231"]),)

    # 收支总表 and 收入总表: the extra spending is funded by carry-over (上年结转) and 事业收入.
    general_total = general[0].amounts["total"]
    extra_total = sum(extra.values(), Decimal(0))
    carryover = step * rng.randint(0, int(extra_total / step))
    business = extra_total - carryover
    grand = general_total + extra_total
    source_amounts = {"general_budget": general_total, "business": business}
    sources = tuple(
        Line(None, name, {"revenue/amount": source_amounts.get(key, Decimal(0))}, key)
        for key, name in SUMMARY_SOURCES
    )
    classes = tuple(
        Line(line.code, line.name, {"expenditure/amount": line.amounts["total"]}, "functional_class", 1)
        for line in expenditure
        if line.level == 1
    )
    in_total = general_total + business

    def side(name: str, key: str, value: Decimal, column: str) -> Line:
        return Line(None, name, {column: value}, key)

    totals = (
        (
            side("本年收入合计", "revenue_total", in_total, "revenue/amount"),
            side("本年支出合计", "expenditure_total", grand, "expenditure/amount"),
        ),
        (
            side("上年结转", "carryover", carryover, "revenue/amount"),
            side("结转下年", "carry_forward", Decimal(0), "expenditure/amount"),
        ),
        (
            side("收入总计", "revenue_grand_total", grand, "revenue/amount"),
            side("支出总计", "expenditure_grand_total", grand, "expenditure/amount"),
        ),
    )
    revenue_row = {
        "total": grand,
        "carryover": carryover,
        "general_budget": general_total,
        "government_fund": Decimal(0),
        "business": business,
        "other": Decimal(0),
    }
    revenue = (
        Line(None, "合计", revenue_row, "revenue_total"),
        Line(None, department, revenue_row, "unit_subtotal"),  # its units below add up to it
        Line(None, f"{department}(本级)", revenue_row),
    )
    zeros = dict.fromkeys(COLUMNS["government_fund_expenditure"], Decimal(0))
    return Budget(
        seed=seed,
        department=department,
        year=year,
        step=step,
        revenue_sources=sources,
        functional_classes=classes,
        summary_totals=totals,
        revenue=revenue,
        expenditure=expenditure,
        general_budget=general,
        basic_economic=basic_economic,
        three_public=three_public,
        government_fund=(Line(None, "合计", zeros),),
    )


def _branch_items(branch: str) -> dict[str, str]:
    for kuan in FUNCTIONAL_TREE[branch[:3]].values():
        if next(iter(kuan))[:5] == branch:
            return kuan
    raise KeyError(branch)


def _branch_name(branch: str) -> str:
    return next(k.split(" ", 1)[1] for k in FUNCTIONAL_TREE[branch[:3]] if k.startswith(branch))


def _summed(parts: Iterable[Mapping[str, Decimal]], keys: Iterable[str]) -> dict[str, Decimal]:
    parts = list(parts)
    return {key: sum((p[key] for p in parts), Decimal(0)) for key in keys}


def _functional_lines(
    amounts: Mapping[str, Mapping[str, Decimal]], leaves: Mapping[str, tuple[str, Decimal, Decimal]]
) -> tuple[Line, ...]:
    """合计, then 类 / 款 / 项 in code order; every parent the exact sum of its children, total = Σ parts."""
    parts = list(next(iter(amounts.values())))
    keys = ["total", *parts]
    full = {c: {"total": sum(a.values(), Decimal(0)), **a} for c, a in amounts.items()}
    lines: list[Line] = []
    for cls in sorted({c[:3] for c in full}):
        in_class = {c: a for c, a in full.items() if c.startswith(cls)}
        lines.append(Line(cls, FUNCTIONAL_CLASSES[cls], _summed(in_class.values(), keys), level=1))
        for branch in sorted({c[:5] for c in in_class}):
            in_branch = {c: a for c, a in in_class.items() if c.startswith(branch)}
            lines.append(Line(branch, _branch_name(branch), _summed(in_branch.values(), keys), level=2))
            lines.extend(Line(c, leaves[c][0], a, level=3) for c, a in sorted(in_branch.items()))
    total = _summed((line.amounts for line in lines if line.level == 1), keys)
    return (Line(None, "合计", total), *lines)


def _partition(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` split into `parts` positive integers (fewer parts when the total is too small)."""
    parts = max(1, min(parts, total))
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _economic_lines(rng: random.Random, basic_total: Decimal, step: Decimal) -> tuple[Line, ...]:
    """Table 6: the basic spending split over economic 款; 301/303 are 人员经费, 302 公用经费."""
    chosen: list[tuple[str, str]] = []
    for cls, (_, items) in ECONOMIC_TREE.items():
        must = {"30217", "30231"} if cls == "302" else set()  # linked to the 三公 table
        picked = set(rng.sample(sorted(items), rng.randint(1, min(5, len(items))))) | must
        chosen.extend((code, items[code]) for code in sorted(picked))
    shares = _partition(rng, int(basic_total / step), len(chosen))
    rng.shuffle(shares)
    values = {code: step * share for (code, _), share in zip(chosen, shares, strict=False)}
    keys = COLUMNS["basic_expenditure_economic"]
    lines: list[Line] = []
    for cls, (cls_name, items) in ECONOMIC_TREE.items():
        column = "personnel" if cls in PERSONNEL_CLASSES else "public"
        other = "public" if column == "personnel" else "personnel"
        kuan = [
            Line(code, items[code], {"total": values[code], column: values[code], other: Decimal(0)}, level=2)
            for code, _ in chosen
            if code.startswith(cls) and code in values
        ]
        if kuan:
            lines.append(Line(cls, cls_name, _summed((k.amounts for k in kuan), keys), level=1))
            lines.extend(kuan)
    total = _summed((line.amounts for line in lines if line.level == 1), keys)
    return (Line(None, "合计", total), *lines)


def _three_public(
    rng: random.Random, amount: Callable[..., Decimal], reception: Decimal, vehicle_operation: Decimal
) -> Line:
    """Last year's and this year's 三公; this year's reception and car running costs match table 6."""
    values: dict[str, Decimal] = {}
    for basis in ("prior_budget", "current_budget"):
        overseas, purchase = amount(0.6), amount(0.7)
        operation, hosting = (
            (vehicle_operation, reception) if basis == "current_budget" else (amount(), amount())
        )
        values |= {
            f"{basis}/overseas_travel": overseas,
            f"{basis}/vehicle_purchase": purchase,
            f"{basis}/vehicle_operation": operation,
            f"{basis}/vehicle_total": purchase + operation,
            f"{basis}/reception": hosting,
            f"{basis}/total": overseas + purchase + operation + hosting,
        }
    return Line(None, "", values)


# ---------------------------------------------------------------------------------------------------------
# How it is drawn


@dataclass(frozen=True)
class NumberStyle:
    thousands: bool = True  # 7,177,800.00 / 7177800.00
    decimals: int = 2  # 0: whole-yuan integers (164,978,640)
    zero: Literal["", "0", "0.00", "-", "—"] = ""  # how a zero amount is printed
    negative: Literal["minus", "parens"] = "minus"  # -12.50 / (12.50)
    full_width: bool = False  # １２．５０


@dataclass(frozen=True)
class PageSplit:
    """Where a table breaks onto the next page (on top of natural breaks when a page is full)."""

    kind: str
    rows_before: int  # body rows printed before the break; negative counts from the end (-1: last row alone)
    repeat_header: bool = True
    # The row before the break prints its name's first half there, the rest on the next page.
    break_label: bool = False


@dataclass(frozen=True, kw_only=True)
class Layout:
    """How (and with which real-world quirks) a budget is drawn."""

    tables: tuple[str, ...] = STANDARD_TABLES
    narrative: bool = True  # a prose page between the cover and the tables
    # Lines; thin filled rectangles; both (Excel draws each rule twice); three-line (no vertical rules).
    rules: Rules = "lines"
    page_size: Literal["A4", "A3"] = "A4"  # of the table pages (the cover is always A4 portrait)
    landscape: bool = False
    rotate: Literal[0, 90] = 0  # /Rotate of the table pages; the content is drawn so that it displays upright
    code_layout: CodeLayout = "joined"  # 2080101 | 行政运行; 208 | 01 | 01; 2080101行政运行; 　　行政运行
    number_style: NumberStyle = NumberStyle()
    unit: Unit = "万元"
    units: Mapping[str, Unit] = field(default_factory=dict)  # per table kind (Shanghai: 元, 三公 in 万元)
    colon: Literal["：", ":"] = "："
    unit_prefix: Literal["单位", "金额单位"] = "单位"
    label_style: LabelStyle | None = "部门公开表N"
    title_variant: int = 0  # index into TITLES[kind]
    all_functional_classes: bool = False  # 收支总表 lists every 类, not only those with spending
    total_row: Literal["top", "bottom"] = "top"  # where coded tables print their 合计 line
    wrap_long_names: bool = False  # names in a narrow column, wrapped over two lines
    split_across_pages: PageSplit | None = None
    tail_on_next_table_page: bool = False  # the split table's last rows sit above the next table, same page
    glue_amount_to_next_label: bool = False  # 收支总表: revenue amount drawn flush against the spending label
    empty_table_with_note: Literal["below", "inside"] | None = None  # adds an empty 政府性基金 table
    negative_line: bool = False  # one 项 with a negative project amount
    bad_amounts: tuple[str, ...] = ()  # texts drawn instead of figures in the first coded table (typos)

    def unit_of(self, kind: str) -> Unit:
        return self.units.get(kind, self.unit)

    def drawn_tables(self) -> tuple[str, ...]:
        extra = ("government_fund_expenditure",) if self.empty_table_with_note else ()
        return tuple(dict.fromkeys([*self.tables, *extra]))

    def step(self) -> Decimal:
        """The finest amount (元) that every printed unit shows exactly; at least 100 元 (0.01 万元)."""
        places = Decimal(10) ** -self.number_style.decimals
        return max([Decimal(100), *(UNIT_FACTORS[self.unit_of(k)] * places for k in self.drawn_tables())])


@dataclass(frozen=True)
class BadCell:
    kind: str
    row_id: str
    column: str
    text: str
    page: int


@dataclass(frozen=True)
class DrawnTable:
    kind: str
    label: str | None
    title: str
    unit: Unit
    pages: tuple[int, ...]
    lines: tuple[Line, ...]  # in printed order (summary: left side before right side per row)
    line_pages: tuple[int, ...]  # page each line was printed on


@dataclass(frozen=True)
class SyntheticDocument:
    path: Path
    budget: Budget
    layout: Layout
    tables: tuple[DrawnTable, ...]
    pages: int
    bad_cells: tuple[BadCell, ...]

    def table(self, kind: str) -> DrawnTable:
        return next(t for t in self.tables if t.kind == kind)

    def amounts(self, kinds: Iterable[str] | None = None) -> dict[tuple[str, str, str], Decimal]:
        """(table kind, row id, column key) → amount in 元 of every amount cell drawn (blank: zero)."""
        wanted = set(kinds) if kinds is not None else {t.kind for t in self.tables}
        bad = {(b.kind, b.row_id, b.column) for b in self.bad_cells}
        return {
            (table.kind, line.row_id, column): value
            for table in self.tables
            if table.kind in wanted
            for line in table.lines
            for column, value in line.amounts.items()
            if (table.kind, line.row_id, column) not in bad
        }


_FULL_WIDTH = str.maketrans("0123456789.,-()", "０１２３４５６７８９．，－（）")


def format_amount(value: Decimal, unit: str, style: NumberStyle) -> str:
    """An amount in 元 as printed in `unit`; raises if the unit cannot show it exactly."""
    if value == 0:
        text = style.zero
    else:
        scaled = value / UNIT_FACTORS[unit]
        printed = scaled.quantize(Decimal(10) ** -style.decimals)
        if printed != scaled:
            raise ValueError(f"{value} 元 does not print exactly in {unit} with {style.decimals} decimals")
        body = format(abs(printed), f"{',' if style.thousands else ''}.{style.decimals}f")
        text = body if printed > 0 else f"({body})" if style.negative == "parens" else f"-{body}"
    return text.translate(_FULL_WIDTH) if style.full_width else text


def generate(path: Path, seed: int = 0, layout: Layout | None = None, **options: object) -> SyntheticDocument:
    """Write one synthetic budget PDF to `path`; options override fields of `layout` (see Layout)."""
    layout = replace(layout or Layout(), **options)  # type: ignore[arg-type]
    budget = make_budget(seed, layout.step(), layout.negative_line)
    return _Renderer(path, budget, layout).render()


def random_layout(seed: int) -> Layout:
    """A plausible mix of layout features (for benchmarks over many documents)."""
    rng = random.Random(seed)
    unit: Unit = rng.choice(["万元", "万元", "元"])
    style = NumberStyle(
        thousands=unit == "元" or rng.random() < 0.3,
        zero=rng.choice(["", "", "0.00", "-", "0"]),
        negative=rng.choice(["minus", "parens"]),
    )
    rules: Rules = rng.choice(["lines", "lines", "rects", "both", "three_line"])
    split = None
    if rules != "three_line" and rng.random() < 0.4:
        split = PageSplit(
            rng.choice(["expenditure", "general_budget_expenditure", "basic_expenditure_economic"]),
            rows_before=rng.choice([3, 5, -1, -2]),
            repeat_header=rng.random() < 0.5,
        )
    return Layout(
        rules=rules,
        page_size=rng.choice(["A4", "A4", "A3"]),
        landscape=rng.random() < 0.3,
        rotate=rng.choice([0, 0, 0, 90]),
        code_layout=rng.choice(["joined", "joined", "split", "glued", "names_only"]),
        number_style=style,
        unit=unit,
        units={"three_public_costs": "万元"} if unit == "元" and rng.random() < 0.5 else {},
        colon=rng.choice(["：", ":"]),
        label_style=rng.choice(["部门公开表N", "公开表一", "公开01表", "表一", "一、", None]),
        title_variant=rng.randrange(4),
        wrap_long_names=rng.random() < 0.2,
        split_across_pages=split,
        glue_amount_to_next_label=rng.random() < 0.2,
        empty_table_with_note=rng.choice([None, None, "below", "inside"]),
    )


# ---------------------------------------------------------------------------------------------------------
# Rendering

_BASE_FONT = 9.0  # body and header font size before a wide table is scaled down to the page width
_PAD_X, _PAD_Y = 6.0, 4.0  # amount/label padding keeps neighbours >10pt apart: pdfminer joins closer text
_MARGIN = 45.0
_EXCEL_RULE = 0.5  # rule thickness


def register_font() -> None:
    """Register the CJK font once per process (raises FileNotFoundError when it is not installed)."""
    if not font_available():
        raise FileNotFoundError(f"CJK font {FONT_PATH} not installed (apt-get install fonts-wqy-microhei)")
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH), subfontIndex=0))


def font_available() -> bool:
    return FONT_PATH.is_file()


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Character-level wrapping (CJK has no word breaks; header words wrap per character)."""
    lines, current = [], ""
    for char in text:
        if current and _width(current + char, size) > width + 0.01:  # 0.01: widths scaled to fit
            lines.append(current)
            current = char
        else:
            current += char
    return [*lines, current] if current or not lines else lines


@dataclass(frozen=True)
class _H:
    """A header node: a leaf names a column, a node with children spans them."""

    text: str
    children: tuple[_H, ...] = ()


def _h(text: str, *children: _H | str) -> _H:
    return _H(text, tuple(c if isinstance(c, _H) else _H(c) for c in children))


@dataclass(frozen=True)
class _HeaderCell:
    text: str
    row: int
    col: int
    rowspan: int
    colspan: int


def _place_header(nodes: Sequence[_H]) -> tuple[list[_HeaderCell], int]:
    """Header cells with their spans; a leaf reaches down to the last header row."""

    def depth(node: _H) -> int:
        return 1 + max((depth(c) for c in node.children), default=0)

    rows = max(depth(n) for n in nodes)
    placed: list[_HeaderCell] = []

    def walk(node: _H, row: int, col: int) -> int:
        if not node.children:
            placed.append(_HeaderCell(node.text, row, col, rows - row, 1))
            return 1
        width = 0
        for child in node.children:
            width += walk(child, row + 1, col + width)
        placed.append(_HeaderCell(node.text, row, col, 1, width))
        return width

    col = 0
    for node in nodes:
        col += walk(node, 0, col)
    return placed, rows


@dataclass
class _Cell:
    col: int
    text: str
    align: Literal["left", "right", "center"] = "left"
    span: int = 1
    indent: int = 0  # levels of indentation (names)
    glue: bool = False  # an amount drawn across its right border, flush against the next cell's text
    tight: bool = False  # a label drawn close to its left border (the other half of a glued pair)
    lines: list[str] = field(default_factory=list)  # filled in when widths are known


@dataclass
class _Row:
    cells: list[_Cell]
    lines: tuple[Line, ...]  # the truth printed on this row (none for a label fragment or a note)
    height: float = 0.0


@dataclass
class _TableSpec:
    kind: str
    label: str | None
    title: str
    unit: Unit
    header: list[_HeaderCell]
    header_rows: int
    n_cols: int
    name_col: int | None
    rows: list[_Row]
    note: str | None = None


class _Renderer:
    def __init__(self, path: Path, budget: Budget, layout: Layout) -> None:
        register_font()
        self.path, self.budget, self.layout = path, budget, layout
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1)  # invariant: same bytes for the same input
        self.canvas.setTitle(f"{budget.department}{budget.year}年部门预算")
        self.page = 0
        self.size = A4
        self.y = 0.0

    # -- pages ------------------------------------------------------------------------------------------

    def _table_page_size(self) -> tuple[float, float]:
        width, height = A3 if self.layout.page_size == "A3" else A4
        return (height, width) if self.layout.landscape else (width, height)

    def _begin_page(self, size: tuple[float, float], rotate: int = 0) -> None:
        self.page += 1
        self.size = size
        width, height = size
        canvas = self.canvas
        canvas.setPageSize(size)  # as displayed: with /Rotate 90 reportlab swaps the media box itself
        canvas.setPageRotation(rotate)
        canvas.saveState()
        if rotate == 90:
            # Drawn rotated back so that the displayed page reads upright: user (x, y) = (height - Y, X).
            canvas.translate(height, 0)
            canvas.rotate(90)
        self.y = height - _MARGIN

    def _end_page(self) -> None:
        canvas = self.canvas
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(self.size[0] / 2, 25, f"- {self.page} -")
        canvas.restoreState()
        canvas.showPage()

    def _table_page(self) -> None:
        self._begin_page(self._table_page_size(), self.layout.rotate)

    # -- document ---------------------------------------------------------------------------------------

    def render(self) -> SyntheticDocument:
        self._cover()
        if self.layout.narrative:
            self._narrative()
        drawn: list[DrawnTable] = []
        bad: list[BadCell] = []
        specs = [self._spec(kind) for kind in self.layout.drawn_tables()]
        follows = False
        for spec in specs:
            if follows:
                self.y -= 30  # the next table starts below the tail of the previous one
            else:
                self._table_page()
            table, table_bad, follows = self._draw_table(spec)
            drawn.append(table)
            bad.extend(table_bad)
            if not follows:
                self._end_page()
        if follows:
            self._end_page()
        self.canvas.save()
        return SyntheticDocument(self.path, self.budget, self.layout, tuple(drawn), self.page, tuple(bad))

    def _cover(self) -> None:
        self._begin_page(A4)
        canvas, (width, height) = self.canvas, A4
        canvas.setFont(FONT, 26)
        canvas.drawCentredString(width / 2, height * 0.62, self.budget.department)
        canvas.drawCentredString(width / 2, height * 0.62 - 44, f"{self.budget.year}年部门预算")
        canvas.setFont(FONT, 14)
        canvas.drawCentredString(width / 2, height * 0.25, f"{self.budget.year}年2月")
        self._end_page()

    def _narrative(self) -> None:
        """Prose that repeats table figures in 万元, as 第三部分 does; no rules, so no table candidates."""
        self._begin_page(A4)
        b = self.budget

        def wan(value: Decimal) -> str:
            return f"{value / UNIT_FACTORS['万元']:.2f}万元"

        grand = b.summary_totals[2][0].amounts["revenue/amount"]
        general = b.general_budget[0].amounts
        text = [
            f"第三部分 {b.department}{b.year}年部门预算情况说明",
            f"一、收支预算总体情况：{b.year}年收入预算{wan(grand)}，其中一般公共预算拨款收入"
            f"{wan(b.revenue_sources[0].amounts['revenue/amount'])}。支出预算{wan(grand)}。",
            f"二、一般公共预算支出{wan(general['total'])}，其中基本支出{wan(general['basic'])}，"
            f"项目支出{wan(general['project'])}。",
            "三、“三公”经费预算情况说明：详见部门公开表7。",
        ]
        self.canvas.setFont(FONT, 11)
        for paragraph in text:
            for line in _wrap(paragraph, A4[0] - 2 * _MARGIN, 11):
                self.y -= 20
                self.canvas.drawString(_MARGIN, self.y, line)
            self.y -= 8
        self._end_page()

    # -- table specs ------------------------------------------------------------------------------------

    def _spec(self, kind: str) -> _TableSpec:
        layout, year = self.layout, self.budget.year
        number = TABLE_NUMBERS[kind]
        title = TITLES[kind][layout.title_variant % len(TITLES[kind])].format(year=year)
        label = None
        if layout.label_style == "一、":
            title = f"{chinese_number(number)}、{title}"
        elif layout.label_style is not None:
            label = {
                "部门公开表N": f"部门公开表{number}",
                "公开表一": f"公开表{chinese_number(number)}",
                "公开01表": f"公开{number:02d}表",
                "表一": f"表{chinese_number(number)}",
            }[layout.label_style]
        unit = layout.unit_of(kind)
        if kind == "revenue_expenditure_summary":
            header, name_col, rows = self._summary(unit)
        elif kind == "revenue":
            header, name_col, rows = self._revenue(unit)
        elif kind == "three_public_costs":
            header, name_col, rows = self._three_public(unit)
        else:
            header, name_col, rows = self._coded(kind, unit)
        placed, header_rows = _place_header(header)
        spec = _TableSpec(kind, label, title, unit, placed, header_rows, len(_leaves(header)), name_col, rows)
        if kind == "government_fund_expenditure":
            note = f"注：本部门{year}年没有政府性基金预算支出，本表为空表。"
            if layout.empty_table_with_note == "inside":
                spec.rows = [_Row([_Cell(0, "本表为空表", "center", span=spec.n_cols)], ())]
            else:
                spec.note = note
        return spec

    def _amount_cells(self, line: Line, columns: Sequence[str], first_col: int, unit: str) -> list[_Cell]:
        style = self.layout.number_style
        return [
            _Cell(first_col + i, format_amount(line.amounts[key], unit, style), "right")
            for i, key in enumerate(columns)
        ]

    def _summary(self, unit: str) -> tuple[list[_H], int | None, list[_Row]]:
        b, layout = self.budget, self.layout
        header = [_h("收入", "项目", "预算数"), _h("支出", "项目（按功能分类）", "预算数")]
        classes = list(b.functional_classes)
        if layout.all_functional_classes:
            present = {line.code: line for line in classes}
            classes = [
                present.get(code)
                or Line(code, name, {"expenditure/amount": Decimal(0)}, "functional_class", 1)
                for code, name in FUNCTIONAL_CLASSES.items()
            ]
        left = [(f"{chinese_number(i + 1)}、{line.name}", line) for i, line in enumerate(b.revenue_sources)]
        right = [(f"{chinese_number(i + 1)}、{line.name}", line) for i, line in enumerate(classes)]
        pairs = [*zip_longest(left, right), *(((a.name, a), (e.name, e)) for a, e in b.summary_totals)]
        rows = []
        for pair in pairs:
            cells: list[_Cell] = []
            truth: list[Line] = []
            for side, (group_col, column) in enumerate(((0, "revenue/amount"), (2, "expenditure/amount"))):
                text, line = pair[side] if pair[side] else ("", None)
                amount = format_amount(line.amounts[column], unit, layout.number_style) if line else ""
                cells += [_Cell(group_col, text), _Cell(group_col + 1, amount, "right")]
                truth += [line] if line else []
            if layout.glue_amount_to_next_label and cells[1].text and cells[2].text:
                cells[1].glue, cells[2].tight = True, True
            rows.append(_Row(cells, tuple(truth)))
        return header, None, rows

    def _revenue(self, unit: str) -> tuple[list[_H], int | None, list[_Row]]:
        header = [
            _h("单位名称"),
            _h("合计"),
            _h("上年结转"),
            _h("本年收入", "一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入", "其他收入"),
        ]
        rows = [
            _Row([_Cell(0, line.name), *self._amount_cells(line, COLUMNS["revenue"], 1, unit)], (line,))
            for line in self.budget.revenue
        ]
        return header, 0, rows

    def _three_public(self, unit: str) -> tuple[list[_H], int | None, list[_Row]]:
        def group(title: str) -> _H:
            vehicles = _h("公务用车购置及运行费", "小计", "公务用车购置费", "公务用车运行费")
            return _h(title, _H("合计"), _H("因公出国(境)费"), vehicles, _H("公务接待费"))

        header = [group("上年预算数"), group(f"{self.budget.year}年预算数")]
        line = self.budget.three_public[0]
        return header, None, [_Row(self._amount_cells(line, COLUMNS["three_public_costs"], 0, unit), (line,))]

    def _coded(self, kind: str, unit: str) -> tuple[list[_H], int | None, list[_Row]]:
        layout, year = self.layout, self.budget.year
        economic = kind == "basic_expenditure_economic"
        columns = COLUMNS[kind]
        amount_words = {
            "total": "合计",
            "basic": "基本支出",
            "project": "项目支出",
            "business_operation": "事业单位经营支出",
            "personnel": "人员经费",
            "public": "公用经费",
        }
        depth = 2 if economic else 3  # split codes: 类 | 款 (| 项)
        if layout.code_layout == "split":
            label_heads = [_h("科目编码", *"类款项"[:depth]), _H("科目名称")]
        elif layout.code_layout == "joined":
            label_heads = [_H("科目编码"), _H("科目名称")]
        else:
            label_heads = [_H("科目名称")]
        amount_heads = [_H(amount_words[c]) for c in columns]
        if kind == "expenditure":
            header = [*label_heads, *amount_heads]
        else:
            group = "部门预算支出经济分类科目" if economic else "支出功能分类科目"
            money = f"{year}年基本支出" if economic else f"{year}年预算数"
            header = [_H(group, tuple(label_heads)), _H(money, tuple(amount_heads))]
        n_label = len(_leaves(label_heads))
        lines = list(self.budget.lines(kind))
        if layout.total_row == "bottom":
            lines = [*lines[1:], lines[0]]
        rows = []
        for line in lines:
            cells = self._label_cells(line, n_label, depth) + self._amount_cells(line, columns, n_label, unit)
            rows.append(_Row(cells, (line,)))
        return header, n_label - 1, rows

    def _label_cells(self, line: Line, n_label: int, depth: int) -> list[_Cell]:
        code_layout = self.layout.code_layout
        if line.code is None:  # 合计: over the code columns and the name where codes are split
            if code_layout == "split":
                return [_Cell(0, line.name, "center", span=n_label)]
            return [*(_Cell(i, "") for i in range(n_label - 1)), _Cell(n_label - 1, line.name, "center")]
        indent = line.level - 1
        if code_layout == "joined":
            return [_Cell(0, line.code), _Cell(1, line.name)]
        if code_layout == "split":
            parts = [line.code[:3], *(line.code[i : i + 2] for i in range(3, len(line.code), 2))]
            parts += [""] * (depth - len(parts))
            return [*(_Cell(i, p) for i, p in enumerate(parts)), _Cell(depth, line.name, indent=indent)]
        if code_layout == "glued":
            return [_Cell(0, f"{line.code}{line.name}")]
        return [_Cell(0, "\u3000\u3000" * indent + line.name)]  # names only: full-width spaces indent

    # -- drawing ----------------------------------------------------------------------------------------

    def _draw_table(self, spec: _TableSpec) -> tuple[DrawnTable, list[BadCell], bool]:
        layout = self.layout
        split = (
            layout.split_across_pages
            if layout.split_across_pages and layout.split_across_pages.kind == spec.kind
            else None
        )
        rows = list(spec.rows)
        forced: int | None = None
        if split is not None:
            forced = split.rows_before % len(rows) if split.rows_before < 0 else split.rows_before
            if split.break_label:
                rows.insert(forced, self._label_fragment(rows[forced - 1], spec))
        bad_rows = self._bad_cells(spec, rows)
        widths, size = self._widths(spec, rows)
        heights = self._fit(spec, rows, widths, size)

        self._heading(spec)
        pages: list[int] = []
        line_pages: list[tuple[Line, int]] = []
        bad: list[BadCell] = []
        start, first = 0, True
        while start < len(rows):
            if not first:
                self._end_page()
                self._table_page()
            show_header = first or (split is None or split.repeat_header or start != forced)
            room = self.y - _MARGIN - (sum(heights) if show_header else 0)
            end = start
            while end < len(rows) and (end == start or rows[end].height <= room):
                if end == forced and end != start:
                    break
                room -= rows[end].height
                end += 1
            self.y = self._grid(spec, rows[start:end], widths, heights if show_header else None, size)
            pages.append(self.page)
            for row in rows[start:end]:
                line_pages += [(line, self.page) for line in row.lines]
                bad += [
                    BadCell(spec.kind, line.row_id, key, text, self.page)
                    for r, line, key, text in bad_rows
                    if r is row
                ]
            start, first = end, False
        if spec.note:
            self.canvas.setFont(FONT, 9)
            self.y -= 14
            self.canvas.drawString(_MARGIN, self.y, spec.note)
        table = DrawnTable(
            spec.kind,
            spec.label,
            spec.title,
            spec.unit,
            tuple(dict.fromkeys(pages)),
            tuple(line for line, _ in line_pages),
            tuple(page for _, page in line_pages),
        )
        follows = split is not None and layout.tail_on_next_table_page
        return table, bad, follows

    def _label_fragment(self, row: _Row, spec: _TableSpec) -> _Row:
        """Cut the row's name in two: its first half stays, the rest becomes a row of its own."""
        assert spec.name_col is not None, "break_label needs a table with a name column"
        cell = next(c for c in row.cells if c.col == spec.name_col)
        cut = max(1, len(cell.text) // 2)
        rest = cell.text[cut:]
        cell.text = cell.text[:cut]
        return _Row(
            [_Cell(c.col, rest if c is cell else "", c.align, c.span, c.indent) for c in row.cells], ()
        )

    def _bad_cells(self, spec: _TableSpec, rows: list[_Row]) -> list[tuple[_Row, Line, str, str]]:
        """Replace figures of the first 项 lines of the first coded table by the layout's bad texts."""
        texts = self.layout.bad_amounts
        first_coded = next((k for k in self.layout.drawn_tables() if k in CODED_KINDS), None)
        if not texts or spec.kind != first_coded:
            return []
        bad = []
        candidates = [r for r in rows if len(r.lines) == 1 and r.lines[0].code and len(r.lines[0].code) > 3]
        for row, text in zip(candidates, texts, strict=False):
            cell = next(c for c in row.cells if c.align == "right")  # the row's total
            cell.text = text
            bad.append((row, row.lines[0], COLUMNS[spec.kind][0], text))
        return bad

    def _available_width(self) -> float:
        return self._table_page_size()[0] - 2 * _MARGIN

    def _widths(self, spec: _TableSpec, rows: list[_Row]) -> tuple[list[float], float]:
        """Column widths filling the page width; a table too wide is scaled down (fit to page)."""
        natural = [3 * _BASE_FONT + 2 * _PAD_X] * spec.n_cols
        for row in rows:
            for cell in row.cells:
                if cell.span == 1:
                    text = _width(cell.text, _BASE_FONT) + cell.indent * 2 * _BASE_FONT
                    natural[cell.col] = max(natural[cell.col], text + 2 * _PAD_X)
        for head in spec.header:
            if head.colspan == 1:  # a header word wraps, but not below four characters a line
                natural[head.col] = max(natural[head.col], _width(head.text[:4], _BASE_FONT) + 2 * _PAD_X)
        wrap = self.layout.wrap_long_names and spec.name_col is not None
        if wrap:
            natural[spec.name_col] = 9 * _BASE_FONT + 2 * _PAD_X  # longer names take two lines
        available = self._available_width()
        total = sum(natural)
        if total > available:
            scale = available / total
            return [w * scale for w in natural], _BASE_FONT * scale
        growable = [i for i in range(spec.n_cols) if not (wrap and i == spec.name_col)]
        extra = (available - total) / sum(natural[i] for i in growable)
        return [w * (1 + extra) if i in growable else w for i, w in enumerate(natural)], _BASE_FONT

    def _fit(self, spec: _TableSpec, rows: list[_Row], widths: list[float], size: float) -> list[float]:
        """Wrap cell texts to their widths; row heights of the body, and of the header returned."""
        scale = size / _BASE_FONT
        pad_x, pad_y, leading = _PAD_X * scale, _PAD_Y * scale, size * 1.3
        edges = [0.0, *accumulate(widths)]
        for row in rows:
            for cell in row.cells:
                room = edges[cell.col + cell.span] - edges[cell.col] - 2 * pad_x - cell.indent * 2 * size
                cell.lines = _wrap(cell.text, room, size) if cell.align == "left" else [cell.text]
            row.height = max(len(c.lines) for c in row.cells) * leading + 2 * pad_y
        heights = [leading + 2 * pad_y] * spec.header_rows
        spec_lines: list[tuple[_HeaderCell, int]] = []
        for head in spec.header:
            room = edges[head.col + head.colspan] - edges[head.col] - 2 * pad_x
            n = len(_wrap(head.text, room, size))
            spec_lines.append((head, n))
            if head.rowspan == 1:
                heights[head.row] = max(heights[head.row], n * leading + 2 * pad_y)
        for head, n in spec_lines:
            span = range(head.row, head.row + head.rowspan)
            missing = n * leading + 2 * pad_y - sum(heights[r] for r in span)
            if missing > 0:
                heights[span[-1]] += missing
        return heights

    def _heading(self, spec: _TableSpec) -> None:
        canvas, layout, width = self.canvas, self.layout, self.size[0]
        if spec.label:
            self.y -= 12
            canvas.setFont(FONT, 10)
            canvas.drawString(_MARGIN, self.y, spec.label)
        self.y -= 26
        canvas.setFont(FONT, 16)
        canvas.drawCentredString(width / 2, self.y, spec.title)
        self.y -= 20
        canvas.setFont(FONT, 10)
        canvas.drawString(_MARGIN, self.y, f"部门名称{layout.colon}{self.budget.department}")
        canvas.drawRightString(width - _MARGIN, self.y, f"{layout.unit_prefix}{layout.colon}{spec.unit}")
        self.y -= 6

    def _grid(
        self,
        spec: _TableSpec,
        rows: list[_Row],
        widths: list[float],
        header_heights: list[float] | None,
        size: float,
    ) -> float:
        """Draw a header (when given) and rows from self.y down; returns the y below the grid."""
        canvas, scale = self.canvas, size / _BASE_FONT
        xs = [_MARGIN, *(_MARGIN + x for x in accumulate(widths))]
        top = self.y
        boxes: list[tuple[float, float, float, float]] = []  # x0, y0 (bottom), x1, y1 (top)
        canvas.setFont(FONT, size)
        header_bottom = top
        if header_heights is not None:
            ys = [top - h for h in accumulate([0.0, *header_heights])]
            for head in spec.header:
                box = (xs[head.col], ys[head.row + head.rowspan], xs[head.col + head.colspan], ys[head.row])
                boxes.append(box)
                room = box[2] - box[0] - 2 * _PAD_X * scale
                self._text(box, _wrap(head.text, room, size), "center", size)
            header_bottom = ys[-1]
        y = header_bottom
        for row in rows:
            for cell in row.cells:
                box = (xs[cell.col], y - row.height, xs[cell.col + cell.span], y)
                boxes.append(box)
                self._text(box, cell.lines, cell.align, size, cell.indent, cell.glue, cell.tight)
            y -= row.height
        self._rules(boxes, (xs[0], xs[-1]), (top, header_bottom if header_heights else None, y))
        return y

    def _text(
        self,
        box: tuple[float, float, float, float],
        lines: list[str],
        align: str,
        size: float,
        indent: int = 0,
        glue: bool = False,
        tight: bool = False,
    ) -> None:
        canvas, scale = self.canvas, size / _BASE_FONT
        x0, y0, x1, y1 = box
        leading = size * 1.3
        baseline = (y0 + y1) / 2 + len(lines) * leading / 2 - size * 0.95
        for line in lines:
            if align == "right":
                # Glued: across the border, 2pt from the next label (pdfminer makes them one text line).
                canvas.drawRightString(x1 + 1 * scale if glue else x1 - _PAD_X * scale, baseline, line)
            elif align == "center":
                canvas.drawCentredString((x0 + x1) / 2, baseline, line)
            else:
                left = (3 if tight else _PAD_X) * scale + indent * 2 * size
                canvas.drawString(x0 + left, baseline, line)
            baseline -= leading

    def _rules(
        self,
        boxes: list[tuple[float, float, float, float]],
        span: tuple[float, float],
        three: tuple[float, float | None, float],
    ) -> None:
        canvas, rules = self.canvas, self.layout.rules
        if rules == "three_line":
            # Top and bottom rules heavier, the one under the header light; no vertical rules.
            for y, weight in ((three[0], 1.0), (three[1], 0.5), (three[2], 1.0)):
                if y is not None:
                    canvas.setLineWidth(weight)
                    canvas.line(span[0], y, span[1], y)
            return
        edges: dict[tuple[float, float, float, float], None] = {}
        for x0, y0, x1, y1 in boxes:
            for edge in ((x0, y1, x1, y1), (x0, y0, x1, y0), (x0, y0, x0, y1), (x1, y0, x1, y1)):
                edges[tuple(round(v, 2) for v in edge)] = None  # a border shared by two cells is drawn once
        canvas.setLineWidth(_EXCEL_RULE)
        half = _EXCEL_RULE / 2
        for x0, y0, x1, y1 in edges:
            if rules in ("lines", "both"):
                canvas.line(x0, y0, x1, y1)
            if rules in ("rects", "both"):
                if y0 == y1:
                    canvas.rect(x0 - half, y0 - half, x1 - x0 + _EXCEL_RULE, _EXCEL_RULE, stroke=0, fill=1)
                else:
                    canvas.rect(x0 - half, y0 - half, _EXCEL_RULE, y1 - y0 + _EXCEL_RULE, stroke=0, fill=1)


def _leaves(nodes: Sequence[_H]) -> list[_H]:
    return [leaf for node in nodes for leaf in (_leaves(node.children) if node.children else [node])]
