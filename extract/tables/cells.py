"""Reading single cells: amounts, classification codes and printed units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extract.text import compact, normalize

# Printed zero-or-nothing markers: a blank cell, a dash or an em dash.
_BLANK_MARKERS = {"", "-", "—", "–", "--", "——", "/"}
_AMOUNT = re.compile(r"^\(?-?\d{1,3}(,\d{3})+(\.\d+)?\)?$|^\(?-?\d+(\.\d+)?\)?$")
# 单位：万元 / 金额单位：元 / 单位：人民币万元 / 单位：(万元), anywhere on a line
# (预算单位：XX局  单位：万元); never the first character of a name (预算单位：元氏县…):
# a unit is not followed by another Chinese character.
_UNIT = re.compile(
    r"(?:金\s*额\s*)?单\s*位\s*[:：]?\s*(?:人民币)?\s*[(（]?\s*(亿\s*元|万\s*元|千\s*元|元)(?![\u4e00-\u9fff])"
)

UNIT_MULTIPLIERS: dict[str, int] = {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}


@dataclass(frozen=True)
class Amount:
    """A printed amount: `text` is the normalized number (no separators), None when blank."""

    text: str | None
    is_blank: bool
    is_number: bool

    @property
    def value(self) -> Decimal | None:
        return Decimal(self.text) if self.text is not None else None


def parse_amount(raw: str | None) -> Amount:
    """Parse a printed amount exactly; never guesses.

    Separators may be present or absent, negatives are `-x` or `(x)`; blank and
    dashes mean nothing budgeted. Anything else is reported as not a number.
    """
    text = compact(raw)
    if text in _BLANK_MARKERS:
        return Amount(None, True, True)
    if not _AMOUNT.match(text):
        return Amount(None, False, False)
    negative = text.startswith("(") and text.endswith(")")
    digits = text.strip("()").replace(",", "")
    if negative:
        digits = "-" + digits.lstrip("-")
    try:
        Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex admits only decimals
        return Amount(None, False, False)
    return Amount(digits, False, True)


def is_amount_text(raw: str | None) -> bool:
    """True for a non-blank printed number."""
    amount = parse_amount(raw)
    return amount.is_number and not amount.is_blank


def find_unit(text: str) -> str | None:
    """The unit printed above a table or on a header line (单位：万元 / 金额单位：元), or None."""
    # Line breaks as spaces: normalize() alone would glue the next line's words onto the unit.
    match = _UNIT.search(normalize(text.replace("\n", " ")))
    return match.group(1).replace(" ", "") if match else None


_CODE = re.compile(r"^(\d{3}|\d{5}|\d{7})$")
# A code glued to its name, or joined by a dash (Beijing: `30101-基本工资`).
_CODE_WITH_NAME = re.compile(r"^(\d{3}|\d{5}|\d{7})\s*-?\s*(\D.*)$")


def split_code_name(code_cell: str, name_cell: str) -> tuple[str | None, str]:
    """Canonical code and name from a code column and a name column.

    Handles `2080101 | 行政运行` and a code glued to its name in either cell
    (`2080101行政运行`). Returns (None, name) when the row carries no code.
    """
    code_text, name = compact(code_cell), normalize(name_cell)
    if _CODE.match(code_text):
        return code_text, name
    for cell in (code_text, compact(name_cell)):
        glued = _CODE_WITH_NAME.match(cell)
        if glued:
            return glued.group(1), normalize(glued.group(2))
    return None, name or normalize(code_cell)


def join_split_code(parts: list[str], previous: str | None = None) -> str | None:
    """Join a code printed over 类 | 款 | 项 columns (`208 | 01 | 01` → `2080101`).

    A row printing only its own level (` | 01 | ` under `205 | | `) takes the levels above from
    the previous coded row; a second 类 (`301 | 01 | 501 | 01`, two schemes) ends the code.
    """
    cleaned = [compact(p) for p in parts]
    lead = next((i for i, p in enumerate(cleaned) if p), None)
    if lead is None:
        return None
    if lead == 0:
        code = cleaned[0]
    elif previous and len(previous) >= 1 + 2 * lead:
        code = previous[: 1 + 2 * lead]  # 3 digits above a 款, 5 above a 项
    else:
        return None
    if not re.fullmatch(r"\d{3}|\d{5}", code):
        return None
    for part in cleaned[lead + (lead == 0) :]:
        if not part or re.fullmatch(r"\d{3}", part):
            break
        if not re.fullmatch(r"\d{2}", part):
            return None
        code += part
    return code


def code_level(code: str) -> int:
    """类 = 1 (3 digits), 款 = 2 (5 digits), 项 = 3 (7 digits)."""
    return {3: 1, 5: 2, 7: 3}[len(code)]
