"""The example questions of docs/analysts.md: each ```sql block with the ```text answer after it
(run by tests/integration/test_readme_queries.py, timed by the scale benchmark)."""

from __future__ import annotations

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def examples(text: str) -> list[tuple[str, str]]:
    """(sql, printed answer) pairs: each ```sql block and the ```text block right after it."""
    blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(text)]
    pairs = []
    for (lang, body), following in zip(blocks, blocks[1:] + [("", "")], strict=True):
        if lang == "sql":
            assert following[0] == "text", f"no ```text answer after the query:\n{body}"
            pairs.append((body.strip(), following[1].rstrip("\n")))
    return pairs


def guide_examples() -> list[tuple[str, str]]:
    return examples(GUIDE.read_text(encoding="utf-8"))
