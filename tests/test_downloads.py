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


def test_the_site_links_the_pdf_editions_only_where_a_release_puts_them(tmp_path):
    import zipfile

    from infraclusters.book import downloads, release
    from infraclusters.edition import Edition
    from infraclusters.text.citation import BOOK_VERSION

    names = downloads.pdf_names()
    assert names == {"en": f"infraclusters-{BOOK_VERSION}.pdf", "zh_CN": f"infraclusters-{BOOK_VERSION}-zh_CN.pdf"}
    for language in ("en", "zh_CN"):
        linked = downloads.pdf_item(Edition(language), "../", True)
        assert f'href="../downloads/{names["en"]}"' in linked and f'href="../downloads/{names["zh_CN"]}"' in linked
        unlinked = downloads.pdf_item(Edition(language), "../", False)
        assert "<a" not in unlinked and "release" in unlinked, "a site built from source links no missing file"
    site = tmp_path / "site"
    (site / "zh_CN").mkdir(parents=True)
    (site / "index.html").write_text("x", encoding="utf-8")
    extra = {f"{e}downloads/{n}": b"%PDF-1.7" for e in ("", "zh_CN/") for n in names.values()}
    (tmp_path / "site.zip").write_bytes(release.site_zip(site, "s", extra))
    with zipfile.ZipFile(tmp_path / "site.zip") as archive:
        inside = set(archive.namelist())
    assert {f"s/{path}" for path in extra} <= inside and "s/index.html" in inside
