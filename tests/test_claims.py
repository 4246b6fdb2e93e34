"""The claims ledger, its coverage by chapters and figures, the glossary and the fact check."""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from conftest import DATA, ROOT, compendium, contradict, run_cli

from infraclusters import figures
from infraclusters.model import chain, factcheck
from infraclusters.model import claims as coverage

TERM_ROLE = re.compile(r"\{term\}`(?:[^`<]*<([^>]+)>|([^`]+))`")


@pytest.fixture(scope="module")
def claims(c):
    return c.table("claims")


def book_in(root):
    """The book's data seen from another book folder ``root`` (its chapters scanned; the bibliography copied)."""
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    return compendium(DATA, root)


def test_chapters_and_figures_cite_only_known_claims(claims, c):
    assert set(c.claims["claim_id"]) == set(claims["claim_id"])
    assert coverage.unknown_claims(c, figures.figure_claims()) == []


def test_an_unknown_claim_id_is_reported(tmp_path, claims):
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: page\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("# Page\n\nSee {claim}`C9-99` and {claim}`C0-01`.\n", encoding="utf-8")
    book = book_in(tmp_path)
    assert set(book.claims["claim_id"]) == set(claims["claim_id"])
    assert coverage.unknown_claims(book, figures.figure_claims()) == ["page: C9-99"]


def test_coverage_report_lists_claims_supported_nowhere(tmp_path):
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: page\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("# Page\n\nOnly {claim}`C0-01` here.\n", encoding="utf-8")
    book = book_in(tmp_path)
    table = coverage.ledger(book, figures.figure_claims())
    figure_claims = {c for ids in figures.figure_claims().values() for c in ids}
    assert set(table.loc[table["covered"], "claim_id"]) == {"C0-01"} | figure_claims
    report = coverage.report(book, figures.figure_claims())
    uncovered = table.loc[~table["covered"], "claim_id"]
    assert f"supported nowhere ({len(uncovered)})" in report
    assert all(claim in report for claim in uncovered)


def test_the_ledger_tells_drawn_checked_and_only_quoted_claims_apart(tmp_path, data_copy):
    """Quoting is not reproducing: a claim counts as checked only with a public page found, as drawn only in a figure."""
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: page\n", encoding="utf-8")
    (tmp_path / "page.md").write_text("# Page\n\n{claim}`C3.2-09` and {claim}`C1.1-01`.\n", encoding="utf-8")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    from infraclusters.model import Compendium

    book = Compendium(data_copy, tmp_path)
    table = coverage.ledger(book, {}).set_index("claim_id")
    assert table.loc["C3.2-09", "support"] == "checked", "a CGT share with public pages (FC-30, FC-35)"
    assert table.loc["C1.1-01", "support"] == "quoted", "the 1980s origin: no page found (FC-02)"
    assert table.loc["C0-01", "support"] == "none"
    assert coverage.ledger(book, {"fig-x": ["C1.1-01"]}).set_index("claim_id").loc["C1.1-01", "support"] == "figure"
    path = data_copy / "fact_checks.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["check_id"] in ("FC-30", "FC-31", "FC-35", "FC-36"):  # nothing found: no comparisons
            row.update(same_value="", same_metric="", same_period="", same_scope="")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    flipped = coverage.ledger(Compendium(data_copy, tmp_path), {}).set_index("claim_id")
    assert flipped.loc["C3.2-09", "support"] == "quoted", "with no page found, the claim is only quoted"
    counts = coverage.support_counts(table.reset_index())
    assert sum(counts[level] for level in coverage.SUPPORT) == counts["total"] == len(table)


def test_coverage_command_runs_and_strict_mode_fails_while_claims_are_uncovered():
    code, out, err = run_cli("coverage")
    assert code == 0, err
    assert re.match(r"\d+ claims: \d+ drawn or computed in a figure, \d+ more checked against a public page", out)
    strict, _, _ = run_cli("coverage", "--strict")
    assert strict == (0 if coverage.ledger(compendium(), figures.figure_claims())["covered"].all() else 1)


def test_the_papers_counts_match_the_tables_built_from_it(claims, c):
    values = claims.set_index("claim_id")["value"]
    numbers = chain.typology_numbers(c)
    assert numbers["n_stages"] == values["C0-08"]
    assert numbers["n_categories"] == values["C1.3-03"]


def test_every_quantitative_claim_is_fact_checked(claims, c):
    quantitative = set(claims.loc[claims["value"].notna(), "claim_id"])
    checked = set(c.table("fact_checks")["claim_id"])
    assert quantitative - checked == set()


def test_fact_check_counts_add_up(c):
    table = factcheck.checks(c)
    counts = factcheck.agreement_counts(table)
    assert sum(counts.values()) == len(table)
    assert table["quote_zh"].notna().all(), "every check joins to its claim"


def test_glossary_terms_used_in_chapters_exist(c):
    glossary = c.table("glossary")
    terms = {t.lower() for t in glossary["term_zh"]} | {t.lower() for t in glossary["term_en"]}
    used = []
    for path in coverage.chapter_files(ROOT).values():
        for target, plain in TERM_ROLE.findall(path.read_text(encoding="utf-8")):
            used.append((target or plain).strip())
    assert used, "chapters link glossary terms"
    assert [t for t in used if t.lower() not in terms] == []


# --- the fact-check rubric -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (("yes", "yes", "yes", "yes"), "agrees"),
        (("yes", "yes", "no", "yes"), "agrees, other date"),
        (("yes", "yes", "unknown", "yes"), "agrees, other date"),
        (("yes", "no", "yes", "yes"), "partially agrees"),
        (("yes", "yes", "yes", "no"), "partially agrees"),
        (("no", "yes", "yes", "yes"), "disagrees"),
        (("no", "no", "yes", "yes"), "not comparable"),
        (("no", "yes", "no", "yes"), "not comparable"),
        (("no", "yes", "unknown", "yes"), "not comparable"),
        (("", "", "", ""), "not found"),
        ((None, None, None, None), "not found"),
    ],
)
def test_the_rubric_gives_each_verdict_from_the_four_comparisons(fields, expected):
    assert factcheck.verdict(*fields) == expected


def test_every_verdict_has_a_colour_and_a_rule_in_words():
    from infraclusters.figures.theme import AGREEMENT_COLOURS
    from infraclusters.text.tables import RUBRIC

    assert list(AGREEMENT_COLOURS) == factcheck.AGREEMENT_ORDER
    assert list(RUBRIC) == factcheck.AGREEMENT_ORDER


def test_the_audits_checks_are_graded_by_the_rubric(c):
    """FC-30/31 count all trial plans, not registrational ones: not a disagreement. FC-35/36 match the paper a year early."""
    table = factcheck.checks(c).set_index("check_id")
    assert table.loc["FC-30", "agreement"] == table.loc["FC-31", "agreement"] == "not comparable"
    assert table.loc["FC-18", "agreement"] != "agrees", "'small scale' is not 'initially taken shape'"
    assert set(factcheck.earlier_matches(table.reset_index())["check_id"]) == {"FC-35", "FC-36"}


def test_a_public_page_that_contradicts_the_paper_shows_as_disagrees(data_copy, ed):
    """Data where the paper's claim fails: FC-20 with the same metric, period and scope, and another value."""
    from infraclusters.figures.factcheck import factcheck_chart
    from infraclusters.model import Compendium

    contradict(data_copy, "FC-20")
    book = Compendium(data_copy, ROOT)
    numbers = factcheck.summary_numbers(book)
    assert numbers["fc_disagrees"] == factcheck.summary_numbers(compendium())["fc_disagrees"] + 1
    table = factcheck.checks(book)
    spec = factcheck_chart(table, ed=ed).to_dict()
    values = next(iter(spec["datasets"].values()))
    assert {v["agreement"] for v in values if v["check_id"] == "FC-20"} == {"disagrees"}


def test_a_comparison_outside_yes_no_unknown_is_refused_with_file_row_and_column(data_copy):
    from infraclusters.model import DataValidationError, package

    path = data_copy / "fact_checks.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[3]["same_value"] = "probably"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataValidationError) as raised:
        package.validate(data_copy, ROOT)
    message = str(raised.value)
    assert "fact_checks.csv" in message and "same_value" in message and "probably" in message and "5" in message


def test_a_fresh_checkout_counts_the_case_pages_claims_as_the_build_will(tmp_path):
    """Without the generated case pages (a fresh clone), the ledger still credits each case page with its section's claims;
    with a case's claims removed from its section, they become uncited."""
    book = tmp_path / "book"
    shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns("_build", ".git", ".venv", "node_modules", "cases"))
    fresh = coverage.support_counts(coverage.ledger(compendium(book / "data", book), figures.figure_claims()))
    built = coverage.support_counts(coverage.ledger(compendium(DATA), figures.figure_claims()))
    assert fresh == built
    assert fresh["none"] == 0
    path = book / "data" / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",3.3,", ",,"), encoding="utf-8")
    table = coverage.ledger(compendium(book / "data", book), figures.figure_claims()).set_index("claim_id")
    assert table.loc["C3.3-14", "support"] == "none", "a claim no page cites is uncited, fresh checkout or not"
