"""The data layer: good data loads with its declared types; each kind of bad input fails clearly."""

from __future__ import annotations

import csv
import json
import re

import pytest
from conftest import DATA, ROOT, compendium, run_cli
from paper import Paper, book_quotations, digest, located_quotations, squeeze

from infraclusters.model import DataValidationError, Problem, package


def rows_in(path) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def problems_of(data_dir) -> list[Problem]:
    with pytest.raises(DataValidationError) as caught:
        compendium(data_dir)
    return caught.value.problems


def edit_cell(path, row: int, column: str, value: str) -> None:
    """Set one cell (row numbers as in messages: header = 1) by rewriting the CSV."""
    with open(path, encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    table[row - 1][table[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)


def test_good_data_validates_and_counts_every_row():
    summary = package.validate(DATA, ROOT)
    assert compendium().summary == summary
    resources = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    assert summary.tables == len(resources)
    assert summary.rows == sum(rows_in(DATA / r["path"]) for r in resources)


def test_load_table_applies_declared_types():
    stages = compendium().table("chain_stages")
    assert str(stages["stage_order"].dtype) == "Int64"
    assert stages.attrs["path"] == "data/chain_stages.csv"
    assert len(stages) == rows_in(DATA / "chain_stages.csv")


def test_unknown_table_names_the_known_ones():
    with pytest.raises(KeyError, match="chain_stages"):
        compendium().table("no_such_table")


def test_every_table_declares_a_required_source_and_a_primary_key_first():
    for resource in package.descriptor(DATA)["resources"]:
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        assert fields["source"]["constraints"]["required"] is True, resource["name"]
        assert resource["schema"]["primaryKey"] == [resource["schema"]["fields"][0]["name"]], resource["name"]


def test_every_chinese_quotation_is_the_papers_exact_text(paper):
    """Every quotation the data makes (quotes, roles, definitions, names in the paper's words) is the paper's."""
    missing = [where for where, quotation in located_quotations() if quotation.strip() and quotation not in paper]
    assert not missing, missing


def test_the_quotation_fingerprint_is_the_papers_and_records_every_quotation(paper):
    """The committed fingerprint (``tests/paper.py``) stands in for the text where it is absent: with the text
    it must be that text's, and hold every quotation the data makes (else: ``python tests/paper.py --update``)."""
    if not paper.has_text:
        pytest.skip("the paper's text is not here: the quotations were checked against the committed fingerprint")
    assert paper.fingerprint_problems() == []
    unrecorded = [q for q in book_quotations() if q.strip() and q in paper and digest(squeeze(q)) not in paper.quotes]
    assert unrecorded == [], "run python tests/paper.py --update"


def test_without_the_text_an_edited_quotation_fails_and_a_recorded_one_passes(paper):
    blind = Paper(None, paper.fingerprint)
    quotation = next(q for q in book_quotations() if len(squeeze(q)) > 8)
    assert quotation in blind
    assert quotation.replace(squeeze(quotation)[3], "X", 1) not in blind
    assert "创新基础设施集群是一群在地理上邻近的设施" not in blind  # plausible, not the paper's words
    # and with a text, the fingerprint is held to it: another text is another paper
    other = Paper(squeeze(quotation), paper.fingerprint)
    assert other.fingerprint_problems()


# --- one test per kind of bad input ------------------------------------------------


def test_missing_column(data_copy):
    path = data_copy / "facility_types.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    cut = [",".join(c for i, c in enumerate(next(csv.reader([line]))) if i != 3) for line in text]
    path.write_text("\n".join(cut) + "\n", encoding="utf-8")
    found = problems_of(data_copy)
    assert any(
        p.file.endswith("facility_types.csv") and p.row == 1 and p.column == "name_en" and "missing column" in p.message
        for p in found
    ), found


def test_unknown_column(data_copy):
    path = data_copy / "chain_stages.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",colour"] + [line + ",red" for line in lines[1:]]) + "\n", encoding="utf-8")
    found = problems_of(data_copy)
    assert [(p.row, p.column) for p in found if "unknown column" in p.message] == [(1, "colour")]


def test_wrong_type(data_copy):
    edit_cell(data_copy / "chain_stages.csv", 3, "stage_order", "second")
    found = problems_of(data_copy)
    assert any(p.row == 3 and p.column == "stage_order" and "second" in p.message for p in found), found


def test_duplicate_key(data_copy):
    edit_cell(data_copy / "facility_types.csv", 3, "type_id", "high_level_laboratory")
    found = problems_of(data_copy)
    assert any(p.file.endswith("facility_types.csv") and p.row == 3 and "primary key" in p.message for p in found), (
        found
    )


def test_blank_key(data_copy):
    edit_cell(data_copy / "definitions.csv", 2, "concept_id", "")
    found = problems_of(data_copy)
    assert any(p.row == 2 and p.column == "concept_id" and "required" in p.message for p in found), found


def test_value_outside_allowed_set(data_copy):
    edit_cell(data_copy / "type_stages.csv", 4, "coding", "guessed")
    found = problems_of(data_copy)
    assert any(p.row == 4 and p.column == "coding" and "guessed" in p.message and "enum" in p.message for p in found), (
        found
    )


def test_dangling_foreign_key(data_copy):
    edit_cell(data_copy / "facility_types.csv", 5, "category_id", "financing")
    found = problems_of(data_copy)
    assert any(
        p.row == 5 and p.column == "category_id" and "'financing'" in p.message and "facility_categories" in p.message
        for p in found
    ), found


def test_empty_file(data_copy):
    (data_copy / "milestones.csv").write_bytes(b"")
    found = problems_of(data_copy)
    assert any(p.file.endswith("milestones.csv") and "empty" in p.message for p in found), found


def test_non_utf8_bytes(data_copy):
    path = data_copy / "definitions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(number for number, line in enumerate(lines, start=1) if "创新活动" in line)
    path.write_bytes(path.read_bytes().replace("创新活动".encode(), "创新活动".encode("gbk"), 1))
    found = problems_of(data_copy)
    bad = [p for p in found if "not UTF-8" in p.message]
    assert bad and bad[0].file.endswith("definitions.csv") and bad[0].row == first, found


def test_source_that_is_not_in_the_bibliography(data_copy):
    edit_cell(data_copy / "milestones.csv", 2, "source", "paper §1.1; nosuchwork2099")
    found = problems_of(data_copy)
    assert any(p.row == 2 and p.column == "source" and "nosuchwork2099" in p.message for p in found), found


def test_source_in_no_known_form(data_copy):
    edit_cell(data_copy / "milestones.csv", 3, "source", "somewhere online")
    found = problems_of(data_copy)
    assert any(p.row == 3 and p.column == "source" and "neither" in p.message for p in found), found


def test_every_problem_is_reported_at_once(data_copy):
    edit_cell(data_copy / "chain_stages.csv", 2, "stage_order", "first")
    edit_cell(data_copy / "type_stages.csv", 2, "coding", "maybe")
    (data_copy / "milestones.csv").write_bytes(b"")
    found = problems_of(data_copy)
    files = {p.file.rsplit("/", 1)[-1] for p in found}
    assert {"chain_stages.csv", "type_stages.csv", "milestones.csv"} <= files


def test_cli_validate_exit_codes(data_copy):
    code, out, err = run_cli("validate", cwd=ROOT)
    assert code == 0, err
    assert re.fullmatch(r"data OK: \d+ tables, \d+ rows in .+\n", out)
    edit_cell(data_copy / "chain_stages.csv", 2, "stage_order", "first")
    code, _, err = run_cli("validate", str(data_copy))
    assert code == 1
    assert "chain_stages.csv, row 2, column stage_order" in err


def test_cli_validate_missing_directory(tmp_path):
    code, _, err = run_cli("validate", str(tmp_path / "nowhere"))
    assert code == 1 and "datapackage.json" in err


def test_data_dictionary_comes_from_the_schema():
    table = compendium().dictionary("type_stages")
    assert list(table["column"]) == [f["name"] for f in package.schema("type_stages", DATA)["fields"]]
    assert table.equals(package.dictionary("type_stages", DATA))
    assert table.set_index("column").loc["stage_id", "key"] == "→ chain_stages.stage_id"
    assert table.set_index("column").loc["coding", "allowed values"] == "stated, inferred"


def test_relation_to_neither_a_facility_nor_an_organisation(data_copy):
    edit_cell(data_copy / "relations.csv", 3, "to_id", "nowhere_institute")
    found = problems_of(data_copy)
    assert any(p.row == 3 and p.column == "to_id" and "nowhere_institute" in p.message for p in found), found


def test_a_validation_stamp_skips_only_unchanged_data(data_copy, tmp_path, monkeypatch):
    """The build's kernels share one record of a successful validation; any edit to the data voids it."""
    from infraclusters.model import DataValidationError, package

    stamp = tmp_path / "validated.json"
    first = package.validate(data_copy, ROOT, stamp)
    assert stamp.is_file()

    def fail(*args):
        raise AssertionError("validated again although nothing changed")

    monkeypatch.setattr(package, "_validate_cached", fail)
    assert package.validate(data_copy, ROOT, stamp) == first
    monkeypatch.undo()
    stages = data_copy / "chain_stages.csv"
    stages.write_text(stages.read_text(encoding="utf-8") + "bad,row\n", encoding="utf-8")
    with pytest.raises(DataValidationError):
        package.validate(data_copy, ROOT, stamp)
