"""A reader's own cluster: the starter directory, laid over the book's tables, and institutions shared by clusters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from infraclusters.model import Compendium, DataValidationError, package, starter

BIB = """@misc{my_source_2025,
  title   = {The page's headline},
  author  = {Outlet},
  year    = {2025},
  date    = {2025-05-01},
  url     = {https://example.org/page},
  urldate = {2025-06-01},
  grade   = {press},
  note    = {Outlet}
}
"""


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture()
def started(tmp_path) -> Path:
    folder = tmp_path / "my-city"
    starter.write("my_city", folder, ROOT)
    return folder


def uncomment(folder: Path) -> None:
    """Take the starter's example rows as the reader's own, and name the dataset and its author, as a reader filling it in would."""
    for name in starter.TABLES:
        path = folder / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("\n# ", "\n"), encoding="utf-8")
    (folder / "references.bib").write_text(BIB, encoding="utf-8")
    name_dataset(folder)


def name_dataset(folder: Path) -> None:
    """Replace the starter's placeholder title and author, as a reader does first."""
    import json

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(title="My City inventory", contributors=[{"title": "A. Reader", "role": "author"}])
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def add(folder: Path, table: str, line: str) -> None:
    with open(folder / f"{table}.csv", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def test_the_starter_holds_only_a_clusters_tables_each_with_an_example(started):
    assert sorted(files_of(started)) == sorted(
        [f"{name}.csv" for name in starter.TABLES] + ["datapackage.json", "references.bib"]
    )
    for name in starter.TABLES:
        header, example = (started / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        assert header == (ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert example.startswith("# ")
    with pytest.raises(DataValidationError) as raised:
        package.validate(started, ROOT)
    assert {p.column for p in raised.value.problems} == {"title", "contributors"}, "only the placeholders to replace"
    name_dataset(started)
    summary = package.validate(started, ROOT)
    assert summary.own_rows == 0 and "0 rows of your own" in str(summary)


def test_the_starter_never_writes_into_a_folder_with_files(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        starter.write("my_city", folder, ROOT)
    assert files_of(folder) == {"notes.txt": b"mine"}
    with pytest.raises(ValueError, match="lowercase"):
        starter.write("My City", tmp_path / "other", ROOT)


def test_a_filled_starter_adds_its_cluster_to_the_books_three(started):
    uncomment(started)
    before = files_of(started)
    c = Compendium.open(started, ROOT)
    assert c.cluster_ids[-1] == "my_city" and len(c.cluster_ids) == 4
    assert c.is_layered and c.dataset["x-infraclusters-base"] == "book"
    cluster = c.cluster("my_city")
    assert list(cluster.facilities["facility_id"]) == ["my_city_light_source"]
    assert files_of(started) == before, "reading never writes into the reader's folder"


def test_an_institution_of_another_cluster_is_shared_under_its_one_id(started):
    """USTC (a row of Hefei) serves the reader's facility: it is a member, by name, marked as Hefei's."""
    uncomment(started)
    add(started, "relations", "my_city_r2,ustc,my_city_light_source,serves,USTC teams use it.,,my_source_2025")
    add(started, "relations", "my_city_r3,ustc,my_city_light_source,builds,USTC built it.,,my_source_2025")
    cluster = Compendium.open(started, ROOT).cluster("my_city")
    graph = cluster.graph
    assert graph.nodes["ustc"]["kind"] == "organisation"
    assert graph.nodes["ustc"]["name_en"].startswith("University of Science and Technology of China")
    assert graph.nodes["ustc"]["home_en"] == "Hefei Binhu Science City"
    assert not [n for n, kind in graph.nodes(data="kind") if kind == "outside"]
    assert cluster.metrics["n_relations"] == 3, "two relations between one pair are two"
    hefei = Compendium.open(started, ROOT).cluster("hefei_binhu")
    assert "my_city_light_source" in set(hefei.facilities["facility_id"]), "and the book's cluster shows the link too"


def test_a_problem_in_a_readers_row_names_their_file_and_line(started):
    uncomment(started)
    add(started, "facilities", "# a comment line is no row")
    add(
        started,
        "facilities",
        "my_city_lab,my_city,示例实验室,Example Lab,no_such_type,operating,2021,opening,no,,,my_source_2025",
    )
    with pytest.raises(DataValidationError) as raised:
        package.validate(started, ROOT)
    (problem,) = raised.value.problems
    assert problem.file == str(started / "facilities.csv") and problem.row == 4 and problem.column == "type_id"
    assert "no_such_type" in problem.message


def test_a_reader_reusing_a_book_id_for_a_new_row_is_told_where(started):
    uncomment(started)
    add(started, "organisations", "ustc,my_city,另一所大学,Another University,university,no,,,my_source_2025")
    with pytest.raises(DataValidationError) as raised:
        package.validate(started, ROOT)
    found = [p for p in raised.value.problems if p.file == str(started / "organisations.csv")]
    assert found and found[0].row == 3 and "primary key" in found[0].message


def test_a_header_that_is_not_the_books_is_refused_with_the_columns(started):
    name_dataset(started)
    path = started / "roles.csv"
    path.write_text("role_id,entity_id,stage\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as raised:
        package.validate(started, ROOT)
    (problem,) = raised.value.problems
    assert (
        problem.file == str(path) and problem.row == 1 and "missing" in problem.message and "stage" in problem.message
    )


def test_a_table_the_book_does_not_have_is_refused_naming_the_known(started):
    import json

    path = started / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "budgets", "path": "budgets.csv"})
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataValidationError, match="'budgets' is not one of the book's; known tables: .*facilities"):
        package.validate(started, ROOT)


def test_new_cluster_command_then_validate(tmp_path):
    folder = tmp_path / "city"
    code, out, err = run_cli("new-cluster", "my_city", str(folder))
    assert code == 0, err
    assert "validate" in out
    code, _, err = run_cli("new-cluster", "my_city", str(folder))
    assert code == 2 and "not empty" in err and "Traceback" not in err
    code, out, err = run_cli("validate", str(folder))
    assert code == 1, "the starter's placeholders would be printed as the dataset's title and author"
    assert "still the starter's placeholder" in err and "title" in err and "contributors" in err
    assert "Traceback" not in err
    import json

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(title="Wuhan East Lake inventory", contributors=[{"title": "A. Reader", "role": "author"}])
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    code, out, err = run_cli("validate", str(folder))
    assert code == 0 and "0 rows of your own" in out, err


@pytest.mark.slow
def test_a_readers_own_page_is_citable(started, tmp_path):
    """The page credits the reader's dataset, lists their sources, and shows no local path or dead edition link."""
    import json

    uncomment(started)
    add(started, "relations", "my_city_r2,ustc,my_city_light_source,serves,USTC teams use it.,,my_source_2025")
    descriptor = json.loads((started / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(title="Example City Inventory 2025", contributors=[{"title": "Li Ming", "role": "author"}])
    (started / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    out = tmp_path / "page"
    command = [sys.executable, "-m", "infraclusters", "case", "my_city", "--data-dir", str(started), "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "could not find bibtex key" not in result.stderr
    page = (out / "html" / "my_city.html").read_text(encoding="utf-8")
    assert "Data: Li Ming (" in page and "Example City Inventory 2025" in page
    assert "References" in page and "Outlet, 2025" in page and "The page's headline" in page
    assert str(started) not in page and str(tmp_path) not in page, "no local path on the page"
    for notebook in (out / "html" / "notebooks").glob("*.ipynb"):
        text = notebook.read_text(encoding="utf-8")
        assert str(started) not in text and str(tmp_path) not in text, "no local path in the linked notebook"
    assert "infra-edition-switch" not in page, "no link to an edition that is not there"
    assert "University of Science and Technology of China" in page, "the shared institute, by name"
    cited = (out / "figures" / "fig-case-my-city-network.txt").read_text(encoding="utf-8")
    assert cited.startswith("Example Science City") and "Data: Li Ming (" in cited and "Method: Huang" in cited
    bib = (out / "figures" / "fig-case-my-city-network.bib").read_text(encoding="utf-8")
    assert "author = {{Li Ming}}" in bib and "paper §3" not in bib
    from PIL import Image

    with Image.open(out / "figures" / "fig-case-my-city-network.png") as image:
        assert "Example City Inventory 2025" in image.text["Citation"]
        assert "paper §3" not in image.text["Source"] and "Example City Inventory 2025" in image.text["Source"]


@pytest.mark.slow
def test_compare_puts_the_readers_cluster_beside_the_books_three(started, tmp_path):
    uncomment(started)
    out = tmp_path / "comparison"
    command = [sys.executable, "-m", "infraclusters", "compare", "--data-dir", str(started), "--out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (out / "html" / "comparison.html").read_text(encoding="utf-8")
    assert "the book’s three and yours" in page and "a difference in effort" in page
    drawn = (out / "figures" / "fig-compare-coverage.csv").read_text(encoding="utf-8")
    assert "Example Science City" in drawn and "Hefei Binhu Science City" in drawn
    assert "Data: A. Reader" in (out / "figures" / "fig-compare-coverage.txt").read_text(encoding="utf-8")
    assert str(started) not in page


def test_a_type_the_reader_adds_names_its_category_and_is_marked_as_theirs(started, ed):
    """The paper's eight types stay the paper's: a reader's 交叉研究平台 is shown as the dataset's own."""
    import json

    from infraclusters.text import tables

    uncomment(started)
    descriptor = json.loads((started / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "facility_types", "path": "facility_types.csv"})
    (started / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    header = (ROOT / "data" / "facility_types.csv").read_text(encoding="utf-8").splitlines()[0]
    columns = header.split(",")
    row = {c: "" for c in columns}
    row.update(
        type_id="cross_research_platform",
        category_id="research",
        name_zh="交叉研究平台",
        name_en="Cross-disciplinary research platform",
        source="my_source_2025",
    )
    (started / "facility_types.csv").write_text(
        header + "\n" + ",".join(row[c] for c in columns) + "\n", encoding="utf-8"
    )
    add(
        started,
        "facilities",
        "my_city_cross,my_city,示例交叉平台,Example Cross Platform,cross_research_platform,"
        "trial operation,2024,trial operation,no,,,my_source_2025",
    )
    c = Compendium.open(started, ROOT)
    assert c.own_type_ids == {"cross_research_platform"}
    facilities = c.cluster("my_city").facilities.set_index("facility_id")
    assert facilities.loc["my_city_cross", "type_is_own"] and not facilities.loc["my_city_light_source", "type_is_own"]
    shown = tables.facility_table(c.cluster("my_city").facilities, ed).data
    assert "交叉研究平台 (a type of this dataset, not one of the paper's §1.3 types)" in shown
    assert "trial operation" in shown
    assert c.cluster("my_city").timeline["year_meaning"].tolist().count("trial operation") == 1


def test_every_type_of_the_book_quotes_the_paper():
    """Only a reader's own type may go without the paper's words (the book's eight all have them)."""
    import csv

    rows = list(csv.DictReader((ROOT / "data" / "facility_types.csv").open(encoding="utf-8")))
    assert rows and all(row["quote_zh"].strip() for row in rows)


def test_a_directory_written_before_an_optional_column_still_joins(started):
    """Columns match by name, in any order; an optional column left out is empty (notes_zh came later)."""
    uncomment(started)
    path = started / "relations.csv"
    path.write_text(
        "source,relation_id,from_id,to_id,relation,notes\n"
        "my_source_2025,my_city_r1,my_city_university,my_city_light_source,operates,Runs it.\n",
        encoding="utf-8",
    )
    relations = Compendium.open(started, ROOT).cluster("my_city").relations
    assert list(relations["relation_id"]) == ["my_city_r1"] and relations["notes_zh"].isna().all()
    assert relations["notes"].tolist() == ["Runs it."]


def test_a_readers_inferences_are_credited_to_the_reader_not_the_book(started, ed):
    """On a reader's cluster the inferred roles are the data's author's reading: the table and the footing say so."""
    from infraclusters.text import tables
    from infraclusters.text import verdicts as verdicts_text

    uncomment(started)
    add(
        started,
        "roles",
        "my_city_light_source@applied_basic_research,my_city_light_source,applied_basic_research,"
        "inferred,,The page's words.,My reading of them.,,my_source_2025",
    )
    c = Compendium.open(started, ROOT)
    here = c.cluster("my_city")
    assert here.is_readers and not c.cluster("hefei_binhu").is_readers
    table = tables.role_table(here.roles, ed, by_reader=here.is_readers).data
    assert "How the data's author reads them" in table and "inferred by the data's author" in table
    assert "How the book reads them" not in table
    said = verdicts_text.footing_sentence(c, "my_city", ed)
    assert "the data's author's inference (1)" in said and "book" not in said
    rows = verdicts_text.sensitivity_table(c, ed, cluster_id="my_city").data
    assert "Without the data's author's inferred rows" in rows and "the book's inferred" not in rows
    assert "the book's inference" in verdicts_text.footing_sentence(c, "shanghai_zhangjiang", ed)


def test_the_starters_example_keeps_an_outlet_whole_as_its_author(started):
    """The starter shows an outlet in double braces: BibTeX then reads one corporate name, not a person
    "Wuhan, Hubei Daily" (what single braces around "Hubei Daily, Wuhan" give)."""
    from pybtex.database import parse_string

    example = "\n".join(
        line[2:]
        for line in (started / "references.bib").read_text(encoding="utf-8").splitlines()
        if line.startswith("%   ") or line.startswith("% @") or line.startswith("% }")
    )
    assert "{{Outlet or organisation}}" in example
    entry = parse_string(example.replace("{{Outlet or organisation}}", "{{Hubei Daily, Wuhan}}"), "bibtex").entries
    (person,) = next(iter(entry.values())).persons["author"]
    assert str(person) == "{Hubei Daily, Wuhan}"
    single = parse_string(example.replace("{{Outlet or organisation}}", "{Hubei Daily, Wuhan}"), "bibtex").entries
    (wrong,) = next(iter(single.values())).persons["author"]
    assert wrong.last_names == ["Hubei", "Daily"], "single braces: a person named Wuhan Hubei Daily"


def test_the_executed_notebook_keeps_no_path_of_the_readers_computer(tmp_path, ed):
    """papermill records where it ran and the parameters it was given: the page's notebook keeps file names only."""
    import nbformat

    from infraclusters.book.render import add_reference_list

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell('data_dir = "/home/me/secret/my-data"')]
    notebook.cells[0].metadata["tags"] = ["injected-parameters"]
    notebook.metadata["papermill"] = {
        "input_path": "/home/me/out/.staging/book/my_city.ipynb",
        "output_path": "/home/me/out/.staging/book/my_city.ipynb",
        "parameters": {"cluster": "my_city", "data_dir": "/home/me/secret/my-data"},
    }
    path = tmp_path / "my_city.ipynb"
    nbformat.write(notebook, path)
    add_reference_list(path, ed)
    text = path.read_text(encoding="utf-8")
    assert "/home/me" not in text
    kept = nbformat.read(path, as_version=4).metadata["papermill"]
    assert kept["input_path"] == "my_city.ipynb" and kept["parameters"]["cluster"] == "my_city"


def test_a_readers_data_zip_credits_their_dataset_and_holds_their_sources(started):
    """The data zip of a reader's page: their rows, their references.bib, a README citing them first; not the book's
    bibliography or a README telling readers to cite the book's authors."""
    import io
    import zipfile

    from infraclusters.book import downloads
    from infraclusters.text import citation

    uncomment(started)
    c = Compendium.open(started, ROOT)
    content = downloads.data_zip(started, ROOT, citation.dataset_of(c))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        readme = archive.read(next(n for n in names if n.endswith("README.md"))).decode("utf-8")
        bib = archive.read(next(n for n in names if n.endswith("references.bib"))).decode("utf-8")
    assert readme.startswith("# My City inventory") and "How to cite\n\nA. Reader (" in readme
    assert readme.index("A. Reader") < readme.index("Method: Huang")
    assert bib == (started / "references.bib").read_text(encoding="utf-8"), "the reader's sources, not the book's 151"
    assert not any(n.endswith(("LICENSE-CONTENT.md", "CITATION.cff")) for n in names)
    assert downloads.data_zip(started, ROOT, citation.dataset_of(c)) == content, "byte for byte the same"
    hostile = citation.Dataset(title="t", authors=(), created="", licence="x", name="../../etc")
    with zipfile.ZipFile(io.BytesIO(downloads.data_zip(started, ROOT, hostile))) as archive:
        assert all(n.startswith("etc-data/") for n in archive.namelist()), "a descriptor's name is never a path"
    book = downloads.data_zip(ROOT / "data", ROOT)
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        assert any(n.endswith("CITATION.cff") for n in archive.namelist())


def test_a_figure_of_the_book_drawn_with_a_readers_rows_credits_each_rows_source(started, ed):
    """The comparison beside the reader's cluster: its Source line keeps the book's sources (paper §3, the book's
    tables) and adds the reader's dataset; its citation credits the reader's data and the book's own rows."""
    from infraclusters.figures.export import provenance
    from infraclusters.figures.registry import get

    uncomment(started)
    c = Compendium(started, ROOT)
    fig = get("fig-compare-coverage", c, ed)
    assert "paper §3" in fig.sources and fig.sources[-1].startswith("dataset: ")
    meta = provenance(fig, "fig-compare-coverage@0.1.0+1234567")
    assert "paper §3" in meta["Source"] and fig.dataset.title in meta["Source"]
    assert "Data: " in meta["Citation"] and "the book's own rows" in meta["Citation"]
    own = get(f"fig-case-{c.own_cluster_ids[0].replace('_', '-')}-network", c, ed)
    assert not any(s.startswith("paper") for s in own.sources), "the reader's own case figure: their dataset only"
    assert "the book's own rows" not in provenance(own)["Citation"]


def test_a_readers_english_on_a_chinese_page_is_marked_as_theirs_until_they_write_chinese(started):
    """Item 9: a note with no ``_zh`` twin shows on a reader's Chinese page as their English, marked 〔原文〕, and
    the page says once which columns take the Chinese; written Chinese replaces it, mark and all."""
    from infraclusters.edition import ORIGINAL, Edition
    from infraclusters.text import case_page, tables

    zh = Edition("zh_CN")
    uncomment(started)
    here = Compendium.open(started, ROOT).cluster("my_city")
    header = case_page.page_source(here, "<!-- infraclusters:case-header -->", zh)
    assert f"{ORIGINAL}From the page cited in source" in header, "the coordinate note, marked"
    said = [line for line in header.splitlines() if line.startswith(f"- {ORIGINAL}")]
    assert len(said) == 1 and "clusters.coordinate_note" in said[0] and "roles.note_en" in said[0]
    assert "note_zh" in said[0] and "coordinate_note_zh" in said[0]
    roles = tables.role_table(here.roles, zh, by_reader=True).data
    assert f"{ORIGINAL}How you read them" in roles
    # the book's own rows are translated from the catalogue, never marked
    book = Compendium.open(ROOT / "data", ROOT).cluster("hefei_binhu")
    assert ORIGINAL not in tables.role_table(book.roles, zh).data
    assert ORIGINAL not in case_page.page_source(book, "<!-- infraclusters:case-header -->", zh)

    for name, column, text in (
        ("clusters", "coordinate_note_zh", "地标：示例广场"),
        ("roles", "note_zh", "我对原文的解读"),
        ("organisations", "notes_zh", "示例机构说明"),
        ("relations", "notes_zh", "两者的关系说明"),
    ):
        path = started / f"{name}.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        header_row = lines[0].split(",")
        import csv
        import io

        rows = list(csv.reader(io.StringIO("\n".join(lines))))
        for row in rows[1:]:
            if row:
                row[header_row.index(column)] = text
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    here = Compendium.open(started, ROOT).cluster("my_city")
    header = case_page.page_source(here, "<!-- infraclusters:case-header -->", zh)
    assert ORIGINAL not in header and "地标：示例广场" in header
    assert "我对原文的解读" in tables.role_table(here.roles, zh, by_reader=True).data
    assert "示例机构说明" in tables.organisation_table(here.organisations, zh).data
    english = case_page.page_source(here, "<!-- infraclusters:case-header -->", Edition())
    assert "From the page cited in source" in english and "地标" not in english, "the English page keeps English"


def test_a_readers_page_says_whose_reading_places_the_roles(started):
    """The chain map's caption and the page's prose credit the readings to the data's author on a reader's
    cluster and to the book on the book's own, in both editions."""
    from infraclusters.edition import Edition
    from infraclusters.figures import registry
    from infraclusters.text import case_page

    uncomment(started)
    c = Compendium.open(started, ROOT)
    for ed, reader, book in (
        (Edition(), "the data's author's reading", "the book's reading"),
        (Edition("zh_CN"), "数据作者对", "本书对"),
    ):
        mine = registry.get("fig-case-my-city-chain-map", c, ed).caption
        theirs = registry.get("fig-case-hefei-binhu-chain-map", c, ed).caption
        assert reader in mine and book not in mine
        assert book in theirs and reader not in theirs
    assert case_page.page_numbers(c.cluster("my_city"), Edition())["reader"] == "the data's author"
    assert case_page.page_numbers(c.cluster("hefei_binhu"), Edition("zh_CN"))["reader"] == "本书"
    template = (ROOT / "chapters" / "case_template.md").read_text(encoding="utf-8")
    assert "the book's own reading" not in template and "by the book" not in template


def test_a_readers_cluster_linked_to_an_authors_institute_is_not_called_self_reported(started, ed):
    """A reader's relation to the Institute of Physics (an author's affiliation) brings it into their cluster;
    the page says the rows are the reader's, not that the case is told by the authors' own institution."""
    from infraclusters.text import case_page

    uncomment(started)
    add(started, "relations", "my_city_r2,cas_iop,my_city_light_source,builds,IOP builds it.,,my_source_2025")
    c = Compendium.open(started, ROOT)
    said = case_page.disclosure(c.cluster("my_city"), ed).data
    assert "Institute of Physics" in said and "WANG Weihua" in said
    assert "self-reported" not in said and "told by" not in said and "the data author's" in said
    assert "self-reported" in case_page.disclosure(c.cluster("dongguan_songshanlake"), ed).data
