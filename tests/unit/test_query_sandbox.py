"""`budget-etl query` reads the warehouse and nothing else (issue 11): no file outside it is read or
written, no extension is installed or loaded, no setting is changed. Each attack is refused by the
statement check (exit 1, a clear message) and, run straight on the connection, stopped by DuckDB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from budget_etl import sandbox
from budget_etl.main import main
from budget_etl.sandbox import QueryRefused, check_read_only, open_read_only

SECRET = "TOP-SECRET-7f3a"
SANDBOXED = "queries read the warehouse and nothing else"


@dataclass(frozen=True)
class Paths:
    warehouse: Path
    outside: Path  # a directory next to the warehouse, readable and writable by the user
    home: Path  # $HOME, where DuckDB would install extensions

    def format(self, sql: str) -> str:
        return sql.format(outside=self.outside, warehouse=self.warehouse)


@pytest.fixture()
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # an extension install would create $HOME/.duckdb
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (outside / "secret.csv").write_text(f"k\n{SECRET}\n", encoding="utf-8")
    with duckdb.connect(str(outside / "other.duckdb")) as con:
        con.execute("create table secret as select ? as k", [SECRET])
    warehouse = tmp_path / "wh" / "budget.duckdb"
    warehouse.parent.mkdir()
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute("create schema audit")
        con.execute("create table marts.fct_expenditure (code varchar, amount_yuan decimal(20, 2))")
        con.execute("insert into marts.fct_expenditure values ('2080101', 4211500.00), ('2080104', 12.50)")
        con.execute(  # what `budget-etl status` reads
            "create table audit.documents (file_name varchar, document_id varchar, status varchar, "
            "reason varchar, department_name varchar, fiscal_year int, doc_kind varchar, pages int, "
            "tables_found int, loaded_at timestamp)"
        )
        con.execute(
            "insert into audit.documents values ('a.pdf', 'd1', 'published', null, '人社局', 2023, "
            "'budget', 30, 9, timestamp '2024-03-01 02:00:00')"
        )
        con.execute(
            "create table audit.files (file_name varchar, document_id varchar, first_seen_at timestamp)"
        )
        con.execute("insert into audit.files values ('a.pdf', 'd1', timestamp '2024-03-01 02:00:00')")
    return Paths(warehouse, outside, home)


@dataclass(frozen=True)
class Attack:
    sql: str
    message: str  # in the CLI's error message
    writes: str | None = None  # a file the attack would create, relative to `outside` or the warehouse


OWNER = "{warehouse}.building.owner"
ATTACKS = {
    "explain-analyze-copy": Attack(
        "explain analyze copy (select 1) to '{outside}/x.csv'", "refused EXPLAIN statement", "x.csv"
    ),
    "explain-options-analyze-copy": Attack(
        "explain (analyze, format json) copy (select 1) to '{outside}/x.csv'",
        "refused EXPLAIN statement",
        "x.csv",
    ),
    "set-profiling-output": Attack(
        "set enable_profiling = 'json'; set profiling_output = '{outside}/profile.json'; select 1",
        "refused SET statement",
        "profile.json",
    ),
    "pragma-profiling": Attack(
        "pragma enable_profiling; pragma profiling_output = '{outside}/profile.txt'; select 1",
        "refused PRAGMA statement",
        "profile.txt",
    ),
    "read-text": Attack("select * from read_text('{outside}/secret.txt')", SANDBOXED),
    "read-csv": Attack("select * from read_csv('{outside}/secret.csv')", SANDBOXED),
    "read-blob": Attack("select content::varchar from read_blob('{outside}/secret.txt')", SANDBOXED),
    "file-as-table": Attack("from '{outside}/secret.csv'", SANDBOXED),
    "glob": Attack("select * from glob('{outside}/*')", SANDBOXED),
    "read-etc-passwd": Attack("select * from read_text('/etc/passwd')", SANDBOXED),
    "remote-parquet": Attack("select * from read_parquet('https://example.invalid/x.parquet')", SANDBOXED),
    "attach": Attack(
        "attach '{outside}/other.duckdb' as other; select * from other.secret", "refused ATTACH statement"
    ),
    "install": Attack("install httpfs", "refused LOAD statement"),
    "load": Attack("load httpfs", "refused LOAD statement"),
    "copy": Attack("copy (select 1) to '{outside}/c.csv'", "refused COPY statement", "c.csv"),
    "export-database": Attack("export database '{outside}/dump'", "refused EXPORT statement", "dump"),
    "owner-by-copy": Attack(
        'copy (select \'{{"run_id": "x", "pid": 1}}\' as o) to \'' + OWNER + "' (header false)",
        "refused COPY statement",
        OWNER,
    ),
    "owner-by-explain-analyze": Attack(
        "explain analyze copy (select 1) to '" + OWNER + "'", "refused EXPLAIN statement", OWNER
    ),
    "owner-by-profiling": Attack(
        "pragma enable_profiling = 'json'; set profiling_output = '" + OWNER + "'; select 1",
        "refused SET statement",
        OWNER,
    ),
}


def assert_no_trace(paths: Paths, attack: Attack, printed: str) -> None:
    """Nothing written, nothing of the outside files shown, no extension installed."""
    if attack.writes:
        written = Path(paths.format(attack.writes)) if "{" in attack.writes else paths.outside / attack.writes
        assert not written.exists(), f"{written} was written"
    assert SECRET not in printed and "root:" not in printed
    assert not (paths.home / ".duckdb").exists(), "an extension was installed"


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_query_refuses_the_attack(paths: Paths, attack: Attack, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", paths.format(attack.sql), "--warehouse", str(paths.warehouse)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert attack.message in err and "budget-etl query: " in err
    assert_no_trace(paths, attack, out + err)


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_connection_stops_the_attack_without_the_check(paths: Paths, attack: Attack) -> None:
    with open_read_only(paths.warehouse) as con, pytest.raises(duckdb.Error) as error:
        con.execute(paths.format(attack.sql)).fetchall()
    message = str(error.value)
    # Stopped by the sandbox: no file access, no extension, locked settings.
    stopped = ("disabled by configuration", "disabled through configuration", "configuration has been locked")
    assert any(reason in message for reason in stopped), message
    assert_no_trace(paths, attack, message)


@pytest.mark.parametrize(
    "sql",
    [
        "explain analyze copy (select 1) to 'x.csv'",
        "/* a comment */ EXPLAIN /* another */ ANALYSE insert into marts.t values (1)",
        "explain (analyze true, format json) copy (select 1) to 'x.csv'",
        "explain analyze create table t as select 1",
        "explain analyze with t as (select 1) insert into marts.t select * from t",
        "explain analyze set threads = 1",
        "explain analyze load httpfs",
        "pragma enable_profiling",
        "pragma threads = 1",
        "set threads = 1",
        "reset profiling_output",
        "set enable_external_access = true",
        "call pragma_table_info('marts.fct_expenditure')",
        "update extensions",
    ],
)
def test_the_check_refuses_statements_that_write_or_change_settings(sql: str) -> None:
    with pytest.raises(QueryRefused, match="queries are read-only"):
        check_read_only(sql)


def test_parse_errors_stay_errors() -> None:
    with pytest.raises(duckdb.ParserException):
        check_read_only("selec 1")
    with pytest.raises(duckdb.ParserException):
        check_read_only("explain analyze")


ORDINARY = {
    "select-marts": ("select sum(amount_yuan) as total from marts.fct_expenditure", "4211512.50"),
    "select-audit": ("from audit.documents", "published"),
    "with": ("with t as (select count(*) as n from marts.fct_expenditure) select n * 10 from t", "20"),
    "describe": ("describe marts.fct_expenditure", "DECIMAL(20,2)"),
    "show-tables": ("show all tables", "fct_expenditure"),
    "summarize": ("summarize marts.fct_expenditure", "amount_yuan"),
    "pragma-table-info": ("pragma table_info('marts.fct_expenditure')", "amount_yuan"),
    "pragma-show-tables": ("use marts; pragma show_tables", "fct_expenditure"),
    "explain": ("explain select * from marts.fct_expenditure", "physical_plan"),
    "explain-analyze": ("explain analyze select count(*) from marts.fct_expenditure", "analyzed_plan"),
    "explain-parenthesized": ("explain (format json) (select 1)", "physical_plan"),
    "use": ("use audit; select status from documents", "published"),
    "set-variable": ("set variable y = 2023; select getvariable('y') as y", "2023"),
    "pragma-version": ("pragma version", "library_version"),
}


@pytest.mark.parametrize(("sql", "expected"), ORDINARY.values(), ids=ORDINARY.keys())
def test_ordinary_analyst_queries_still_work(
    paths: Paths, sql: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", sql, "--format", "csv", "--warehouse", str(paths.warehouse)]) == 0
    assert expected in capsys.readouterr().out


def test_export_writes_into_its_directory_only(paths: Paths) -> None:
    out_dir = paths.outside / "export"
    with open_read_only(paths.warehouse, writable_dir=out_dir) as con:
        out_dir.mkdir()
        con.execute(f"copy marts.fct_expenditure to '{out_dir}/f.csv'")
        for sql in (
            f"copy (select 1) to '{paths.outside}/x.csv'",
            f"from read_text('{paths.outside}/secret.txt')",
        ):
            with pytest.raises(duckdb.PermissionException):
                con.execute(sql)
        with pytest.raises(duckdb.Error, match="locked"):
            con.execute("set enable_external_access = true")
    assert (out_dir / "f.csv").exists() and not (paths.outside / "x.csv").exists()


@pytest.mark.parametrize(
    "argv",
    [["query", "select 1"], ["status"], ["findings"], ["export", "--format", "csv", "EXPORT"]],
    ids=["query", "status", "findings", "export"],
)
def test_every_read_command_uses_the_sandboxed_connection(
    paths: Paths, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    connect = sandbox.connect_sandboxed

    def spy(warehouse: Path, writable_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
        opened.append(warehouse)
        return connect(warehouse, writable_dir)

    monkeypatch.setattr(sandbox, "connect_sandboxed", spy)
    argv = [str(paths.outside / "export") if a == "EXPORT" else a for a in argv]
    assert main([*argv, "--warehouse", str(paths.warehouse)]) == 0
    assert opened and set(opened) == {paths.warehouse}


def test_status_reads_through_the_sandbox(paths: Paths, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--warehouse", str(paths.warehouse)]) == 0
    out = capsys.readouterr().out
    assert "a.pdf" in out and "By status: 1 published" in out
