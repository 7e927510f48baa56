"""File names as text: whether a name can be stored at all, and how it is shown to people.

A file name is whatever bytes the file system holds. Python decodes the bytes that are not UTF-8
to lone surrogates (surrogateescape), which DuckDB and Dagster refuse; a name may also hold
control characters that would move the cursor or start a new line when printed.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Never printed as they are: controls (C0, DEL, C1), format characters (bidi overrides, zero-width),
# line and paragraph separators, surrogates (bytes that were not UTF-8).
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
# surrogateescape decodes an undecodable byte b to chr(0xDC00 + b), b >= 0x80.
_ESCAPED_BYTES = range(0xDC80, 0xDD00)


def is_valid_utf8(name: str) -> bool:
    """True unless the name came from bytes that are not UTF-8 (it then holds lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(name: str) -> str:
    """The name on one line, every character that is not plainly visible backslash-escaped:
    `\\n`, `\\x1b`, `\\u202e`; an undecodable byte as `\\xff`, as in its bytes.

    Idempotent (an escaped name has nothing left to escape), so any layer may apply it.
    """
    if name.isprintable():  # the common case: nothing to escape
        return name
    return "".join(_escaped(ch) for ch in name)


def _escaped(ch: str) -> str:
    if unicodedata.category(ch) not in _HIDDEN:
        return ch
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if code in _ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
