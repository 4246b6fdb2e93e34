"""The Sphinx extension in process, on tiny fixture books (``sphinx.testing``): no full build, no kernel.

Each test writes a one-page book that uses the extension with the book's own
data, builds it in this process, and reads the HTML and the warnings. The
patches of Sphinx internals (:mod:`infraclusters.book.i18n_patches`) each have
a test of their own here.
"""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from conftest import DATA, ROOT

pytestmark = pytest.mark.extension

CONF = """\
extensions = ["infraclusters.book", "sphinxcontrib.bibtex"]
bibtex_bibfiles = ["references.bib"]
numfig = True
myst_enable_extensions = ["colon_fence", "deflist"]
infraclusters_exports = False
nb_execution_mode = "off"
"""


def build(tmp_path: Path, page: str, **overrides):
    """Build ``page`` (MyST) as the index of a one-page book; returns (html, warnings, app)."""
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "book"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text(page, encoding="utf-8")
    shutil.copytree(DATA, src / "data")
    shutil.copy(ROOT / "references.bib", src / "references.bib")
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=warnings, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    return html, warnings.getvalue(), app


def test_configuration_is_read_once_and_kept_on_the_environment(tmp_path):
    from infraclusters.book.config import BookConfig

    _, _, app = build(tmp_path, "# Page\n\nText.\n")
    config = app.env.infraclusters_config
    assert isinstance(config, BookConfig)
    assert config.data_dir == (tmp_path / "book" / "data").resolve()
    assert config.language == "en" and config.exports is False


def test_the_builds_hand_over_to_its_kernels_ends_with_the_build(tmp_path, monkeypatch):
    """The build sets its hand-over for the kernels it starts; once it ends, the process is as it was, so a later
    kernel or test in the same process is not handed this build's data (an order-dependent pass, before)."""
    import os

    from infraclusters.handover import ENV, Handover

    monkeypatch.delenv(ENV, raising=False)
    build(tmp_path, "# Page\n\nText.\n")
    assert ENV not in os.environ
    theirs = Handover(language="zh_CN").environ()[ENV]
    monkeypatch.setenv(ENV, theirs)
    (tmp_path / "again").mkdir()
    build(tmp_path / "again", "# Page\n\nText.\n")
    assert os.environ[ENV] == theirs


def test_a_known_claim_links_to_the_ledger_and_an_unknown_one_is_an_error(tmp_path):
    html, warnings, _ = build(tmp_path, "# Page\n\nSaid {claim}`C1.1-04`, and {claim}`C9.9-99`.\n")
    assert 'class="infra-claim"' in html and "C1.1-04" in html
    assert "unknown claim id 'C9.9-99'" in warnings


def test_an_infra_figure_is_numbered_captioned_and_drawn_from_the_registry(tmp_path):
    html, warnings, _ = build(tmp_path, "# Page\n\n```{infra-figure} fig-compare-locator\n```\n")
    assert 'id="fig-compare-locator"' in html
    assert 'id="altair-viz-fig-compare-locator"' in html, "the chart is placed with a fixed id"
    assert "Where the science cities are" in html and "Fig. 1" in html
    assert "figures/fig-compare-locator.csv" in html, "the downloads are linked under the figure"
    assert "unknown figure" not in warnings


def test_an_unknown_figure_id_is_an_error_naming_the_known_ones(tmp_path):
    _, warnings, _ = build(tmp_path, "# Page\n\n```{infra-figure} fig-nonexistent\n```\n")
    assert "unknown figure 'fig-nonexistent'" in warnings and "fig-compare-locator" in warnings


def test_data_text_in_a_generated_glossary_stays_text(tmp_path):
    html, _, _ = build(tmp_path, "# Glossary\n\n```{infra-glossary}\n```\n")
    assert '<dl class="simple glossary">' in html and "innovation infrastructure cluster" in html.lower()
    assert ":::{glossary}" not in html, "the generated MyST is parsed, not shown"


def test_case_pages_share_the_template_catalogue():
    """Patch: every Sphinx module that names a page's catalogue uses the case template's for case pages."""
    import importlib

    from infraclusters.book import i18n_patches

    i18n_patches.patch_case_catalogue()
    assert i18n_patches.text_domain("chapters/cases/01_hefei_binhu", False) == "chapters/case_template"
    assert i18n_patches.text_domain("chapters/concepts", False) == "chapters/concepts"
    for name in i18n_patches.TEXT_DOMAIN_USERS:
        assert importlib.import_module(name).docname_to_domain is i18n_patches.text_domain, name


def test_glue_in_a_translation_points_at_its_chapter():
    """Patch: a translated paragraph's glue roles are resolved against the chapter's stored values."""
    import sphinx.transforms.i18n as sphinx_i18n

    from infraclusters.book import i18n_patches

    assert (
        i18n_patches.glue_roles_to_chapter("共 {glue:text}`n_links` 条", "mechanisms.md")
        == "共 {glue:text}`mechanisms.md::n_links:s` 条"
    )
    assert i18n_patches.glue_roles_to_chapter("{glue}`n:d`", "a.md") == "{glue}`a.md::n:d`"
    i18n_patches.patch_glue_in_translations()
    assert sphinx_i18n.publish_msgstr.__name__ == "publish_translation"
    i18n_patches.patch_glue_in_translations()  # idempotent: not wrapped twice
    assert sphinx_i18n.publish_msgstr.__closure__ is not None
