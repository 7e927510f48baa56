"""`budget-etl query --format` and `budget-etl export`: exact decimals, writes refused, every mart
written, the warehouse file never held longer than needed."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from budget_etl.main import main
from budget_etl.sandbox import (
    QueryRefused,
    WarehouseUnavailable,
    check_read_only,
    friendly_error,
    open_read_only,
)

MARTS = ["dim_x", "fct_t"]


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema raw")
        con.execute(
            "create table marts.fct_t "
            "(code varchar, name varchar, amount_yuan decimal(20, 2), pct decimal(18, 2))"
        )
        con.execute(
            "insert into marts.fct_t values ('2080101', '行政运行', 4211500.00, -20.00), "
            "('2080104', 'a,b \"c\"', null, null)"
        )
        con.execute("create table marts.dim_x (k varchar, seen date)")
        con.execute("insert into marts.dim_x values ('k1', date '2023-01-31')")
        con.execute("create table raw.cells (x int)")
    return path


def query(warehouse: Path, sql: str, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["query", sql, "--format", fmt, "--warehouse", str(warehouse)]) == 0
    return capsys.readouterr().out


def test_csv_keeps_exact_decimals_and_quotes(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = query(warehouse, "select * from marts.fct_t order by code", "csv", capsys)
    rows = list(csv.reader(out.splitlines()))
    assert rows == [
        ["code", "name", "amount_yuan", "pct"],
        ["2080101", "行政运行", "4211500.00", "-20.00"],
        ["2080104", 'a,b "c"', "", ""],
    ]


def test_json_numbers_are_exact_decimals(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = query(
        warehouse, "select f.*, d.seen from marts.fct_t f, marts.dim_x d order by code", "json", capsys
    )
    assert '"amount_yuan": 4211500.00' in out  # a number, printed as stored, never a float
    rows = json.loads(out, parse_float=Decimal)
    assert rows[0] == {
        "code": "2080101",
        "name": "行政运行",
        "amount_yuan": Decimal("4211500.00"),
        "pct": Decimal("-20.00"),
        "seen": "2023-01-31",
    }
    assert rows[1]["amount_yuan"] is None


def test_json_of_no_rows_is_an_empty_array(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert json.loads(query(warehouse, "select * from marts.fct_t where false", "json", capsys)) == []


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("update marts.fct_t set name = 'x'", "UPDATE"),
        ("select 1; insert into marts.fct_t values ('1', '2', 3, 4)", "INSERT"),
        ("attach 'other.duckdb' as o", "ATTACH"),
        ("checkpoint", "CALL"),
        ("create temp table t as select 1", "CREATE"),
    ],
)
def test_writes_are_refused_with_the_statement_kind(
    warehouse: Path, sql: str, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", sql, "--warehouse", str(warehouse)]) == 1
    err = capsys.readouterr().err
    assert f"refused {kind} statement" in err and "read-only" in err
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_t where name = 'x'").fetchone() == (0,)


def test_copy_is_refused_and_points_to_export(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.csv"
    assert main(["query", f"copy marts.fct_t to '{target}'", "--warehouse", str(warehouse)]) == 1
    assert "budget-etl export" in capsys.readouterr().err
    assert not target.exists()


def test_reads_are_allowed() -> None:
    for sql in (
        "with t as (select 1) select * from t",
        "describe marts.fct_t",
        "show tables",
        "explain select 1",
    ):
        check_read_only(sql)
    with pytest.raises(QueryRefused):
        check_read_only("drop table marts.fct_t")


def test_duckdb_read_only_errors_are_explained(warehouse: Path) -> None:
    with open_read_only(warehouse) as con, pytest.raises(duckdb.Error) as exc:
        con.execute("insert into marts.fct_t values ('1', '2', 3, 4)")
    assert friendly_error(exc.value).startswith("queries are read-only, the statement tried to change")


def test_syntax_error_exits_1(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "selec 1", "--warehouse", str(warehouse)]) == 1
    assert "syntax error" in capsys.readouterr().err


HOLD_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def hold_write_lock(warehouse: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(warehouse), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_query_waits_for_a_writer_then_reads(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    writer = hold_write_lock(warehouse, 1.0)
    try:
        started = time.monotonic()
        out = query(warehouse, "select count(*) as n from marts.fct_t", "csv", capsys)
        assert out.splitlines() == ["n", "2"]
        assert time.monotonic() - started >= 0.3
    finally:
        writer.wait(timeout=30)


def test_a_writer_that_stays_is_reported(warehouse: Path) -> None:
    writer = hold_write_lock(warehouse, 3.0)
    try:
        with pytest.raises(WarehouseUnavailable, match="held open for writing"):
            with open_read_only(warehouse, wait_s=0.3):
                pass
    finally:
        writer.wait(timeout=30)


# ---------------------------------------------------------------- export


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_writes_every_mart(
    warehouse: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "export"
    assert main(["export", "--format", fmt, str(out_dir), "--warehouse", str(warehouse)]) == 0
    printed = capsys.readouterr().out
    assert sorted(p.name for p in out_dir.iterdir()) == [f"{t}.{fmt}" for t in MARTS]  # not raw.*
    assert f"marts.fct_t -> fct_t.{fmt}: 2 rows" in printed
    assert f"Wrote 2 files (3 rows) to {out_dir}" in printed
    path = out_dir / f"fct_t.{fmt}"
    with duckdb.connect() as con:
        if fmt == "csv":  # text as printed: exact decimals, empty for NULL
            with path.open(encoding="utf-8", newline="") as f:
                assert list(csv.reader(f))[1][2] == "4211500.00"
        else:  # the types travel with the data
            rows = con.execute(f"select code, amount_yuan from '{path}' order by code").fetchall()
            assert rows == [("2080101", Decimal("4211500.00")), ("2080104", None)]
            types = con.execute(f"describe select * from '{path}'").fetchall()
            assert types[2][1] == "DECIMAL(20,2)"


def test_export_releases_the_warehouse(warehouse: Path, tmp_path: Path) -> None:
    assert main(["export", "--format", "parquet", str(tmp_path / "e"), "--warehouse", str(warehouse)]) == 0
    with duckdb.connect(str(warehouse)) as con:  # a writer (the next run) can open it at once
        con.execute("insert into marts.dim_x values ('k2', null)")


def test_export_without_warehouse_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.duckdb"
    assert main(["export", "--format", "csv", str(tmp_path / "e"), "--warehouse", str(missing)]) == 1
    assert "no warehouse" in capsys.readouterr().err
    assert not missing.exists() and not (tmp_path / "e").exists()
