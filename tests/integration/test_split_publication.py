"""A publication printed as two files (issue 13): Jiangsu's …公开表 (tables) and …文本 (narrative).
The narrative file is recorded as the narrative part of the publication (status `narrative`, not
`rejected: no budget tables`), linked to the tables file, and its figures are checked against
those tables. Straight from ../shared/real; skipped when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.integration.conftest import RealInboxRun

pytestmark = pytest.mark.slow

TABLES = "js_renda_bangongting_2019_yusuan_biao.pdf"
NARRATIVE = "js_renda_bangongting_2019_yusuan_wenben.pdf"


@pytest.fixture(scope="module")
def warehouse(real_inbox_run: RealInboxRun) -> Path:
    """The one run over every shared real document (tests/integration/conftest.py)."""
    assert real_inbox_run.proc.returncode == 0, real_inbox_run.explain()
    stdout = real_inbox_run.proc.stdout
    assert f"narrative: {NARRATIVE}: the narrative part of a publication" in stdout, stdout
    return real_inbox_run.warehouse


def test_the_narrative_file_is_the_narrative_part(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select file_name, document_status, companion_file_name, in_marts from marts.rpt_document_status "
            "where file_name in (?, ?)",
            [TABLES, NARRATIVE],
        ).fetchall()
        (linked,) = con.execute(
            "select narrative_file_name from marts.dim_document where file_name = ?", [TABLES]
        ).fetchone()
    assert sorted(rows) == [(TABLES, "loaded", NARRATIVE, True), (NARRATIVE, "narrative", TABLES, False)]
    assert linked == NARRATIVE


def test_the_narrative_is_checked_against_the_tables_file(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ids = dict(con.execute("select file_name, document_id from audit.documents").fetchall())
        keyed = con.execute(
            "select distinct document_id, source_document_id from intermediate.int_narrative_mentions "
            "where source_document_id = ?",
            [ids[NARRATIVE]],
        ).fetchall()
        checks = con.execute(
            "select count(*) from intermediate.int_identity_checks "
            "where identity = 'narrative_vs_tables' and document_id = ?",
            [ids[TABLES]],
        ).fetchone()[0]
    assert keyed == [(ids[TABLES], ids[NARRATIVE])]
    assert checks > 0
