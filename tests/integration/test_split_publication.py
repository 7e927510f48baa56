"""A publication printed as two files (issue 13): Jiangsu's …公开表 (tables) and …文本 (narrative).
The narrative file is recorded as the narrative part of the publication (status `narrative`, not
`rejected: no budget tables`), linked to the tables file, and its figures are checked against
those tables. Straight from ../shared/real; skipped when it is absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"
TABLES = "js_renda_bangongting_2019_yusuan_biao.pdf"
NARRATIVE = "js_renda_bangongting_2019_yusuan_wenben.pdf"
BUDGET_ETL = Path(sys.executable).parent / "budget-etl"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (REAL / TABLES).exists() or not (REAL / NARRATIVE).exists():
        pytest.skip(f"the two files of the Jiangsu publication are absent from {REAL}")
    root = tmp_path_factory.mktemp("split_publication")
    inbox = root / "inbox"
    inbox.mkdir()
    for name in (TABLES, NARRATIVE):
        shutil.copy(REAL / name, inbox / name)
    warehouse = root / "budget.duckdb"
    proc = subprocess.run(
        [str(BUDGET_ETL), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env={**os.environ, "DAGSTER_HOME": str(root / "dagster_home")},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr[-4000:]}"
    assert f"narrative: {NARRATIVE}: the narrative part of a publication" in proc.stdout, proc.stdout
    return warehouse


def test_the_narrative_file_is_the_narrative_part(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select file_name, document_status, companion_file_name, in_marts from marts.rpt_document_status"
        ).fetchall()
        (linked,) = con.execute("select narrative_file_name from marts.dim_document").fetchone()
    assert sorted(rows) == [(TABLES, "loaded", NARRATIVE, True), (NARRATIVE, "narrative", TABLES, False)]
    assert linked == NARRATIVE


def test_the_narrative_is_checked_against_the_tables_file(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ids = dict(con.execute("select file_name, document_id from audit.documents").fetchall())
        keyed = con.execute(
            "select distinct document_id, source_document_id from intermediate.int_narrative_mentions"
        ).fetchall()
        checks = con.execute(
            "select count(*) from intermediate.int_identity_checks "
            "where identity = 'narrative_vs_tables' and document_id = ?",
            [ids[TABLES]],
        ).fetchone()[0]
    assert keyed == [(ids[TABLES], ids[NARRATIVE])]
    assert checks > 0
