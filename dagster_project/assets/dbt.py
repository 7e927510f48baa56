"""The dbt project (staging → intermediate → marts) as Dagster assets; dbt tests as asset checks."""

import os
from collections.abc import Iterator, Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, Failure
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from dagster_project.assets.documents import raw_documents
from dagster_project.paths import WAREHOUSE_ENV
from dagster_project.project import dbt_project
from dagster_project.resources import WarehousePaths

# dbt result status of a node that could not run at all (SQL error, missing relation): the run
# fails. A test that runs and finds bad rows ends in "fail"/"warn" instead: a failed asset check.
RUNTIME_ERROR = "error"


class BudgetDbtTranslator(DagsterDbtTranslator):
    """Every dbt source (raw.*, audit.*) is a table written by `raw_documents`, so the dbt
    models depend on that asset instead of on stub source assets."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return raw_documents.key
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        # Group by the model's folder (staging / intermediate / marts) for the Dagster UI.
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


translator = BudgetDbtTranslator(
    # Many sources share the one `raw_documents` key.
    settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)
)


def dbt_runtime_errors(run_results: Mapping[str, Any]) -> list[str]:
    """Nodes dbt could not run at all (status "error"), with their messages."""
    return [
        f"{r['unique_id']}: {(r.get('message') or '').strip()}"
        for r in run_results.get("results", [])
        if r.get("status") == RUNTIME_ERROR
    ]


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=translator)
def warehouse_dbt_assets(
    context: AssetExecutionContext, dbt: DbtCliResource, paths: WarehousePaths
) -> Iterator[Any]:
    """`dbt build`: models, then their tests (accounting identities) as asset checks."""
    # profiles.yml reads env_var('BUDGET_WAREHOUSE'); dagster-dbt hands os.environ to the dbt
    # subprocess (and to its in-process adapter), so point it at this run's warehouse, absolute.
    os.environ[WAREHOUSE_ENV] = str(paths.warehouse_path)
    invocation = dbt.cli(["build"], context=context, raise_on_error=False)
    yield from invocation.stream()

    try:
        run_results = invocation.get_artifact("run_results.json")
    except FileNotFoundError as exc:  # dbt stopped before running anything (e.g. a parse error)
        raise Failure(f"dbt build produced no run results: {invocation.get_error()}") from exc
    errors = dbt_runtime_errors(run_results)
    if errors:
        raise Failure(f"dbt build: {len(errors)} node(s) errored:\n" + "\n".join(errors))
    # Test failures only (exit code 1 with no runtime error) are reported as failed checks.
    if not invocation.is_successful():
        context.log.warning("dbt build reported failing tests; see the asset checks")
