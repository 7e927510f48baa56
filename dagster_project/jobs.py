"""The job: one run per inbox scan — scan, extract every new document in parallel, store, dbt build,
publish. Steps run in their own processes (multiprocess executor, at most one per core)."""

import os

from dagster import AssetSelection, define_asset_job, multiprocess_executor

from dagster_project.assets.dbt import warehouse_dbt_assets
from dagster_project.assets.documents import raw_documents
from dagster_project.assets.publish import published_warehouse

# forkserver: each step process is forked from a server that imported the code location once, so a
# step starts in well under a second (spawn would import Dagster, dbt and Camelot again per step).
warehouse_executor = multiprocess_executor.configured(
    {"max_concurrent": os.cpu_count() or 1, "start_method": {"forkserver": {}}},
    name="warehouse_executor",
)

warehouse_job = define_asset_job(
    name="warehouse_job",
    # Everything but the per-document partitions (recorded by the steps, never materialized as such).
    selection=AssetSelection.assets(raw_documents, warehouse_dbt_assets, published_warehouse),
    executor_def=warehouse_executor,
    description=(
        "Scan the inbox; extract new documents (one step each, in parallel); store them in a working "
        "copy of the warehouse; dbt build; publish the copy atomically. Skips everything when nothing "
        "is new."
    ),
)
