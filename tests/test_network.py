"""The typology graph and its reproducible layout."""

from __future__ import annotations

import networkx as nx

from infraclusters.figures.mechanisms import LANE_PX
from infraclusters.model import graphs as network


def test_typology_graph_is_acyclic_with_three_kinds_of_node(c):
    graph = network.typology_graph(c)
    assert nx.is_directed_acyclic_graph(graph)
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert kinds == {"stage", "category", "type"}
    links = c.type_links
    assert sum(d["kind"] == "serves" for *_, d in graph.edges(data=True)) == len(links)


def test_chain_edges_follow_stage_order(c):
    graph = c.typology_graph
    stages = list(c.stages["stage_id"])
    chain_edges = [(u, v) for u, v, d in graph.edges(data=True) if d["kind"] == "chain"]
    assert chain_edges == list(zip(stages, stages[1:]))


def test_layout_is_deterministic_and_inside_the_unit_square(c):
    graph = network.typology_graph(c)
    first = network.layered_layout(graph)
    rebuilt = network.typology_graph(c)
    assert network.layered_layout(rebuilt) == first
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())
    assert len(set(first.values())) == graph.number_of_nodes()


def test_graph_frame_has_one_row_per_node_and_two_per_edge(c):
    graph = network.typology_graph(c)
    frame = network.graph_frame(graph, network.layered_layout(graph))
    assert (frame.element == "node").sum() == graph.number_of_nodes()
    assert (frame.element == "edge").sum() == 2 * graph.number_of_edges()


def test_paths_into_the_last_stage_start_at_a_category(c):
    graph = network.typology_graph(c)
    paths = network.paths_to_stage(graph, "industrial_transformation")
    assert paths
    assert all(graph.nodes[p[0]]["kind"] == "category" and p[-1] == "industrial_transformation" for p in paths)
    served = {u for u, v, d in graph.edges(data=True) if v == "industrial_transformation" and d["kind"] == "serves"}
    assert {p[1] for p in paths} == served


# --- networks a reader can follow: no edge through a node, few crossings, every node labelled ------------

import html  # noqa: E402
import re  # noqa: E402

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import vl_convert  # noqa: E402
from conftest import compendium  # noqa: E402

from infraclusters.edition import Edition  # noqa: E402
from infraclusters.figures import registry  # noqa: E402
from infraclusters.figures.theme import LINE_BREAK  # noqa: E402
from infraclusters.model import geometry  # noqa: E402

#: How close (pixels) an edge may pass to a node it does not join: the largest node's radius (a 300 px²
#: circle, 9.8 px) and a margin a reader can see.
CLEARANCE_PX = 12

NETWORKS = (
    "fig-typology-network",
    "fig-mechanism-map",
    "fig-case-shanghai-zhangjiang-network",
    "fig-case-hefei-binhu-network",
    "fig-case-dongguan-songshanlake-network",
)


def frame_of(rows) -> pd.DataFrame:
    """A drawn frame from (element, id, x, y, end) rows."""
    return pd.DataFrame(rows, columns=["element", "id", "x", "y", "end"])


def test_the_check_finds_an_edge_through_a_node_and_not_one_that_bows_round_it():
    nodes = [("node", n, x, 0.0, None) for n, x in (("a", 0.0), ("b", 1.0), ("c", 2.0))]
    straight = frame_of(nodes + [("edge", "a-c", 0.0, 0.0, 0), ("edge", "a-c", 2.0, 0.0, 1)])
    assert geometry.edges_through_nodes(straight, clearance=0.2) == [("a-c", "b", 0.0)]
    bowed = frame_of(
        nodes + [("edge", "a-c", 0.0, 0.0, 0), ("edge", "a-c", 1.0, 0.6, 0.5), ("edge", "a-c", 2.0, 0.0, 1)]
    )
    assert geometry.edges_through_nodes(bowed, clearance=0.2, curved=True) == []
    # drawn as a polyline the same bow would still clear b; a flat "bow" would not
    flat = frame_of(
        nodes + [("edge", "a-c", 0.0, 0.0, 0), ("edge", "a-c", 1.0, 0.05, 0.5), ("edge", "a-c", 2.0, 0.0, 1)]
    )
    assert [f[:2] for f in geometry.edges_through_nodes(flat, clearance=0.2, curved=True)] == [("a-c", "b")]
    # pixels, not layout units: squeezed along x by the chart, the straight edge still meets b
    assert geometry.edges_through_nodes(straight, clearance=5, scale=(40.0, 1.0))
    # a line drawn beside its link's others ends a few pixels off its nodes: within ends_within it joins them,
    # and still counts the node it passes
    beside = frame_of(
        [("node", n, x, 0.0, None) for n, x in (("a", 0.0), ("b", 1.0), ("c", 2.0))]
        + [("edge", "a-c", 0.0, 0.05, 0), ("edge", "a-c", 2.0, 0.05, 1)]
    )
    assert {f[1] for f in geometry.edges_through_nodes(beside, clearance=0.2)} == {"a", "b", "c"}
    assert [f[1] for f in geometry.edges_through_nodes(beside, clearance=0.2, ends_within=0.1)] == ["b"]


def test_the_check_counts_crossings_but_not_edges_that_share_an_end():
    nodes = [("node", n, x, y, None) for n, x, y in (("a", 0, 0), ("b", 1, 1), ("c", 0, 1), ("d", 1, 0))]
    edges = [("edge", "a-b", 0, 0, 0), ("edge", "a-b", 1, 1, 1), ("edge", "c-d", 0, 1, 0), ("edge", "c-d", 1, 0, 1)]
    assert geometry.edge_crossings(frame_of(nodes + edges)) == 1
    fan = edges[:2] + [("edge", "a-c", 0, 0, 0), ("edge", "a-c", 0, 1, 1)]
    assert geometry.edge_crossings(frame_of(nodes + fan)) == 0


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("figure_id", NETWORKS)
def test_no_network_figure_runs_an_edge_through_a_node_it_does_not_join(figure_id, language):
    c = compendium()
    chart = registry.build(figure_id, c, Edition(language))
    # the mechanism map draws a shared link as lines side by side (LANE_PX apart): each ends beside its nodes' centres
    lanes = 2.5 * LANE_PX if figure_id == "fig-mechanism-map" else 1e-6
    faults = geometry.edges_through_nodes(
        chart.data, CLEARANCE_PX, registry.plot_scale(chart), curved=True, ends_within=lanes
    )
    assert faults == []


def test_the_check_fails_the_cluster_network_drawn_the_old_way(c):
    """The same Hefei graph on two rings (the old layout), straight lines: edges ran through nodes."""
    graph = c.cluster("hefei_binhu").graph
    inner = sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "organisation")
    outer = sorted(n for n, d in graph.nodes(data=True) if d["kind"] != "organisation")
    rings = nx.shell_layout(graph, nlist=[inner, outer])
    frame = network.cluster_frame(graph, {n: (float(x), float(y)) for n, (x, y) in rings.items()})
    assert geometry.edges_through_nodes(frame, CLEARANCE_PX, scale=(250.0, 250.0))


def test_the_columns_cross_least_and_the_count_is_what_the_figure_draws(c):
    for cluster_id in c.cluster_ids:
        graph = c.cluster(cluster_id).graph
        nodes = sorted(graph.nodes)
        edges = sorted(graph.to_undirected(as_view=True).edges)
        group = {n: graph.nodes[n]["group"] for n in nodes}
        left, right = geometry.column_order(nodes, edges, group)
        assert sorted(left + right) == nodes and abs(len(left) - len(right)) <= 1
        start = geometry.column_crossings(nodes[: (len(nodes) + 1) // 2], nodes[(len(nodes) + 1) // 2 :], edges)
        ordered = geometry.column_crossings(left, right, edges)
        assert ordered < start, cluster_id
        # the count the order minimises is the count of crossings in the drawing (arcs sampled as Vega draws them)
        frame = network.cluster_frame(graph, geometry.column_positions(left, right))
        assert geometry.edge_crossings(frame, scale=(170.0, 60.0), curved=True) == ordered, cluster_id
    assert network.column_layout(c.cluster("hefei_binhu").graph) == network.column_layout(
        c.cluster("hefei_binhu").graph
    )


def _svg_text(chart) -> str:
    svg = vl_convert.vegalite_to_svg(registry.spec(chart))
    return html.unescape(" ".join(re.findall(r">([^<>]+)<", svg)))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_node_of_every_network_is_labelled_and_every_edge_has_a_tooltip(language):
    """The Chinese typology network once drew no category or type label: its filter read a translated kind."""
    c, ed = compendium(), Edition(language)
    for figure_id in NETWORKS:
        chart = registry.build(figure_id, c, ed)
        drawn = registry.spec(chart)
        rows = next(iter(drawn["datasets"].values()))
        text = _svg_text(chart)
        labels = [row.get("label") for row in rows if row["element"] == "node"]
        missing = [label for label in labels if label.split(LINE_BREAK)[0] not in text]
        assert labels and not missing, (figure_id, missing)
        hover_targets = [
            layer
            for layer in drawn["layer"]
            if any("aggregate" in t for t in layer.get("transform", [])) and layer.get("encoding", {}).get("tooltip")
        ]
        assert hover_targets, f"{figure_id}: its edges have no hover target"


def test_the_cluster_network_legend_lists_the_kinds_of_relation_it_draws(c):
    for language in ("en", "zh_CN"):
        drawn = registry.spec(registry.build("fig-case-dongguan-songshanlake-network", c, Edition(language)))
        dash = next(layer["encoding"]["strokeDash"] for layer in drawn["layer"] if "strokeDash" in layer["encoding"])
        rows = next(iter(drawn["datasets"].values()))
        kinds = {row["relation"] for row in rows if row["element"] == "edge"}
        assert set(dash["scale"]["domain"]) == kinds and len(dash["scale"]["range"]) == len(kinds)
        assert len({str(d) for d in dash["scale"]["range"]}) == len(kinds)  # a pattern each
        if language == "zh_CN":
            assert not any(re.search("[a-z]", kind) for kind in kinds), kinds


def test_a_large_network_keeps_its_given_order_in_balanced_columns_at_once():
    """A reader's cluster may hold hundreds of nodes: beyond MAX_ORDERED_NODES the search (n² moves, each
    counting e² crossings) is skipped and the columns keep the order given."""
    nodes = [f"n{i:03d}" for i in range(301)]
    edges = [(nodes[i], nodes[(i * 7) % 301]) for i in range(301)]
    left, right = geometry.column_order(nodes, edges, {n: "g" for n in nodes})
    assert left == nodes[:151] and right == nodes[151:]
