"""Typical analyst questions on the marts, timed with a read-only DuckDB connection."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

QUERIES: dict[str, tuple[str, str]] = {
    "spending_by_class": (
        "spending by functional 类 per department and year, basic / project split (支出总表)",
        """
        select
            dep.department_name,
            e.fiscal_year,
            cls.functional_code as class_code,
            cls.functional_name as class_name,
            sum(e.amount_yuan) filter (where e.expenditure_type = 'basic') as basic_yuan,
            sum(e.amount_yuan) filter (where e.expenditure_type = 'project') as project_yuan,
            sum(e.amount_yuan) as total_yuan
        from marts.fct_expenditure as e
        join marts.dim_department as dep on dep.department_key = e.department_key
        join marts.dim_functional_classification as cls
            on cls.functional_code = substr(e.functional_code, 1, 3)
        where e.fund_scope = 'all_funds'
        group by dep.department_name, e.fiscal_year, cls.functional_code, cls.functional_name
        order by dep.department_name, e.fiscal_year, class_code
        """,
    ),
    # The same question as the ready-made report answers it: per document kind (预算 and 决算 are never
    # added up) and from the department-level document only (a 单位 is inside its 部门's total), the
    # sums kept by the build (rpt_spending_by_function) instead of 1.2 million fact rows hashed into
    # 270,000 groups on every query.
    "spending_by_class_report": (
        "spending_by_class from the report rpt_spending_by_function (per document kind)",
        """
        select
            department_name,
            fiscal_year,
            doc_kind,
            functional_class_code as class_code,
            functional_class_name as class_name,
            basic_yuan,
            project_yuan,
            total_yuan
        from marts.rpt_spending_by_function
        where fund_scope = 'all_funds'
        order by department_name, fiscal_year, doc_kind, class_code
        """,
    ),
    "three_public_growth": (
        "top 20 departments by year-on-year growth of 三公 spending (current budgets)",
        """
        with yearly as (
            select department_key, fiscal_year, sum(amount_yuan) as total_yuan
            from marts.fct_three_public_costs
            where basis = 'current_budget'
            group by department_key, fiscal_year
        ),
        growth as (
            select
                department_key,
                fiscal_year,
                total_yuan,
                lag(total_yuan) over (partition by department_key order by fiscal_year) as previous_yuan
            from yearly
        )
        select
            dep.department_name,
            g.fiscal_year,
            g.previous_yuan,
            g.total_yuan,
            g.total_yuan - g.previous_yuan as growth_yuan,
            round(100 * (g.total_yuan - g.previous_yuan) / g.previous_yuan, 1) as growth_pct
        from growth as g
        join marts.dim_department as dep on dep.department_key = g.department_key
        where g.previous_yuan > 0
        order by growth_yuan desc, dep.department_name, g.fiscal_year
        limit 20
        """,
    ),
}


@dataclass(frozen=True)
class QueryTiming:
    name: str
    description: str
    rows: int
    first_ms: float  # first run on a fresh connection, every row fetched into Python
    median_ms: float  # median of the following runs, the same
    runs: int
    computed_ms: float = 0.0  # median: the whole answer computed in DuckDB, not transferred (see _computed)
    pandas_ms: float = 0.0  # median: fetched as a pandas DataFrame (columnar)


def guide_questions() -> dict[str, tuple[str, str]]:
    """The example questions of docs/analysts.md, named guide_1 … (written for the sample: on a big
    warehouse some return a row per document)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.support.analysts_guide import guide_examples

    examples = enumerate(guide_examples(), 1)
    return {f"guide_{i}": ("docs/analysts.md question", sql) for i, (sql, _) in examples}


def _median_ms(run: Callable[[], object], runs: int) -> float:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds) * 1000


def _computed(sql: str) -> str:
    """The answer reduced to one row inside DuckDB: a hash of every row, so that every column is
    computed (a bare count(*) would let the optimizer drop the columns it does not need, sums and
    all), and nothing but one row is transferred."""
    return f"select count(*), bit_xor(hash(answer)) from ({sql}) as answer"


def time_queries(
    warehouse: Path, runs: int = 9, questions: dict[str, tuple[str, str]] | None = None
) -> list[QueryTiming]:
    timings = []
    for name, (description, sql) in (questions or QUERIES).items():
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            started = time.perf_counter()
            rows = len(con.execute(sql).fetchall())
            first = time.perf_counter() - started
            fetched = _median_ms(lambda: con.execute(sql).fetchall(), runs)  # noqa: B023 - run now
            computed = _median_ms(lambda: con.execute(_computed(sql)).fetchall(), runs)  # noqa: B023
            pandas = _median_ms(lambda: con.execute(sql).df(), runs)  # noqa: B023
        finally:
            con.close()
        timings.append(QueryTiming(name, description, rows, first * 1000, fetched, runs, computed, pandas))
    return timings
