"""Copy a DuckDB warehouse's input tables (raw.*, audit.*) into PostgreSQL for `dbt build --target postgres`.

    .venv/bin/python dbt_project/scripts/raw_to_postgres.py --duckdb warehouse/budget.duckdb
    BUDGET_WAREHOUSE=... dbt build --target postgres --project-dir dbt_project --profiles-dir dbt_project

The server comes from the same variables as the dbt profile's `postgres` target: BUDGET_PG_HOST
(127.0.0.1), BUDGET_PG_PORT (5432), BUDGET_PG_USER (budget), BUDGET_PG_PASSWORD, BUDGET_PG_DBNAME
(budget). Every base table of the copied schemas is dropped (with the dbt views on top of it) and
re-created with the same columns and types, then filled with COPY in one transaction: the server
sees the old tables or all new ones. Tables dbt builds itself (audit.identity_findings) are skipped.

DuckDB's postgres extension would do this in one statement, but it is a download; this needs only
duckdb and psycopg2 (installed with dbt-postgres). Values travel as CSV, written by DuckDB and read by
COPY: NULL is an unquoted empty field, an empty string a quoted one, in both.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2
from psycopg2 import sql

SCHEMAS = ("raw", "audit")
# Built by dbt (models in the audit schema): never copied, the postgres build makes its own.
DBT_BUILT = frozenset({("audit", "identity_findings")})

_SIMPLE_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(38,0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "UUID": "uuid",
    "BLOB": "bytea",
}


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str

    @property
    def postgres_type(self) -> str:
        decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", self.duckdb_type)
        if decimal:
            return f"numeric({decimal.group(1)},{decimal.group(2)})"
        try:
            return _SIMPLE_TYPES[self.duckdb_type]
        except KeyError:
            raise ValueError(f"no PostgreSQL type for DuckDB type {self.duckdb_type} ({self.name})") from None


def connection_parameters() -> dict[str, str | int]:
    """psycopg2.connect() keywords from BUDGET_PG_* (the defaults of profiles.yml's postgres target)."""
    return {
        "host": os.environ.get("BUDGET_PG_HOST", "127.0.0.1"),
        "port": int(os.environ.get("BUDGET_PG_PORT", "5432")),
        "user": os.environ.get("BUDGET_PG_USER", "budget"),
        "password": os.environ.get("BUDGET_PG_PASSWORD", ""),
        "dbname": os.environ.get("BUDGET_PG_DBNAME", "budget"),
        "connect_timeout": 10,
    }


def input_tables(
    source: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]
) -> dict[tuple[str, str], list[Column]]:
    """Base tables (not views) of the schemas with their columns in order, dbt's own tables left out."""
    rows = source.execute(
        """
        select c.table_schema, c.table_name, c.column_name, c.data_type
        from information_schema.columns as c
        join information_schema.tables as t using (table_catalog, table_schema, table_name)
        where t.table_type = 'BASE TABLE' and c.table_schema in (select unnest(?::varchar[]))
            and t.table_catalog = current_database()
        order by c.table_schema, c.table_name, c.ordinal_position
        """,
        [list(schemas)],
    ).fetchall()
    tables: dict[tuple[str, str], list[Column]] = {}
    for schema, table, column, data_type in rows:
        if (schema, table) not in DBT_BUILT:
            tables.setdefault((schema, table), []).append(Column(column, data_type))
    return tables


def copy_warehouse(
    duckdb_path: Path, parameters: dict[str, str | int] | None = None, schemas: tuple[str, ...] = SCHEMAS
) -> dict[str, int]:
    """Replace the server's copies of the warehouse's raw/audit tables; returns rows per table."""
    counts: dict[str, int] = {}
    source = duckdb.connect(str(duckdb_path), read_only=True)
    target = psycopg2.connect(**(parameters or connection_parameters()))
    try:
        tables = input_tables(source, schemas)
        with tempfile.TemporaryDirectory(prefix="raw-to-postgres-") as folder, target.cursor() as cursor:
            for schema in schemas:
                cursor.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
            for (schema, table), columns in tables.items():
                name = sql.Identifier(schema, table)
                cursor.execute(sql.SQL("drop table if exists {} cascade").format(name))
                cursor.execute(
                    sql.SQL("create table {} ({})").format(
                        name,
                        sql.SQL(", ").join(
                            sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.postgres_type))
                            for c in columns
                        ),
                    )
                )
                csv = Path(folder) / f"{schema}.{table}.csv"
                quoted = ", ".join(f'"{c.name}"' for c in columns)
                query = f'select {quoted} from "{schema}"."{table}"'
                source.execute(f"copy ({query}) to '{csv}' (format csv, header false)")
                with csv.open("r", encoding="utf-8", newline="") as handle:
                    cursor.copy_expert(
                        sql.SQL("copy {} ({}) from stdin with (format csv)").format(
                            name, sql.SQL(", ").join(sql.Identifier(c.name) for c in columns)
                        ),
                        handle,
                    )
                counts[f"{schema}.{table}"] = cursor.rowcount
                csv.unlink()
            cursor.execute("analyze")
        target.commit()
    except BaseException:
        target.rollback()
        raise
    finally:
        target.close()
        source.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--duckdb",
        type=Path,
        default=Path(os.environ.get("BUDGET_WAREHOUSE", "warehouse/budget.duckdb")),
        help="the DuckDB warehouse to copy from (default: $BUDGET_WAREHOUSE or warehouse/budget.duckdb)",
    )
    args = parser.parse_args(argv)
    if not args.duckdb.is_file():
        print(f"no DuckDB warehouse at {args.duckdb}", file=sys.stderr)
        return 2
    parameters = connection_parameters()
    started = time.perf_counter()
    counts = copy_warehouse(args.duckdb, parameters)
    for table, rows in counts.items():
        print(f"{table}: {rows} rows")
    where = f"{parameters['user']}@{parameters['host']}:{parameters['port']}/{parameters['dbname']}"
    print(f"copied {len(counts)} tables to {where} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
