"""Typical analyst questions on the marts, timed with a read-only DuckDB connection."""

from __future__ import annotations

import statistics
import time
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
    first_ms: float  # first run on a fresh connection
    median_ms: float  # median of the following runs
    runs: int


def time_queries(warehouse: Path, runs: int = 9) -> list[QueryTiming]:
    timings = []
    for name, (description, sql) in QUERIES.items():
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            started = time.perf_counter()
            rows = len(con.execute(sql).fetchall())
            first = time.perf_counter() - started
            seconds = []
            for _ in range(runs):
                started = time.perf_counter()
                con.execute(sql).fetchall()
                seconds.append(time.perf_counter() - started)
        finally:
            con.close()
        timings.append(
            QueryTiming(name, description, rows, first * 1000, statistics.median(seconds) * 1000, runs)
        )
    return timings
