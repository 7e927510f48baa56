"""The example questions of docs/analysts.md (linked from the README): every SQL block is run with
`budget-etl query` against the sample warehouse and must print exactly the answer shown below it."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_etl.main import main
from tests.support.analysts_guide import guide_examples

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
MIN_QUESTIONS = 6


EXAMPLES = guide_examples()


def test_the_guide_has_enough_questions_and_the_readme_links_it() -> None:
    assert len(EXAMPLES) >= MIN_QUESTIONS
    assert "docs/analysts.md" in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("sql", "answer"), EXAMPLES, ids=[f"question-{i + 1}" for i in range(len(EXAMPLES))])
def test_example_query_prints_its_answer(
    sample_warehouse: Path, sql: str, answer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", sql, "--warehouse", str(sample_warehouse)]) == 0
    printed = capsys.readouterr().out.rstrip("\n")
    assert printed == answer, f"query:\n{sql}\n\nprinted:\n{printed}\n\ndocs/analysts.md says:\n{answer}"
