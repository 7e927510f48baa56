"""budget-etl: usage errors exit 2; `query` reads the warehouse and can never change it."""

from pathlib import Path

import duckdb
import pytest

from budget_etl.main import main
from budget_etl.output import display_width, format_table


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.t (code varchar, name varchar, amount_yuan decimal(20,2))")
        con.execute("insert into marts.t values ('2080101', '行政运行', 4211500.00), ('2080104', 'x', null)")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["run", "--bogus"],
        ["run", "--inbox"],
        ["query"],
        ["export", "--format", "xml", "out"],
        ["accept", "doc"],  # --reason is required
    ],
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage: budget-etl" in capsys.readouterr().err


def test_run_with_missing_inbox_is_bad_usage(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", "--inbox", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb")])
    assert exc.value.code == 2


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "query" in capsys.readouterr().out


def test_query_prints_aligned_table(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "select code, name, amount_yuan from marts.t order by code"
    assert main(["query", sql, "--warehouse", str(warehouse)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["code", "name", "amount_yuan"]
    assert lines[2].split() == ["2080101", "行政运行", "4211500.00"]
    assert lines[3].split() == ["2080104", "x", "NULL"]
    assert lines[-1] == "(2 rows)"
    # Amounts are right-aligned: the rows end in the same terminal column (CJK counts two).
    assert display_width(lines[2]) == display_width(lines[3]) == display_width(lines[0])


def test_query_uses_budget_warehouse_env(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(warehouse))
    assert main(["query", "select count(*) as n from marts.t"]) == 0
    assert capsys.readouterr().out.splitlines()[2].strip() == "2"


@pytest.mark.parametrize(
    "sql",
    [
        "create table marts.u (x int)",
        "insert into marts.t values ('1', '2', 3)",
        "delete from marts.t",
        "drop table marts.t",
    ],
)
def test_query_refuses_writes(warehouse: Path, sql: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", sql, "--warehouse", str(warehouse)]) == 1
    captured = capsys.readouterr()
    assert "read-only" in captured.err.lower() and captured.out == ""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.t").fetchone() == (2,)
        assert con.execute("select count(*) from duckdb_tables() where table_name = 'u'").fetchone() == (0,)


def test_query_errors_go_to_stderr(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "select * from marts.nope", "--warehouse", str(warehouse)]) == 1
    captured = capsys.readouterr()
    assert "nope" in captured.err and captured.out == ""


def test_query_without_warehouse_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.duckdb"
    assert main(["query", "select 1", "--warehouse", str(missing)]) == 1
    assert "no warehouse" in capsys.readouterr().err
    assert not missing.exists()  # a read-only query never creates the file


def _audit_warehouse(path: Path, status: str) -> Path:
    """A loaded document with one finding, an `error` when `status` is quarantined; audit.documents is
    a stand-in for dbt's view (store.status's fallback, quarantined by an error finding)."""
    import duckdb

    from store.schema import create_schema
    from store.status import FALLBACK_SQL

    with duckdb.connect(str(path)) as con:
        create_schema(con)
        con.execute(
            "insert into audit.document_loads (document_id, file_name, outcome, loaded_at) "
            "values ('d1', 'a.pdf', 'loaded', '2024-01-01')"
        )
        con.execute(
            'create table audit.identity_findings (document_id varchar, identity varchar, "table" varchar, '
            "item varchar, expected_yuan decimal(20,2), actual_yuan decimal(20,2), "
            "difference_yuan decimal(20,2), tolerance_yuan decimal(20,4), page integer, severity varchar)"
        )
        con.execute(
            "insert into audit.identity_findings values ('d1', 'expenditure_row_total', 'expenditure', "
            "'2080101 行政运行', 4212500, 4211500, -1000, 150, 6, ?)",
            ["error" if status == "quarantined" else "warn"],
        )
        con.execute(
            "create view audit.documents as select document_id, file_name, case when status = 'loaded' "
            "and exists (select 1 from audit.identity_findings e where e.document_id = d.document_id "
            "and e.severity = 'error') then 'quarantined' else status end as status, reason "
            f"from ({FALLBACK_SQL}) as d"
        )
    return path


def test_findings_are_listed_readably(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warehouse = _audit_warehouse(tmp_path / "w.duckdb", "quarantined")
    assert main(["findings", "a.pdf", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "a.pdf (d1, quarantined): 1 finding" in out
    assert "expected 4,212,500.00 元, printed 4,211,500.00 元, difference -1,000.00 元" in out


def test_accept_records_who_why_when(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    warehouse = _audit_warehouse(tmp_path / "w.duckdb", "quarantined")
    assert (
        main(
            ["accept", "d1", "--reason", "checked p6 by hand", "--no-rebuild", "--warehouse", str(warehouse)]
        )
        == 0
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select status, reason from audit.documents").fetchall() == [
            ("accepted", "checked p6 by hand")
        ]
        who, why, when = con.execute(
            "select accepted_by, reason, accepted_at from audit.acceptances"
        ).fetchone()
    assert why == "checked p6 by hand" and who and when is not None


def test_accept_refuses_documents_that_are_not_quarantined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = _audit_warehouse(tmp_path / "w.duckdb", "loaded")
    assert main(["accept", "d1", "--reason", "x", "--no-rebuild", "--warehouse", str(warehouse)]) == 1
    assert "is loaded, not quarantined" in capsys.readouterr().err


def test_accept_waits_for_a_running_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A run's swap would undo an acceptance written under it: refused, nothing recorded, exit 75."""
    from store.publish import Workspace

    warehouse = _audit_warehouse(tmp_path / "w.duckdb", "quarantined")
    workspace = Workspace(warehouse)
    workspace.claim("run-nightly")  # a live owner: this process holds it
    argv = ["accept", "d1", "--reason", "checked p6", "--no-rebuild", "--warehouse", str(warehouse)]
    assert main(argv) == 75
    assert "nothing recorded: run run-nightly" in capsys.readouterr().err
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select status from audit.documents").fetchall() == [("quarantined",)]
        assert con.execute("select count(*) from audit.acceptances").fetchone() == (0,)
    workspace.release("run-nightly")
    assert main(argv) == 0  # the same command once the run is over


def test_accept_without_warehouse_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.duckdb"
    assert main(["accept", "d1", "--reason", "x", "--no-rebuild", "--warehouse", str(missing)]) == 1
    assert "no warehouse at" in capsys.readouterr().err
    assert not missing.exists()


def test_format_table_counts_cjk_as_two_columns() -> None:
    text = format_table(["name", "n"], [("行政运行", 1), ("ab", 22)])
    header, rule, first, second, count = text.splitlines()
    assert rule == "-" * 8 + "  " + "-" * 2
    assert first == "行政运行   1"
    assert second == "ab        22"
    assert count == "(2 rows)"
