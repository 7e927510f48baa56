"""Fault injection: one odd document never stops the nightly run (issue 11).

Good extractions are corrupted, each in one of the ways a strange PDF can come out of the
extractor, and the pipeline runs on them as a user runs it (`budget-etl run`: real Dagster, DuckDB,
dbt). Every corrupted document must be quarantined with a reason naming its structural check; the
run exits 0 and publishes; the documents nobody touched load with exactly the facts they had.

How: a first run loads the sample (海东, with performance targets and narrative) and ten synthetic
budgets of other departments. Nine documents' raw rows are then corrupted in the published file,
as a buggy or surprised extractor could have written them; a new PDF in the inbox makes the next
run rebuild everything on top of them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.support.synthetic import font_available, generate

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
BUDGET_ETL = Path(sys.executable).parent / "budget-etl"
SAMPLE = "haidong_sample.pdf"
CONTROL = "control_seed_11.pdf"
LATE = "late_seed_12.pdf"

# One expenditure-table cell: the 合计 row's total.
TOTAL_CELL = (
    "table_kind = 'expenditure' and row_role = 'total' and column_key = 'total' "
    "and (table_index, row_index) = (select min((table_index, row_index)) from raw.line_items "
    "where document_id = $doc and table_kind = 'expenditure' and row_role = 'total')"
)


@dataclass(frozen=True)
class Corruption:
    file_name: str
    seed: int | None  # synthetic budget's seed; None: the sample
    identities: tuple[str, ...]  # the structural checks that must name it
    statements: tuple[str, ...]  # run with $doc bound to the document id


CORRUPTIONS = (
    Corruption(
        "repeated_cell.pdf",
        1,
        ("structure_repeated_cell",),
        (
            "insert into raw.line_items select * from raw.line_items "
            f"where document_id = $doc and {TOTAL_CELL}",
        ),
    ),
    Corruption(
        "no_unit.pdf",
        3,
        ("structure_amount_without_unit",),
        ("update raw.line_items set unit = null where document_id = $doc and table_kind = 'expenditure'",),
    ),
    Corruption(
        "not_a_number.pdf",
        4,
        ("structure_unparseable_amount",),
        (f"update raw.line_items set amount_text = '12,3a' where document_id = $doc and {TOTAL_CELL}",),
    ),
    Corruption(
        "code_of_no_level.pdf",
        5,
        ("structure_code_without_level",),
        (
            "update raw.line_items set item_code = item_code || '0' "
            "where document_id = $doc and table_kind = 'expenditure' and length(item_code) = 7",
        ),
    ),
    Corruption(
        "header_key_twice.pdf",
        6,
        ("structure_repeated_column_key",),
        (
            "update raw.line_items set column_key = 'basic' "
            "where document_id = $doc and table_kind = 'expenditure' and column_key = 'project'",
        ),
    ),
    Corruption(
        "missing_key.pdf",
        7,
        ("structure_missing_key",),
        (
            "update raw.line_items set column_key = null "
            "where document_id = $doc and table_kind = 'general_budget_expenditure' and row_role = 'total'",
        ),
    ),
    Corruption(
        "out_of_range.pdf",
        8,
        ("structure_amount_out_of_range",),
        (
            "update raw.line_items set amount_text = '123456789012345.67', unit = '亿元' "
            f"where document_id = $doc and {TOTAL_CELL}",
        ),
    ),
    Corruption(
        "table_twice.pdf",
        9,
        ("structure_repeated_fact_key",),
        (
            "insert into raw.tables select * replace (table_index + 100 as table_index) from raw.tables "
            "where document_id = $doc and table_kind = 'expenditure'",
            "insert into raw.line_items select * replace (table_index + 100 as table_index) "
            "from raw.line_items where document_id = $doc and table_kind = 'expenditure'",
        ),
    ),
    Corruption(
        SAMPLE,
        None,
        ("structure_unparseable_amount",),
        (
            "update raw.performance_indicators set amount_text = '1O0.5' where document_id = $doc "
            "and (table_index, row_index) = (select min((table_index, row_index)) "
            "from raw.performance_indicators where document_id = $doc and amount_text is not null)",
            "update raw.narrative_mentions set share_pct = 'abc' where document_id = $doc "
            "and sentence_index = (select min(sentence_index) from raw.narrative_mentions "
            "where document_id = $doc and share_pct is not null)",
        ),
    ),
)


def budget_etl_run(inbox: Path, warehouse: Path, dagster_home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BUDGET_ETL), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env={**os.environ, "DAGSTER_HOME": str(dagster_home)},
        capture_output=True,
        text=True,
        timeout=900,
    )


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr (tail)\n{proc.stderr[-4000:]}"


def documents(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str, str | None]]:
    """file name -> (document_id, status, reason)."""
    rows = con.execute("select file_name, document_id, status, reason from audit.documents").fetchall()
    return {name: (doc, status, reason) for name, doc, status, reason in rows}


def facts_of(con: duckdb.DuckDBPyConnection, document_id: str) -> dict[str, list[tuple]]:
    tables = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_name like 'fct%' order by 1"
        ).fetchall()
    ]
    return {
        t: sorted(
            con.execute(f"select * from marts.{t} where document_id = ?", [document_id]).fetchall(), key=repr
        )
        for t in tables
    }


@dataclass(frozen=True)
class Outcome:
    baseline: dict[str, tuple[str, str, str | None]]
    control_facts: dict[str, list[tuple]]
    run: subprocess.CompletedProcess[str]
    warehouse: Path


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    if not font_available():
        pytest.skip("CJK font fonts-wqy-microhei missing: synthetic budgets cannot be drawn")
    root = tmp_path_factory.mktemp("fault_injection")
    inbox, warehouse, dagster_home = root / "inbox", root / "budget.duckdb", root / "dagster_home"
    inbox.mkdir()
    shutil.copy(REPO / "tests" / "fixtures" / "base.pdf", inbox / SAMPLE)
    for corruption in CORRUPTIONS:
        if corruption.seed is not None:
            generate(inbox / corruption.file_name, seed=corruption.seed)
    generate(inbox / CONTROL, seed=11)

    first = budget_etl_run(inbox, warehouse, dagster_home)
    assert first.returncode == 0, explain(first)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        baseline = documents(con)
        control_facts = facts_of(con, baseline[CONTROL][0])

    with duckdb.connect(str(warehouse)) as con:  # what a surprised extractor could have stored
        for corruption in CORRUPTIONS:
            doc = baseline[corruption.file_name][0]
            for statement in corruption.statements:
                con.execute(statement, {"doc": doc})
            # as a load that stored it would: a new loaded_at (incremental builds process the
            # documents whose load changed, docs/incremental.md)
            con.execute(
                "update audit.document_loads set loaded_at = loaded_at + interval 1 second "
                "where document_id = $doc",
                {"doc": doc},
            )
        con.execute("checkpoint")

    generate(inbox / LATE, seed=12)  # something new: the next run builds
    second = budget_etl_run(inbox, warehouse, dagster_home)
    return Outcome(baseline, control_facts, second, warehouse)


def test_every_document_loads_before_the_corruption(outcome: Outcome) -> None:
    statuses = {name: status for name, (_, status, _) in outcome.baseline.items()}
    assert statuses == dict.fromkeys(statuses, "loaded"), statuses
    assert len(statuses) == len(CORRUPTIONS) + 1


def test_the_run_completes_and_publishes(outcome: Outcome) -> None:
    assert outcome.run.returncode == 0, explain(outcome.run)
    assert re.search(r"^Run: \S+ SUCCESS$", outcome.run.stdout, re.M), explain(outcome.run)
    assert "failed [error]" not in outcome.run.stdout, explain(outcome.run)
    assert not outcome.warehouse.with_name(outcome.warehouse.name + ".building").exists()


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=[c.file_name for c in CORRUPTIONS])
def test_corrupted_document_is_quarantined_naming_its_check(outcome: Outcome, corruption: Corruption) -> None:
    with duckdb.connect(str(outcome.warehouse), read_only=True) as con:
        doc, status, reason = documents(con)[corruption.file_name]
        identities = {
            identity
            for (identity,) in con.execute(
                "select identity from audit.identity_findings where document_id = ? and severity = 'error'",
                [doc],
            ).fetchall()
        }
        facts = facts_of(con, doc)
    assert status == "quarantined", (status, reason)
    for identity in corruption.identities:
        assert identity in identities, identities
        assert identity in (reason or ""), reason
    assert reason.startswith("structural checks failed ("), reason
    assert all(not rows for rows in facts.values()), "a quarantined document's rows reached the facts"


def test_untouched_documents_load_unchanged(outcome: Outcome) -> None:
    with duckdb.connect(str(outcome.warehouse), read_only=True) as con:
        now = documents(con)
        assert now[CONTROL][1] == "loaded", now[CONTROL]
        assert now[LATE][1] == "loaded", now[LATE]
        assert facts_of(con, now[CONTROL][0]) == outcome.control_facts
        assert any(facts_of(con, now[LATE][0]).values()), "the new document has no facts"
