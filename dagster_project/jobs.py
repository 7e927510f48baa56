"""Jobs: one job over every asset (extraction, then the dbt models and their checks)."""

from dagster import AssetSelection, define_asset_job

warehouse_job = define_asset_job(
    name="warehouse_job",
    selection=AssetSelection.all(),
    description="Extract every PDF in the inbox into raw.*, then dbt build the warehouse.",
)
