"""The warehouse side, plain Python (no Dagster, no dbt): schema, loading, run planning, publishing, review.

`extract/` turns a PDF into typed tables; this package writes them into the DuckDB warehouse
(raw.* and audit.*), decides what a run must do, builds on the standby version of the warehouse
and switches readers to it under a lock, and records people's decisions (accept, retire). dbt
builds the marts from raw.*; Dagster (`dagster_project/`) only wires these steps into assets and
jobs.
"""
