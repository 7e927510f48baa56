"""The warehouse's storage format stays readable by DuckDB 1.4+ clients through its whole life cycle:
created by the loader (or dbt), written and checkpointed by the pinned DuckDB, converted once when a
published file is in a newer format."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import yaml

from store.duckdb_format import STORAGE_VERSION, copy_warehouse, readable_by_clients, storage_version
from store.load import connect
from store.publish import Workspace

REPO = Path(__file__).resolve().parents[2]
TAG = f"{STORAGE_VERSION}+"


def _write_some(path: Path, config: dict[str, str] | None = None) -> None:
    with duckdb.connect(str(path), config=config or {}) as con:
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.amounts as select 1234567.89::decimal(20,2) amount_yuan")
        con.execute("create or replace view marts.v as select amount_yuan * 2 as doubled from marts.amounts")
        con.execute("insert into marts.amounts select range::decimal(20,2) from range(100000)")
        con.execute("checkpoint")


def test_the_loader_creates_the_warehouse_in_the_clients_format(tmp_path: Path) -> None:
    warehouse = tmp_path / "w" / "budget.duckdb"
    with connect(warehouse):
        pass
    assert storage_version(warehouse) == TAG
    assert readable_by_clients(warehouse)


def test_an_existing_file_keeps_its_format_after_writes_and_checkpoints(tmp_path: Path) -> None:
    warehouse = tmp_path / "budget.duckdb"
    with connect(warehouse):
        pass
    _write_some(warehouse)  # the pinned DuckDB's defaults, as dbt and publish open it
    _write_some(warehouse, {"storage_compatibility_version": "latest"})  # even when asked for newer
    assert storage_version(warehouse) == TAG
    with duckdb.connect(str(warehouse), read_only=True) as con:
        top = con.execute("select typeof(max(amount_yuan)), max(amount_yuan) from marts.amounts").fetchall()
    assert top == [("DECIMAL(20,2)", Decimal("1234567.89"))]


def test_a_file_in_a_newer_format_is_converted_with_everything_in_it(tmp_path: Path) -> None:
    newer = tmp_path / "newer.duckdb"
    _write_some(newer, {"storage_compatibility_version": "latest"})
    assert not readable_by_clients(newer)

    converted = tmp_path / "converted.duckdb"
    assert copy_warehouse(newer, converted) is True
    assert storage_version(converted) == TAG
    with duckdb.connect(str(converted), read_only=True) as con:
        assert con.execute("select count(*), sum(amount_yuan) from marts.amounts").fetchone() == (
            100001,
            Decimal("4999950000.00") + Decimal("1234567.89"),
        )
        assert con.execute("select max(doubled) from marts.v").fetchone() == (Decimal("2469135.78"),)

    # A readable file is copied byte for byte.
    again = tmp_path / "again.duckdb"
    assert copy_warehouse(converted, again) is False
    assert again.read_bytes() == converted.read_bytes()


def test_a_run_converts_a_published_warehouse_in_a_newer_format(tmp_path: Path) -> None:
    published = tmp_path / "budget.duckdb"
    _write_some(published, {"storage_compatibility_version": "latest"})
    workspace = Workspace(published)
    workspace.claim("run-1")
    try:
        building = workspace.begin("run-1")
        assert storage_version(building) == TAG
        workspace.publish("run-1")
    finally:
        workspace.release("run-1")
    assert storage_version(published) == TAG


def test_dbt_creates_files_in_the_same_format() -> None:
    profile = yaml.safe_load((REPO / "dbt_project" / "profiles.yml").read_text(encoding="utf-8"))
    dev = profile["budget_warehouse"]["outputs"]["dev"]
    assert dev["config_options"]["storage_compatibility_version"] == STORAGE_VERSION
