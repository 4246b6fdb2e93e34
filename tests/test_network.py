"""The typology graph and its reproducible layout."""

from __future__ import annotations

import networkx as nx

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
