"""Row labels with meaning: totals, revenue sources and functional classes printed by name."""

from __future__ import annotations

import re

from extract.text import compact

# 一、 / 一. / (一) / 1. / 1、 enumerations in front of a label.
_ENUMERATION = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|\([一二三四五六七八九十]+\)|\d{1,2}[、.．]\s*)"
)

# The national functional classification's 类 (支出功能分类科目), under the names used 2017–2026.
FUNCTIONAL_CLASSES: dict[str, str] = {
    "一般公共服务支出": "201",
    "外交支出": "202",
    "国防支出": "203",
    "公共安全支出": "204",
    "教育支出": "205",
    "科学技术支出": "206",
    "文化旅游体育与传媒支出": "207",
    "文化体育与传媒支出": "207",
    "社会保障和就业支出": "208",
    "社会保险基金支出": "209",
    "卫生健康支出": "210",
    "医疗卫生与计划生育支出": "210",
    "节能环保支出": "211",
    "城乡社区支出": "212",
    "农林水支出": "213",
    "交通运输支出": "214",
    "资源勘探工业信息等支出": "215",
    "资源勘探信息等支出": "215",
    "商业服务业等支出": "216",
    "金融支出": "217",
    "援助其他地区支出": "219",
    "自然资源海洋气象等支出": "220",
    "国土海洋气象等支出": "220",
    "住房保障支出": "221",
    "粮油物资储备支出": "222",
    "国有资本经营预算支出": "223",
    "灾害防治及应急管理支出": "224",
    "预备费": "227",
    "其他支出": "229",
    "转移性支出": "230",
    "债务还本支出": "231",
    "债务付息支出": "232",
    "债务发行费用支出": "233",
    "抗疫特别国债安排的支出": "234",
}

# The economic classification's 类 under their national names: the department scheme (部门预算支出
# 经济分类, 3xx) and the government scheme (政府预算支出经济分类, 5xx). Several names occur in both.
ECONOMIC_CLASSES_DEPARTMENT: dict[str, str] = {
    "工资福利支出": "301",
    "商品和服务支出": "302",
    "对个人和家庭的补助": "303",
    "债务利息及费用支出": "307",
    "资本性支出(基本建设)": "309",
    "资本性支出": "310",
    "对企业补助(基本建设)": "311",
    "对企业补助": "312",
    "对社会保障基金补助": "313",
    "其他支出": "399",
}
ECONOMIC_CLASSES_GOVERNMENT: dict[str, str] = {
    "机关工资福利支出": "501",
    "机关商品和服务支出": "502",
    "机关资本性支出(一)": "503",
    "机关资本性支出(二)": "504",
    "对事业单位经常性补助": "505",
    "对事业单位资本性补助": "506",
    "对企业补助": "507",
    "对企业资本性支出": "508",
    "对个人和家庭的补助": "509",
    "对社会保障基金补助": "510",
    "债务利息及费用支出": "511",
    "债务还本支出": "512",
    "转移性支出": "513",
    "预备费及预留": "514",
    "其他支出": "599",
}


def economic_classes(labels: list[str]) -> dict[str, str]:
    """The 类 names → codes of the scheme a table's labels belong to: the government scheme when a
    name only it has occurs (机关工资福利支出 …), else the department scheme (the common one)."""
    names = {strip_enumeration(label) for label in labels}
    government_only = ECONOMIC_CLASSES_GOVERNMENT.keys() - ECONOMIC_CLASSES_DEPARTMENT.keys()
    return ECONOMIC_CLASSES_GOVERNMENT if names & government_only else ECONOMIC_CLASSES_DEPARTMENT


# (item_key, words that must all occur), first match wins; checked on the label without its enumeration.
_TOTALS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("surplus_use", ("使用", "结余")),  # 决算: 使用非财政拨款结余 spent from reserves
    ("revenue_grand_total", ("收入总计",)),
    ("expenditure_grand_total", ("支出总计",)),
    ("revenue_total", ("本年收入",)),
    ("revenue_total", ("当年收入",)),
    ("revenue_total", ("收入合计",)),
    ("expenditure_total", ("本年支出",)),
    ("expenditure_total", ("当年支出",)),
    ("expenditure_total", ("支出合计",)),
    ("carry_forward", ("结转下年",)),
    ("carry_forward", ("年末", "结转")),  # 年末(财政拨款)结转和结余
    ("carryover", ("上年结转",)),
    ("carryover", ("年初", "结转")),  # 年初(财政拨款)结转和结余
    ("carryover", ("上年", "结转")),  # 上年结余、结转 (Shenzhen), 上年财政拨款结转
    ("carryover", ("上年", "结余")),
)
REVENUE_SOURCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("general_budget", ("一般公共预算",)),
    ("government_fund", ("政府性基金",)),
    ("state_capital", ("国有资本经营",)),
    ("fiscal_special_account", ("财政专户",)),
    ("business_operation", ("经营收入",)),
    ("business", ("事业收入",)),
    ("superior_subsidy", ("上级补助",)),
    ("subsidiary_remittance", ("附属单位上缴",)),
    ("other", ("其他收入",)),
    ("other", ("其他资金",)),
    ("fiscal_appropriation", ("财政拨款",)),
    ("fiscal_appropriation", ("预算拨款",)),  # 一、预算拨款 (Guangzhou): the funds' lines come first above
)
_SPENDING_USES = (("basic", ("基本支出",)), ("project", ("项目支出",)), ("reserve", ("机动经费",)))


def strip_enumeration(label: str) -> str:
    return _ENUMERATION.sub("", compact(label))


def _first(rules: tuple[tuple[str, tuple[str, ...]], ...], text: str) -> str | None:
    for key, words in rules:
        if all(w in text for w in words):
            return key
    return None


def revenue_source(text: str) -> str | None:
    """Canonical revenue source named by a label or column header."""
    return _first(REVENUE_SOURCES, compact(text))


def summary_row_key(label: str, group: str) -> tuple[str | None, str | None]:
    """(functional 类 code, item_key) of a summary-table label on the given side."""
    text = strip_enumeration(label)
    if not text:
        return None, None
    if text == "总计":
        return None, "revenue_grand_total" if group == "revenue" else "expenditure_grand_total"
    total = _first(_TOTALS, text)
    if total:
        return None, total
    if group == "revenue":
        return None, revenue_source(text)
    code = FUNCTIONAL_CLASSES.get(text)
    if code:
        return code, "functional_class"
    return None, _first(_SPENDING_USES, text)
