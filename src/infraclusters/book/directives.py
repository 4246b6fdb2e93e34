"""Directives: ``{infra-figure}`` and the pages generated from data (glossary, claims ledger, gallery, colophon)."""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from .. import figures
from ..edition import N_, Edition
from ..model import claims as claims_model
from ..text import citation
from ..text.markup import literal
from . import caching, config, numbering, permalinks
from .i18n_patches import untranslatable
from .roles import claim_label

DOWNLOADS = (
    ("png", N_("PNG (2×)")),
    ("svg", "SVG"),
    ("vl.json", "Vega-Lite JSON"),
    ("csv", N_("CSV data")),
    ("txt", N_("Cite (text)")),
    ("bib", N_("Cite (BibTeX)")),
    ("ris", N_("Cite (RIS)")),
    ("csl.json", N_("Cite (CSL-JSON)")),
    ("docx", N_("Word")),
    ("pptx", N_("PowerPoint")),
)


def source_markup(source: str, ed: Edition) -> str:
    """A caption's source as MyST: data files as code, paper sections as text, bib keys cited."""
    if source.startswith("data/"):
        return f"`{source}`"
    if source.startswith("dataset: "):  # a reader's own dataset, by the title its descriptor gives
        return literal(source.removeprefix("dataset: "))
    if source.startswith("paper"):
        return ed.paper_source(source)
    return f"{{cite:p}}`{source}`"


class InfraFigure(SphinxDirective):
    """``{infra-figure} fig-id``: a chart of the registry as a numbered, captioned, downloadable figure.

    The chart is the figure's exported Vega-Lite spec (``figures/<id>.vl.json``,
    written at the start of the build), so a page depends on the spec, not on
    its chapter's execution: editing a chart's code re-exports that figure and
    re-reads the pages that show it, and re-executes no chapter. A build that
    writes no downloads draws the spec here instead.
    """

    required_arguments = 1
    has_content = False
    option_spec = {}

    def run(self):
        book = config.of(self.env)
        ed = book.edition
        try:
            fig = figures.get(self.arguments[0], book.compendium(), ed)
        except KeyError as exc:
            raise self.error(str(exc)) from None
        self.options = {"name": fig.id}
        sources = ed.sep.join(source_markup(s, ed) for s in fig.sources)
        if ed.is_chinese:
            caption = f"**{literal(fig.title_zh)}**。{literal(fig.caption)}*来源*：{sources}。"
        else:
            caption = (
                f"**{literal(fig.title_en)}** {literal(fig.title_zh)}. {literal(fig.caption)} *Source:* {sources}."
            )
        if self.env.app.builder.name != "html":  # the print edition (singlehtml → PDF): the static export
            return untranslatable([self._static_figure(fig, caption)])
        permalinks.record(self.env, fig.id)
        chart = nodes.raw("", self._chart_html(book, fig), format="html")
        figure_node = nodes.figure("", nodes.container("", chart, classes=["output", "text_html"]))
        figure_node["classes"] += ["infra-figure"]
        self.add_name(figure_node)
        figure_node += self._caption(caption)
        figure_node += nodes.legend("", self._downloads(fig, ed, versioned(book, fig)))
        return untranslatable([figure_node])

    def _chart_html(self, book, fig) -> str:
        """The chart's HTML from its exported spec (a dependency of the page), else drawn now."""
        import json

        from ..figures.theme import chart_html

        exported = book.exports_dir / f"{fig.id}.vl.json"
        if exported.is_file():
            self.env.note_dependency(str(exported))
            spec = json.loads(exported.read_text(encoding="utf-8"))
        else:
            spec = figures.spec(figures.build(fig.id, book.compendium(), book.edition))
        return chart_html(spec, f"altair-viz-{fig.id}")

    def _caption(self, caption: str) -> nodes.caption:
        holder = nodes.Element()
        self.state.nested_parse(StringList([caption], source=self.env.docname), self.content_offset, holder)
        return nodes.caption("", "", *holder[0].children)

    def _static_figure(self, fig, caption: str) -> nodes.figure:
        """The figure as its exported image, numbered and captioned like the interactive one."""
        single = self.env.app.builder.name == "singlehtml"  # one page, written where the root document goes
        prefix = "../" * (self.env.config.root_doc if single else self.env.docname).count("/")
        image = nodes.raw(
            "",
            f'<img src="{prefix}figures/{fig.id}.png" alt="{html.escape(fig.alt, quote=True)}" '
            'class="infra-static-figure">',
            format="html",
        )
        figure_node = nodes.figure("", image, classes=["infra-figure"])
        self.add_name(figure_node)
        figure_node += self._caption(caption)
        return figure_node

    def _downloads(self, fig, ed: Edition, version: str) -> nodes.raw:
        prefix = "../" * self.env.docname.count("/")
        links = " · ".join(
            f'<a href="{prefix}figures/{fig.id}.{ext}" download>{html.escape(ed.t(label))}</a>'
            for ext, label in DOWNLOADS
        )
        text = (
            f'<p class="infra-figure-downloads">{html.escape(ed.t("Download:"))} {links}</p>'
            f'<p class="infra-figure-version">{html.escape(ed.t("Cite as version:"))} <code>{html.escape(version)}</code></p>'
            f'<details class="infra-figure-alt"><summary>{html.escape(ed.t("Text description"))}</summary>'
            f"<p>{html.escape(fig.alt)}</p></details>"
        )
        return nodes.raw("", text, format="html")


class ClaimReviewDirective(SphinxDirective):
    """``{infra-claimreview}``: schema.org ClaimReview JSON-LD for every fact check (HTML only, nothing visible)."""

    def run(self):
        from ..text import claimreview

        if self.env.app.builder.format != "html":
            return []
        book = config.of(self.env)
        for name in ("fact_checks.csv", "claims.csv"):
            self.env.note_dependency(str(book.data_dir / name))
        self.env.note_dependency(str(book.root / "references.bib"))
        items = claimreview.reviews(book.compendium(), book.edition)
        return [nodes.raw("", claimreview.script(items), format="html")]


def versioned(book, fig) -> str:
    """The figure's versioned id (``fig-…@0.1.0+1a2b3c4``) from the build's export, else the bare id."""
    from ..figures import versions

    exported = book.exports_dir / f"{fig.id}.vl.json"
    return versions.versioned_id(fig.id, exported.read_text(encoding="utf-8")) if exported.is_file() else fig.id


class GeneratedMarkdown(SphinxDirective):
    """Base for pages generated from data: subclasses return MyST text, parsed in place."""

    has_content = False
    tables: tuple[str, ...] = ()

    def markdown(self) -> str:
        raise NotImplementedError

    def run(self):
        for table in self.tables:
            self.env.note_dependency(str(self.book.data_dir / f"{table}.csv"))
        container = nodes.container(classes=["infra-generated"])
        lines = StringList(self.markdown().splitlines(), source=self.env.docname)
        self.state.nested_parse(lines, self.content_offset, container)
        return untranslatable(container.children)

    @property
    def book(self) -> config.BookConfig:
        return config.of(self.env)

    @property
    def ed(self) -> Edition:
        return self.book.edition


class DownloadsDirective(GeneratedMarkdown):
    """``{infra-downloads}``: the whole compendium to download: data zip, executed notebooks, figures, release."""

    def markdown(self) -> str:
        from . import downloads, notebooks

        ed = self.ed
        up = "../" * self.env.docname.count("/")
        executable = []
        for docname in sorted(self.env.found_docs):
            path = Path(self.env.doc2path(docname))
            if path.suffix == ".md" and "```{code-cell}" in path.read_text(encoding="utf-8"):
                link = up + notebooks.link(docname).removeprefix("../" * docname.count("/"))
                executable.append(f'<a href="{link}" download>{Path(docname).name}.ipynb</a>')
        name = downloads.data_zip_name()
        zip_link = f'<a href="{up}{downloads.FOLDER}/{name}" download>{name}</a>'
        items = [
            ed.t(
                "**The data package**, one zip: every table as CSV, `datapackage.json`, `references.bib`, the "
                "licences and a README with the citation: {link}."
            ).format(link=zip_link),
            ed.t("**The executed notebooks** of this edition, with their figures: {links}.").format(
                links=" · ".join(executable)
            ),
            ed.t(
                "**Every figure** as PNG, SVG, Vega-Lite JSON, CSV, Word and PowerPoint, each with its citation: "
                "{gallery}."
            ).format(gallery="{doc}`gallery`"),
            downloads.pdf_item(ed, up, bool(self.env.config.infraclusters_pdf_editions)),
            ed.t(
                "**A release**: `python -m infraclusters release --out DIR` writes the source archive, both "
                "built sites, both PDF editions, the data zip, SHA-256 checksums and Zenodo metadata. The book "
                "has no public repository address yet (`CITATION.cff` names none)."
            ),
        ]
        return "\n".join(f"- {item}" for item in items)


class GlossaryDirective(GeneratedMarkdown):
    """``{infra-glossary}``: data/glossary.csv as a Sphinx glossary (Chinese and English terms)."""

    tables = ("glossary",)

    def markdown(self) -> str:
        ed = self.ed
        lines = [":::{glossary}"]
        chinese = ed.is_chinese
        glossary = self.book.compendium().table("glossary")
        if not chinese:  # the Chinese edition keeps the table's order (pinyin order would need a collation table)
            glossary = glossary.sort_values("term_en", key=lambda terms: terms.str.lower())
        for row in glossary.itertuples():
            definition = literal(ed.t(row.definition_en))
            quote = f"“{literal(row.quote_zh)}”"
            if chinese:
                source = "；".join(ed.paper_source(part.strip()) for part in row.source.split(";"))
                lines += [
                    literal(row.term_zh),
                    literal(row.term_en),
                    f"  {definition} {quote}（{literal(source)}）",
                    "",
                ]
            else:
                lines += [
                    literal(row.term_en),
                    literal(row.term_zh),
                    f"  {definition} {quote} ({literal(row.source)})",
                    "",
                ]
        return "\n".join(lines + [":::"])


class ClaimsLedgerDirective(GeneratedMarkdown):
    """``{infra-claims-ledger}``: every claim, and per entry how far the book goes with it: drawn, checked, quoted."""

    tables = ("claims", "fact_checks")

    def markdown(self) -> str:
        ed = self.ed
        chinese = ed.is_chinese
        table = claims_model.ledger(self.book.compendium(), figures.figure_claims())
        n = claims_model.support_counts(table)
        parts = [
            ed.t(
                "Of the paper's **{total}** claims, **{figure}** are drawn or computed in a figure of this book; "
                "**{checked}** more are set against a public page in the fact check; **{quoted}** are only quoted "
                "in a chapter's prose; **{none}** are not yet cited anywhere. In all, **{checked_in_all}** claims "
                "have a public page to compare with. Quoting a claim reproduces its words, not its argument."
            ).format(**n),
            "",
        ]
        for section, group in table.groupby("section", sort=False):
            title = ed.t("Introduction") if section == "intro" else f"§{section}"
            parts += [f"## {title}", ""]
            for row in group.itertuples():
                value = ""
                if row.value == row.value and row.value is not None:  # not NaN
                    number = int(row.value) if float(row.value).is_integer() else row.value
                    dated = ""
                    if isinstance(row.as_of, str):
                        dated = ed.t(", as of {date}").format(date=literal(row.as_of))
                    value = f" · **{number}** {literal(ed.t(row.unit))}{dated}"
                sep = "；" if chinese else "; "
                said = []
                if row.figures:
                    said.append(
                        ed.t("drawn or computed in") + " " + sep.join(f"{{numref}}`{fig}`" for fig in row.figures)
                    )
                if row.checked:
                    said.append(
                        ed.t("checked against a public page in the {page}").format(page="{doc}`/chapters/factcheck`")
                    )
                if row.chapters:
                    said.append(ed.t("quoted in") + " " + sep.join(f"{{doc}}`/{doc}`" for doc in row.chapters))
                where = sep.join(said) if said else ed.t("*not yet cited*")
                english = "" if chinese else f"*{literal(row.text_en)}* "
                parts += [
                    f"({claim_label(row.claim_id)})=",
                    f"**{row.claim_id}** · {ed.t(row.kind)}{value} · “{literal(row.quote_zh)}” {english}— {where}",
                    "",
                ]
        return "\n".join(parts)


def reading_order(env) -> list[str]:
    """The pages in the order of the table of contents (a glob's pages sorted, as the book lists them)."""
    import fnmatch

    site_map = getattr(env, "external_site_map", None)
    if site_map is None:
        return sorted(env.found_docs)
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        document = site_map[docname] if docname in site_map else None
        for subtree in getattr(document, "subtrees", []):
            for item in subtree.items:
                if type(item).__name__ == "GlobItem":
                    for found in sorted(fnmatch.filter(env.found_docs, str(item))):
                        visit(found)
                elif isinstance(item, str):
                    visit(item)

    visit(site_map.root.docname)
    return order + sorted(set(env.found_docs) - set(order))


def figures_in_reading_order(env, c) -> list[str]:
    """Every figure id, in the order a reader meets them: by page (table of contents), then place on the page."""
    pages = {docname: i for i, docname in enumerate(reading_order(env))}

    def place(figure_id: str) -> tuple[int, int]:
        chapter = figures.get(figure_id, c, Edition()).chapter
        path = Path(env.doc2path(chapter)) if chapter in env.found_docs else None
        text = path.read_text(encoding="utf-8") if path and path.is_file() else ""
        return pages.get(chapter, len(pages)), text.find(figure_id) % (len(text) + 1)

    return sorted(figures.figure_ids(c), key=place)


class FigureGalleryDirective(GeneratedMarkdown):
    """``{infra-figure-gallery}``: every figure of the book with thumbnail, downloads and citations."""

    tables = ("clusters", "facilities", "claims")

    def markdown(self) -> str:
        ed = self.ed
        chinese = ed.is_chinese
        c = self.book.compendium()
        prefix = "../" * self.env.docname.count("/")
        numbers = numbering.figure_numbers(self.book.root)
        parts = []
        for figure_id in figures_in_reading_order(self.env, c):
            fig = figures.get(figure_id, c, ed)
            links = " · ".join(
                f'<a href="{prefix}figures/{fig.id}.{ext}" download>{html.escape(ed.t(label))}</a>'
                for ext, label in DOWNLOADS
                if ext not in ("txt", "bib")  # these citations are shown below, as text
            )
            sources = ed.sep.join(source_markup(s, ed) for s in fig.sources)
            title = (
                f"**{literal(fig.title_zh)}**" if chinese else f"**{literal(fig.title_en)}** {literal(fig.title_zh)}"
            )
            parts += [
                f"## {{numref}}`{fig.id}`",
                "",
                f"{title} · {ed.t('in')} {{doc}}`/{fig.chapter}` · `{fig.id}`",
                "",
                f'<a href="{prefix}figures/{fig.id}.png"><img class="infra-thumb" src="{prefix}figures/{fig.id}.thumb.png" '
                f'alt="{html.escape(fig.alt, quote=True)}" loading="lazy"></a>',
                "",
                (
                    f"{literal(fig.caption)}*来源*：{sources}。"
                    if chinese
                    else f"{literal(fig.caption)} *Source:* {sources}."
                ),
                "",
                f'<p class="infra-figure-downloads">{html.escape(ed.t("Download:"))} {links}</p>',
                "",
                "```text",
                citation.figure_text(versioned(self.book, fig), fig.title, ed, fig.dataset, numbers.get(fig.id)),
                "```",
                "",
                "```bibtex",
                citation.figure_bibtex(
                    versioned(self.book, fig), fig.title, ed, fig.dataset, numbers.get(fig.id)
                ).rstrip(),
                "```",
                "",
            ]
        return "\n".join(parts)


class HeadlinesDirective(GeneratedMarkdown):
    """``{infra-headlines}``: the landing page's findings, counted from the data, and the key figure."""

    tables = (
        *("fact_checks", "claims", "clusters", "roles", "facilities", "organisations", "relations", "paper_authors"),
        *("mechanism_nodes", "recommendations"),
    )
    KEY_FIGURE = "fig-mechanism-map"

    def markdown(self) -> str:
        c = self.book.compendium()
        chapter = figures.get(self.KEY_FIGURE, c, self.ed).chapter
        page = Path(chapter).name + ".html" if chapter.count("/") == self.env.docname.count("/") else ""
        return headlines_markdown(c, self.ed, self.KEY_FIGURE, "../" * self.env.docname.count("/"), page)


def headlines_markdown(c, ed: Edition, key_figure: str, up: str, page: str) -> str:
    """The landing page's findings, each counted from the data, and the key figure linked to it (its full PNG,
    the column's width: the thumbnail's labels were 5 px)."""
    from ..model import factcheck
    from ..text import verdicts as verdicts_text

    tally = factcheck.summary_numbers(c)
    fig = figures.get(key_figure, c, ed)
    findings = [
        ed.t(
            "**The paper's argument.** Industries of the future (未来产业) grow along a whole chain (全链条), from "
            "frontier basic research to industrial transformation; innovation infrastructure built as clusters "
            "(创新基础设施集群) that cover the chain fosters them. Today's infrastructure, the paper finds, has weak "
            "key links (关键环节薄弱), an unclear industrial orientation (产业导向不清晰) and too little clustering "
            "(集群化发展不足) ({page})."
        ).format(page="{doc}`concepts`"),
        _named_list(
            c.table("mechanism_nodes").query("kind == 'mechanism'").sort_values("node_order"),
            ed,
            "name",
            ed.t("**The {n} mechanisms (§2)** by which clusters foster industries of the future: {items} ({page})."),
            "{doc}`mechanisms`",
        ),
        _named_list(
            c.table("recommendations").sort_values("rec_order"),
            ed,
            "title",
            ed.t("**The {n} recommendations (§4)**: {items} ({page})."),
            "{doc}`recommendations`",
        ),
        verdicts_text.headline(c, ed),
        ed.t(
            "**The paper's numbers against public pages.** Of {checks} checks of {claims} claims, a public "
            "source agrees in {agrees}, agrees at another or unknown date in {other}, partly agrees in "
            "{partly} and disagrees in {disagrees}; {not_comparable} are not comparable, and for {not_found} "
            "nothing could be found ({page})."
        ).format(
            checks=tally["fc_checks"],
            claims=tally["fc_claims"],
            agrees=tally["fc_agrees"],
            other=tally["fc_agrees_other_date"],
            partly=tally["fc_partially_agrees"],
            disagrees=tally["fc_disagrees"],
            not_comparable=tally["fc_not_comparable"],
            not_found=tally["fc_not_found"],
            page="{doc}`factcheck`",
        ),
    ]
    image = (
        f'<a href="{page}#{fig.id}"><img class="infra-key-figure" src="{up}figures/{fig.id}.png" '
        f'alt="{html.escape(fig.alt, quote=True)}"></a>'
    )
    return "\n".join(
        [*(f"- {finding}" for finding in findings), "", image, "", f"{{numref}}`{fig.id}`: {literal(fig.title)}"]
    )


def _named_list(rows, ed: Edition, field: str, sentence: str, page: str) -> str:
    """A sentence listing rows of a table by their paper's words (``<field>_zh``, with the English beside it in
    the English edition), each from the data."""
    names = [
        literal(getattr(r, f"{field}_zh"))
        if ed.is_chinese
        else f"{literal(getattr(r, f'{field}_en'))} ({literal(getattr(r, f'{field}_zh'))})"
        for r in rows.itertuples()
    ]
    return sentence.format(n=len(names), items=("；" if ed.is_chinese else "; ").join(names), page=page)


class FigureChangesDirective(GeneratedMarkdown):
    """``{infra-figure-changes}``: every figure whose versioned id changed since the previous release, and why."""

    def markdown(self) -> str:
        from ..figures import versions

        book = self.book
        current = book.exports_dir / versions.MANIFEST
        self.env.note_dependency(str(current))
        releases = book.root / versions.RELEASES
        for recorded in sorted(releases.glob("*.json")) if releases.is_dir() else []:
            self.env.note_dependency(str(recorded))
        now = json.loads(current.read_text(encoding="utf-8")) if current.is_file() else {}
        order = figures_in_reading_order(self.env, book.compendium())
        return changes_markdown(now, versions.previous_release(book.root), self.ed, order)


def changes_markdown(now: dict, previous: dict | None, ed: Edition, order: list[str]) -> str:
    """The "What changed" page: this build's figures (``now``, an edition manifest) against a release's."""
    from ..figures import versions

    rank = {figure_id: i for i, figure_id in enumerate(order)}
    if previous is None:
        intro = ed.t(
            "No earlier release recorded its figures, so there is nothing to compare with yet. This build's "
            "{n} figures are listed below with their versioned ids; `python -m infraclusters release` records "
            "them in `releases/{version}.json`, and the next release lists here every figure whose id moved."
        ).format(n=len(now), version=citation.BOOK_VERSION)
        listed = [versions.Change(f, versions.NEW, None, now[f]["id"]) for f in sorted(now, key=rank.get)]
        return intro + "\n\n" + _changes_table(listed, ed, compare=False)
    changes = versions.compare(previous["figures"].get(ed.language, {}), now)
    changes.sort(key=lambda change: rank.get(change.figure_id, len(rank)))
    moved = [change for change in changes if change.status != versions.UNCHANGED]
    intro = ed.t(
        "Compared with release {version}: {moved} of {n} figures changed, {same} are as they were. A figure "
        "changes when what it draws changes; the last column names the inputs whose fingerprint moved."
    ).format(version=previous["version"], moved=len(moved), n=len(changes), same=len(changes) - len(moved))
    return intro + ("\n\n" + _changes_table(moved, ed) if moved else "")


def _changes_table(changes, ed: Edition, compare: bool = True) -> str:
    from ..figures import versions

    status = {versions.CHANGED: N_("changed"), versions.NEW: N_("new"), versions.REMOVED: N_("removed")}
    header = [ed.t("Figure")] + ([ed.t("Then"), ed.t("Now"), ed.t("What changed")] if compare else [ed.t("Now")])
    rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for change in changes:
        cells = [f"{{numref}}`{change.figure_id}`" if change.now else literal(change.figure_id)]
        if compare:  # a recorded release is read as text: its ids and input names are never markup
            reasons = ed.sep.join(literal(versions.describe(name, ed)) for name in change.inputs)
            cells += [literal(change.before) or "—", literal(change.now) or "—"]
            cells.append(ed.t(status[change.status]) + (f": {reasons}" if reasons else ""))
        else:
            cells.append(literal(change.now))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


class ColophonDirective(GeneratedMarkdown):
    """``{infra-colophon}``: the commit and the software that produced this build."""

    PACKAGES = (
        "jupyter-book",
        "sphinx",
        "myst-nb",
        "myst-parser",
        "sphinx-book-theme",
        "sphinxcontrib-bibtex",
        "altair",
        "vl-convert-python",
        "pandas",
        "numpy",
        "networkx",
        "frictionless",
        "papermill",
        "jupytext",
        "infraclusters",
    )

    def markdown(self) -> str:
        import platform
        from importlib import metadata

        def git(*args) -> str:
            return caching.git(self.env.srcdir, *args).strip()

        ed = self.ed
        commit = git("rev-parse", "HEAD")
        if commit:
            dirty = ed.t(" (with uncommitted changes)") if git("status", "--porcelain", "--untracked-files=no") else ""
            date = git("show", "-s", "--format=%cI", "HEAD") or ed.t("unknown")
            made = ed.t("- Commit: `{commit}`{dirty}, committed {date}").format(commit=commit, dirty=dirty, date=date)
        else:  # a source archive (git archive, a release download): the version is all that is known
            made = ed.t(
                "- Version {version} (from CITATION.cff); no commit is known: this copy is not a git checkout"
            ).format(version=citation.BOOK_VERSION)
        rows = [f"| {name} | {metadata.version(name)} |" for name in self.PACKAGES]
        system = f"{platform.system()} {platform.machine()}"
        return "\n".join(
            [
                made,
                ed.t("- Python {version} on {system}").format(version=platform.python_version(), system=system),
                "",
                f"| {ed.t('Package')} | {ed.t('Version')} |",
                "|---|---|",
                *rows,
            ]
        )


class RerunDirective(GeneratedMarkdown):
    """``{infra-rerun}``: how to re-run this chapter: its parameters, the exact ``run`` command, its notebook."""

    def markdown(self) -> str:
        from .run import parameters

        ed = self.ed
        docname = self.env.docname
        declared = parameters(Path(self.env.doc2path(docname)))
        name = docname.removeprefix("chapters/")
        extra = ""
        if docname.startswith("chapters/cases/"):  # a case page is the case template, run for its cluster
            name = "case_template"
            extra = f" --param cluster={declared.get('cluster')}"
        command = f"python -m infraclusters run {name}{extra} --out OUT"
        defaults = ", ".join(f"`{key}` = `{value!r}`" for key, value in declared.items())
        from .notebooks import link

        notebook = link(docname)
        return "\n".join(
            [
                f":::{{admonition}} {ed.t('Re-run this chapter')}",
                ":class: tip infra-rerun dropdown",  # folded: a reader opens it, it does not fill the first screen
                "",
                ed.t(
                    "Parameters and their defaults: {defaults}. To re-execute it, with its figures in the notebook:"
                ).format(defaults=defaults),
                "",
                "```bash",
                command,
                "```",
                "",
                ed.t(
                    "Add `--param NAME=VALUE` to change a parameter (`data_dir` for your own data), or `--language "
                    "zh_CN`. The notebook this build executed, with its figures: {link}."
                ).format(link=f'<a href="{notebook}" download>{Path(docname).name}.ipynb</a>'),
                ":::",
            ]
        )
