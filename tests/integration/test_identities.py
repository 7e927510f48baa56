"""Accounting identities end to end: the real extractor and the real `dbt build`.

One warehouse per module: the four renderings of the sample (base, yuan, split_code, stream) and
a copy of base.pdf whose 支出总表 prints 2080101 行政运行 合计 as 421.25 instead of 421.15 (the
PDF's content stream edited in the test; PDFS says which year each copy is printed as). dbt
builds it twice: once as loaded, once after the edited copy was accepted the way
`budget-etl accept` does it (audit.documents status `accepted` plus a row in audit.acceptances).

Every figure asserted below is printed in the sample (../shared/fixtures/haidong_hrss_2023/
source.txt, 万元): table 1 lines 124-193, table 2 241-251, table 3 260-296, table 4 307-382,
table 5 393-429, table 6 440-499, table 7 515-520, the performance table 799 (9 projects,
122.66). The sample breaks none of its identities: every cross-table check holds, so the list
of `warn` findings is empty, and the checks themselves are asserted with their numbers.
"""

from __future__ import annotations

import base64
import re
import subprocess
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from budget_etl.review import format_findings, read_findings
from store.ingest import ingest_pdf
from store.review import accept
from tests.support.dbt import dbt_build as build_project

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
RENDERINGS = ("base", "yuan", "split_code", "stream")
# The extractor counts one version per department, year and kind (older ones are `superseded`),
# so each rendering is printed as another year; the edited copy of base.pdf is the 2024 budget
# with 2080101 行政运行 合计 printed 421.25 instead of 421.15 on page 6 (支出总表).
PDFS: dict[str, tuple[str, dict[int | None, list[tuple[str, str]]]]] = {
    "base": ("base", {}),
    "yuan": ("yuan", {None: [("2023", "2020")]}),
    "split_code": ("split_code", {None: [("2023", "2021")]}),
    "stream": ("stream", {None: [("2023", "2022")]}),
    "edited": ("base", {None: [("2023", "2024")], 6: [("421.15", "421.25")]}),
}
FACTS = (
    "fct_expenditure",
    "fct_basic_expenditure",
    "fct_revenue",
    "fct_three_public_costs",
    "fct_project",
    "fct_performance_indicator",
)
WAN = Decimal(10000)


# --- editing printed figures in a PDF ---------------------------------------------------------


def _decoded(header: bytes, raw: bytes) -> bytes:
    if b"ASCII85Decode" in header:
        text = raw.strip()
        raw = base64.a85decode(text[:-2] if text.endswith(b"~>") else text)
    if b"FlateDecode" in header:
        raw = zlib.decompress(raw)
    return raw


def _outside_escapes(stream: bytes, old: bytes) -> list[int]:
    """Offsets of `old` in a content stream that are not inside an octal escape (\\ddd)."""
    found = []
    for match in re.finditer(re.escape(old), stream):
        p = match.start()
        inside = any(
            p >= k and stream[p - k : p - k + 1] == b"\\" and (k == 1 or stream[p - k + 1 : p].isdigit())
            for k in (1, 2, 3)
        )
        if not inside:
            found.append(p)
    return found


def edit_pdf_text(pdf: bytes, replacements: dict[int | None, list[tuple[str, str]]]) -> bytes:
    """The PDF with printed digits replaced: {1-based page, or None for every page: [(old, new)]}.

    The sample PDFs are written by ReportLab: digits are ASCII codes in the first font subset,
    all of one width, so a same-length replacement keeps the layout.  The edited content streams
    are written uncompressed and the file is re-serialized with a new xref table.
    """
    startxref = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    xref = pdf[startxref:]
    first = int(re.match(rb"xref\s+(\d+)\s+\d+\s", xref).group(1))
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf])", xref[: xref.index(b"trailer")])
    offsets = {first + i: int(offset) for i, (offset, _, kind) in enumerate(entries) if kind == b"n"}
    kids = re.search(rb"/Kids\s*\[([^\]]*)\]", pdf).group(1)
    page_of_contents = {}
    for page, number in enumerate(re.findall(rb"(\d+) 0 R", kids), start=1):
        body = pdf[offsets[int(number)] :]
        contents = re.search(rb"/Contents (\d+) 0 R", body[: body.index(b"endobj")]).group(1)
        page_of_contents[int(contents)] = page
    order = sorted(offsets.items(), key=lambda item: item[1])
    out = bytearray(pdf[: order[0][1]])
    new_offsets = {}
    for index, (number, offset) in enumerate(order):
        end = order[index + 1][1] if index + 1 < len(order) else startxref
        chunk = pdf[offset:end]
        page = page_of_contents.get(number)
        edits = replacements.get(None, []) + replacements.get(page, []) if page else []
        if edits:
            match = re.match(rb"\d+ 0 obj\s*<<(.*?)>>\s*stream\r?\n", chunk, re.S)
            length = int(re.search(rb"/Length (\d+)", match.group(1)).group(1))
            stream = _decoded(match.group(1), chunk[match.end() : match.end() + length])
            for old, new in edits:
                assert len(old) == len(new), (old, new)
                for p in _outside_escapes(stream, old.encode()):
                    stream = stream[:p] + new.encode() + stream[p + len(old) :]
            chunk = b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
                number,
                len(stream),
                stream,
            )
        new_offsets[number] = len(out)
        out += chunk
    xref_at = len(out)
    size = max(offsets) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (
            b"%010d 00000 n \n" % new_offsets[number] if number in new_offsets else b"0000000000 65535 f \n"
        )
    out += xref[xref.index(b"trailer") : xref.index(b"startxref")] + b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# --- running dbt and reading the warehouse ----------------------------------------------------


def dbt_build(warehouse: Path, work: Path) -> subprocess.CompletedProcess[str]:
    return build_project(work, {"BUDGET_WAREHOUSE": str(warehouse)})


@dataclass(frozen=True)
class Snapshot:
    """What a build left in the warehouse, read once (the warehouse changes after the next build)."""

    status: dict[str, tuple[str, str | None]]  # document_id -> (audit status, reason)
    findings: list[dict]
    checks: list[dict]
    fact_documents: dict[str, set[str]]  # fact table -> document_ids with rows
    facts_by_document: dict[str, list[tuple]]  # document_id -> sorted fact rows without ids/lineage
    dim_document: dict[str, dict]


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def snapshot(warehouse: Path) -> Snapshot:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts_by_document: dict[str, list[tuple]] = {}
        for row in rows(
            con,
            "select document_id, fund_scope, functional_code as code, expenditure_type as kind, amount_yuan "
            "from marts.fct_expenditure union all "
            "select document_id, fund_scope, economic_code, cost_type, amount_yuan "
            "from marts.fct_basic_expenditure "
            "union all select document_id, 'revenue', revenue_source, '', amount_yuan from marts.fct_revenue "
            "union all select document_id, 'three_public', basis, category, amount_yuan "
            "from marts.fct_three_public_costs "
            "union all select document_id, 'project', project_name, '', amount_yuan from marts.fct_project",
        ):
            doc = row.pop("document_id")
            facts_by_document.setdefault(doc, []).append(tuple(row.values()))
        return Snapshot(
            status={
                r["document_id"]: (r["status"], r["reason"])
                for r in rows(con, "select document_id, status, reason from audit.documents")
            },
            findings=rows(con, "select * from audit.identity_findings order by document_id, identity, item"),
            checks=rows(con, "select * from intermediate.int_identity_checks"),
            fact_documents={
                fact: {r["document_id"] for r in rows(con, f"select distinct document_id from marts.{fact}")}
                for fact in FACTS
            },
            facts_by_document={doc: sorted(facts, key=repr) for doc, facts in facts_by_document.items()},
            dim_document={r["document_id"]: r for r in rows(con, "select * from marts.dim_document")},
        )


@dataclass(frozen=True)
class Built:
    warehouse: Path
    documents: dict[str, str]  # rendering (and "edited") -> document_id
    loaded: Snapshot  # after the first build
    accepted: Snapshot  # after accepting the edited copy and building again


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("identities")
    warehouse = work / "warehouse.duckdb"
    documents = {}
    for name, (source, edits) in PDFS.items():
        pdf = work / f"{name}.pdf"
        pdf.write_bytes(edit_pdf_text((FIXTURES / f"{source}.pdf").read_bytes(), edits))
        outcome = ingest_pdf(pdf, warehouse)
        assert outcome.status == "loaded", (name, outcome)
        documents[name] = outcome.document_id

    dbt_build(warehouse, work)
    loaded = snapshot(warehouse)

    # `budget-etl accept` (without its rebuild run, which is dbt_build here)
    findings = format_findings(read_findings(warehouse, documents["edited"]))
    assert "expenditure p6" in findings and "difference" in findings, findings
    accept(warehouse, documents["edited"], "2080101 checked by hand: test copy", who="pytest")
    dbt_build(warehouse, work)
    return Built(warehouse, documents, loaded, snapshot(warehouse))


# --- (a) the four renderings -------------------------------------------------------------------

# The cross-table identities of the sample, each with the two printed figures it compares (元).
SAMPLE_CROSS_CHECKS = {
    # table 1 functional classes = table 3 类 totals (source.txt 138/262, 142/282, 162/292)
    ("summary_classes_vs_expenditure", "208"): (Decimal("675.85"), Decimal("675.85")),
    ("summary_classes_vs_expenditure", "210"): (Decimal("67.67"), Decimal("67.67")),
    ("summary_classes_vs_expenditure", "221"): (Decimal("24.26"), Decimal("24.26")),
    # table 1 revenue sources = table 2 合计 row (124/241, 191/241)
    ("summary_sources_vs_revenue", "general_budget"): (Decimal("717.78"), Decimal("717.78")),
    ("summary_sources_vs_revenue", "carryover"): (Decimal("50.00"), Decimal("50.00")),
    # table 2 appropriation column = table 4 本年收入 line (241/309)
    ("revenue_vs_appropriation", "general_budget"): (Decimal("717.78"), Decimal("717.78")),
    # table 4 一般公共预算 本年支出 767.78 = table 5 合计 717.78 + 上年结转 50.00 (307, 393, 376)
    ("appropriation_vs_general_budget", "上年结转"): (Decimal("767.78"), Decimal("767.78")),
    # table 5 基本支出 合计 = table 6 合计 (393/440)
    ("general_budget_basic_vs_economic", "基本支出"): (Decimal("595.13"), Decimal("595.13")),
    # table 5 项目支出 合计 = Σ of the nine projects (393/799)
    ("general_budget_project_vs_performance", "9 projects"): (Decimal("122.66"), Decimal("122.66")),
    # table 7 = table 6 30217 / 30231 (520, 484, 493)
    ("three_public_vs_economic", "reception"): (Decimal("2.40"), Decimal("2.40")),
    ("three_public_vs_economic", "vehicle_operation"): (Decimal("2.50"), Decimal("2.50")),
    # table 6 人员经费 = 301 + 303 (452.93 + 98.01), 公用经费 = 302 (440, 442, 499, 464)
    ("economic_cost_type_split", "personnel"): (Decimal("550.94"), Decimal("550.94")),
    ("economic_cost_type_split", "public"): (Decimal("44.19"), Decimal("44.19")),
}


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_rendering_loads_without_error_findings(built: Built, rendering: str) -> None:
    doc = built.documents[rendering]
    assert built.loaded.status[doc] == ("loaded", None)
    errors = [f for f in built.loaded.findings if f["document_id"] == doc and f["severity"] == "error"]
    assert errors == []
    assert doc in built.loaded.dim_document
    assert all(doc in documents for documents in built.loaded.fact_documents.values())


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_rendering_warn_findings_are_listed_with_numbers(built: Built, rendering: str) -> None:
    doc = built.documents[rendering]
    warnings = [
        (f["identity"], f["item"], f["expected_yuan"], f["actual_yuan"])
        for f in built.loaded.findings
        if f["document_id"] == doc and f["severity"] == "warn"
    ]
    # The sample's tables agree with each other: no warning (checked by hand against source.txt).
    assert warnings == []
    checks = [c for c in built.loaded.checks if c["document_id"] == doc and c["severity"] == "warn"]
    for (identity, key), (expected_wan, actual_wan) in SAMPLE_CROSS_CHECKS.items():
        matching = [c for c in checks if c["identity"] == identity and key in c["item"]]
        assert len(matching) == 1, (identity, key, [c["item"] for c in checks if c["identity"] == identity])
        check = matching[0]
        assert (check["expected_yuan"], check["actual_yuan"]) == (expected_wan * WAN, actual_wan * WAN)
        assert check["is_within_tolerance"]


@pytest.mark.parametrize("rendering", RENDERINGS[1:])
def test_renderings_give_the_same_facts(built: Built, rendering: str) -> None:
    base = built.loaded.facts_by_document[built.documents["base"]]
    assert built.loaded.facts_by_document[built.documents[rendering]] == base
    assert len(base) == 22 + 26 + 2 + 4 + 9


def test_sample_rounding_differences_are_within_tolerance(built: Built) -> None:
    """767.78 vs 595.13 + 172.66 (table 3 合计) and 301's 452.93 vs its ten 款 (452.92) hold."""
    doc = built.documents["base"]
    checks = {
        (c["identity"], c["table_kind"], c["item"]): c for c in built.loaded.checks if c["document_id"] == doc
    }
    total = checks[
        ("expenditure_row_total", "expenditure", "合计: 合计 = 基本支出 + 项目支出 + … (row total)")
    ]
    assert (total["expected_yuan"], total["actual_yuan"], total["tolerance_yuan"]) == (
        Decimal("7677800.00"),
        Decimal("7677900.00"),
        Decimal("150"),
    )
    assert total["is_within_tolerance"]
    wages = checks[
        ("parent_equals_children", "basic_expenditure_economic", "301 工资福利支出 [total]: 类 = Σ款")
    ]
    assert (wages["expected_yuan"], wages["actual_yuan"]) == (Decimal("4529300.00"), Decimal("4529200.00"))
    assert wages["is_within_tolerance"]


# --- (b) a changed amount is quarantined, accepted, admitted ---------------------------------


def test_changed_amount_is_quarantined_with_findings(built: Built) -> None:
    doc = built.documents["edited"]
    status, reason = built.loaded.status[doc]
    assert status == "quarantined"
    assert reason == "2 identity errors, see audit.identity_findings"
    findings = {
        (f["identity"], f["table"], f["item"]): (
            f["expected_yuan"],
            f["actual_yuan"],
            f["difference_yuan"],
            f["page"],
        )
        for f in built.loaded.findings
        if f["document_id"] == doc
    }
    assert findings == {
        # 2080101 行政运行: 合计 421.25 against 基本支出 398.15 + 项目支出 23.00 = 421.15
        (
            "expenditure_row_total",
            "expenditure",
            "2080101 行政运行: 合计 = 基本支出 + 项目支出 + … (row total)",
        ): (Decimal("4212500.00"), Decimal("4211500.00"), Decimal("-1000.00"), 6),
        # 20801 合计 438.15 against 2080101 421.25 + 2080104 17.00 = 438.25
        ("parent_equals_children", "expenditure", "20801 人力资源和社会保障管理事务 [total]: 款 = Σ项"): (
            Decimal("4381500.00"),
            Decimal("4382500.00"),
            Decimal("1000.00"),
            6,
        ),
    }


def test_quarantined_document_stays_out_of_the_marts(built: Built) -> None:
    edited, base = built.documents["edited"], built.documents["base"]
    assert edited not in built.loaded.dim_document
    for fact, documents in built.loaded.fact_documents.items():
        assert edited not in documents, fact
        assert base in documents, fact


def test_accepted_document_enters_the_marts(built: Built) -> None:
    edited = built.documents["edited"]
    assert built.accepted.status[edited] == ("accepted", "2080101 checked by hand: test copy")
    for fact, documents in built.accepted.fact_documents.items():
        assert edited in documents, fact
    document = built.accepted.dim_document[edited]
    assert document["document_status"] == "accepted"
    assert document["error_findings"] == 2
    assert document["acceptance_reason"] == "2080101 checked by hand: test copy"
    assert document["accepted_by"] == "pytest"
    # its findings stay on record, and the printed 421.25 is what the marts hold
    assert {f["identity"] for f in built.accepted.findings if f["document_id"] == edited} == {
        "expenditure_row_total",
        "parent_equals_children",
    }
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        basic = con.execute(
            "select amount_yuan from marts.fct_expenditure where document_id = ? "
            "and functional_code = '2080101' and fund_scope = 'all_funds' and expenditure_type = 'basic'",
            [edited],
        ).fetchone()
    assert basic == (Decimal("3981500.00"),)


def test_other_documents_are_untouched_by_the_acceptance(built: Built) -> None:
    for rendering in RENDERINGS:
        doc = built.documents[rendering]
        assert built.accepted.status[doc] == ("loaded", None)
        assert built.accepted.facts_by_document[doc] == built.loaded.facts_by_document[doc]


# --- (c) facts resolve to their dimensions; the contract's columns and types -----------------

RESOLVES = {
    "fct_expenditure": {
        "department_key": "dim_department",
        "fiscal_year": "dim_fiscal_year",
        "document_id": "dim_document",
        "functional_code": "dim_functional_classification",
        "fund_scope": "dim_fund_scope",
        "expenditure_type": "dim_expenditure_type",
    },
    "fct_basic_expenditure": {
        "department_key": "dim_department",
        "fiscal_year": "dim_fiscal_year",
        "document_id": "dim_document",
        "economic_code": "dim_economic_classification",
        "fund_scope": "dim_fund_scope",
        "cost_type": "dim_cost_type",
    },
    "fct_revenue": {
        "department_key": "dim_department",
        "fiscal_year": "dim_fiscal_year",
        "document_id": "dim_document",
        "revenue_source": "dim_revenue_source",
    },
    "fct_three_public_costs": {
        "department_key": "dim_department",
        "fiscal_year": "dim_fiscal_year",
        "document_id": "dim_document",
        "basis": "dim_three_public_basis",
        "category": "dim_three_public_category",
    },
    "fct_project": {
        "department_key": "dim_department",
        "fiscal_year": "dim_fiscal_year",
        "document_id": "dim_document",
    },
    "fct_performance_indicator": {
        "department_key": "dim_department",
        "fiscal_year": "dim_fiscal_year",
        "document_id": "dim_document",
    },
}

DESIGN_COLUMNS = {
    "dim_department": ["department_key", "department_name", "region"],
    "dim_fiscal_year": ["fiscal_year"],
    "dim_functional_classification": ["functional_code", "functional_name", "level", "parent_code"],
    "dim_economic_classification": ["economic_code", "economic_name", "level", "parent_code"],
    "fct_expenditure": [
        "document_id",
        "department_key",
        "fiscal_year",
        "functional_code",
        "fund_scope",
        "expenditure_type",
        "amount_yuan",
    ],
    "fct_basic_expenditure": [
        "document_id",
        "department_key",
        "fiscal_year",
        "economic_code",
        "cost_type",
        "amount_yuan",
    ],
    "fct_revenue": ["document_id", "department_key", "fiscal_year", "revenue_source", "amount_yuan"],
    "fct_three_public_costs": [
        "document_id",
        "department_key",
        "fiscal_year",
        "basis",
        "category",
        "amount_yuan",
    ],
    "fct_project": ["document_id", "department_key", "fiscal_year", "project_name", "amount_yuan", "goal"],
    "fct_performance_indicator": [
        "document_id",
        "department_key",
        "fiscal_year",
        "project_name",
        "level1",
        "level2",
        "indicator",
        "operator",
        "target_value",
        "unit",
    ],
}
KEY_DIMENSION_COLUMN = {
    "dim_functional_classification": "functional_code",
    "dim_economic_classification": "economic_code",
    "dim_fund_scope": "fund_scope",
    "dim_expenditure_type": "expenditure_type",
    "dim_cost_type": "cost_type",
    "dim_revenue_source": "revenue_source",
    "dim_three_public_basis": "basis",
    "dim_three_public_category": "category",
}


@pytest.mark.parametrize("fact", FACTS)
def test_every_fact_row_resolves_to_its_dimensions(built: Built, fact: str) -> None:
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        assert con.execute(f"select count(*) from marts.{fact}").fetchone()[0] > 0
        for column, dimension in RESOLVES[fact].items():
            key = KEY_DIMENSION_COLUMN.get(dimension, column)
            orphans = con.execute(
                f"select count(*) from marts.{fact} f left join marts.{dimension} d on f.{column} = d.{key} "
                f"where d.{key} is null or f.{column} is null"
            ).fetchone()[0]
            assert orphans == 0, (fact, column, dimension)


def test_marts_have_the_design_columns_with_decimal_money(built: Built) -> None:
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        types = {
            (table, column): data_type
            for table, column, data_type in con.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_schema = 'marts'"
            ).fetchall()
        }
        for table, columns in DESIGN_COLUMNS.items():
            for column in columns:
                assert (table, column) in types, (table, column)
        money = {key: t for key, t in types.items() if key[1].endswith("_yuan")}
        assert money and set(money.values()) == {"DECIMAL(20,2)"}
        assert types[("dim_fiscal_year", "fiscal_year")] == "INTEGER"
        findings = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'audit' and table_name = 'identity_findings' order by ordinal_position"
        ).fetchall()
    assert [name for name, _ in findings] == [
        "document_id",
        "identity",
        "table",
        "item",
        "expected_yuan",
        "actual_yuan",
        "difference_yuan",
        "tolerance_yuan",
        "page",
        "severity",
    ]
    assert {
        name: t for name, t in findings if name in ("expected_yuan", "actual_yuan", "difference_yuan")
    } == {
        "expected_yuan": "DECIMAL(20,2)",
        "actual_yuan": "DECIMAL(20,2)",
        "difference_yuan": "DECIMAL(20,2)",
    }


def test_audit_acceptances_exists_for_the_cli(built: Built) -> None:
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        columns = [
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'audit' "
                "and table_name = 'acceptances' order by ordinal_position"
            ).fetchall()
        ]
    assert columns == ["document_id", "reason", "accepted_by", "accepted_at"]


def test_pdf_edit_changes_exactly_the_figures(tmp_path: Path) -> None:
    """The edited copy reads like base.pdf with the year and the one figure changed (guards the helper)."""
    import pypdfium2 as pdfium

    edited = tmp_path / "edited.pdf"
    edited.write_bytes(edit_pdf_text((FIXTURES / "base.pdf").read_bytes(), PDFS["edited"][1]))
    original, changed = pdfium.PdfDocument(str(FIXTURES / "base.pdf")), pdfium.PdfDocument(str(edited))
    try:
        assert len(changed) == len(original)
        for index in range(len(original)):
            expected = original[index].get_textpage().get_text_range().replace("2023", "2024")
            if index == 5:
                assert "421.15" in expected
                expected = expected.replace("421.15", "421.25")
            assert changed[index].get_textpage().get_text_range() == expected, f"page {index + 1}"
    finally:
        original.close()
        changed.close()
