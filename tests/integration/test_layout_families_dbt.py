"""Layout families (issue 12), the warehouse side: Zhejiang's 杭州市气象局 2026 budget (../shared/real2)
through the real extractor and a real `dbt build`.

Its 支出总表 (p17) prints 基本支出 as 人员支出 | 日常公用支出 without a 小计 (column_keys `personnel`,
`public`, no `basic`); its 一般公共预算支出表 (p19) prints the 小计 as well. Before, every row of p17
broke 合计 = 基本支出 + 项目支出 (14 expenditure_row_total errors: 基本支出 read as 0). Now 基本支出 is
the 小计 where printed, else 人员支出 + 日常公用支出, in the row total and in the facts (never both),
and the 小计 is checked against its parts (expenditure_basic_split). Skips when ../shared/real2 is
absent.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from store.ingest import ingest_pdf
from store.review import accept
from tests.integration.test_identities import dbt_build

pytestmark = pytest.mark.slow

REAL2 = Path(__file__).resolve().parents[2].parent / "shared" / "real2"
ZHEJIANG = "zj_hangzhou_qixiangju_2026_yusuan.pdf"
BASIC_IDENTITIES = ("expenditure_row_total", "expenditure_basic_split")


def _rows(warehouse: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    pdf = REAL2 / ZHEJIANG
    if not pdf.exists():
        pytest.skip(f"{pdf} absent: the shared real documents are not on this machine")
    work = tmp_path_factory.mktemp("zhejiang")
    warehouse = work / "w.duckdb"
    outcome = ingest_pdf(pdf, warehouse)
    assert outcome.status == "loaded", outcome
    dbt_build(warehouse, work)
    (document_id,) = _rows(warehouse, "select document_id from raw.documents")[0]
    return warehouse, document_id, work


def test_basic_printed_as_its_parts_breaks_no_row_total(built: tuple[Path, str, Path]) -> None:
    warehouse, document_id, _ = built
    findings = _rows(
        warehouse,
        "select identity, item from audit.identity_findings where document_id = ? and severity = 'error'",
        document_id,
    )
    assert [f for f in findings if f[0] in BASIC_IDENTITIES] == []
    # what is left is the revenue table (p16), whose 栏次 line `** | 1 | 2 …` reads as a unit: an
    # extraction matter, not one of these identities
    assert {identity for identity, _ in findings} <= {"revenue_row_total", "revenue_column_total"}


def test_row_totals_and_basic_split_are_checked(built: tuple[Path, str, Path]) -> None:
    warehouse, document_id, _ = built
    checks = dict(
        _rows(
            warehouse,
            "select identity || ' ' || table_kind, count(*) filter (where not is_within_tolerance) "
            "from intermediate.int_identity_checks where document_id = ? and identity in (?, ?) group by 1",
            document_id,
            *BASIC_IDENTITIES,
        )
    )
    # p17 (no 小计) and p19 (小计 and parts): every row checked, none off; the split only where the
    # 小计 is printed
    assert checks == {
        "expenditure_row_total expenditure": 0,
        "expenditure_row_total general_budget_expenditure": 0,
        "expenditure_row_total government_fund_expenditure": 0,
        "expenditure_basic_split general_budget_expenditure": 0,
    }
    # the 合计 row of p17: 5876.67 = (2906.80 + 838.26) + 2131.61 万元, within rounding
    (total,) = _rows(
        warehouse,
        "select total_yuan, basic_yuan, basic_parts_sum_yuan, project_yuan "
        "from intermediate.int_expenditure_rows "
        "where document_id = ? and table_kind = 'expenditure' and row_role = 'total' and has_parts",
        document_id,
    )
    assert total[0] == Decimal("58766700.00") and total[1] is None
    assert abs(total[0] - total[2] - total[3]) <= Decimal("150")


def test_basic_facts_come_from_the_subtotal_or_the_parts(built: tuple[Path, str, Path]) -> None:
    warehouse, document_id, _ = built
    facts = _rows(
        warehouse,
        "select fund_scope, expenditure_type, count(*), sum(amount_yuan) "
        "from intermediate.int_expenditure_facts where document_id = ? group by all order by all",
        document_id,
    )
    types = {(scope, kind) for scope, kind, _, _ in facts}
    assert {("all_funds", "basic"), ("general_public_budget", "basic")} <= types
    assert not {kind for _, kind in types} & {"personnel", "public"}
    basic = {scope: amount for scope, kind, _, amount in facts if kind == "basic"}
    # 支出总表's 基本支出 (parts summed) = 一般公共预算支出表's 小计: all of it is general budget money
    assert basic["all_funds"] == basic["general_public_budget"] == Decimal("37450600.00")
    # never both: one basic fact per printed row
    (repeated,) = _rows(
        warehouse,
        "select count(*) from intermediate.int_fact_key_findings where document_id = ?",
        document_id,
    )[0]
    assert repeated == 0


def test_basic_facts_reach_the_mart(built: tuple[Path, str, Path]) -> None:
    """Admitted (accepted while its revenue table stays quarantined), the document's basic spending
    is in fct_expenditure for both scopes."""
    warehouse, document_id, work = built
    (status,) = _rows(warehouse, "select status from audit.documents where document_id = ?", document_id)[0]
    if status == "quarantined":
        accept(warehouse, document_id, "revenue table's 栏次 line checked in the PDF", who="pytest")
        dbt_build(warehouse, work)
    rows = _rows(
        warehouse,
        "select fund_scope, sum(amount_yuan) from marts.fct_expenditure "
        "where document_id = ? and expenditure_type = 'basic' group by all order by all",
        document_id,
    )
    assert rows == [
        ("all_funds", Decimal("37450600.00")),
        ("general_public_budget", Decimal("37450600.00")),
    ]
