"""The book's chart theme, its palettes and the renderer chapters use inside the build.

Every chapter calls :func:`setup` once (the UBC book's "chapter preamble"):
it registers the book's theme and, inside the book build, an HTML renderer
whose output loads Vega from the bundle the built site serves, never from a
CDN. The palettes and the value lists of the data that charts colour by live
here too, so every figure module draws with the same ones.

Chinese text needs a CJK font that vl-convert can find when it exports PNG
and SVG: a missing font makes it drop all text silently, so the theme names
Noto Sans CJK SC explicitly and ends the list with the generic sans-serif.
"""

from __future__ import annotations

import altair as alt

from ..edition import N_

FONT = "Noto Sans CJK SC, Noto Sans CJK, Source Han Sans SC, sans-serif"

#: Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
CATEGORY_COLOURS = {"research": "#0072B2", "translation": "#E69F00", "support": "#009E73"}

STAGE_COLOUR = "#555555"

#: Groups side by side (clusters, kinds): Okabe–Ito, in an order that keeps neighbours apart.
GROUP_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")

CATEGORY_LABELS = {
    "research": N_("研究类 Research"),
    "translation": N_("成果转化类 Translation"),
    "support": N_("支撑类 Support"),
}

#: One dash pattern per kind of documented relation between a cluster's nodes (values of data/relations.csv).
RELATION_DASHES = {
    "hosts": [1, 0],
    "builds": [8, 4],
    "spun_off_from": [2, 3],
    "serves": [10, 3, 2, 3],
    "operates": [4, 2],
    "part_of": [14, 3, 3, 3, 3, 3],
    "controls": [1, 6],
    "develops_with": [6, 2, 2, 2, 2, 2],
    "licenses_from": [3, 2, 8, 2],
    "uses_facility": [12, 2, 2, 2],
}

#: How a link is known: stated by the paper, or our reading of it (drawn pale).
CODINGS = (N_("stated"), N_("inferred"))
#: How a role on the chain is documented (data/roles.csv): by the paper, a public page, or the book's reading.
ROLE_CODINGS = (N_("paper"), N_("public"), N_("inferred"))

#: What a facility's year marks (values of data/facilities.csv), each in the phase it belongs to.
YEAR_PHASES = {
    N_("approval"): N_("decided"),
    N_("establishment"): N_("decided"),
    N_("start of construction"): N_("being built"),
    N_("topping-out"): N_("being built"),
    N_("relocation"): N_("being built"),
    N_("trial operation"): N_("in operation"),
    N_("opening"): N_("in operation"),
    N_("first operation"): N_("in operation"),
    N_("process acceptance"): N_("in operation"),
    N_("national acceptance"): N_("in operation"),
}
YEAR_MEANINGS = tuple(YEAR_PHASES)
#: The phases a year marks, coloured (Okabe–Ito: orange, blue, green; told apart by colour-blind readers too).
PHASE_COLOURS = {N_("decided"): "#E69F00", N_("being built"): "#0072B2", N_("in operation"): "#009E73"}

#: A facility whose status no source gives has its own mark, never the "operating" one.
STATUS_UNKNOWN = N_("status not known")
STATUSES = (N_("operating"), N_("trial operation"), N_("under construction"), N_("planned"), STATUS_UNKNOWN)
STATUS_SHAPES = ("circle", "diamond", "triangle-up", "square", "cross")

#: Agreement of a public source with the paper (Okabe–Ito, with grey for "not found").
AGREEMENT_COLOURS = {
    N_("agrees"): "#009E73",
    N_("agrees, other date"): "#56B4E9",
    N_("partially agrees"): "#E69F00",
    N_("disagrees"): "#D55E00",
    N_("not comparable"): "#CC79A7",
    N_("not found"): "#666666",  # dark: a light grey is read as the reddish purple by deuteranopes
}

#: Multi-line labels: "中文|English" split on "|" by Vega's labelExpr and lineBreak.
LINE_BREAK = "|"


def theme() -> dict:
    """The book's Vega-Lite config: fonts, sizes and a quiet grid."""
    return {
        "config": {
            "font": FONT,
            "title": {
                "font": FONT,
                "fontSize": 15,
                "anchor": "start",
                "subtitleFontSize": 12,
                "subtitleColor": "#444444",
            },
            "axis": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "gridColor": "#e6e6e6",
            },
            "legend": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "labelLimit": 320,
                # Several legends under a chart stack, left-aligned with the plot, instead of lining up
                # to the right of it: a chart stays within a laptop's column (757 px at 1366 px).
                "layout": {"bottom": {"direction": "vertical", "anchor": "start"}},
            },
            "header": {"labelFont": FONT, "titleFont": FONT},
            "text": {"font": FONT, "lineBreak": LINE_BREAK},
            "view": {"stroke": None},
            "background": "white",
        }
    }


#: Where Altair's template would look for Vega if the bundle were missing: a
#: relative path inside the site, so a broken bundle fails visibly, offline.
OFFLINE_BASE_URL = "_static/vega-not-bundled"


def setup(offline_html: bool | None = None) -> None:
    """Register the theme and, inside the book build, the offline HTML renderer (call once per chapter).

    ``offline_html`` defaults to what the book build handed over (see
    :mod:`infraclusters.handover`): chapters executed by the build emit HTML
    that relies on the site's bundled Vega and names no CDN at all. Outside the
    build (a reader's Jupyter session) Altair's own default renderer stays in
    place, so charts display there as usual.
    """
    from ..handover import current

    alt.theme.register("infraclusters", enable=True)(theme)
    if current().offline_html if offline_html is None else offline_html:
        alt.renderers.register("infraclusters-html", _safe_html_renderer)
        # No vega-embed action menu: the book links its own downloads under every figure,
        # and the menu's icon-only <summary> has no accessible name.
        alt.renderers.enable("infraclusters-html", base_url=OFFLINE_BASE_URL, embed_options={"actions": False})
    alt.data_transformers.disable_max_rows()


def _safe_html_renderer(spec: dict, **metadata) -> dict:
    """Altair's HTML output with the inlined spec made safe inside its <script> element.

    Altair writes ``json.dumps(spec)`` into a script; a data value containing
    ``</script>`` would end that element early and let the rest run as markup.
    Every ``<`` in the JSON becomes ``\\u003c``: the same JSON, inert in HTML.
    """
    import json

    from altair.vegalite.v6.display import html_renderer

    bundle = html_renderer(spec, **metadata)
    raw = json.dumps(spec)
    bundle["text/html"] = bundle["text/html"].replace(raw, raw.replace("<", "\\u003c"))
    return bundle


def chart_html(spec: dict, output_div: str) -> str:
    """The HTML the book places for a chart: the offline renderer's, into a ``<div>`` of a fixed id.

    The same markup a chapter's kernel emits inside the build, with the spec
    made inert (see :func:`_safe_html_renderer`) and no random id, so the page
    is the same from build to build.
    """
    import json

    from altair.utils.display import spec_to_mimebundle
    from altair.vegalite.v6.display import html_renderer

    options = {**html_renderer.kwargs, "base_url": OFFLINE_BASE_URL, "embed_options": {"actions": False}}
    html = spec_to_mimebundle(spec, format="html", output_div=output_div, **options)["text/html"]
    raw = json.dumps(spec)
    return html.replace(raw, raw.replace("<", "\\u003c"))


ORG_COLOURS = {
    "university": "#56B4E9",
    "research_institute": "#56B4E9",
    "national_laboratory": "#56B4E9",
    "firm": "#CC79A7",
    "government": "#666666",  # dark: a light grey is read as the firms' reddish purple by deuteranopes
    "park_operator": "#666666",
    "outside": "#cccccc",
}

GROUP_LABELS = {
    **CATEGORY_LABELS,
    "university": N_("高校院所 University or institute"),
    "research_institute": N_("高校院所 University or institute"),
    "national_laboratory": N_("高校院所 University or institute"),
    "firm": N_("企业 Firm"),
    "government": N_("政府与园区运营 Government or park operator"),
    "park_operator": N_("政府与园区运营 Government or park operator"),
    "outside": N_("集群外 Outside the cluster"),
}
