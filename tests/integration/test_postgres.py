"""The same dbt project on PostgreSQL: the sample's raw.* / audit.* copied from DuckDB, `dbt build
--target postgres`, and the marts' fact rows equal the DuckDB build's, value for value.

Needs a server: BUDGET_PG_HOST/PORT/USER/PASSWORD/DBNAME (the profile's `postgres` target;
`.ci/run` starts a throwaway cluster and exports them). Skipped with a message when none is
reachable. The test works in a database of its own (created and dropped here, so the user needs
CREATEDB), never in BUDGET_PG_DBNAME itself.
"""

from __future__ import annotations

import importlib.util
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pytest

from store.ingest import ingest_pdf
from tests.support.dbt import dbt_build

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
SAMPLE = REPO / "sample_inbox"
FACTS = (
    "fct_expenditure",
    "fct_basic_expenditure",
    "fct_revenue",
    "fct_three_public_costs",
    "fct_project",
    "fct_performance_indicator",
)


def _copy_script() -> ModuleType:
    path = DBT_PROJECT / "scripts" / "raw_to_postgres.py"
    spec = importlib.util.spec_from_file_location("raw_to_postgres", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


raw_to_postgres = _copy_script()


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, Any]]:
    """Connection keywords for a fresh database on the server, dropped afterwards."""
    psycopg2 = pytest.importorskip("psycopg2", reason="psycopg2 (installed with dbt-postgres) is missing")
    base = raw_to_postgres.connection_parameters()
    where = f"{base['user']}@{base['host']}:{base['port']}"
    try:
        admin = psycopg2.connect(**{**base, "connect_timeout": 3})
    except psycopg2.OperationalError as error:
        pytest.skip(
            f"no PostgreSQL server reachable at {where} ({str(error).strip().splitlines()[0]}); "
            "set BUDGET_PG_HOST/PORT/USER/PASSWORD/DBNAME, or run .ci/run (it starts a throwaway one)"
        )
    admin.autocommit = True
    name = f"budget_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'create database "{name}"')
    except psycopg2.Error as error:
        admin.close()
        pytest.skip(f"cannot create a scratch database on {where}: {error}")
    try:
        yield {**base, "dbname": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


def canonical(value: Any) -> Any:
    """Decimal(7677800.00) and Decimal(7677800.0) are the same amount; keep them comparable and sortable."""
    return value.normalize() if isinstance(value, Decimal) else value


def sort_key(row: tuple) -> tuple:
    return tuple((v is None, str(v)) for v in row)


@dataclass(frozen=True)
class Builds:
    duckdb_rows: dict[str, tuple[list[str], list[tuple]]]
    postgres_rows: dict[str, tuple[list[str], list[tuple]]]
    copied: dict[str, int]


def duckdb_tables(warehouse: Path, tables: tuple[str, ...]) -> dict[str, tuple[list[str], list[tuple]]]:
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in tables:
            cursor = con.execute(f"select * from {table}")
            names = [d[0] for d in cursor.description]
            out[table] = (names, sorted((tuple(map(canonical, r)) for r in cursor.fetchall()), key=sort_key))
    return out


def postgres_tables(
    parameters: dict[str, Any], tables: tuple[str, ...]
) -> dict[str, tuple[list[str], list[tuple]]]:
    import psycopg2

    out = {}
    con = psycopg2.connect(**parameters)
    try:
        with con.cursor() as cursor:
            for table in tables:
                cursor.execute(f"select * from {table}")
                names = [d[0] for d in cursor.description]
                rows = sorted((tuple(map(canonical, r)) for r in cursor.fetchall()), key=sort_key)
                out[table] = (names, rows)
    finally:
        con.close()
    return out


def postgres_execute(parameters: dict[str, Any], sql: str) -> None:
    import psycopg2

    con = psycopg2.connect(**parameters)
    try:
        with con, con.cursor() as cursor:
            cursor.execute(sql)
    finally:
        con.close()


COMPARED = (
    *(f"marts.{fact}" for fact in FACTS),
    "audit.identity_findings",
    "marts.dim_department",
    "marts.dim_fiscal_year",
)


@pytest.fixture(scope="module")
def builds(server: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Builds:
    work = tmp_path_factory.mktemp("postgres")
    warehouse = work / "budget.duckdb"
    for pdf in sorted(SAMPLE.glob("*.pdf")):
        assert ingest_pdf(pdf, warehouse).status == "loaded"
    dbt_build(work, target="dev", env={"BUDGET_WAREHOUSE": str(warehouse)})
    copied = raw_to_postgres.copy_warehouse(warehouse, server)
    pg_env = {
        "BUDGET_PG_HOST": str(server["host"]),
        "BUDGET_PG_PORT": str(server["port"]),
        "BUDGET_PG_USER": str(server["user"]),
        "BUDGET_PG_PASSWORD": str(server["password"]),
        "BUDGET_PG_DBNAME": str(server["dbname"]),
    }
    dbt_build(work, target="postgres", env=pg_env)
    # incremental by document on the server too (issue 16): with the recorded build keys
    # forgotten, the second build deletes every document's rows and inserts them again
    postgres_execute(server, "delete from intermediate.int_built_document_keys")
    dbt_build(work, target="postgres", env=pg_env)
    assert postgres_tables(server, ("intermediate.int_changed_documents",))[
        "intermediate.int_changed_documents"
    ][1], "the second build was not incremental over the document"
    return Builds(duckdb_tables(warehouse, COMPARED), postgres_tables(server, COMPARED), copied)


def test_raw_and_audit_tables_are_copied(builds: Builds) -> None:
    assert builds.copied["raw.documents"] == 1
    assert builds.copied["audit.document_loads"] == 1
    assert "audit.documents" not in builds.copied  # a dbt view over the loads: built on the server
    assert builds.copied["raw.line_items"] > 500
    assert "audit.identity_findings" not in builds.copied  # dbt builds it on the server


@pytest.mark.parametrize("table", COMPARED)
def test_postgres_build_equals_duckdb_build(builds: Builds, table: str) -> None:
    duck_names, duck_rows = builds.duckdb_rows[table]
    pg_names, pg_rows = builds.postgres_rows[table]
    assert pg_names == duck_names
    assert pg_rows == duck_rows
    if table.startswith("marts.fct_"):
        assert duck_rows, f"{table} is empty: the comparison would prove nothing"
