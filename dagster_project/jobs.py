"""The job: one run per inbox scan — scan, extract every new document in parallel, store, dbt build,
publish. Steps run in their own processes (multiprocess executor, at most one per core); a run
that only scans (nothing new) runs in process, which saves seconds."""

import os

from dagster import AssetSelection, define_asset_job, multi_or_in_process_executor, multiprocess_executor

from dagster_project.assets.dbt import warehouse_dbt_assets
from dagster_project.assets.documents import raw_documents
from dagster_project.assets.publish import published_warehouse

# forkserver: each step process is forked from a server that imported the code location once, so a
# step starts in a fraction of a second (spawn would import Dagster, dbt and Camelot again per
# step); the server also imports what a step needs to open the Dagster instance (step_preload).
STEP_PRELOAD = [
    "dagster._core.executor.multiprocess",
    "dagster_project.definitions",
    "dagster_project.step_preload",
]
MULTIPROCESS = {
    "max_concurrent": os.cpu_count() or 1,
    "start_method": {"forkserver": {"preload_modules": STEP_PRELOAD}},
}
# Run config of a run that only scans the inbox (`budget-etl run` and the schedule, when idle).
IN_PROCESS_RUN_CONFIG = {"execution": {"config": {"in_process": {}}}}

# For runs launched from the UI outside the job (Materialize …).
warehouse_executor = multiprocess_executor.configured(MULTIPROCESS, name="warehouse_executor")

warehouse_job = define_asset_job(
    name="warehouse_job",
    # Everything but the per-document partitions (recorded by the steps, never materialized as such).
    selection=AssetSelection.assets(raw_documents, warehouse_dbt_assets, published_warehouse),
    executor_def=multi_or_in_process_executor,
    config={"execution": {"config": {"multiprocess": MULTIPROCESS}}},
    description=(
        "Scan the inbox; extract new documents (one step each, in parallel); store them in a working "
        "copy of the warehouse; dbt build; publish the copy atomically. Skips everything when nothing "
        "is new."
    ),
)
