"""The dbt project (staging → intermediate → marts) as Dagster assets; dbt tests as asset checks."""

import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import AssetCheckSpec, AssetExecutionContext, AssetKey, AssetSpec, Failure
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from dagster_project.assets.documents import raw_documents
from dagster_project.project import dbt_project
from dagster_project.resources import WarehousePaths
from store.fingerprints import (
    CODE_FINGERPRINT_ENV,
    TEST_SCOPE_ENV,
    dbt_project_fingerprint,
    full_refresh_reason,
)
from store.limits import DUCKDB_MEMORY_ENV, build_settings, full_refresh_threads
from store.owner_guard import RUN_ID_ENV
from store.paths import WAREHOUSE_ENV, environment
from store.publish import Workspace

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

    def get_asset_check_spec(
        self,
        asset_spec: AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> AssetCheckSpec | None:
        # dagster-dbt makes error-severity tests blocking: a failure would skip `published_warehouse`.
        # A failing test is reported as a failed check and the run still publishes (README).
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        return spec._replace(blocking=False) if spec is not None else None

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


def dbt_skipped_nodes(run_results: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(skipped nodes, failed error-severity tests): `dbt build` skips what lies downstream of a
    failing error test, leaving last run's tables there; such a copy mixes old and new rows."""
    results = run_results.get("results", [])
    skipped = [r["unique_id"] for r in results if r.get("status") == "skipped"]
    failed = [
        f"{r['unique_id']} ({r.get('failures')} rows)"
        for r in results
        if r.get("status") == "fail" and r["unique_id"].startswith("test.")
    ]
    return skipped, failed


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=translator)
def warehouse_dbt_assets(
    context: AssetExecutionContext, dbt: DbtCliResource, paths: WarehousePaths
) -> Iterator[Any]:
    """`dbt build` on the run's working copy: models, then their tests (accounting identities) as
    asset checks. The copy is published afterwards by `published_warehouse`."""
    workspace = Workspace(paths.warehouse_path)
    workspace.check_owner(context.run.run_id)
    # profiles.yml reads env_var('BUDGET_WAREHOUSE') and the DuckDB limits; dagster-dbt hands
    # os.environ to the dbt subprocess (and to its in-process adapter), so point it at the working
    # copy, absolute, with the build's memory limit, threads and spill directory.
    args, settings = build_command(workspace.building, context)
    settings.update(build_settings(workspace.building))
    settings[RUN_ID_ENV] = context.run.run_id  # dbt exits once the run stops owning the copy
    with environment(WAREHOUSE_ENV, str(workspace.building), **settings):
        invocation = dbt.cli(args, context=context, raise_on_error=False)
        yield from invocation.stream()

    try:
        run_results = invocation.get_artifact("run_results.json")
    except FileNotFoundError as exc:  # dbt stopped before running anything (e.g. a parse error)
        raise Failure(f"dbt build produced no run results: {invocation.get_error()}") from exc
    errors = dbt_runtime_errors(run_results)
    if errors:
        raise Failure(f"dbt build: {len(errors)} node(s) errored:\n" + "\n".join(errors))
    skipped, failed = dbt_skipped_nodes(run_results)
    if skipped:
        # Identity breaks quarantine their document before the marts, so an error test that fails
        # here is a defect of the pipeline, not of one document: publish nothing rather than stale rows.
        raise Failure(
            f"dbt build skipped {len(skipped)} node(s) because error-severity tests failed; the warehouse "
            "is not published (it would mix this run's tables with the last run's).\nFailed tests:\n"
            + "\n".join(failed)
            + "\nSkipped:\n"
            + "\n".join(skipped)
        )
    # Test failures only (exit code 1 with no runtime error) are reported as failed checks.
    if not invocation.is_successful():
        context.log.warning("dbt build reported failing tests; see the asset checks")
    keep_parse_state(invocation.target_path, Path(dbt_project.project_dir) / dbt_project.target_path)


# dbt's own log file (in the invocation's target folder, kept when a run fails) at debug level
# records every query of every node; its lock held up dbt's threads for ≈15 % of a build.
DBT_LOG_FILE_LEVEL = {"DBT_LOG_LEVEL_FILE": "warn"}


def build_command(building: Path, context: AssetExecutionContext) -> tuple[list[str], dict[str, str]]:
    """The `dbt build` arguments and the environment variables of its process: incremental by
    document (dbt_project/macros/incremental.sql), only the documents that changed since the last
    build; `--full-refresh` when asked for, on a warehouse with no recorded build, or when the dbt
    project's files changed (store/fingerprints.py). An incremental build's data tests read the
    changed documents' rows only (dbt_project/macros/test_scope.sql). dbt's unit tests check the
    models' SQL on fixed inputs, not the data: they run in CI, not in every nightly build."""
    fingerprint = dbt_project_fingerprint()
    reason = full_refresh_reason(building, fingerprint)
    env = {
        CODE_FINGERPRINT_ENV: fingerprint,
        TEST_SCOPE_ENV: "" if reason is not None else "1",
        **DBT_LOG_FILE_LEVEL,
    }
    args = ["build", "--exclude-resource-type", "unit_test"]
    if reason is not None:
        context.log.info(f"dbt build --full-refresh: {reason}")
        args.append("--full-refresh")
        threads = full_refresh_threads(building, build_settings(building)[DUCKDB_MEMORY_ENV])
        if threads is not None:
            args += ["--threads", str(threads)]
    return args, env


def keep_parse_state(invocation_target: Path, project_target: Path) -> None:
    """Keep this build's partial-parse state for the next run (same working-copy path, so dbt can
    parse partially), then drop the invocation's artifacts (~17 MB a run); failed runs keep theirs."""
    state = invocation_target / "partial_parse.msgpack"
    if state.exists():
        tmp = project_target / f"partial_parse.msgpack.{os.getpid()}"
        shutil.copyfile(state, tmp)
        os.replace(tmp, project_target / "partial_parse.msgpack")
    shutil.rmtree(invocation_target, ignore_errors=True)
