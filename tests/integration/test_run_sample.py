"""End to end: `budget-etl run` on the sample PDF gives exactly the printed amounts, and a rerun
changes nothing.

The pipeline runs twice per session (session fixtures): once into an empty warehouse, once more
over the same inbox. Each run is a subprocess, like a user's, with its own DAGSTER_HOME.
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BUDGET_ETL = Path(sys.executable).parent / "budget-etl"
WAN = Decimal(10000)  # the sample prints 万元
FACT_TABLES = ("marts.fct_expenditure", "marts.fct_basic_expenditure")
EXPENDITURE_SCOPES = {"expenditure": "all_funds", "general_budget_expenditure": "general_public_budget"}
EXPENDITURE_COLUMNS = {3: "basic", 4: "project"}
BASIC_COLUMNS = {3: "personnel", 4: "public"}


@dataclass(frozen=True)
class RunResult:
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class WarehouseState:
    expenditure: list[tuple[str, str, str, Decimal]]  # fund_scope, functional_code, expenditure_type, yuan
    basic: list[tuple[str, str, Decimal]]  # economic_code, cost_type, yuan
    fact_rows: dict[str, list[tuple]]  # every column of every fact row, sorted
    sums: dict[str, Decimal]
    row_counts: dict[str, int]  # every table in raw, audit and marts
    documents: list[tuple]  # audit.documents: document_id, file_name, sha256, status


@dataclass(frozen=True)
class SampleRuns:
    first: RunResult
    after_first: WarehouseState
    second: RunResult
    after_second: WarehouseState


def budget_etl_run(inbox: Path, warehouse: Path, dagster_home: Path) -> RunResult:
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
    proc = subprocess.run(
        [str(BUDGET_ETL), "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return RunResult(proc.returncode, proc.stdout, proc.stderr)


def read_state(warehouse: Path) -> WarehouseState:
    with duckdb.connect(str(warehouse), read_only=True) as con:

        def rows(sql: str) -> list[tuple]:
            return con.execute(sql).fetchall()

        tables = rows(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('raw', 'audit', 'marts') and table_type = 'BASE TABLE'"
        )
        return WarehouseState(
            expenditure=rows(
                "select fund_scope, functional_code, expenditure_type, amount_yuan from marts.fct_expenditure"
            ),
            basic=rows("select economic_code, cost_type, amount_yuan from marts.fct_basic_expenditure"),
            fact_rows={t: sorted(rows(f"select * from {t}"), key=repr) for t in FACT_TABLES},
            sums={t: rows(f"select sum(amount_yuan) from {t}")[0][0] for t in FACT_TABLES},
            row_counts={t: rows(f"select count(*) from {t}")[0][0] for (t,) in tables},
            documents=rows("select document_id, file_name, sha256, status from audit.documents order by 1"),
        )


def fail_message(run: RunResult) -> str:
    return f"exit {run.returncode}\n--- stdout\n{run.stdout}\n--- stderr (tail)\n{run.stderr[-4000:]}"


@pytest.fixture(scope="session")
def sample_runs(tmp_path_factory: pytest.TempPathFactory) -> SampleRuns:
    root = tmp_path_factory.mktemp("sample_run")
    inbox = root / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "base.pdf", inbox / "base.pdf")
    warehouse = root / "w.duckdb"

    first = budget_etl_run(inbox, warehouse, root / "dagster_home")
    assert first.returncode == 0, fail_message(first)
    after_first = read_state(warehouse)
    second = budget_etl_run(inbox, warehouse, root / "dagster_home")
    assert second.returncode == 0, fail_message(second)
    return SampleRuns(first, after_first, second, read_state(warehouse))


def yuan(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) * WAN


def expected_expenditure(truth_tables: dict[str, dict]) -> dict[tuple[str, str, str], Decimal]:
    """Tables 3 and 5: every printed amount of a 7-digit (项, leaf) code, basic and project."""
    expected = {}
    for kind, scope in EXPENDITURE_SCOPES.items():
        for row in truth_tables[kind]["rows"]:
            if len(row[0]) == 7:
                for col, kind_of_spending in EXPENDITURE_COLUMNS.items():
                    if row[col]:
                        expected[(scope, row[0], kind_of_spending)] = yuan(row[col])
    return expected


def expected_basic(truth_tables: dict[str, dict]) -> dict[tuple[str, str], Decimal]:
    """Table 6: every printed amount of a 5-digit (款, leaf) economic code, personnel and public."""
    expected = {}
    for row in truth_tables["basic_expenditure_economic"]["rows"]:
        if len(row[0]) == 5:
            for col, cost_type in BASIC_COLUMNS.items():
                if row[col]:
                    expected[(row[0], cost_type)] = yuan(row[col])
    return expected


def test_first_run_loads_the_document(sample_runs: SampleRuns) -> None:
    counts = "0 superseded, 0 duplicate, 0 quarantined, 0 rejected"
    assert f"Documents: 1 seen (1 loaded, 0 unchanged, {counts})" in sample_runs.first.stdout
    assert "SUCCESS" in sample_runs.first.stdout
    assert [status for *_, status in sample_runs.after_first.documents] == ["loaded"]


def test_expenditure_facts_match_tables_3_and_5(
    sample_runs: SampleRuns, truth_tables: dict[str, dict]
) -> None:
    actual = sample_runs.after_first.expenditure
    keys = [row[:3] for row in actual]
    assert len(keys) == len(set(keys)), "one fact per document × code × fund scope × expenditure type"
    expected = expected_expenditure(truth_tables)
    assert {row[:3]: row[3] for row in actual} == expected
    assert len(expected) == 22  # 11 printed leaf amounts in table 3, 11 in table 5


def test_basic_expenditure_facts_match_table_6(
    sample_runs: SampleRuns, truth_tables: dict[str, dict]
) -> None:
    actual = sample_runs.after_first.basic
    keys = [row[:2] for row in actual]
    assert len(keys) == len(set(keys)), "one fact per document × economic code × cost type"
    expected = expected_basic(truth_tables)
    assert {row[:2]: row[2] for row in actual} == expected
    assert len(expected) == 26


def test_amounts_are_exact_decimals(sample_runs: SampleRuns) -> None:
    amounts = [row[-1] for row in sample_runs.after_first.expenditure + sample_runs.after_first.basic]
    assert amounts and all(isinstance(a, Decimal) and a == a.quantize(Decimal("0.01")) for a in amounts)


def test_summary_reports_facts_and_checks(sample_runs: SampleRuns) -> None:
    out = sample_runs.first.stdout
    counts = sample_runs.after_first.row_counts
    for table in FACT_TABLES:
        assert f"{table}: {counts[table]} rows" in out
    assert "dbt tests (asset checks):" in out and " 0 failed" in out
    assert "Run: " in out


def test_second_run_changes_nothing(sample_runs: SampleRuns) -> None:
    out = sample_runs.second.stdout
    assert "Nothing new: extraction and dbt skipped" in out
    counts = "0 superseded, 0 duplicate, 0 quarantined, 0 rejected"
    assert f"Documents: 1 seen (0 loaded, 1 unchanged, {counts})" in out
    before, after = sample_runs.after_first, sample_runs.after_second
    assert after.row_counts == before.row_counts
    assert after.sums == before.sums
    assert after.fact_rows == before.fact_rows  # same keys, same amounts: stable across reruns
    assert after.documents == before.documents
