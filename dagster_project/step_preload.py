"""Imported once by the forkserver that step processes are forked from (jobs.STEP_PRELOAD).

Every step process opens the Dagster instance (its SQLite storages, alembic's revision check,
the compute-log manager): about 470 modules that neither Dagster's executor nor our definitions
import. Imported here, once, they cost a step nothing; imported in each step, they cost ≈0.6 s
per step, a minute on a run of 100 documents (benchmarks/RESULTS.md). Imports only: nothing may
open a file or a connection before the fork.
"""

import alembic.command  # noqa: F401
import alembic.config  # noqa: F401
import dagster._core.instance.factory  # noqa: F401
import dagster._core.launcher  # noqa: F401
import dagster._core.run_coordinator  # noqa: F401
import dagster._core.secrets.env_file  # noqa: F401
import dagster._core.secrets.loader  # noqa: F401
import dagster._core.storage.event_log.sqlite.sqlite_event_log  # noqa: F401
import dagster._core.storage.local_compute_log_manager  # noqa: F401
import dagster._core.storage.migration.utils  # noqa: F401
import dagster._core.storage.root  # noqa: F401
import dagster._core.storage.runs.sqlite.sqlite_run_storage  # noqa: F401
import dagster._core.storage.schedules.sqlite.sqlite_schedule_storage  # noqa: F401
import dagster._core.storage.sql  # noqa: F401
import dagster._core.storage.sqlite_storage  # noqa: F401
import dagster._core.workspace.context  # noqa: F401
import fsspec.implementations.local  # noqa: F401
import sqlalchemy.dialects.sqlite  # noqa: F401
import upath  # noqa: F401
