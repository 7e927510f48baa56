"""A big warehouse from a few extracted documents: their raw.* / audit.* rows copied under new ids.

Generating and extracting 1,000 PDFs takes long on a small machine; the marts only see raw.* and
audit.*, so a warehouse with the same rows under new document ids, departments and years is as
good a test of dbt and of analysts' queries. `replicate()` writes, into an empty warehouse made
with the loader's own DDL (store/load.py), `documents` replicas of the source warehouse's loaded
documents: replica i belongs to department i // years and fiscal year FIRST_YEAR + i % years, and
copies source document i mod n — so a department's years come from different sources (when n >=
years) and its figures change from year to year (三公 growth is not always 0). Every
row of every raw/audit table with a document_id is copied; only the identifying columns change
(document_id, sha256, file name, department, region, year, title). Amounts and texts are
untouched, so every replica passes exactly the identities its source passes.

    .venv/bin/python -m benchmarks.replicate SOURCE.duckdb TARGET.duckdb --documents 1000
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from store.load import connect

FIRST_YEAR = 2019
SCHEMAS = ("raw", "audit")

# Per table: the columns a replica changes, as SQL over the source row `s` and the map row `m`.
OVERRIDES: dict[tuple[str, str], dict[str, str]] = {
    ("raw", "documents"): {
        "sha256": "m.sha256",
        "file_name": "m.file_name",
        "department_name": "m.department_name",
        "region": "m.region",
        "fiscal_year": "m.fiscal_year",
        "title": "m.department_name || cast(m.fiscal_year as varchar) || '年部门预算'",
    },
    ("audit", "document_loads"): {
        "file_name": "m.file_name",
        "sha256": "m.sha256",
        "department_name": "m.department_name",
        "fiscal_year": "m.fiscal_year",
    },
    ("audit", "files"): {"file_name": "m.file_name", "sha256": "m.sha256"},
}


@dataclass(frozen=True)
class Replicated:
    sources: int
    documents: int
    departments: int
    years: int
    rows: dict[str, int]
    seconds: float


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_catalog = ? "
            "and table_schema = ? and table_name = ? order by ordinal_position",
            [catalog, schema, table],
        ).fetchall()
    ]


def replicate(source: Path, target: Path, documents: int, years: int = 5) -> Replicated:
    """Fill the empty warehouse `target` with `documents` replicas of `source`'s loaded documents."""
    started = time.perf_counter()
    if target.exists():
        raise FileExistsError(f"{target} exists: replicate() writes a new warehouse")
    rows: dict[str, int] = {}
    with connect(target) as con:  # the loader's DDL: the same tables, types and keys as a real load
        con.execute(f"attach '{source}' as src (read_only)")
        sources = [
            row[0]
            for row in con.execute(
                "select r.document_id from src.raw.documents as r "
                "join src.audit.document_loads as a using (document_id) "
                "where a.outcome = 'loaded' and r.document_id not in "  # loaded and not quarantined
                "(select document_id from src.audit.identity_findings where severity = 'error') "
                "order by r.document_id"
            ).fetchall()
        ]
        if not sources:
            raise ValueError(f"{source} holds no loaded document to replicate")
        con.execute("create temp table source_ids (n integer, document_id varchar)")
        con.executemany("insert into source_ids values (?, ?)", list(enumerate(sources)))
        con.execute(
            """
            create temp table replica_map as
            with replicas as (
                select i, i // $years as department, i % $years as year_offset
                from range($documents) as t(i)
            )
            select
                r.i,
                s.document_id as source_id,
                substr(md5('replica-' || r.i), 1, 16) as document_id,
                md5('replica-' || r.i) || md5('replica-sha-' || r.i) as sha256,
                'replica_' || lpad(cast(r.i as varchar), 5, '0') || '.pdf' as file_name,
                '样本' || lpad(cast(r.department as varchar), 4, '0') || '区' as region,
                '样本' || lpad(cast(r.department as varchar), 4, '0') || '区'
                    || coalesce(first_doc.department_name, '部门') as department_name,
                $first_year + r.year_offset as fiscal_year
            from replicas as r
            join source_ids as s on s.n = r.i % $sources
            -- the department's name: that of the source of its first year
            join source_ids as first_source on first_source.n = ($years * r.department) % $sources
            join src.raw.documents as first_doc on first_doc.document_id = first_source.document_id
            """,
            {"years": years, "documents": documents, "sources": len(sources), "first_year": FIRST_YEAR},
        )
        catalog = con.execute("select current_database()").fetchone()[0]  # type: ignore[index]
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = 'src' "
            "and table_type = 'BASE TABLE' and table_schema in ('raw', 'audit') order by 1, 2"
        ).fetchall()
        for schema, table in tables:
            columns = _columns(con, "src", schema, table)
            target_columns = _columns(con, catalog, schema, table)
            if "document_id" not in columns or not target_columns:
                continue  # not per document (or not the loader's: audit.identity_findings is dbt's)
            if (schema, table) == ("audit", "identity_findings"):
                continue
            overrides = {"document_id": "m.document_id", **OVERRIDES.get((schema, table), {})}
            select = ", ".join(overrides.get(c, f's."{c}"') for c in target_columns)
            count = con.execute(
                f'insert into "{schema}"."{table}" select {select} from src."{schema}"."{table}" as s '
                "join replica_map as m on m.source_id = s.document_id"
            ).fetchone()
            rows[f"{schema}.{table}"] = int(count[0]) if count else 0
        departments = con.execute("select count(distinct department_name) from replica_map").fetchone()
        con.execute("detach src")
    return Replicated(
        len(sources),
        documents,
        int(departments[0]) if departments else 0,
        years,
        rows,
        time.perf_counter() - started,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("source", type=Path, help="a warehouse with extracted documents")
    parser.add_argument("target", type=Path, help="the new warehouse (must not exist)")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--years", type=int, default=5, help="fiscal years per department")
    args = parser.parse_args()
    result = replicate(args.source, args.target, args.documents, args.years)
    print(
        f"{result.documents} documents ({result.departments} departments × {result.years} years) "
        f"from {result.sources} sources in {result.seconds:.1f} s"
    )
    for table, count in result.rows.items():
        print(f"  {table}: {count} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
