"""The narrative against itself and the tables: a share misprinted in the prose is a warn finding."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from store.ingest import ingest_pdf
from tests.integration.test_identities import dbt_build, edit_pdf_text

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("narrative")
    # p15 states 上年结转50.00万元，占6.51% (of 767.78); print 7.51% instead.
    edited = edit_pdf_text((FIXTURES / "base.pdf").read_bytes(), {15: [("6.51", "7.51")]})
    pdf = work / "base_share_misprinted.pdf"
    pdf.write_bytes(edited)
    target = work / "w.duckdb"
    assert ingest_pdf(pdf, target).status == "loaded"
    dbt_build(target, work)
    return target


def test_misprinted_share_is_a_warn_finding(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    findings = con.execute(
        "select identity, severity, expected_yuan, actual_yuan, page from audit.identity_findings"
    ).fetchall()
    # 7.51% of 7,677,800 元 = 576,602.78 元 stated as 500,000 元.
    assert findings == [("narrative_share", "warn", Decimal("576602.78"), Decimal("500000.00"), 15)]
    status = con.execute("select status from audit.documents").fetchone()[0]
    assert status == "loaded"  # prose errors do not quarantine


def test_narrative_amounts_are_checked_against_the_tables(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    checks = dict(
        con.execute(
            "select identity, count(*) from intermediate.int_identity_checks "
            "where identity like 'narrative%' group by identity"
        ).fetchall()
    )
    assert checks["narrative_vs_tables"] >= 20 and checks["narrative_share"] >= 4
