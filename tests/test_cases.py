"""§3: one case chapter for every cluster, and a reader's own cluster with one command."""

from __future__ import annotations

import re

import pytest
from conftest import DATA, ROOT, append_row, compendium, render_case, run_cli

from infraclusters.book.pages import TEMPLATE, write_pages
from infraclusters.figures import CASES_DIR, case_page_name
from infraclusters.model import UnknownClusterError
from infraclusters.text import case_page, tables


def page_source(c, cluster: str, ed) -> str:
    """The case page of one cluster, from the book's template (computed, not written)."""
    return case_page.page_source(c.cluster(cluster), (ROOT / TEMPLATE).read_text(encoding="utf-8"), ed)


def test_unknown_cluster_names_the_known_ones(c):
    with pytest.raises(UnknownClusterError) as caught:
        c.cluster("atlantis")
    message = str(caught.value)
    for cluster in c.table("clusters")["cluster_id"]:
        assert cluster in message


def test_page_source_sets_the_parameter_and_the_cluster_figures(c, ed):
    text = page_source(c, "dongguan_songshanlake", ed)
    assert re.search(r'^cluster = "dongguan_songshanlake"', text, re.M)
    assert "{infra-figure} fig-case-dongguan-songshanlake-network" in text
    assert "CLUSTER_SLUG" not in text and case_page.MARKER not in text
    assert text.splitlines()[text.splitlines().index("---", 1) + 2].startswith("# Dongguan Songshan Lake")


def test_the_page_cites_every_claim_of_its_section(c, ed):
    claims = c.table("claims")
    text = page_source(c, "hefei_binhu", ed)
    section = claims[claims["section"] == "3.1"]["claim_id"]
    assert all(f"{{claim}}`{claim}`" in text for claim in section)


def test_write_pages_writes_one_page_per_cluster_and_drops_stale_ones(tmp_path):
    (tmp_path / CASES_DIR).mkdir(parents=True)
    (tmp_path / TEMPLATE).write_text((ROOT / TEMPLATE).read_text(encoding="utf-8"), encoding="utf-8")
    stale = tmp_path / CASES_DIR / "09_gone.md"
    stale.write_text("old", encoding="utf-8")
    book = compendium(DATA, ROOT)
    written = write_pages(book, tmp_path)
    assert [p.stem for p in written] == [
        case_page_name(i, cluster) for i, cluster in enumerate(book.table("clusters")["cluster_id"], start=1)
    ]
    assert not stale.exists()
    before = {p: p.stat().st_mtime_ns for p in written}
    write_pages(book, tmp_path)
    assert {p: p.stat().st_mtime_ns for p in written} == before, "unchanged pages are not rewritten"


def test_network_metrics_of_a_cluster(c):
    """Counts from the network, measures from the documented roles (recounted here from roles.csv)."""
    cluster = c.cluster("hefei_binhu")
    metrics = cluster.metrics
    assert metrics["n_facilities"] == len(cluster.facilities)
    members = set(cluster.facilities["facility_id"]) | set(cluster.organisations["org_id"])
    roles = c.table("roles")
    roles = roles[roles["entity_id"].isin(members)]
    stages = list(c.stages["stage_id"])
    assert metrics["stage_coverage"] == len(set(roles["stage_id"])) / len(stages)
    served = roles.groupby("entity_id")["stage_id"].apply(set)
    expected = sorted(e for e, s in served.items() if s & set(stages[1:3]) and stages[-1] in s)
    assert metrics["bridges"] == expected
    assert sorted(metrics["context"]) == sorted(members - set(roles["entity_id"]))


@pytest.fixture
def own_cluster(data_copy):
    """A fixture cluster in a data directory outside the book's data/."""

    append_row(
        data_copy,
        "clusters",
        [
            "fixture_city",
            "试验科学城",
            "Fixture Science City",
            "未来测试产业",
            "Future testing industry",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "fixture_page",
        ],
    )
    append_row(
        data_copy,
        "facilities",
        [
            "fixture_lab",
            "fixture_city",
            "试验实验室",
            "Fixture Laboratory",
            "high_level_laboratory",
            "operating",
            "2020",
            "establishment",
            "no",
            "",
            "fixture_page",
        ],
    )
    append_row(
        data_copy,
        "facilities",
        [
            "fixture_pilot",
            "fixture_city",
            "试验中试基地",
            "Fixture Pilot Base",
            "pilot_base",
            "planned",
            "",
            "",
            "no",
            "",
            "fixture_page",
        ],
    )
    append_row(
        data_copy,
        "organisations",
        ["fixture_uni", "fixture_city", "试验大学", "Fixture University", "university", "no", "", "fixture_page"],
    )
    append_row(data_copy, "relations", ["r901", "fixture_uni", "fixture_lab", "hosts", "", "fixture_page"])
    row = ["fixture_lab@frontier_basic_research", "fixture_lab", "frontier_basic_research", "public", ""]
    append_row(data_copy, "roles", [*row, "A fixture quote", "A fixture reading.", "fixture_page"])
    (data_copy / "references.bib").write_text(
        "@misc{fixture_page,\n  title = {A fixture page},\n  url = {http://127.0.0.1/fixture}\n}\n", encoding="utf-8"
    )
    return data_copy


@pytest.mark.slow
def test_own_cluster_renders_with_one_command(own_cluster, tmp_path):
    out = tmp_path / "out"
    result = render_case("fixture_city", own_cluster, out)
    assert result.returncode == 0, result.stderr[-3000:]
    for name in ("chain-map", "path", "network", "timeline"):
        for ext in ("png", "svg", "vl.json", "csv"):
            assert (out / "figures" / f"fig-case-fixture-city-{name}.{ext}").stat().st_size > 0
    page = (out / "html" / "fixture_city.html").read_text(encoding="utf-8")
    assert "Fixture Science City" in page and page.count('id="altair-viz-') == 4
    assert "Fixture Laboratory" in (out / "figures" / "fig-case-fixture-city-chain-map.csv").read_text(encoding="utf-8")
    assert "The paper makes no claims about this cluster" in page
    # Again into the same folder: what ``case`` wrote there is its own to replace.
    again = render_case("fixture_city", own_cluster, out)
    assert again.returncode == 0, again.stderr[-3000:]
    assert not (out / ".infraclusters-case-staging").exists()


def test_unknown_cluster_fails_at_once_listing_the_known(tmp_path):
    code, _, err = run_cli("case", "atlantis", "--out", str(tmp_path), cwd=ROOT)
    assert code == 1
    assert "unknown cluster 'atlantis'" in err and "hefei_binhu" in err


@pytest.mark.slow
def test_own_cluster_renders_in_chinese(own_cluster, tmp_path):
    """``--language zh_CN``: the template's prose from the book's translations, header and figures in Chinese."""
    out = tmp_path / "out"
    result = render_case("fixture_city", own_cluster, out, "--language", "zh_CN")
    assert result.returncode == 0, result.stderr[-3000:]
    page = (out / "html" / "fixture_city.html").read_text(encoding="utf-8")
    assert "全链条各环节上的主体" in page and "Who serves which stage of the whole chain" not in page
    assert "论文未论及该集群" in page and "The paper makes no claims" not in page
    assert page.count('id="altair-viz-') == 4
    assert "图 1" in page and "Figure 1" not in page, "figures numbered as the Chinese edition numbers them"
    svg = (out / "figures" / "fig-case-fixture-city-chain-map.svg").read_text(encoding="utf-8")
    assert "试验科学城" in svg and "Chain stage" not in svg


def test_a_cluster_with_no_facilities_yet_draws_every_figure(data_copy, ed):
    """A reader's new cluster, its row written and nothing else: the page's figures draw, empty."""
    from infraclusters import figures

    append_row(
        data_copy,
        "clusters",
        ["empty_city", "空城", "Empty City", "未来产业", "future industries"] + [""] * 7 + ["paper §3"],
    )
    c = compendium(data_copy)
    cluster = c.cluster("empty_city")
    assert cluster.metrics["n_facilities"] == 0 and cluster.metrics["stage_coverage"] == 0.0
    for name in ("chain-map", "path", "network", "timeline"):
        chart = figures.build(f"fig-case-empty-city-{name}", c, ed)
        drawn = figures.drawn_data(chart)
        if name == "path":  # nothing to draw, and the figure says so in words
            assert set(drawn["kind"]) == {"none"} and "No path is recorded" in " ".join(drawn["text"])
        else:
            assert len(drawn) == 0, name
        title = chart.to_dict()["title"]["text"]  # a path's title is in lines, as narrow as the path
        assert (" ".join(title) if isinstance(title, list) else title).startswith("Empty City")


def test_a_case_told_by_the_authors_own_institution_says_so(c, ed):
    """Songshan Lake is the authors' laboratory (the paper's affiliations): its page says so and shows the field checks."""
    dongguan = case_page.disclosure(c.cluster("dongguan_songshanlake"), ed).data
    assert (
        "HUANG Qingli" in dongguan and "Songshan Lake Materials Laboratory" in dongguan and "self-reported" in dongguan
    )
    assert "None of the paper's authors" in case_page.disclosure(c.cluster("hefei_binhu"), ed).data
    fields = tables.field_table(c.cluster("dongguan_songshanlake").fields, ed).data
    table = c.table("industrialisation_fields")
    for name in table.loc[table["cluster_id"] == "dongguan_songshanlake", "name_en"]:
        assert name in fields
    assert "names no industrialised fields" in tables.field_table(c.cluster("shanghai_zhangjiang").fields, ed).data


def test_the_disclosure_follows_the_affiliation_data(data_copy, ed):
    """Were an author at USTC, the Hefei page would be the self-reported one."""
    path = data_copy / "paper_authors.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",slab,", ",ustc,", 1), encoding="utf-8")
    c = compendium(data_copy)
    assert "HUANG Qingli" in case_page.disclosure(c.cluster("hefei_binhu"), ed).data
    assert "HUANG Qingli" not in case_page.disclosure(c.cluster("dongguan_songshanlake"), ed).data


def test_each_case_path_shows_the_papers_numbers_beside_the_public_pages(c, ed):
    """Hefei's last step carries the paper's 58 firms and the public pages' other counts, dated, with the verdict."""
    from infraclusters.figures.cases import path_lines
    from infraclusters.model import case_paths

    steps = case_paths.steps(c, "hefei_binhu")
    assert list(steps["step_zh"]) == ["基础研究", "技术开发", "成果转化与孵化", "未来产业"]
    quote = c.claims.set_index("claim_id").loc["C3.1-03", "quote_zh"]
    assert "—".join(steps["step_zh"]) in quote, "the steps are the paper's own sequence"
    counts = case_paths.counts(c, "hefei_binhu")
    last = counts[counts["step_order"] == 4]
    assert 58 in set(last.loc[last["origin"] == "paper", "value"])
    assert {"not comparable", "partially agrees"} <= set(last.loc[last["origin"] == "public", "agreement"])
    lines = " ".join(path_lines(steps, case_paths.actors(c, "hefei_binhu"), counts, ed)["text"])
    assert "58 firms" in lines and "not comparable" in lines
    assert case_paths.steps(c, "no_such_cluster").empty


def test_a_case_path_naming_an_unknown_actor_is_refused(data_copy):
    from infraclusters.model import DataValidationError

    append_row(
        data_copy,
        "case_paths",
        ["hefei_5", "hefei_binhu", "5", "未来产业", "More", "paper", "ustc;nowhere_lab", "C3.1-06", "paper §3.1"],
    )
    with pytest.raises(DataValidationError) as caught:
        compendium(data_copy)
    assert "case_paths.csv, row" in str(
        caught.value
    ) and "'nowhere_lab' not found in table(s) facilities, organisations" in str(caught.value)


def test_each_causal_step_names_the_relations_that_carry_it(data_copy, ed):
    """Hefei's step 2 rests on USTC building its institute (r04): take that relation away and the step is unsupported.
    Zhangjiang's rainforest step has no relation from R&D to its parks: one documented relation supports it."""
    from infraclusters.figures.cases import path_lines
    from infraclusters.model import case_paths

    c = compendium(data_copy)
    links = case_paths.links(c, "hefei_binhu").set_index("step_order")
    assert "r04" in links.loc[2, "relation_ids"] and links.loc[2, "supported"]
    zhangjiang = case_paths.links(c, "shanghai_zhangjiang").set_index("step_order")
    assert not zhangjiang.loc[2, "supported"]
    steps = case_paths.steps(c, "shanghai_zhangjiang")
    assert set(steps["sequence"]) == {"book"}, "Zhangjiang's order is the book's construction of a '+' model"
    lines = path_lines(
        steps,
        case_paths.actors(c, "shanghai_zhangjiang"),
        case_paths.counts(c, "shanghai_zhangjiang"),
        ed,
        case_paths.links(c, "shanghai_zhangjiang"),
    )
    assert "unsupported" in set(lines.loc[lines["step"] == 2, "kind"])
    assert "(public page)" in " ".join(lines.loc[lines["kind"] == "actor", "text"]), (
        "actors the paper does not name are marked"
    )
    append_row(
        data_copy, "relations", ["r995", "simm", "zj_cell_gene_park", "serves", "A test relation.", "", "paper §3.2"]
    )
    path = data_copy / "relations.csv"
    path.write_text(
        "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("r04,")) + "\n",
        encoding="utf-8",
    )
    c = compendium(data_copy)
    assert case_paths.links(c, "shanghai_zhangjiang").set_index("step_order").loc[2, "supported"]
    hefei = case_paths.links(c, "hefei_binhu").set_index("step_order")
    assert "r04" not in hefei.loc[2, "relation_ids"] and not hefei.loc[2, "supported"]


def test_the_songshan_lake_path_keeps_the_papers_order_and_its_magnet(c):
    from infraclusters.model import case_paths

    steps = case_paths.steps(c, "dongguan_songshanlake")
    assert list(steps["claim_ids"].map(lambda ids: ids[0])) == ["C3.3-01", "C3.3-10", "C3.3-11", "C3.3-12", "C3.3-13"]
    assert set(steps["sequence"]) == {"paper"}


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_path_figure_is_drawn_top_to_bottom_as_narrow_as_a_phone(c, language):
    """The path is one column a phone shows whole (its frame is 342 px): every line of text is cut to the column,
    the title too, and each step's number is above the next step's; a public page checked against the paper's
    number is a square coloured by its verdict, not a line of text."""
    from infraclusters import figures
    from infraclusters.edition import Edition
    from infraclusters.figures.cases import PATH_COLUMNS, PATH_WIDTH
    from infraclusters.figures.marks import AGREEMENT_COLOURS, wrap
    from infraclusters.figures.registry import TITLE_COLUMN_PX

    ed = Edition(language)
    for slug in ("hefei-binhu", "shanghai-zhangjiang", "dongguan-songshanlake"):
        chart = figures.build(f"fig-case-{slug}-path", c, ed)
        drawn = chart.to_dict()
        assert drawn["width"] == PATH_WIDTH <= 342
        frame = figures.drawn_data(chart)
        text = frame[frame["kind"] != "page"]
        assert all(len(wrap(line, PATH_COLUMNS)) <= 1 for line in text["text"]), slug
        heads = text[text["kind"] == "step"].groupby("step")["line"].min()
        assert list(heads) == sorted(heads) and heads.is_unique
        pages = frame[frame["kind"] == "page"]
        assert len(pages) and set(pages["agreement"]) <= {ed.t(a) for a in AGREEMENT_COLOURS}
        title = drawn["title"]["text"]
        lines = title if isinstance(title, list) else [title]
        assert all(len(wrap(line, int(PATH_WIDTH / TITLE_COLUMN_PX["text"]))) == 1 for line in lines), lines
    zhangjiang = figures.drawn_data(figures.build("fig-case-shanghai-zhangjiang-path", c, ed))
    worded = zhangjiang[(zhangjiang["kind"] == "paper") & (zhangjiang["claim_id"] == "C3.2-11")]
    assert len(worded), "a claim in words, checked against a page, says what the paper says"


def test_a_cluster_without_a_path_gets_a_sentence_not_an_empty_frame(c, ed):
    from infraclusters.figures.cases import path_lines
    from infraclusters.model import case_paths

    empty = case_paths.steps(c, "no_such_path")
    lines = path_lines(empty, case_paths.actors(c, "no_such_path"), case_paths.counts(c, "no_such_path"), ed)
    assert " ".join(lines["text"]).startswith("No path is recorded for this cluster")


def test_a_facility_without_a_status_is_not_drawn_as_operating(c):
    """Zhangjiang Laboratory has no status on any page read: its timeline mark is 'status not known', its own shape."""
    from infraclusters import figures
    from infraclusters.edition import Edition
    from infraclusters.figures.theme import STATUS_SHAPES, STATUSES

    chart = figures.build("fig-case-shanghai-zhangjiang-timeline", c, Edition("en"))
    drawn = figures.drawn_data(chart).set_index("facility_id")["status"]
    assert drawn["zhangjiang_lab"] == "status not known" and drawn["ssrf"] == "operating"
    shapes = dict(zip(STATUSES, STATUS_SHAPES, strict=True))
    assert shapes["status not known"] != shapes["operating"]
    assert "status not known" in chart.to_json()


def test_the_organisation_table_cites_every_organisations_sources_and_names_kinds_plainly(c, ed):
    """Sources cited only by organisation rows reach the page's reference list; kinds read 'research institute', not
    'research\\_institute' or 'research\\ institute' (an escaped underscore replaced after escaping)."""
    from infraclusters.text import tables

    organisations = c.cluster("dongguan_songshanlake").organisations
    table = tables.organisation_table(organisations, ed).data
    keys = {k.strip() for cell in organisations["source"] for k in cell.split(";") if not k.strip().startswith("paper")}
    assert keys and all(f"{{cite:p}}`{key}`" in table for key in keys)
    assert "research institute" in table and "research\\" not in table
    relations = tables.relation_table(c.cluster("hefei_binhu").relations, {}, ed).data
    assert "spun off from" in relations and "spun\\" not in relations
    examples = tables.examples(c.table("paper_examples"), ed).data
    assert "science city" in examples and "science\\" not in examples


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_timeline_fits_a_phone_and_puts_each_mark_under_its_own_name(c, language):
    """The names stood on a y axis up to 340 px wide, leaving a phone a strip of years with no mark in it. Now the
    plot is the figure's whole width, at most a phone's frame, each facility's name above its track and its mark
    nearer its own name than the next one."""
    from infraclusters import figures
    from infraclusters.edition import Edition
    from infraclusters.figures.cases import TIMELINE_PX
    from infraclusters.figures.marks import LINE_BREAK
    from infraclusters.figures.registry import PHONE_CHART_PX

    for cluster_id in c.cluster_ids:
        chart = figures.build(f"fig-case-{cluster_id.replace('_', '-')}-timeline", c, Edition(language))
        spec = chart.to_dict()
        assert spec["width"] == TIMELINE_PX <= PHONE_CHART_PX
        assert all(
            "axis" not in layer["encoding"]["y"] or layer["encoding"]["y"]["axis"] is None for layer in spec["layer"]
        )
        rows = chart.data.sort_values("label_y")  # as drawn: names with their line breaks
        name_px = (rows["facility"].str.count(f"\\{LINE_BREAK}") + 1) * 13
        below_own = rows["track_y"] - (rows["label_y"] + name_px)
        to_next = rows["label_y"].shift(-1) - rows["track_y"]
        assert (below_own > 0).all(), cluster_id
        assert (below_own[:-1] < to_next[:-1]).all(), cluster_id


def test_every_relation_id_a_reader_is_pointed_to_is_in_the_pages_relation_table(c, ed):
    """A path figure names the relations that carry a step (r06 builds) and notes say "see r12": the relation table
    on the same page shows each relation's id, so a reader can find it."""
    from infraclusters.model import case_paths
    from infraclusters.text import tables

    for cluster_id in c.cluster_ids:
        cluster = c.cluster(cluster_id)
        table = tables.relation_table(cluster.relations, {}, ed).data
        named = {i for ids in case_paths.links(c, cluster_id)["relation_ids"] for i in ids}
        for column in ("notes", "notes_zh"):
            named |= {m for text in cluster.relations[column].fillna("") for m in re.findall(r"\br\d{2}\b", text)}
        assert named, cluster_id
        assert {i for i in named if f"`{i}`" not in table} == set(), cluster_id


def test_the_network_sentence_counts_its_parts_in_words_and_ends_a_name_with_one_stop(c, ed):
    """ "4 separate part(s)" read as a template: the sentence says "one network" or "N separate parts". A list of
    names ending in "Co., Ltd." ended its sentence "Ltd..": the name's stop is the sentence's."""
    from infraclusters.text import case_page

    for cluster_id in c.cluster_ids:
        cluster = c.cluster(cluster_id)
        text = case_page.connectedness(cluster, ed)
        parts = cluster.metrics["connectedness"]["n_parts"]
        assert "(s)" not in text
        assert ("into one network" in text) == (parts == 1) and (f"into {parts} separate parts" in text) == (parts > 1)
        said = case_page.page_numbers(cluster, ed)
        assert not said["brokers"].endswith(".") and not said["bridges"].endswith(".")
    brokers = case_page.page_numbers(c.cluster("hefei_binhu"), ed)["brokers"]
    assert brokers.endswith("Co., Ltd"), "the sentence's full stop follows it in the chapter"
