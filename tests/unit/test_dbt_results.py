"""How a run reads dbt's run_results.json: what stops the warehouse from being published."""

from dagster_project.assets.dbt import dbt_runtime_errors, dbt_skipped_nodes


def _result(unique_id: str, status: str, failures: int | None = None, message: str = "") -> dict:
    return {"unique_id": unique_id, "status": status, "failures": failures, "message": message}


def test_a_failing_error_test_that_skips_models_is_reported_with_what_it_skipped() -> None:
    run_results = {
        "results": [
            _result("model.budget_warehouse.fct_expenditure", "success"),
            _result("test.budget_warehouse.unique_combination_fct_expenditure_x", "fail", 91),
            _result("test.budget_warehouse.accounting_identity_int_basic_x", "warn", 2),
            _result("model.budget_warehouse.rpt_spending_by_function", "skipped"),
        ]
    }
    skipped, failed = dbt_skipped_nodes(run_results)
    assert skipped == ["model.budget_warehouse.rpt_spending_by_function"]
    assert failed == ["test.budget_warehouse.unique_combination_fct_expenditure_x (91 rows)"]
    assert dbt_runtime_errors(run_results) == []


def test_warnings_alone_skip_nothing() -> None:
    run_results = {
        "results": [
            _result("model.budget_warehouse.fct_expenditure", "success"),
            _result("test.budget_warehouse.cross_table_x", "warn", 3),
            _result("model.budget_warehouse.broken", "error", message="Catalog Error: x"),
        ]
    }
    assert dbt_skipped_nodes(run_results) == ([], [])
    assert dbt_runtime_errors(run_results) == ["model.budget_warehouse.broken: Catalog Error: x"]
