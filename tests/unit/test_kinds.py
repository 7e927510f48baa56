import pytest

from extract.tables.columns import plan_columns, three_public_key
from extract.tables.kinds import classify_title, read_heading, starts_with_table_number


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("收支总表", "revenue_expenditure_summary"),
        ("部门财务收支预算总表", "revenue_expenditure_summary"),
        ("收入支出决算总表", "revenue_expenditure_summary"),
        ("收入总表", "revenue"),
        ("支出总表", "expenditure"),
        ("财政拨款收支总表", "fiscal_appropriation_summary"),
        ("一般公共预算支出表", "general_budget_expenditure"),
        ("5．2023年部门一般公共预算支出功能分类预算表", "general_budget_expenditure"),
        ("一般公共预算基本支出表", "basic_expenditure_economic"),
        ("一般公共预算财政拨款基本支出决算表", "basic_expenditure_economic"),
        ("一般公共预算“三公”经费支出表", "three_public_costs"),
        ("政府性基金预算支出表", "government_fund_expenditure"),
        ("国有资本经营预算支出情况表", "state_capital_expenditure"),
        ("部门预算项目支出绩效目标公开表", "project_performance_targets"),
        ("部门名称：海东市人力资源和社会保障局 单位：万元", None),
        ("部门公开表3", None),
    ],
)
def test_titles_classify_by_meaning(title: str, kind: str | None) -> None:
    assert classify_title(title) == kind


def test_three_public_columns_flatten_three_header_levels() -> None:
    assert (
        three_public_key(["上年预算数", "公务用车购置及运行费", "公务用车运行费"])
        == "prior_budget/vehicle_operation"
    )
    assert (
        three_public_key(["2023年预算数", "公务用车购置及运行费", "小计"]) == "current_budget/vehicle_total"
    )
    assert three_public_key(["2023年预算数", "公务接待费"]) == "current_budget/reception"
    assert (
        three_public_key(["财政拨款“三公”经费", "因公出国(境)费", "决算数"])
        == "final_accounts/overseas_travel"
    )
    assert three_public_key(["“三公”经费预算数", "机关运行经费预算数"]) == "current_budget/operating_costs"


def _keys(kind: str, paths: list[list[str]], first_row: list[str] | None = None) -> list[str | None]:
    return [(c.key or c.role) if c else None for c in plan_columns(kind, paths, first_row or [])]


def test_expenditure_columns_do_not_confuse_project_with_split_code() -> None:
    assert _keys(
        "expenditure",
        [
            ["科目编码", "类"],
            ["科目编码", "款"],
            ["科目编码", "项"],
            ["科目名称"],
            ["合计"],
            ["基本支", "出"],
            ["项目支出"],
        ],
    ) == ["code_1", "code_2", "code_3", "label", "total", "basic", "project"]


def test_an_organisations_code_is_no_classification_code() -> None:
    """部门综合预算 by unit (Xi'an 2019–2022): 单位编码 201 / 201001 name the department and its
    units; read as codes, 201 became the functional class 一般公共服务支出 with the whole budget."""
    paths = [["单位编码"], ["单位名称"], ["合计"]]
    assert _keys("expenditure", paths) == [None, "label", "total"]
    assert _keys("expenditure", [["科目编码"], ["科目名称"], ["合计"]]) == ["code", "label", "total"]


def test_split_code_labels_in_the_first_body_row() -> None:
    paths = [["科目编码"], ["科目编码"], ["科目编码"], ["科目名称"], ["本年支出合计"]]
    assert _keys("expenditure", paths, ["类", "款", "项", "合计", "2,940.05"]) == [
        "code_1",
        "code_2",
        "code_3",
        "label",
        "total",
    ]


def test_side_by_side_groups_and_single_amount_columns() -> None:
    plan = plan_columns(
        "basic_expenditure_economic",
        [
            ["科目编码", "类"],
            ["科目编码", "款"],
            ["科目名称"],
            ["决算数"],
            ["科目编码", "类"],
            ["科目编码", "款"],
            ["科目名称"],
            ["决算数"],
        ],
        [],
    )
    assert [(c.role, c.key, c.group) for c in plan] == [
        ("code_1", None, 0),
        ("code_2", None, 0),
        ("label", None, 0),
        ("amount", "total", 0),
        ("code_1", None, 1),
        ("code_2", None, 1),
        ("label", None, 1),
        ("amount", "total", 1),
    ]


def test_summary_columns_know_their_side() -> None:
    assert _keys(
        "fiscal_appropriation_summary",
        [
            ["收入", "项目"],
            ["收入", "预算数"],
            ["支出", "项目"],
            ["支出", "合计"],
            ["支出", "一般公共预算"],
            ["支出", "政府性基金预算"],
        ],
    ) == [
        "label",
        "revenue/amount",
        "label",
        "expenditure/total",
        "expenditure/general_public_budget",
        "expenditure/government_fund",
    ]


@pytest.mark.parametrize(
    ("line", "kind", "label"),
    [
        ("预算01表 收支总表", "revenue_expenditure_summary", "预算01表"),
        ("预算 06表 一般公共预算基本支出表", "basic_expenditure_economic", "预算06表"),
        ("预算表12 项目支出绩效目标表", "project_performance_targets", "预算表12"),
        ("预算表 1 收支总表", "revenue_expenditure_summary", "预算表1"),
        ("表一 部门收支总表", "revenue_expenditure_summary", "表一"),
        ("公开表1 收支总表", "revenue_expenditure_summary", "公开表1"),
        ("部门公开表1 部门收支总表", "revenue_expenditure_summary", "部门公开表1"),
        ("公开01表 收入总表", "revenue", "公开01表"),
        ("部门整体支出绩效目标表", None, None),  # the department's goals, not a project's indicators
    ],
)
def test_title_numbering_variants(line: str, kind: str | None, label: str | None) -> None:
    heading = read_heading(line)
    assert (heading.kind, heading.label) == (kind, label)


def test_a_table_number_leads_a_heading_of_unknown_kind() -> None:
    assert starts_with_table_number("预算11表 财政拨款政府购买服务明细表")
    assert not starts_with_table_number("支出总表")
