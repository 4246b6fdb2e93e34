"""The data package as one zip, on each edition's site (``downloads/``), and on the data page."""

from __future__ import annotations

import io
import zipfile

from conftest import DATA, ROOT

from infraclusters.book import downloads
from infraclusters.text.citation import BOOK_VERSION


def test_the_data_zip_holds_every_table_its_descriptor_the_bibliography_licences_and_a_citing_readme():
    content = downloads.data_zip(DATA, ROOT)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        readme = archive.read(f"infraclusters-data-{BOOK_VERSION}/README.md").decode("utf-8")
        first = archive.read(f"infraclusters-data-{BOOK_VERSION}/data/facilities.csv")
    inside = {name.split("/", 1)[1] for name in names}
    assert {f"data/{p.name}" for p in DATA.glob("*.csv")} | {"data/datapackage.json", "references.bib"} <= inside
    assert first == (DATA / "facilities.csv").read_bytes()
    assert "How to cite" in readme and BOOK_VERSION in readme and "python -m infraclusters verify" in readme
    assert downloads.data_zip(DATA, ROOT) == content, "the same bytes for the same data"


def test_an_edited_table_gives_another_zip(data_copy):
    before = downloads.data_zip(data_copy, ROOT)
    path = data_copy / "milestones.csv"
    path.write_text(path.read_text(encoding="utf-8") + "", encoding="utf-8")
    assert downloads.data_zip(data_copy, ROOT) == before
    path.write_text(path.read_text(encoding="utf-8").replace("1980", "1981", 1), encoding="utf-8")
    assert downloads.data_zip(data_copy, ROOT) != before


def test_the_data_page_links_the_zip_and_every_executed_notebook(built_site):
    from conftest import ZH_SITE

    for site in (built_site, ZH_SITE):
        page = (site / "chapters" / "data.html").read_text(encoding="utf-8")
        assert f'href="../downloads/{downloads.data_zip_name()}"' in page
        assert (site / "downloads" / downloads.data_zip_name()).is_file()
        assert 'href="../notebooks/chapters/cases/01_hefei_binhu.ipynb"' in page
        assert 'href="../notebooks/chapters/mechanisms.ipynb"' in page
