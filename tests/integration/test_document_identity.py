"""Whose budget, which year, which scope (issue 13): department, fiscal year, kind and scope of every
shared real document as its cover prints them, read from the cover first (the narrative compares
with other years and never decides). Straight from ../shared/real and ../shared/real2; each folder's
cases skip when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.pdf.document import read_metadata, read_pages

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

# file -> (department, fiscal year, kind, scope) as the cover prints them
COVERS = {
    "real/js_gaoyuan_2017_yusuan.pdf": ("江苏省高级人民法院", 2017, "预算", "部门"),
    "real/js_renda_bangongting_2019_yusuan_biao.pdf": ("江苏省人大常委会办公厅", 2019, "预算", "部门"),
    "real/js_renda_bangongting_2019_yusuan_wenben.pdf": ("江苏省人大常委会办公厅", 2019, "预算", "部门"),
    "real/js_zhengxie_bangongting_2018_yusuan_biao.pdf": ("江苏省政协办公厅", 2018, "预算", "部门"),
    "real/sh_putuo_caizhengju_2024_juesuan.pdf": ("上海市普陀区财政局", 2024, "决算", "部门"),
    "real/sh_putuo_sifaju_2026_bumen_yusuan.pdf": ("上海市普陀区司法局", 2026, "预算", "部门"),
    "real/sh_putuo_wanlijiedao_2023_bumen_yusuan.pdf": (
        "上海市普陀区人民政府万里街道办事处",
        2023,
        "预算",
        "部门",
    ),
    # a volume of tables without a cover: (2026年度) and 部门名称 X on a table's header, 预算01表 …
    "real2/bj_shi_shenjiju_2026_yusuan_baobiao.pdf": ("北京市审计局", 2026, "预算", "部门"),
    "real2/cq_shi_shuiliju_2026_yusuan.pdf": ("重庆市水利局", 2026, "预算", "部门"),
    # a unit's own budget: the unit's name, not its department's (福州市公安局)
    "real2/fj_fuzhou_jiaoguanzhidui_2026_danwei_yusuan.pdf": (
        "福州市公安局交通管理支队",
        2026,
        "预算",
        "单位",
    ),
    "real2/gd_guangzhou_tongjiju_2026_yusuan.pdf": ("广州市统计局", 2026, "预算", "部门"),
    # the cover wraps inside a word (部门预 / 算); the narrative compares with 2025
    "real2/gd_shenzhen_caizhengju_2026_yusuan.pdf": ("深圳市财政局(本级)", 2026, "预算", "部门"),
    "real2/hn_changsha_xinfangju_2026_yusuan.pdf": ("长沙市信访局", 2026, "预算", "部门"),
    "real2/sd_yantai_jiaoyuju_2026_yusuan.pdf": ("烟台市教育局", 2026, "预算", "部门"),
    # the whole name, not its first name-like prefix (中共西安市委)
    "real2/sn_xian_xuanchuanbu_2021_yusuan.pdf": ("中共西安市委宣传部", 2021, "预算", "部门"),
    "real2/zhongyang_guojiaxinfangju_2024_juesuan.pdf": ("国家信访局", 2024, "决算", "部门"),
    "real2/zj_hangzhou_qixiangju_2026_yusuan.pdf": ("杭州市气象局", 2026, "预算", "部门"),
}


@pytest.mark.parametrize("name", sorted(COVERS))
def test_metadata_is_the_covers(name: str) -> None:
    path = SHARED / name
    if not path.parent.is_dir():
        pytest.skip(f"shared documents folder {path.parent} is absent")
    meta = read_metadata(read_pages(path), path.name)
    assert (meta.department_name, meta.fiscal_year, meta.doc_kind, meta.doc_scope) == COVERS[name]


def test_a_unit_keeps_its_own_name_and_its_department() -> None:
    path = SHARED / "real2" / "fj_fuzhou_jiaoguanzhidui_2026_danwei_yusuan.pdf"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    meta = read_metadata(read_pages(path), path.name)
    assert (meta.department_name, meta.parent_department_name) == ("福州市公安局交通管理支队", "福州市公安局")
