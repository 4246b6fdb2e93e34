"""Every figure of the book, and its export.

A :class:`Figure` declares a stable id (its label ``fig-…``, its glue key and
its file names), its title in Chinese and English, the caption, the alt text,
the data it is drawn from and the chapter it appears in, next to the function
that draws it. Chapters show a figure with :func:`show`; the build and
``python -m infraclusters figures`` export the same figure with
:func:`export`: PNG (2× scale), SVG, Vega-Lite JSON, the CSV of exactly the
rows drawn, and a citation in plain text and BibTeX.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import charts, citation, i18n, paths

PNG_SCALE = 2
THUMB_SCALE = 0.5


@dataclass(frozen=True)
class Figure:
    id: str
    title_en: str
    title_zh: str
    caption: str
    alt: str
    sources: tuple[str, ...]
    chapter: str
    draw: Callable
    claims: tuple[str, ...] = ()
    language: str = i18n.ENGLISH

    @property
    def title(self) -> str:
        """The title a citation uses: both languages in the English edition, the Chinese in the Chinese one."""
        if self.language == i18n.CHINESE:
            return self.title_zh
        return f"{self.title_en} ({self.title_zh})"

    def localized(self, language: str | None = None) -> Figure:
        """This figure with its caption and alt text in the edition's language."""
        from dataclasses import replace

        language = i18n.language(language)
        if language == i18n.ENGLISH:
            return self
        return replace(
            self, caption=i18n.gettext(self.caption, language), alt=i18n.gettext(self.alt, language), language=language
        )


FIGURES: dict[str, Figure] = {}


def figure(id: str, **meta) -> Callable:
    """Decorator: register the function that draws figure ``id``."""

    def register(draw: Callable) -> Callable:
        if id in FIGURES:
            raise ValueError(f"figure id {id!r} registered twice")
        FIGURES[id] = Figure(id=id, draw=draw, **meta)
        return draw

    return register


@dataclass(frozen=True)
class CaseFigure:
    """A figure drawn once per case cluster: ``fig-case-<cluster>-<name>``.

    Titles, caption and alt text are templates filled from the cluster's row
    (``{name_en}``, ``{name_zh}``) and from counts computed from its data.
    """

    name: str
    title_en: str
    title_zh: str
    caption: str
    alt: str
    sources: tuple[str, ...]
    draw: Callable
    facts: Callable

    def figure_id(self, cluster: str) -> str:
        from .cases import slug

        return f"fig-case-{slug(cluster)}-{self.name}"

    def bind(self, cluster: str, data_dir=None, language: str | None = None) -> Figure:
        from . import cases

        language = i18n.language(language)
        row = cases.cluster_row(cluster, data_dir)
        position = list(cases.clusters(data_dir)["cluster_id"]).index(cluster) + 1
        context = {"name_en": row["name_en"], "name_zh": row["name_zh"], **self.facts(cluster, data_dir)}
        return Figure(
            id=self.figure_id(cluster),
            title_en=self.title_en.format(**context),
            title_zh=self.title_zh.format(**context),
            caption=i18n.gettext(self.caption, language).format(**context),
            alt=i18n.gettext(self.alt, language).format(**context),
            sources=self.sources,
            chapter=f"{cases.CASES_DIR}/{cases.page_name(position, cluster)}",
            draw=lambda d, cluster=cluster: self.draw(cluster, d),
            claims=(),
            language=language,
        )


CASE_FIGURES: dict[str, CaseFigure] = {}


def case_figure(name: str, **meta) -> Callable:
    """Decorator: register a figure drawn for every case cluster."""

    def register(draw: Callable) -> Callable:
        CASE_FIGURES[name] = CaseFigure(name=name, draw=draw, facts=_case_facts, **meta)
        return draw

    return register


def figure_ids(data_dir=None) -> list[str]:
    """Every figure of the book for this data: the fixed ones, then each cluster's."""
    from . import cases

    ids = sorted(FIGURES)
    for cluster in cases.clusters(data_dir)["cluster_id"]:
        ids += [family.figure_id(cluster) for family in CASE_FIGURES.values()]
    return ids


def get(figure_id: str, data_dir=None, language: str | None = None) -> Figure:
    """The figure with this id (fixed, or a cluster's), or KeyError naming the known ids.

    Caption and alt text are in ``language`` (default: the edition's, see :mod:`infraclusters.i18n`).
    """
    if figure_id in FIGURES:
        return FIGURES[figure_id].localized(language)
    from . import cases

    for cluster in cases.clusters(data_dir)["cluster_id"]:
        for family in CASE_FIGURES.values():
            if family.figure_id(cluster) == figure_id:
                return family.bind(cluster, data_dir, language)
    known = ", ".join(figure_ids(data_dir))
    raise KeyError(f"unknown figure {figure_id!r}; known figures: {known}")


def build(figure_id: str, data_dir=None, language: str | None = None):
    """The finished chart: drawn from the data, titled, with its alt text as Vega description.

    Every label is in ``language``: the chart functions read it from the
    edition's setting, which this sets while the chart is drawn.
    """
    language = i18n.language(language)
    fig = get(figure_id, data_dir, language)
    with i18n.using(language):
        chart = fig.draw(data_dir)
    if language == i18n.CHINESE:
        title = {"text": fig.title_zh}
    else:
        title = {"text": fig.title_en, "subtitle": fig.title_zh}
    return chart.properties(title=title, description=fig.alt)


def drawn_data(chart):
    """The rows a chart draws: every figure draws one top-level data frame."""
    return chart.data


def show(figure_id: str, data_dir=None, language: str | None = None) -> None:
    """Glue the chart under its id for ``{infra-figure}``, which places it (used in chapters)."""
    from myst_nb import glue

    chart = build(figure_id, data_dir, language)
    glue(figure_id, chart, display=False)


def export(figure_id: str, out_dir, data_dir=None, language: str | None = None) -> list[Path]:
    """Write PNG, SVG, Vega-Lite JSON, CSV, a thumbnail and the citation files of one figure.

    The PNG and SVG carry the figure's title, caption, source and citation inside
    the file (PNG text chunks; SVG title, desc and Dublin Core metadata), so a
    figure pasted into a report keeps where it came from.
    """
    import altair as alt
    import vl_convert

    charts.setup()
    language = i18n.language(language)
    fig = get(figure_id, data_dir, language)
    chart = build(figure_id, data_dir, language)
    spec = chart.to_dict()
    vl_version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta = provenance(fig)
    spec_text = json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    stem = out / fig.id
    files = {
        f"{fig.id}.vl.json": spec_text,
        f"{fig.id}.csv": drawn_data(chart).to_csv(index=False, lineterminator="\n"),
        f"{fig.id}.txt": meta["Citation"] + "\n",
        f"{fig.id}.bib": citation.figure_bibtex(fig.id, fig.title, language),
    }
    images = [out / f"{fig.id}.{ext}" for ext in ("svg", "png", "thumb.png")]
    unchanged = (
        all(p.is_file() for p in images)
        and (out / f"{fig.id}.vl.json").is_file()
        and (
            (out / f"{fig.id}.vl.json").read_text(encoding="utf-8") == spec_text
            and _stamp(stem) == json.dumps(meta, sort_keys=True)
        )
    )
    written = []
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    if not unchanged:  # the drawing is the costly part: redo it only when the spec or provenance changed
        svg = vl_convert.vegalite_to_svg(spec, vl_version=vl_version)
        images[0].write_text(svg_with_provenance(svg, meta), encoding="utf-8")
        png = vl_convert.vegalite_to_png(spec, vl_version=vl_version, scale=PNG_SCALE)
        images[1].write_bytes(png_with_provenance(png, meta))
        images[2].write_bytes(png_with_provenance(png, meta, shrink=THUMB_SCALE / PNG_SCALE))
        _stamp(stem, json.dumps(meta, sort_keys=True))
    return written + images


def _stamp(stem: Path, value: str | None = None) -> str | None:
    """Read (or write) the provenance an image was last drawn with, kept beside the exports."""
    path = stem.parent / ".drawn" / f"{stem.name}.json"
    if value is None:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    path.parent.mkdir(exist_ok=True)
    path.write_text(value, encoding="utf-8")
    return value


def provenance(fig: Figure) -> dict[str, str]:
    """What an exported file says about itself: title, caption, source, licence, citation."""
    return {
        "Title": fig.title,
        "Description": fig.caption,
        "Source": "; ".join(fig.sources) + f". Drawn by infraclusters ({citation.BOOK_TITLE}).",
        "Copyright": "CC BY 4.0. Cite as below.",
        "Citation": citation.figure_text(fig.id, fig.title, fig.language),
        "Identifier": fig.id,
    }


def png_with_provenance(png: bytes, meta: dict[str, str], shrink: float = 1.0) -> bytes:
    """The PNG (optionally shrunk, for thumbnails) with one iTXt (UTF-8) chunk per provenance field."""
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in meta.items():
        info.add_itxt(key, value, zip=False)
    buffer = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        if shrink != 1.0:
            image = image.resize(
                (max(1, round(image.width * shrink)), max(1, round(image.height * shrink))), Image.Resampling.LANCZOS
            )
        image.save(buffer, format="PNG", pnginfo=info, optimize=False)
    return buffer.getvalue()


def svg_with_provenance(svg: str, meta: dict[str, str]) -> str:
    """The SVG with <title>, <desc> and Dublin Core <metadata> right after its opening tag."""
    from xml.sax.saxutils import escape

    fields = {
        "title": "Title",
        "description": "Description",
        "source": "Source",
        "rights": "Copyright",
        "bibliographicCitation": "Citation",
        "identifier": "Identifier",
    }
    dublin_core = "".join(f"<dc:{tag}>{escape(meta[key])}</dc:{tag}>" for tag, key in fields.items())
    block = (
        (
            f"<title>{escape(meta['Title'])}</title><desc>{escape(meta['Description'])}</desc>"
            '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
            f"<rdf:Description>{dublin_core}</rdf:Description></rdf:RDF></metadata>"
        )
        .replace("<dc:bibliographicCitation>", "<dcterms:bibliographicCitation>")
        .replace("</dc:bibliographicCitation>", "</dcterms:bibliographicCitation>")
    )
    opening = svg.index(">", svg.index("<svg")) + 1
    return svg[:opening] + block + svg[opening:]


def export_all(
    out_dir, data_dir=None, only: list[str] | None = None, workers: int | None = None, language: str | None = None
) -> list[Path]:
    """Export every figure of the book (or the ids in ``only``) into ``out_dir``.

    Drawing is CPU-bound, so figures are shared among worker processes (one per
    core, started fresh with "spawn": vl-convert's runtime does not survive a fork).
    The files are the same whatever the number of workers.
    """
    import os
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    language = i18n.language(language)
    ids = only if only is not None else figure_ids(data_dir)
    workers = workers or min(len(ids), os.cpu_count() or 1)
    if workers <= 1 or len(ids) < 4:
        return [path for figure_id in ids for path in export(figure_id, out_dir, data_dir, language)]
    directory = str(paths.data_dir(data_dir))
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        n = len(ids)
        results = pool.map(export, ids, [out_dir] * n, [directory] * n, [language] * n)
        return [path for paths_written in results for path in paths_written]


# --- The figures -------------------------------------------------------------
# Each function takes the data directory (None = the book's data) and returns
# an Altair chart; the decorator holds everything a reader needs to cite it.


@figure(
    "fig-category-stage-matrix",
    title_en="Which infrastructure serves which stage of the full chain",
    title_zh="三类创新基础设施与全链条各环节",
    caption=(
        "The member types of the three categories of innovation infrastructure (§1.3), each placed "
        "on the stages of the full innovation chain it serves (§1.2). Solid cells are links the "
        "paper states; pale cells are our reading of the sentence quoted in the tooltip."
    ),
    alt=(
        "A grid with the four chain stages as columns and eight facility types as rows, grouped "
        "and coloured by category. Research infrastructure covers the first three stages, "
        "proof-of-concept centres the second and third, pilot bases the third and fourth, "
        "industrial parks the fourth, and the two support types all four stages."
    ),
    sources=(
        "paper §1.2",
        "paper §1.3",
        "paper §2.2",
        "paper §3.1",
        "data/chain_stages.csv",
        "data/facility_types.csv",
        "data/type_stages.csv",
    ),
    chapter="chapters/concepts",
    claims=("C1.2-04", "C1.3-03", "C1.3-04", "C1.3-06", "C1.3-07", "C1.3-09", "C1.3-10", "C1.3-12"),
)
def _category_stage(data_dir):
    from . import chain

    return charts.category_stage_chart(chain.type_stage_links(data_dir))


@figure(
    "fig-typology-network",
    title_en="Categories, facility types and chain stages as a network",
    title_zh="创新基础设施类别、设施类型与创新链环节网络",
    caption=(
        "The §1 typology as a directed graph (networkx): each category points to its member types "
        "(§1.3), each type to the chain stages it serves, and the stages follow one another along "
        "the full chain (§1.2). Dashed edges are our reading of the paper's wording, solid edges "
        "are stated."
    ),
    alt=(
        "A three-column network. Left: the three categories. Middle: eight facility types. Right: "
        "the four chain stages linked top to bottom. Lines run from each category to its types and "
        "from each type to the stages it serves; the two support types connect to all four stages."
    ),
    sources=(
        "paper §1.2",
        "paper §1.3",
        "paper §2.2",
        "paper §3.1",
        "data/chain_stages.csv",
        "data/facility_categories.csv",
        "data/facility_types.csv",
        "data/type_stages.csv",
    ),
    chapter="chapters/concepts",
    claims=("C0-08", "C1.3-03", "C1.3-06", "C1.3-09", "C1.3-12"),
)
def _typology_network(data_dir):
    from . import network

    graph = network.typology_graph(data_dir)
    return charts.network_chart(network.graph_frame(graph, network.layered_layout(graph)))


@figure(
    "fig-concept-milestones",
    title_en="Milestones of the concept of innovation infrastructure",
    title_zh="创新基础设施概念的发展节点",
    caption=(
        "The dates §1 gives for the concept and for the policies that shaped it, with the works §1 "
        "cites placed at their years of publication, which come from the works themselves, not from "
        "the paper. Roig-Tierno et al. is left out: its year could not be checked."
    ),
    alt=(
        "A time axis with one row per milestone, each a dot at its year labelled with the date as the "
        "paper gives it: the origin of the concept, the works the paper cites, the National "
        "Development and Reform Commission's inclusion of innovation infrastructure in new-type "
        "infrastructure, and the seven departments' opinions on future industries."
    ),
    sources=("paper §1.1", "paper §1.2", "data/milestones.csv", "justman1995", "feldman1994", "furman2002"),
    chapter="chapters/concepts",
    claims=("C1.1-01", "C1.1-02", "C1.1-03", "C1.1-04", "C1.2-02", "C1.2-07"),
)
def _milestones(data_dir):
    from .data import load_table

    return charts.milestone_chart(load_table("milestones", data_dir))


@figure(
    "fig-factcheck-agreement",
    title_en="How the paper's numbers hold up against public sources",
    title_zh="论文数据与公开来源的对照",
    caption=(
        "Each mark is one check of a quantitative or dated claim of the paper against an independent "
        "public page; a claim checked against several pages has several marks. The tooltip shows both "
        "values and the date of the public one. Not found means no page could be found, not that the "
        "paper is wrong."
    ),
    alt=(
        "A grid with the paper's checked claims as rows, in the paper's order, and four columns: "
        "agrees, partially agrees, disagrees, not found. Each check is a coloured square in the "
        "column of its result."
    ),
    sources=("data/fact_checks.csv", "data/claims.csv"),
    chapter="chapters/factcheck",
)
def _factcheck(data_dir):
    from . import factcheck

    return charts.factcheck_chart(factcheck.checks(data_dir))


@figure(
    "fig-mechanism-map",
    title_en="How innovation infrastructure clusters foster industries of the future",
    title_zh="创新基础设施集群支撑未来产业发展的作用机制",
    caption=(
        "The five mechanisms of §2 as a directed graph (networkx), drawn left to right: the infrastructure "
        "categories, the cluster they form, the mechanisms, their outcomes, and industries of the future. "
        "Every link is a sentence of the paper (hover a line for the claim and its Chinese). Hover a "
        "mechanism to light up its paths."
    ),
    alt=(
        "A left-to-right network. The three infrastructure categories on the left feed the five "
        "mechanisms directly or through the cluster; each mechanism leads to one outcome (source "
        "technologies, sample to commodity, leading firms, a talent base, pilot zones); every outcome "
        "leads to industries of the future on the right, and talent also feeds translation and firms."
    ),
    sources=("paper §2", "data/mechanism_nodes.csv", "data/mechanism_edges.csv", "data/claims.csv"),
    chapter="chapters/mechanisms",
    claims=(
        "C2.1-07",
        "C2.1-08",
        "C2.2-04",
        "C2.2-12",
        "C2.3-01",
        "C2.3-07",
        "C2.3-09",
        "C2.4-01",
        "C2.4-04",
        "C2.4-05",
        "C2.4-07",
        "C2.4-08",
        "C2.4-09",
        "C2.5-06",
        "C2.5-08",
        "C0-09",
    ),
)
def _mechanism_map(data_dir):
    from . import network

    graph = network.mechanism_graph(data_dir)
    layout = network.layered_layout(graph, layers=("category", "cluster", "mechanism", "outcome", "goal"))
    return charts.mechanism_map_chart(network.mechanism_frame(graph, layout))


@figure(
    "fig-translation-bridge",
    title_en="Bridging the valley of death: from sample to commodity",
    title_zh="跨越“死亡谷”：从“样品”到“商品”",
    caption=(
        "The forms a research result takes on its way to market (§2.2), placed on the chain stage where "
        "the paper's wording puts them, and the two kinds of translation infrastructure the paper says "
        "bridge them: proof-of-concept centres in the early stage of translation, pilot bases in its "
        "middle and late stages. All placements are our reading of the quoted sentences."
    ),
    alt=(
        "Four chain stages as columns. A top row marks sample at applied basic research, product at "
        "industrial technology research and commodity at industrial transformation. Below, "
        "proof-of-concept centres span applied basic and industrial technology research, and pilot "
        "bases span industrial technology research and industrial transformation."
    ),
    sources=("paper §2.2", "paper §2.4", "data/product_forms.csv", "data/type_stages.csv"),
    chapter="chapters/mechanisms",
    claims=("C2.2-01", "C2.2-13", "C2.2-14"),
)
def _translation_bridge(data_dir):
    from . import chain

    return charts.translation_bridge_chart(chain.translation_bridge(data_dir), chain.chain_stages(data_dir))


@figure(
    "fig-talent-stages",
    title_en="Four kinds of talent along the full chain",
    title_zh="四类人才与全链条各环节",
    caption=(
        "The talent types §2.4 names, each placed on the chain stages its described role drives: "
        "strategic scientists lead technological direction, engineers take technology from sample to "
        "product, entrepreneurs turn results into productive forces, managers renew institutions. The "
        "placements are our reading of those sentences (pale cells)."
    ),
    alt=(
        "A grid of four talent types by four chain stages. Strategic scientists cover the two research "
        "stages, engineers applied basic and industrial technology research, entrepreneurs industrial "
        "technology research and industrial transformation, managers all four stages."
    ),
    sources=("paper §2.4", "data/talent_types.csv", "data/talent_stages.csv"),
    chapter="chapters/mechanisms",
    claims=("C2.4-02", "C2.4-03", "C2.4-04", "C2.4-05", "C2.4-06"),
)
def _talent_stages(data_dir):
    from . import chain

    return charts.talent_stage_chart(chain.talent_stage_links(data_dir))


@figure(
    "fig-stage-profile",
    title_en="How many documented infrastructures serve each stage of the chain",
    title_zh="各案例集群创新基础设施在创新链各环节的分布",
    caption=(
        "For each case cluster, the number of facilities in this book's inventory that serve each chain "
        "stage, through the stages their type serves. The inventory is partial (only facilities a public "
        "page documents) and counts facilities, not their size, budget or output, so a low bar means few "
        "documented facilities, not weak capacity."
    ),
    alt=(
        "Grouped bars: four chain stages on the horizontal axis, one bar per case cluster at each stage, "
        "bar height the number of inventoried facilities serving that stage."
    ),
    sources=("paper §2.2", "data/facilities.csv", "data/type_stages.csv", "data/clusters.csv"),
    chapter="chapters/mechanisms",
    claims=("C2.2-05",),
)
def _stage_profile(data_dir):
    from . import chain
    from .data import load_table

    clusters = load_table("clusters", data_dir).set_index("cluster_id")
    links = chain.facility_stage_links(data_dir)
    profile = chain.stage_profile(links, by="cluster_id", stages=chain.chain_stages(data_dir))
    profile["group"] = profile["cluster_id"].map(i18n.both(clusters["name_zh"], clusters["name_en"]))
    return charts.stage_profile_chart(profile, "cluster_id", i18n.gettext("Cluster 集群"))


@figure(
    "fig-compare-coverage",
    title_en="The case clusters side by side: documented infrastructure by category",
    title_zh="三个科学城创新基础设施对比",
    caption=(
        "For each case cluster, the facilities of this book's inventory by §1.3 category (hover for the "
        "share of the chain's stages they cover). The inventory is partial and unequal: it counts what "
        "public pages document, which differs from city to city."
    ),
    alt="Horizontal stacked bars, one per cluster, split into research, translation and support facilities.",
    sources=("paper §3", "data/facilities.csv", "data/clusters.csv"),
    chapter="chapters/comparison",
    claims=("C3-01",),
)
def _compare_coverage(data_dir):
    from . import cases

    return charts.coverage_chart(cases.comparison(data_dir))


@figure(
    "fig-compare-timeline",
    title_en="When the case clusters' facilities came",
    title_zh="三个科学城创新基础设施建设时间线",
    caption=(
        "Every dated facility of the three clusters on one time axis; colour says what the year marks. "
        "Facilities without a year on a public page are not shown."
    ),
    alt="One row per cluster with a mark for each dated facility at its year, coloured by what the year marks.",
    sources=("data/facilities.csv", "data/clusters.csv"),
    chapter="chapters/comparison",
)
def _compare_timeline(data_dir):
    from . import cases

    return charts.cluster_timeline_chart(cases.all_timelines(data_dir))


@figure(
    "fig-compare-locator",
    title_en="Where the science cities are",
    title_zh="科学城位置示意",
    caption=(
        "The science cities placed by the coordinates a cited page gives, on plain longitude and latitude "
        "axes, with no country or province boundaries (a boundary map needs an approved standard map to be "
        "usable in Chinese publications). A point may mark a landmark inside the science city rather than "
        "its centre: hover for what it marks. A cluster without coordinates on a public page is not placed."
    ),
    alt="A scatter of longitude against latitude with a labelled point for each science city that has sourced coordinates.",
    sources=("data/clusters.csv",),
    chapter="chapters/comparison",
)
def _compare_locator(data_dir):
    from . import cases

    return charts.locator_chart(cases.locations(data_dir))


# --- Case figures: one of each per cluster (§3) -------------------------------


def _case_facts(cluster, data_dir):
    from . import cases

    metrics = cases.network_metrics(cluster, data_dir)
    dated = cases.timeline(cluster, data_dir)
    return {
        "n_facilities": metrics["n_facilities"],
        "n_organisations": metrics["n_organisations"],
        "n_relations": metrics["n_relations"],
        "n_dated": len(dated),
        "coverage": f"{metrics['stage_coverage']:.0%}",
    }


@case_figure(
    "chain-map",
    title_en="{name_en}: its infrastructure on the chain",
    title_zh="{name_zh}：创新基础设施在创新链上的分布",
    caption=(
        "The {n_facilities} facilities of this book's inventory for {name_en}, grouped by category, on "
        "the chain stages their §1.3 type serves (solid: stated by the paper for the type; pale: our "
        "reading). Together they cover {coverage} of the chain's stages. The inventory is partial: "
        "only facilities a public page documents."
    ),
    alt=(
        "A grid with the chain's stages as columns and the cluster's {n_facilities} facilities as rows, "
        "coloured by category; a filled cell marks a stage the facility's type serves."
    ),
    sources=("paper §3", "data/facilities.csv", "data/type_stages.csv"),
)
def _case_chain_map(cluster, data_dir):
    from . import chain

    links = chain.facility_stage_links(data_dir, cluster=cluster)
    names = chain.type_stage_links(data_dir)[["type_id", "type_zh", "type_en", "category_order"]].drop_duplicates(
        "type_id"
    )
    stages = chain.chain_stages(data_dir)[["stage_id", "name_zh", "name_en"]].rename(
        columns={"name_zh": "stage_zh", "name_en": "stage_en"}
    )
    return charts.facility_stage_chart(links.merge(names, on="type_id").merge(stages, on="stage_id"))


@case_figure(
    "network",
    title_en="{name_en}: facilities, organisations and their relations",
    title_zh="{name_zh}：设施、机构及其关系网络",
    caption=(
        "The cluster as a network (networkx; organisations on the inner ring, facilities on the outer): "
        "{n_facilities} facilities coloured by category, {n_organisations} organisations, and the "
        "{n_relations} documented relations between them (hosts, builds, operates, serves, part of, "
        "spun off from), each from the paper or a public page."
    ),
    alt=(
        "A network of the cluster's {n_facilities} facilities and {n_organisations} organisations joined "
        "by {n_relations} relation lines; hover a node for its name and kind, a line for the relation."
    ),
    sources=("paper §3", "data/facilities.csv", "data/organisations.csv", "data/relations.csv"),
)
def _case_network(cluster, data_dir):
    from . import cases, network

    graph = cases.cluster_graph(cluster, data_dir)
    return charts.cluster_network_chart(network.cluster_frame(graph, network.shell_positions(graph)))


@case_figure(
    "timeline",
    title_en="{name_en}: when its facilities came",
    title_zh="{name_zh}：创新基础设施建设时间线",
    caption=(
        "The {n_dated} facilities of the cluster for which a public page gives a year, by that year; the "
        "colour says what the year marks (approval, start of construction, establishment, opening, first "
        "operation, national acceptance), the shape the facility's status."
    ),
    alt=(
        "A time axis with one row per dated facility ({n_dated} in all), each a mark at its year, "
        "coloured by what the year marks."
    ),
    sources=("data/facilities.csv",),
)
def _case_timeline(cluster, data_dir):
    from . import cases

    return charts.timeline_chart(cases.timeline(cluster, data_dir).assign(cluster=cluster))


@figure(
    "fig-recommendation-matrix",
    title_en="What each recommendation answers",
    title_zh="五条建议回应的问题与强化的机制",
    caption=(
        "The recommendations of §4 (rows) against the problems the introduction names and the mechanisms "
        "of §2 (columns). A coloured cell is a link this book codes from a sentence of §4 (hover for the "
        "sentence and the reading); the paper does not draw these links itself, so all are our reading."
    ),
    alt=(
        "A grid of five recommendations by three problems and five mechanisms; coloured cells mark "
        "the problems a recommendation answers and the mechanisms it strengthens."
    ),
    sources=(
        "paper §4",
        "paper intro",
        "data/recommendations.csv",
        "data/recommendation_links.csv",
        "data/problems.csv",
        "data/mechanism_nodes.csv",
    ),
    chapter="chapters/recommendations",
    claims=("C0-14", "C0-15", "C0-16", "C4-01", "C4-05", "C4-10", "C4-14", "C4-18"),
)
def _recommendation_matrix(data_dir):
    from . import recommendations

    return charts.recommendation_matrix_chart(recommendations.matrix(data_dir))
