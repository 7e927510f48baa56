"""Incremental by document (issue 16): after a sequence of loads, a supersede, a quarantine, an
accept and a retirement, each built incrementally by a real `budget-etl run`, the marts and
audit.identity_findings are row for row those of a `--full-refresh` build of the same raw data.

Synthetic budgets (tests/support/synthetic.py) in a real inbox, real runs on a real DuckDB file:
    run 1   A, B, Q (Q prints a wrong row total: quarantined)      full (no build recorded yet)
    run 2   + A2 (a newer version of A: A superseded) + C (new)     incremental
    run 3   `accept Q`, `retire B` (--no-rebuild: one run builds both)  incremental
after runs 2 and 3 a copy of the warehouse is rebuilt by `dbt build --full-refresh` and compared;
after run 3 also by `budget-etl run --full-refresh`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.support.synthetic import NumberStyle, font_available, generate

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BUDGET_ETL = BIN / "budget-etl"
DBT_PROJECT = REPO / "dbt_project"

A, A2, B, C, Q = "a.pdf", "a_revised.pdf", "b.pdf", "c.pdf", "q.pdf"


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    return (
        f"exit {proc.returncode}\n--- stdout\n{proc.stdout[-6000:]}\n--- stderr (tail)\n{proc.stderr[-4000:]}"
    )


def budget_etl(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(BUDGET_ETL), *args],
        env={**os.environ, "DAGSTER_HOME": str(root / "dagster_home")},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, explain(proc)
    return proc


def run(root: Path, warehouse: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return budget_etl(root, "run", "--inbox", str(root / "inbox"), "--warehouse", str(warehouse), *flags)


def full_refresh_copy(warehouse: Path, work: Path) -> Path:
    """A copy of `warehouse` rebuilt from its raw data by `dbt build --full-refresh`."""
    work.mkdir(parents=True, exist_ok=True)
    copy = work / "full.duckdb"
    shutil.copyfile(warehouse, copy)
    dbt = BIN / "dbt"
    proc = subprocess.run(
        [
            *([str(dbt)] if dbt.exists() else [sys.executable, "-m", "dbt.cli.main"]),
            "build",
            "--full-refresh",
            "--exclude-resource-type",
            "unit_test",
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ],
        env={**os.environ, "BUDGET_WAREHOUSE": str(copy), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, explain(proc)
    return copy


def compared_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where (table_schema = 'marts' or (table_schema = 'audit' and table_name = 'identity_findings')) "
        "and table_type = 'BASE TABLE' order by 1"
    ).fetchall()
    return [name for (name,) in rows]


def contents(warehouse: Path) -> dict[str, Counter[tuple]]:
    """Every marts table and audit.identity_findings as a multiset of rows (order-independent)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: Counter(con.execute(f"select * from {t}").fetchall()) for t in compared_tables(con)}


def differences(incremental: Path, full: Path) -> list[str]:
    left, right = contents(incremental), contents(full)
    found = [f"tables: {sorted(left)} != {sorted(right)}"] if sorted(left) != sorted(right) else []
    for table in sorted(set(left) & set(right)):
        only_left, only_right = left[table] - right[table], right[table] - left[table]
        if only_left or only_right:
            found.append(
                f"{table}: {sum(only_left.values())} rows only in the incremental build "
                f"(e.g. {list(only_left)[:2]}), {sum(only_right.values())} only in the full one "
                f"(e.g. {list(only_right)[:2]})"
            )
    return found


def statuses(warehouse: Path) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("select file_name, status from audit.documents").fetchall())


def facts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select d.file_name, count(f.document_id) from audit.documents as d "
            "left join marts.fct_expenditure as f on f.document_id = d.document_id group by 1"
        ).fetchall()
    return dict(rows)


def changed_documents(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from intermediate.int_changed_documents").fetchone()[0]


@dataclass(frozen=True)
class Step:
    name: str
    statuses: dict[str, str]
    changed: int  # documents the step's build processed
    differences: list[str]
    facts: dict[str, int]  # file name -> rows in marts.fct_expenditure


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> list[Step]:
    if not font_available():
        pytest.skip("CJK font fonts-wqy-microhei missing: synthetic budgets cannot be drawn")
    root = tmp_path_factory.mktemp("incremental")
    inbox, warehouse = root / "inbox", root / "budget.duckdb"
    inbox.mkdir()
    generate(inbox / A, seed=21)
    generate(inbox / B, seed=22)
    generate(inbox / Q, seed=23, bad_amounts=("999.99",))  # a wrong row total: quarantined
    steps: list[Step] = []

    def record(name: str, proc: subprocess.CompletedProcess[str], compare: bool) -> None:
        found = differences(warehouse, full_refresh_copy(warehouse, root / name)) if compare else []
        steps.append(Step(name, statuses(warehouse), changed_documents(warehouse), found, facts(warehouse)))

    record("loads", run(root, warehouse), compare=False)
    generate(inbox / A2, seed=21, number_style=NumberStyle(thousands=False))  # same budget, new file
    generate(inbox / C, seed=24)
    record("supersede", run(root, warehouse), compare=True)
    budget_etl(
        root, "accept", Q, "--warehouse", str(warehouse), "--reason", "checked the PDF", "--no-rebuild"
    )
    budget_etl(root, "retire", B, "--warehouse", str(warehouse), "--reason", "withdrawn", "--no-rebuild")
    record("accept_retire", run(root, warehouse), compare=True)
    # the command line's full refresh, on a copy with the same raw data
    full = root / "cli_full.duckdb"
    shutil.copyfile(warehouse, full)
    budget_etl(root, "run", "--inbox", str(inbox), "--warehouse", str(full), "--full-refresh")
    steps.append(
        Step(
            "cli_full_refresh",
            statuses(full),
            changed_documents(full),
            differences(warehouse, full),
            facts(full),
        )
    )
    return steps


def by_name(steps: list[Step], name: str) -> Step:
    return next(step for step in steps if step.name == name)


def test_the_sequence_reaches_every_status(steps: list[Step]) -> None:
    assert by_name(steps, "loads").statuses == {A: "loaded", B: "loaded", Q: "quarantined"}
    assert by_name(steps, "supersede").statuses == {
        A: "superseded",
        A2: "loaded",
        B: "loaded",
        C: "loaded",
        Q: "quarantined",
    }
    assert by_name(steps, "accept_retire").statuses == {
        A: "superseded",
        A2: "loaded",
        B: "retired",
        C: "loaded",
        Q: "accepted",
    }


def test_incremental_builds_process_only_the_changed_documents(steps: list[Step]) -> None:
    # run 1 builds everything; run 2: A, A2 (one group) and C, on a whole copy of run 1's version
    # (no standby yet: store/standby.py); run 3 builds the standby, run 1's version caught up, whose
    # own last build precedes run 2: run 2's A, A2, C and run 3's Q and B (their own groups)
    assert by_name(steps, "loads").changed == 3
    assert by_name(steps, "supersede").changed == 3
    assert by_name(steps, "accept_retire").changed == 3 + 2
    assert by_name(steps, "cli_full_refresh").changed == 5


@pytest.mark.parametrize("name", ["supersede", "accept_retire", "cli_full_refresh"])
def test_incremental_marts_equal_a_full_refresh(steps: list[Step], name: str) -> None:
    assert by_name(steps, name).differences == []


def test_the_marts_hold_what_the_statuses_say(steps: list[Step]) -> None:
    """Not vacuous: the admitted documents have facts, the others none, after every step."""
    admitted = ("loaded", "accepted")
    for step in steps:
        for file_name, status in step.statuses.items():
            assert (step.facts[file_name] > 0) == (status in admitted), (
                step.name,
                file_name,
                status,
                step.facts,
            )
