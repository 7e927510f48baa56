"""Pure extraction of Chinese budget-disclosure PDFs into typed tables with lineage.

Nothing here imports Dagster or dbt: every function takes paths or values and
returns values, so it can be tested and reused on its own.
"""

EXTRACTOR_VERSION = "0.3.9"
