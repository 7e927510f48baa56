"""Opening a PDF: its bytes' identity, page texts and document metadata."""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from extract.pdf.files import open_regular
from extract.pdf.pdfium_pages import open_pdf, opened_pages, path_bounds
from extract.text import compact, normalize


@dataclass(frozen=True)
class PageInfo:
    number: int  # 1-based
    width: float
    height: float
    rotation: int
    text: str
    path_objects: int  # vector drawing objects: ruled tables draw many
    vertical_rules: int = 0  # tall thin drawings: column rules (a three-line table has none)


@dataclass(frozen=True)
class DocumentMetadata:
    department_name: str | None
    region: str | None
    fiscal_year: int | None
    doc_kind: str | None  # 预算 / 决算
    doc_scope: str | None  # 部门 / 单位
    title: str | None
    parent_department_name: str | None = None  # a 单位's department, where its name states it


def sha256_of(path: Path) -> str:
    """The file's sha256; NotRegularFile for a symbolic link (never followed), a FIFO, a device."""
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def document_id_for(sha256: str) -> str:
    """Stable key of a file version: the first 16 hex digits of its sha256."""
    return sha256[:16]


@contextmanager
def readable_copy(path: Path) -> Iterator[Path]:
    """The PDF itself, or for a file encrypted with permissions only (no password to open it)
    a decrypted temporary copy: Camelot refuses to read text from such files, pdfium does not.
    """
    with open_pdf(path) as pdf:
        encrypted = pdfium.raw.FPDF_GetSecurityHandlerRevision(pdf.raw) >= 0
        if not encrypted:
            yield path
            return
        with tempfile.TemporaryDirectory(prefix="budget-decrypted-") as folder:
            copy = Path(folder) / path.name
            pdf.save(str(copy), flags=pdfium.raw.FPDF_REMOVE_SECURITY)
            yield copy


def read_pages(path: Path, password: str | None = None) -> list[PageInfo]:
    """Text layer and drawing statistics of every page (cheap: no rendering)."""
    pages = []
    with opened_pages(path, password=password) as opened:
        for page in opened:
            width, height = page.page.get_size()
            text = page.textpage.get_text_range().replace("\r\n", "\n")
            paths = path_bounds(page.page)
            vertical = sum(1 for x0, y0, x1, y1 in paths if x1 - x0 <= 2.0 and y1 - y0 >= 10.0)
            pages.append(
                PageInfo(page.number, width, height, page.page.get_rotation(), text, len(paths), vertical)
            )
    return pages


_YEAR_KIND = re.compile(r"(20\d{2})年度?(?:[\u4e00-\u9fa5]{0,6}?)(部门|单位)?(预算|决算)")
# A cover's title: the year, then up to a department's name (parentheses included: 财政局(本级))
# before 部门/单位 预算/决算; the name may also come before the year (江苏省…办公厅 2019年度部门预算).
_COVER_YEAR_KIND = re.compile(r"(20\d{2})年度?(?:[\u4e00-\u9fa5()]{0,40}?)(部门|单位)?(?:综合)?(预算|决算)")
_KIND_TAIL = re.compile(r"(?:(?:区|市|省|县)级)?(?:部门|单位)?(?:综合)?(?:预算|决算).*$")
# 部门名称：X, 预算单位：X; a table's header line may print 部门名称 X without the colon.
_DEPT_LABEL = re.compile(
    r"(?:(?:预算主管部门|主管部门|部门名称|单位名称)[:：]?|(?:部门|单位)[:：])([^\s:：]{2,40}?)(?:单位[:：]|金额单位|$)"
)
# A table volume without a cover: the year alone on a header line, the kind in the tables' labels.
_YEAR_LINE = re.compile(r"^[(（]?(20\d{2})年度?[)）]?$")
_KIND_LABEL = re.compile(r"^(?:部门)?(预算|决算)(?:\d{1,2}表|表\d{1,2})")
_DEPT_SUFFIXES = (
    r"(?:局|厅|委员会|委|办公室|办公厅|办|院|法院|检察院|中心|街道办事处|办事处|"
    r"政府|部|会|署|所|站|馆|校|学校|队|社|协会|联合会|(?:\(本级\)))"
)
_DEPT_SUFFIX = re.compile(r"([\u4e00-\u9fa5()]{2,40}?" + _DEPT_SUFFIXES + ")")
_NOISE_PREFIX = re.compile(r"^(第[一二三四五六七八九十]+部分|纳入|关于|目录|[—-]\d+[—-])+")
_REGION = re.compile(r"^(.{2,8}?(?:省|自治区|市|自治州|地区|盟|区|县|旗))")
_COVER_LINES = 6


def read_metadata(pages: list[PageInfo], file_name: str) -> DocumentMetadata:
    """Department, year, kind and scope from the cover, the tables' headings and the file name, in
    that order of trust; the narrative only where nothing better says.

    The cover states the title (often wrapped over two lines, even inside a word: 部门预 / 算);
    table pages state 部门名称：… or 预算单位：…; the file name is the last resort. The narrative
    compares with other years (较2025年年初预算), so it never decides the year when the cover does.
    """
    lines = [compact(line) for page in pages for line in page.text.splitlines() if line.strip()]
    stem = compact(Path(file_name).stem)
    cover = [compact(line) for line in pages[0].text.splitlines() if line.strip()] if pages else []
    cover_text = _NOISE_PREFIX.sub("", "".join(cover[:_COVER_LINES]))

    year = kind = scope = title = None
    for text, pattern in [
        (cover_text, _COVER_YEAR_KIND),
        *((line, _YEAR_KIND) for line in lines),
        (stem, _YEAR_KIND),
    ]:
        match = pattern.search(text)
        if match:
            year, kind = int(match.group(1)), match.group(3)
            scope = "单位" if match.group(2) == "单位" else "部门"
            title = text[: match.end()]
            break

    if year is None:
        year, kind = _table_volume_year_kind(lines)
        scope = "部门" if year else None
    department = (
        _labelled_department(cover)
        or _department_in_title(cover_text, whole_only=True)
        or _labelled_department(lines)
        or _department_in_title(cover_text)
        or _department_in_title(stem)
    )
    if title:
        title = _NOISE_PREFIX.sub("", title)
    return DocumentMetadata(
        department_name=department,
        region=_region_of(department),
        fiscal_year=year,
        doc_kind=kind,
        doc_scope=scope,
        title=title,
        parent_department_name=_parent_department(department) if scope == "单位" else None,
    )


def _table_volume_year_kind(lines: list[str]) -> tuple[int | None, str | None]:
    """Year and kind of a volume of tables without a cover: `(2026年度)` on a header line and the
    kind the tables' labels state (预算01表 …); both or neither."""
    years = [int(m.group(1)) for line in lines if (m := _YEAR_LINE.match(line))]
    kinds = [m.group(1) for line in lines if (m := _KIND_LABEL.match(line))]
    if not years or not kinds:
        return None, None
    return max(set(years), key=years.count), max(set(kinds), key=kinds.count)


def _labelled_department(lines: list[str]) -> str | None:
    for line in lines:
        match = _DEPT_LABEL.search(line)
        if match and _DEPT_SUFFIX.fullmatch(match.group(1)):
            return _clean_department(match.group(1))
    return None


def _department_in_title(text: str, whole_only: bool = False) -> str | None:
    """The department a title names: the whole name next to the year, before 部门预算 / 单位决算 … (a
    unit inside a department, 福州市公安局交通管理支队, keeps its own name); unless `whole_only`,
    else the shortest name-like prefix of a part."""
    parts = [
        _NOISE_PREFIX.sub("", part)
        for part in _NOISE_PREFIX.sub("", re.sub(r"20\d{2}年度?", "|", text)).split("|")
    ]
    for part in parts:
        whole = _KIND_TAIL.sub("", part)
        if _DEPT_SUFFIX.fullmatch(whole):
            return _clean_department(whole)
    if whole_only:
        return None
    for part in parts:
        match = _DEPT_SUFFIX.match(part)
        if match:
            return _clean_department(match.group(1))
    return None


# A department's name ends in a strong suffix (not 委/会/社, which end words inside names: 常委会,
# 社会保障); a unit's own name after it ends in a unit's suffix.
_PARENT_HEAD = re.compile(r"[\u4e00-\u9fa5()]{2,40}?(?:局|厅|委员会|办公室|办公厅|政府|部)")
_UNIT_TAIL = re.compile(r"[\u4e00-\u9fa5()]{2,40}?(?:队|所|站|馆|学校|校|中心|院|处|室|科|局|办事处)")


def _parent_department(unit: str | None) -> str | None:
    """The department a unit's name begins with (福州市公安局 of 福州市公安局交通管理支队): the shortest
    department-like prefix whose remainder is a unit's name of its own; None when there is none."""
    if not unit:
        return None
    for end in range(3, len(unit) - 2):
        head, rest = unit[:end], unit[end:]
        if _PARENT_HEAD.fullmatch(head) and _UNIT_TAIL.fullmatch(rest):
            return head
    return None


def _clean_department(name: str) -> str:
    return normalize(name).replace("（", "(").replace("）", ")")


def _region_of(department: str | None) -> str | None:
    if not department:
        return None
    match = _REGION.match(department)
    return match.group(1) if match else None


_TITLE_YEAR = re.compile(r"(20\d{2})年")


def year_disagreement(chosen: int | None, table_titles: list[str]) -> str | None:
    """A message when the tables' titles state another year than the one chosen (cover first)."""
    years = [int(m.group(1)) for title in table_titles if (m := _TITLE_YEAR.search(title or ""))]
    if chosen is None or not years:
        return None
    stated = max(set(years), key=years.count)
    if stated == chosen:
        return None
    return (
        f"fiscal year: the cover (or the first title) says {chosen}, {years.count(stated)} of "
        f"{len(years)} table titles say {stated}; chose {chosen}, the more trusted source"
    )
