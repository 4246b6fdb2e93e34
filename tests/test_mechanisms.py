"""§2: the mechanism map, the translation bridge, talent and the stage profile."""

from __future__ import annotations

import networkx as nx
import pytest
from conftest import compendium

from infraclusters.model import chain
from infraclusters.model import graphs as network


@pytest.fixture(scope="module")
def graph(c):
    return network.mechanism_graph(c)


def test_map_is_acyclic_and_every_link_quotes_its_claim(graph, c):
    assert nx.is_directed_acyclic_graph(graph)
    assert nx.utils.graphs_equal(graph, c.mechanism_graph)
    claims = c.table("claims").set_index("claim_id")["quote_zh"]
    for _, _, attrs in graph.edges(data=True):
        assert attrs["quote_zh"] == claims[attrs["claim_id"]]


def test_every_category_and_mechanism_reaches_industries_of_the_future(graph):
    kinds = nx.get_node_attributes(graph, "kind")
    for node, kind in kinds.items():
        if kind in ("category", "mechanism", "outcome"):
            assert nx.has_path(graph, node, "future_industry"), node
    paths = network.paths_to_goal(graph)
    assert set(paths) == {n for n, k in kinds.items() if k == "category"}
    assert all(p[0] == c and p[-1] == "future_industry" for c, ps in paths.items() for p in ps)


def test_the_cluster_is_the_actor_of_every_mechanism(graph):
    """§2.1–2.5 credit 创新基础设施集群: every path from a category to a mechanism runs through the cluster."""
    kinds = nx.get_node_attributes(graph, "kind")
    mechanisms = [n for n, k in kinds.items() if k == "mechanism"]
    assert [sorted(graph.predecessors(m)) for m in mechanisms] == [["cluster"]] * len(mechanisms)
    for category in (n for n, k in kinds.items() if k == "category"):
        for mechanism in mechanisms:
            assert all("cluster" in path for path in nx.all_simple_paths(graph, category, mechanism))
    for mechanism in mechanisms:
        assert "集群" in graph.edges["cluster", mechanism]["quote_zh"], mechanism


def test_a_cycle_in_the_map_is_refused(data_copy):
    edges = data_copy / "mechanism_edges.csv"
    edges.write_text(
        edges.read_text(encoding="utf-8") + "e99,future_industry,research,C0-01,paper intro\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="cycle"):
        network.mechanism_graph(compendium(data_copy))


def test_membership_puts_each_mechanisms_edges_on_its_paths(graph):
    membership = network.mechanism_membership(graph)
    assert membership[("m2_2", "sample_to_commodity")] == ["m2_2"]
    assert membership[("cluster", "m2_2")] == ["m2_2"]
    assert membership[("translation", "cluster")] == ["m2_2", "m2_3", "m2_4", "m2_5"], (
        "§2.1 credits no translation platform"
    )
    shared = membership[("sample_to_commodity", "future_industry")]
    assert "m2_2" in shared and "m2_4" in shared  # talent feeds translation too (§2.4)
    frame = network.mechanism_frame(graph, network.mechanism_layout(graph))
    edge_rows = frame[frame.element == "edge"]
    assert len(edge_rows) == sum(2 * len(v) for v in membership.values())


def test_the_map_sets_linked_outcomes_side_by_side_and_each_mechanism_level_with_its_outcome(graph):
    layout = network.mechanism_layout(graph)
    outcomes = sorted((n for n, d in graph.nodes(data=True) if d["kind"] == "outcome"), key=lambda n: -layout[n][1])
    row = {n: i for i, n in enumerate(outcomes)}
    linked = [(a, b) for a, b in graph.edges if a in row and b in row]
    assert linked and all(abs(row[a] - row[b]) == 1 for a, b in linked), [(a, b, row[a], row[b]) for a, b in linked]
    for mechanism, outcome in graph.edges:
        if graph.nodes[mechanism]["kind"] == "mechanism" and outcome in row:
            assert layout[mechanism][1] == layout[outcome][1], mechanism


def test_a_link_past_other_nodes_of_its_layer_bows_out_and_a_link_between_neighbours_does_not(graph):
    layout = network.layered_layout(graph, layers=network.MECHANISM_LAYERS)  # the paper's order: links skip rows
    frame = network.mechanism_frame(graph, layout)
    bowed = frame[(frame.element == "edge") & (frame["end"] == 0.5)]
    assert len(bowed) and (bowed["x"] > layout["leading_firms"][0]).all()
    straight = network.mechanism_frame(graph, network.mechanism_layout(graph))
    assert not (straight["end"] == 0.5).any()


def test_translation_bridge_places_forms_and_bridging_types(c):
    bridge = chain.translation_bridge(c)
    forms = bridge[bridge.element == "form"].sort_values("stage_order")
    assert list(forms["name_zh"].str.split().str[0]) == ["样品", "产品", "商品"]
    bars = bridge[bridge.element == "facility"]
    assert set(bars["row_zh"]) == {"概念验证中心", "中试基地"}


def test_talent_links_cover_the_four_types_named_by_the_paper(c):
    links = chain.talent_stage_links(c)
    assert list(dict.fromkeys(links["talent_zh"])) == ["战略科学家", "卓越工程师", "优秀企业家", "高水平管理人才"]
    claims = c.table("claims").set_index("claim_id")
    assert links["talent_id"].nunique() == claims.loc["C2.4-02", "value"]


def test_the_map_keeps_which_category_carries_which_mechanism(data_copy):
    """§2.2 builds the bridge of 成果转化类 infrastructure: take that category away and no path carries mechanism 2.2.
    Without the credits table every category would reach every mechanism through the cluster, and could not disagree."""
    graph = network.mechanism_graph(compendium(data_copy))
    carriers = {p[0] for paths in network.paths_to_goal(graph).values() for p in paths if "m2_2" in p}
    assert carriers == {"translation"}
    credits = data_copy / "mechanism_credits.csv"
    credits.write_text(
        "\n".join(line for line in credits.read_text(encoding="utf-8").splitlines() if ",translation," not in line)
        + "\n",
        encoding="utf-8",
    )
    graph = network.mechanism_graph(compendium(data_copy))
    assert not any("m2_2" in p for paths in network.paths_to_goal(graph).values() for p in paths)
    assert network.paths_to_goal(graph)["translation"] == []


def test_a_credit_to_a_node_of_the_wrong_kind_is_refused(data_copy):
    credits = data_copy / "mechanism_credits.csv"
    credits.write_text(
        credits.read_text(encoding="utf-8") + "bad,m2_1,m2_2,named,C2.2-12,paper §2.2\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="not a category"):
        network.mechanism_graph(compendium(data_copy))


def test_a_link_shared_by_several_mechanisms_is_drawn_as_lines_side_by_side(c):
    """A category's link into the cluster serves several mechanisms: each mechanism's line is drawn, LANE_PX apart,
    not on top of one another (where the last one drawn, 2.5's, hid the others)."""
    from infraclusters import figures
    from infraclusters.edition import Edition
    from infraclusters.figures.mechanisms import LANE_PX

    chart = figures.build("fig-mechanism-map", c, Edition("en"))
    edges = figures.drawn_data(chart).query("element == 'edge'")
    px, py = figures.registry.plot_scale(chart)
    mid = edges.groupby("id").agg(x=("x", "mean"), y=("y", "mean"))
    mid["link"] = mid.index.str.split(":").str[0]
    shared = mid.groupby("link").filter(lambda g: len(g) > 1)
    assert shared["link"].nunique() >= 3, "the categories' links are shared by mechanisms"
    for _, lines in shared.groupby("link"):
        points = sorted(zip(lines["x"] * px, lines["y"] * py, strict=True))
        gaps = [((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for a, b in zip(points, points[1:], strict=False)]
        assert min(gaps) >= LANE_PX - 0.01, gaps


def test_a_mechanisms_short_name_names_the_mechanism_in_both_languages(c):
    """2.3 is 创业活力 (entrepreneurship), as its English says, not 领跑企业 (leading firms: its outcome, beside it on
    the map); 2.5 is 创新生态链 (ecosystem), not 先导区 (pilot zones). Each short name is words of the paper's
    heading."""
    nodes = c.table("mechanism_nodes").set_index("node_id")
    mechanisms = nodes[nodes["kind"] == "mechanism"]
    outcomes = nodes[nodes["kind"] == "outcome"].set_index("name_en")["name_zh"]
    for node_id, row in mechanisms.iterrows():
        assert row["name_zh"].split(" ", 1)[1] in row["heading_zh"], node_id
    assert "领跑企业" in outcomes["Leading firms"] and "先导区" in outcomes["Pilot zones"]
    assert mechanisms.loc["m2_3", "name_zh"] == "2.3 创业活力" and mechanisms.loc["m2_5", "name_zh"] == "2.5 创新生态链"


def test_the_translation_bridge_names_its_rows_in_the_editions_language(c):
    """The Chinese edition's bridge read "Proof-of-concept centre", "Pilot-scale production base" and "样品 Sample":
    its rows and points are named in Chinese alone; the English edition keeps both."""
    from infraclusters import figures
    from infraclusters.edition import Edition

    for language, english_shown in (("zh_CN", False), ("en", True)):
        drawn = figures.drawn_data(figures.build("fig-translation-bridge", c, Edition(language)))
        words = " ".join(drawn["row"]) + " " + " ".join(drawn["label"])
        assert ("Proof-of-concept" in words and "Sample" in words) == english_shown, language
        assert "概念验证中心" in words and "样品" in words
