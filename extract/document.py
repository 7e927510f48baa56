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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
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
    pdf = pdfium.PdfDocument(str(path))
    try:
        encrypted = pdfium.raw.FPDF_GetSecurityHandlerRevision(pdf.raw) >= 0
        if not encrypted:
            yield path
            return
        with tempfile.TemporaryDirectory(prefix="budget-decrypted-") as folder:
            copy = Path(folder) / path.name
            pdf.save(str(copy), flags=pdfium.raw.FPDF_REMOVE_SECURITY)
            yield copy
    finally:
        pdf.close()


def read_pages(path: Path, password: str | None = None) -> list[PageInfo]:
    """Text layer and drawing statistics of every page (cheap: no rendering)."""
    pdf = pdfium.PdfDocument(str(path), password=password)
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n")
            paths = [
                obj.get_bounds() for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH
            ]
            vertical = sum(1 for x0, y0, x1, y1 in paths if x1 - x0 <= 2.0 and y1 - y0 >= 10.0)
            pages.append(PageInfo(index + 1, width, height, page.get_rotation(), text, len(paths), vertical))
            textpage.close()
            page.close()
        return pages
    finally:
        pdf.close()


_YEAR_KIND = re.compile(r"(20\d{2})年度?(?:[\u4e00-\u9fa5]{0,6}?)(部门|单位)?(预算|决算)")
_DEPT_LABEL = re.compile(
    r"(?:预算主管部门|主管部门|部门名称|单位名称|部门|单位)[:：]([^\s:：]{2,40}?)(?:单位[:：]|金额单位|$)"
)
_DEPT_SUFFIX = re.compile(
    r"([\u4e00-\u9fa5()]{2,40}?(?:局|厅|委员会|委|办公室|办公厅|办|院|法院|检察院|中心|街道办事处|办事处|"
    r"政府|部|会|署|所|站|馆|校|学校|队|社|协会|联合会|(?:\(本级\))))"
)
_NOISE_PREFIX = re.compile(r"^(第[一二三四五六七八九十]+部分|纳入|关于|目录)+")
_REGION = re.compile(r"^(.{2,8}?(?:省|自治区|市|自治州|地区|盟|区|县|旗))")


def read_metadata(pages: list[PageInfo], file_name: str) -> DocumentMetadata:
    """Department, year and kind from the cover, table headings and file name.

    The cover states the title (often wrapped over two lines); table pages state
    部门名称：… or 部门：…; the file name is the last resort.
    """
    lines = [compact(line) for page in pages for line in page.text.splitlines() if line.strip()]
    stem = compact(Path(file_name).stem)
    cover = [compact(line) for line in pages[0].text.splitlines() if line.strip()] if pages else []
    cover_text = "".join(cover[:6])

    year = kind = scope = title = None
    for text in [cover_text, *lines, stem]:
        match = _YEAR_KIND.search(text)
        if match:
            year, kind = int(match.group(1)), match.group(3)
            scope = "单位" if match.group(2) == "单位" else "部门"
            title = text[: match.end()]
            break

    department = _labelled_department(lines) or _department_in_title(cover_text) or _department_in_title(stem)
    if title:
        title = _NOISE_PREFIX.sub("", title)
    return DocumentMetadata(
        department_name=department,
        region=_region_of(department),
        fiscal_year=year,
        doc_kind=kind,
        doc_scope=scope,
        title=title,
    )


def _labelled_department(lines: list[str]) -> str | None:
    for line in lines:
        match = _DEPT_LABEL.search(line)
        if match and _DEPT_SUFFIX.fullmatch(match.group(1)):
            return _clean_department(match.group(1))
    return None


def _department_in_title(text: str) -> str | None:
    text = _NOISE_PREFIX.sub("", re.sub(r"20\d{2}年度?", "|", text))
    for part in text.split("|"):
        match = _DEPT_SUFFIX.match(_NOISE_PREFIX.sub("", part))
        if match:
            return _clean_department(match.group(1))
    return None


def _clean_department(name: str) -> str:
    return normalize(name).replace("（", "(").replace("）", ")")


def _region_of(department: str | None) -> str | None:
    if not department:
        return None
    match = _REGION.match(department)
    return match.group(1) if match else None
