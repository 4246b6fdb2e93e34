"""The validation gate, tried with bad input of every class a red team found (``validate`` must reject each).

Each case breaks one thing in a scratch copy of the data, then asks the package
to validate it. The error must name the file, the row and the column, show
the offending value with its invisible characters made visible, and come as
one list, never a traceback. Classes: ids, invisible characters, digits,
dates, blank text, sources, cell size, bytes and line ends, the descriptor,
the bibliography. These are beyond the 22 cases of the bad-input page.
"""

from __future__ import annotations

import csv
import datetime
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from infraclusters.model import DataValidationError, package

NEXT_YEAR = str(datetime.date.today().year + 1)
#: Line ends of the book's relations.csv, so the expected message follows the table as it grows.
RELATION_LINES = (ROOT / "data" / "relations.csv").read_bytes().count(b"\n")


def set_cell(table: str, row: int, column: str, value: str):
    """Set one cell (row numbers as in messages: the header is row 1)."""

    def apply(data: Path) -> None:
        path = data / f"{table}.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        rows[row - 1][rows[0].index(column)] = value
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)

    return apply


def set_bytes(table: str, transform):
    def apply(data: Path) -> None:
        path = data / f"{table}.csv"
        path.write_bytes(transform(path.read_bytes()))

    return apply


def set_descriptor(transform):
    def apply(data: Path) -> None:
        path = data / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        transform(descriptor)
        path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")

    return apply


def resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def reader_bibliography(text: str):
    def apply(data: Path) -> None:
        (data / "references.bib").write_text(text, encoding="utf-8")

    return apply


GOOD_ENTRY = "@misc{reader_page_2024,\n  title = {A page},\n  url = {https://example.org},\n  year = {2024}\n}\n"

#: (case id, mutation, where the problem must be reported (file part, row, column), what the message says)
CASES = [
    # ids with invisible or extra characters
    (
        "id-trailing-newline",
        set_cell("facilities", 2, "facility_id", "qnl\n"),
        ("facilities.csv", 2, "facility_id"),
        "'qnl\\n' has spaces or line breaks at its ends",
    ),
    (
        "cluster-id-trailing-newline",
        set_cell("clusters", 3, "cluster_id", "shanghai_zhangjiang\n"),
        ("clusters.csv", 3, "cluster_id"),
        "line breaks at its ends",
    ),
    (
        "org-id-leading-space",
        set_cell("organisations", 2, "org_id", " ustc"),
        ("organisations.csv", 2, "org_id"),
        "' ustc' has spaces",
    ),
    (
        "fk-trailing-space",
        set_cell("facilities", 2, "cluster_id", "hefei_binhu "),
        ("facilities.csv", 2, "cluster_id"),
        "'hefei_binhu ' has spaces",
    ),
    (
        "fk-trailing-nbsp",
        set_cell("organisations", 2, "cluster_id", "hefei_binhu\u00a0"),
        ("organisations.csv", 2, "cluster_id"),
        "at its ends",
    ),
    (
        "relation-end-newline",
        set_cell("relations", 2, "from_id", "ustc\n"),
        ("relations.csv", 2, "from_id"),
        "'ustc\\n'",
    ),
    (
        "id-inner-space",
        set_cell("facilities", 2, "facility_id", "qnl lab"),
        ("facilities.csv", 2, "facility_id"),
        "inside an id",
    ),
    (
        "id-inner-tab",
        set_cell("facilities", 2, "facility_id", "qnl\tlab"),
        ("facilities.csv", 2, "facility_id"),
        "'qnl\\tlab' has a space or line break inside an id",
    ),
    (
        "id-zero-width-space",
        set_cell("facilities", 2, "facility_id", "q\u200bnl"),
        ("facilities.csv", 2, "facility_id"),
        "'q\\u200bnl' holds an invisible",
    ),
    (
        "id-carriage-return",
        set_cell("relations", 2, "relation_id", "r01\r"),
        ("relations.csv", None, None),
        f"mixed line ends (0 CRLF, {RELATION_LINES} LF, 1 CR)",
    ),
    (
        "note-quoted-carriage-return",
        set_bytes("relations", lambda b: b.replace(b'"Anhui', b'"An\rhui', 1)),
        ("relations.csv", 2, "notes"),
        "'An\\rhui",
    ),
    (
        "name-zero-width-joiner",
        set_cell("facilities", 2, "name_en", "National\u200dLaboratory"),
        ("facilities.csv", 2, "name_en"),
        "\\u200d",
    ),
    (
        "note-right-to-left-override",
        set_cell("facilities", 2, "notes", "safe \u202etxt.exe"),
        ("facilities.csv", 2, "notes"),
        "\\u202e",
    ),
    (
        "name-byte-order-mark-inside",
        set_cell("clusters", 2, "name_en", "Hefei\ufeff Binhu"),
        ("clusters.csv", 2, "name_en"),
        "\\ufeff",
    ),
    (
        "note-bell-character",
        set_cell("organisations", 2, "notes", "ring\x07"),
        ("organisations.csv", 2, "notes"),
        "\\u0007",
    ),
    (
        "name-soft-hyphen",
        set_cell("facilities", 3, "name_zh", "量子\u00ad研究院"),
        ("facilities.csv", 3, "name_zh"),
        "\\u00ad",
    ),
    (
        "name-word-joiner",
        set_cell("clusters", 2, "name_zh", "合肥\u2060滨湖科学城"),
        ("clusters.csv", 2, "name_zh"),
        "\\u2060",
    ),
    (
        "claim-text-escape-char",
        set_cell("claims", 2, "text_en", "A claim\x1b[31m red"),
        ("claims.csv", 2, "text_en"),
        "\\u001b",
    ),
    (
        "source-zero-width",
        set_cell("milestones", 2, "source", "paper §1.1\u200b"),
        ("milestones.csv", 2, "source"),
        "\\u200b",
    ),
    # keys that differ only in case
    (
        "category-id-case-only",
        set_cell("facility_categories", 3, "category_id", "RESEARCH"),
        ("facility_categories.csv", 3, "category_id"),
        "differs from 'research' (row 2) only in case",
    ),
    (
        "facility-id-case-only",
        set_cell("facilities", 3, "facility_id", "QNL"),
        ("facilities.csv", 3, "facility_id"),
        "differs from 'qnl' (row 2) only in case",
    ),
    # digits that are not ASCII
    (
        "year-full-width-digits",
        set_cell("facilities", 3, "year", "２０１７"),
        ("facilities.csv", 3, "year"),
        "digits that are not ASCII",
    ),
    ("year-arabic-indic-digits", set_cell("milestones", 2, "year", "١٩٨٠"), ("milestones.csv", 2, "year"), "not ASCII"),
    (
        "order-devanagari-digit",
        set_cell("chain_stages", 2, "stage_order", "१"),
        ("chain_stages.csv", 2, "stage_order"),
        "not ASCII",
    ),
    ("value-full-width-number", None, ("claims.csv", None, "value"), "not ASCII"),  # row: the first with a value
    (
        "longitude-full-width",
        set_cell("clusters", 2, "longitude", "１１７.２９"),
        ("clusters.csv", 2, "longitude"),
        "not ASCII",
    ),
    # impossible or future dates
    (
        "facility-year-in-future",
        set_cell("facilities", 3, "year", NEXT_YEAR),
        ("facilities.csv", 3, "year"),
        "is in the future",
    ),
    (
        "milestone-year-in-future",
        set_cell("milestones", 2, "year", NEXT_YEAR),
        ("milestones.csv", 2, "year"),
        "is in the future",
    ),
    ("example-year-2100", None, ("paper_examples.csv", None, "year"), "in the future"),  # row: the first with a year
    (
        "approval-month-13",
        set_cell("clusters", 2, "science_centre_approved", "2017-13"),
        ("clusters.csv", 2, "science_centre_approved"),
        "is not a date of the calendar",
    ),
    (
        "approval-month-00",
        set_cell("clusters", 2, "science_centre_approved", "2017-00"),
        ("clusters.csv", 2, "science_centre_approved"),
        "not a date of the calendar",
    ),
    (
        "approval-in-future",
        set_cell("clusters", 2, "science_centre_approved", f"{NEXT_YEAR}-01"),
        ("clusters.csv", 2, "science_centre_approved"),
        "in the future",
    ),
    (
        "check-date-february-30",
        set_cell("fact_checks", 2, "independent_as_of", "2024-02-30"),
        ("fact_checks.csv", 2, "independent_as_of"),
        "not a date of the calendar",
    ),
    (
        "check-date-year-zero",
        set_cell("fact_checks", 2, "independent_as_of", "0000"),
        ("fact_checks.csv", 2, "independent_as_of"),
        "not a date of the calendar",
    ),
    (
        "check-date-in-future",
        set_cell("fact_checks", 2, "independent_as_of", f"{NEXT_YEAR}-06-01"),
        ("fact_checks.csv", 2, "independent_as_of"),
        "in the future",
    ),
    # blank text where text is required
    (
        "name-spaces-only",
        set_cell("facilities", 2, "name_en", "   "),
        ("facilities.csv", 2, "name_en"),
        "is blank: text is required",
    ),
    ("name-tab-only", set_cell("clusters", 2, "name_zh", "\t"), ("clusters.csv", 2, "name_zh"), "is blank"),
    ("quote-newline-only", set_cell("claims", 2, "quote_zh", "\n"), ("claims.csv", 2, "quote_zh"), "is blank"),
    ("source-spaces-only", set_cell("milestones", 2, "source", "  "), ("milestones.csv", 2, "source"), "is blank"),
    # sources without a usable item, or naming a section the paper does not have
    (
        "source-empty-items",
        set_cell("milestones", 2, "source", "; ;"),
        ("milestones.csv", 2, "source"),
        "has an empty item",
    ),
    (
        "source-double-semicolon",
        set_cell("facilities", 2, "source", "paper §3.1;; fac_qnl_ifeng_2019"),
        ("facilities.csv", 2, "source"),
        "empty item",
    ),
    (
        "source-trailing-semicolon",
        set_cell("clusters", 2, "source", "paper §3.1;"),
        ("clusters.csv", 2, "source"),
        "empty item",
    ),
    (
        "source-leading-semicolon",
        set_cell("organisations", 2, "source", "; paper §3.1"),
        ("organisations.csv", 2, "source"),
        "empty item",
    ),
    (
        "source-section-9-9",
        set_cell("milestones", 2, "source", "paper §9.9"),
        ("milestones.csv", 2, "source"),
        "the paper has no section §9.9",
    ),
    (
        "source-section-5",
        set_cell("facilities", 2, "source", "paper §5"),
        ("facilities.csv", 2, "source"),
        "no section §5",
    ),
    (
        "source-section-2-6",
        set_cell("definitions", 2, "source", "paper §2.6"),
        ("definitions.csv", 2, "source"),
        "no section §2.6",
    ),
    (
        "source-section-3-4",
        set_cell("clusters", 2, "source", "paper §3.4"),
        ("clusters.csv", 2, "source"),
        "no section §3.4",
    ),
    # cells too long to be data
    (
        "note-of-a-novel",
        set_cell("facilities", 2, "notes", "x" * 6000),
        ("facilities.csv", 2, "notes"),
        "6,000 characters",
    ),
    (
        "id-of-a-novel",
        set_cell("relations", 2, "notes", "长" * 5001),
        ("relations.csv", 2, "notes"),
        "longer than any value",
    ),
    # bytes and line ends
    (
        "byte-order-mark",
        set_bytes("facilities", lambda b: b"\xef\xbb\xbf" + b),
        ("facilities.csv", 1, None),
        "byte-order mark",
    ),
    (
        "byte-order-mark-small-table",
        set_bytes("chain_stages", lambda b: b"\xef\xbb\xbf" + b),
        ("chain_stages.csv", 1, None),
        "UTF-8 without BOM",
    ),
    (
        "nul-byte",
        set_bytes("milestones", lambda b: b.replace(b"1980", b"19\x0080", 1)),
        ("milestones.csv", 2, None),
        "NUL byte",
    ),
    (
        "cr-only-line-ends",
        set_bytes("chain_stages", lambda b: b.replace(b"\r\n", b"\n").replace(b"\n", b"\r")),
        ("chain_stages.csv", None, None),
        "CR only",
    ),
    (
        "mixed-line-ends",
        set_bytes("problems", lambda b: b.replace(b"\n", b"\r", 1)),
        ("problems.csv", None, None),
        "mixed line ends",
    ),
    # mistakes in datapackage.json that would switch a check off
    (
        "fk-resource-misspelled",
        set_descriptor(
            lambda d: resource(d, "facilities")["schema"]["foreignKeys"][1]["reference"].update(
                resource="facility_type"
            )
        ),
        ("datapackage.json", None, None),
        "refers to 'facility_type', which is not a table",
    ),
    (
        "primary-key-missing-column",
        set_descriptor(lambda d: resource(d, "facilities")["schema"].update(primaryKey=["facility_key"])),
        ("datapackage.json", None, None),
        "primaryKey names 'facility_key'",
    ),
    (
        "fk-field-missing-column",
        set_descriptor(lambda d: resource(d, "facilities")["schema"]["foreignKeys"][0].update(fields=["cluster"])),
        ("datapackage.json", None, None),
        "foreign key names 'cluster'",
    ),
    (
        "schema-given-as-path",
        set_descriptor(lambda d: resource(d, "problems").update(schema="schemas/problems.json")),
        ("datapackage.json", None, None),
        "give the schema inline",
    ),
    (
        "no-resources",
        set_descriptor(lambda d: d.pop("resources")),
        ("datapackage.json", None, None),
        "no 'resources' list",
    ),
    (
        "resources-not-a-list",
        set_descriptor(lambda d: d.update(resources={"name": "x"})),
        ("datapackage.json", None, None),
        "no 'resources' list",
    ),
    (
        "resource-without-path",
        set_descriptor(lambda d: resource(d, "problems").pop("path")),
        ("datapackage.json", None, None),
        "without a name or a path",
    ),
    # a reader's references.bib that does not parse or repeats a key
    (
        "bib-unclosed-entry",
        reader_bibliography("@misc{reader_page_2024,\n  title = {A page\n"),
        ("references.bib", 1, None),
        "never closed",
    ),
    (
        "bib-unclosed-parenthesis",
        reader_bibliography("@misc(reader_page_2024,\n  title = {A page}\n"),
        ("references.bib", 1, None),
        "never closed",
    ),
    (
        "bib-duplicate-key",
        reader_bibliography(GOOD_ENTRY + "\n" + GOOD_ENTRY),
        ("references.bib", 7, None),
        "'reader_page_2024' is defined twice (first at line 1)",
    ),
    (
        "bib-duplicate-of-books-key",
        reader_bibliography(GOOD_ENTRY.replace("reader_page_2024", "huang2024")),
        ("references.bib", 1, None),
        "'huang2024' is defined twice",
    ),
    (
        "bib-entry-without-key",
        reader_bibliography("@misc{,\n  title = {No key}\n}\n"),
        ("references.bib", 1, None),
        "without a key",
    ),
    (
        "bib-stray-at",
        reader_bibliography("Write to me @ home.\n" + GOOD_ENTRY),
        ("references.bib", 1, None),
        "starts no entry",
    ),
]


def _first_row(data: Path, table: str, column: str) -> int:
    with open(data / f"{table}.csv", encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row[column]:
                return number
    raise AssertionError(f"no row of {table} has a {column}")


@pytest.mark.parametrize(("case", "mutation", "where", "says"), CASES, ids=[c[0] for c in CASES])
def test_validate_rejects_with_file_row_column_and_value(case, mutation, where, says, data_copy):
    file, row, column = where
    if case == "value-full-width-number":
        row = _first_row(data_copy, "claims", "value")
        mutation = set_cell("claims", row, "value", "５８")
    elif case == "example-year-2100":
        row = _first_row(data_copy, "paper_examples", "year")
        mutation = set_cell("paper_examples", row, "year", "2100")
    mutation(data_copy)
    with pytest.raises(DataValidationError) as caught:
        package.validate(data_copy, ROOT)
    matching = [
        p
        for p in caught.value.problems
        if says in p.message
        and file in p.file
        and (row is None or p.row == row)
        and (column is None or p.column == column)
    ]
    assert matching, f"{case}: no problem says {says!r} at {where}; got:\n" + "\n".join(map(str, caught.value.problems))


def test_there_are_at_least_sixty_cases_beyond_the_bad_input_page():
    assert len(CASES) >= 60


def test_the_command_line_names_the_problem_and_shows_no_traceback(data_copy):
    set_cell("facilities", 2, "facility_id", "qnl\n")(data_copy)
    result = subprocess.run(
        [sys.executable, "-m", "infraclusters", "validate", str(data_copy)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "row 2, column facility_id: value 'qnl\\n' has spaces or line breaks at its ends" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_books_own_data_passes_the_gate():
    assert package.validate(ROOT / "data", ROOT).tables > 20


def test_validate_without_an_argument_checks_the_book_in_the_current_directory(data_copy):
    """Run in another copy of the book, `validate` reads that copy's data/, not the checkout it was installed from."""
    book = data_copy.parent
    for name in ("_config.yml", "_toc.yml", "references.bib"):
        shutil.copy(ROOT / name, book / name)
    set_cell("milestones", 2, "year", "2999")(data_copy)
    run = [sys.executable, "-m", "infraclusters", "validate"]
    there = subprocess.run(run, capture_output=True, text=True, cwd=book)
    assert there.returncode == 1, there.stdout
    assert "milestones.csv" in there.stderr and "'2999'" in there.stderr
    here = subprocess.run(run, capture_output=True, text=True, cwd=ROOT)
    assert here.returncode == 0, here.stderr


def test_crlf_and_lf_in_one_file_parse_and_pass(data_copy):
    """A text editor appending LF rows to a file saved with CRLF makes both kinds of line end: the rows are
    unambiguous, so the file passes and its rows are read whole; a lone CR beside them is refused (above)."""
    from conftest import compendium

    path = data_copy / "problems.csv"
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\r\n".join(lines[:3]) + b"\r\n" + b"\n".join(lines[3:]))
    before = compendium().table("problems")
    after = compendium(data_copy).table("problems")
    assert after.equals(before)
