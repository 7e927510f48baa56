"""The Dagster code location loads, with the job, the schedule, the dbt assets and their checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import AssetKey, DefaultScheduleStatus, Definitions

from dagster_project.assets.documents import inbox_document, raw_documents
from dagster_project.definitions import defs

REPO = Path(__file__).resolve().parents[2]


def keys_named(name: str) -> list[AssetKey]:
    return [key for key in defs.resolve_all_asset_keys() if key.path[-1] == name]


def test_definitions_load() -> None:
    Definitions.validate_loadable(defs)


def test_job_covers_every_asset() -> None:
    job = defs.resolve_job_def("warehouse_job")
    graph = defs.resolve_asset_graph()
    assert set(job.asset_layer.selected_asset_keys) == set(graph.materializable_asset_keys)
    assert raw_documents.key in job.asset_layer.selected_asset_keys


def test_nightly_schedule() -> None:
    schedule = defs.resolve_schedule_def("nightly_warehouse")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Shanghai"
    assert schedule.job_name == "warehouse_job"
    assert schedule.default_status == DefaultScheduleStatus.STOPPED


@pytest.mark.parametrize("model", ["fct_expenditure", "fct_basic_expenditure", "dim_department"])
def test_marts_are_assets_downstream_of_the_documents(model: str) -> None:
    graph = defs.resolve_asset_graph()
    (key,) = keys_named(model)
    assert raw_documents.key in graph.get_ancestor_asset_keys(key)


def test_dbt_sources_map_to_raw_documents() -> None:
    graph = defs.resolve_asset_graph()
    # No external stub assets for raw.* / audit.*: the models read what raw_documents wrote. The one
    # external asset is the per-document partitions, recorded by the run's steps.
    external = [key for key in graph.get_all_asset_keys() if not graph.get(key).is_materializable]
    assert external == [inbox_document.key]
    staging = [key for key in graph.get_all_asset_keys() if key.path[-1].startswith("stg_")]
    assert staging
    for key in staging:
        assert graph.get(key).parent_keys == {raw_documents.key}


def test_dbt_tests_are_asset_checks() -> None:
    graph = defs.resolve_asset_graph()
    checked_assets = {check.asset_key for check in graph.asset_check_keys}
    (fct,) = keys_named("fct_expenditure")
    assert fct in checked_assets
    assert len(graph.asset_check_keys) >= 10


def test_dagster_cli_validates_workspace(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
