"""The book: the Sphinx extension (``infraclusters.book``), editions, translations, PDF, one-page render, Vega bundle.

On MyST-NB's pattern, :func:`setup` only wires: it registers the configuration
values, the hooks of :mod:`.hooks`, the directives, the role, the
transforms, the search languages and the assets (package files under ``static/``); every patch of
Sphinx internals lives in :mod:`.i18n_patches` with its own test.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"
STYLESHEET = "infraclusters.css"
ACCESSIBILITY_SCRIPT = "infraclusters-a11y.js"


def setup(app):
    from . import citation_style, config, downloads, hooks, metadata, notebooks, permalinks, search, thebe
    from .bundle import BUNDLE_NAME
    from .directives import (
        ClaimReviewDirective,
        ClaimsLedgerDirective,
        ColophonDirective,
        DownloadsDirective,
        FigureChangesDirective,
        FigureGalleryDirective,
        GlossaryDirective,
        HeadlinesDirective,
        InfraFigure,
        RerunDirective,
    )
    from .i18n_patches import (
        ExecutionTableInWords,
        KeepGeneratedText,
        TranslateCodeComments,
        TranslateTocCaptions,
        patch_case_catalogue,
        patch_glue_in_translations,
    )
    from .links import OnlyWebLinks
    from .roles import claim_role, edition_links

    app.setup_extension("myst_nb")
    citation_style.register()  # before sphinxcontrib-bibtex reads bibtex_reference_style
    for name, default, rebuild, _help in config.CONFIG_VALUES:
        app.add_config_value(name, default, rebuild)
    app.connect("config-inited", hooks.write_case_pages, priority=10)  # before sphinx-external-toc globs
    app.connect("config-inited", hooks.refuse_active_translations, priority=100)
    app.connect("config-inited", hooks.prepare_build)
    app.connect("config-inited", hooks.prepare_search)
    app.connect("config-inited", hooks.chinese_interface, priority=400)  # before sphinx-togglebutton reads its hints
    app.connect("config-inited", citation_style.on_config)
    app.connect("builder-inited", hooks.keep_config_on_env)
    app.connect("env-get-outdated", hooks.outdated_docs)
    app.connect("env-get-updated", hooks.number_appendix_figures, priority=900)  # after Sphinx numbers them
    app.connect("source-read", hooks.start_reading)
    app.connect("doctree-read", hooks.finish_reading)
    app.connect("build-finished", hooks.build_finished)
    app.connect("build-finished", notebooks.write)
    app.connect("build-finished", downloads.write)
    app.connect("build-finished", permalinks.write)
    app.connect("build-finished", hooks.restore_environ, priority=900)  # after every other hook of the build
    app.connect("env-purge-doc", permalinks.purge)
    app.connect("env-merge-info", permalinks.merge)
    app.connect("html-page-context", edition_links)
    app.connect("html-page-context", metadata.add)
    app.connect("html-page-context", thebe.drop)
    app.add_js_file(BUNDLE_NAME, priority=100)
    app.add_css_file(STYLESHEET)
    app.add_js_file(ACCESSIBILITY_SCRIPT, loading_method="defer")
    app.add_directive("infra-figure", InfraFigure)
    app.add_directive("infra-claimreview", ClaimReviewDirective)
    app.add_directive("infra-downloads", DownloadsDirective)
    app.add_directive("infra-glossary", GlossaryDirective)
    app.add_directive("infra-claims-ledger", ClaimsLedgerDirective)
    app.add_directive("infra-figure-gallery", FigureGalleryDirective)
    app.add_directive("infra-figure-changes", FigureChangesDirective)
    app.add_directive("infra-headlines", HeadlinesDirective)
    app.add_directive("infra-colophon", ColophonDirective)
    app.add_directive("infra-rerun", RerunDirective)
    app.add_role("claim", claim_role)
    app.add_search_language(search.EnglishSearch)  # both find the glossary's terms
    app.add_search_language(search.ChineseSearch)
    app.add_transform(KeepGeneratedText)
    app.add_transform(TranslateTocCaptions)
    app.add_post_transform(ExecutionTableInWords)
    app.add_post_transform(TranslateCodeComments)
    app.add_post_transform(OnlyWebLinks)
    patch_case_catalogue()
    patch_glue_in_translations()
    # Not parallel-read safe: the kernels of one build record the tables their chapter read in one folder, emptied
    # before each page is read (caching.start_reading) and collected on the app after it (caching.finish_reading);
    # under ``sphinx-build -j N`` forked readers would lose that record and a later table edit would re-execute
    # too little. Sphinx then reads serially (and says so); writing stays parallel.
    return {"parallel_read_safe": False, "parallel_write_safe": True}
