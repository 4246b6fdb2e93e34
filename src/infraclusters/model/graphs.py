"""Networks: the §1 typology as a directed graph, and a layout that is the same every run.

Nodes carry ``kind`` (``stage``, ``category`` or ``type``), Chinese and English
names and an order; edges carry ``kind`` (``chain`` between consecutive stages,
``member`` from a category to its types, ``serves`` from a type to a stage,
with the paper's ``coding``). Layouts are layered and computed, never random,
so exported figures are byte-identical from run to run.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd

from infraclusters.model import geometry


def typology_graph(c) -> nx.DiGraph:
    """Stages, categories and facility types of §1 as one directed graph (``c.typology_graph`` caches it)."""
    graph = nx.DiGraph()
    stages = c.stages
    for row in stages.itertuples():
        graph.add_node(row.stage_id, kind="stage", order=int(row.stage_order), name_zh=row.name_zh, name_en=row.name_en)
    for upstream, downstream in zip(stages["stage_id"], stages["stage_id"][1:]):
        graph.add_edge(upstream, downstream, kind="chain", coding="stated")
    for row in c.categories.itertuples():
        graph.add_node(
            row.category_id, kind="category", order=int(row.category_order), name_zh=row.name_zh, name_en=row.name_en
        )
    links = c.type_links
    types = links.drop_duplicates("type_id")
    for order, row in enumerate(types.itertuples(), start=1):
        graph.add_node(
            row.type_id, kind="type", order=order, category_id=row.category_id, name_zh=row.type_zh, name_en=row.type_en
        )
        graph.add_edge(row.category_id, row.type_id, kind="member", coding="stated")
    for row in links.itertuples():
        graph.add_edge(row.type_id, row.stage_id, kind="serves", coding=row.coding)
    return graph


def layered_layout(
    graph: nx.DiGraph, layers=("category", "type", "stage"), xs: tuple[float, ...] | None = None
) -> dict[str, tuple[float, float]]:
    """Positions in vertical layers, left to right in ``layers`` order, on the unit square.

    Layers stand evenly spaced, or at ``xs`` (one x per layer). Within a layer
    nodes keep their ``order`` attribute, top to bottom, so the layout depends
    on the data only, not on insertion or hash order.
    """
    positions = {}
    depth = len(layers) - 1
    xs = xs or tuple(level / depth for level in range(len(layers)))
    for level, kind in enumerate(layers):
        members = sorted((d["order"], n) for n, d in graph.nodes(data=True) if d["kind"] == kind)
        count = len(members)
        for index, (_, node) in enumerate(members):
            y = 0.5 if count == 1 else 1 - index / (count - 1)
            positions[node] = (round(xs[level], 6), round(y, 6))
    return positions


def _node_row(node: str, attrs: dict, positions: dict, **extra) -> dict:
    """One node of a figure's frame: id, kind, position, names, and any extra columns."""
    x, y = positions[node]
    return {
        "element": "node",
        "id": node,
        "kind": attrs["kind"],
        "x": x,
        "y": y,
        "name_zh": attrs["name_zh"],
        "name_en": attrs["name_en"],
        **extra,
    }


def graph_frame(graph: nx.DiGraph, positions: dict) -> pd.DataFrame:
    """One tidy table of what a network figure draws.

    ``element`` is ``node`` (one row per node) or ``edge`` (two rows per edge,
    ``end`` 0 and 1, sharing an ``edge_id``), so the chart and its CSV download
    hold exactly the same rows.
    """
    rows = [
        _node_row(
            node, attrs, positions, category_id=attrs.get("category_id", node if attrs["kind"] == "category" else None)
        )
        for node, attrs in graph.nodes(data=True)
    ]
    for source, target, attrs in graph.edges(data=True):
        edge_id = f"{source}->{target}"
        ends = graph.nodes[source], graph.nodes[target]
        for end, node in enumerate((source, target)):
            x, y = positions[node]
            rows.append(
                {
                    "element": "edge",
                    "id": edge_id,
                    "kind": attrs["kind"],
                    "x": x,
                    "y": y,
                    "end": end,
                    "coding": attrs["coding"],
                    "name_zh": f"{ends[0]['name_zh']} → {ends[1]['name_zh']}",
                    "name_en": f"{ends[0]['name_en']} → {ends[1]['name_en']}",
                }
            )
    return pd.DataFrame(rows)


def paths_to_stage(graph: nx.DiGraph, stage: str) -> list[list[str]]:
    """Every category → type → stage path that ends at ``stage`` (in node order)."""
    found = []
    for category in sorted(n for n, d in graph.nodes(data=True) if d["kind"] == "category"):
        found += [p for p in nx.all_simple_paths(graph, category, stage, cutoff=2) if len(p) == 3]
    return found


# --- The mechanism map of §2 --------------------------------------------------


def mechanism_graph(c) -> nx.DiGraph:
    """Categories → (cluster) → mechanisms → outcomes → industries of the future, as the paper links them.

    Every edge carries the claim whose sentence states it (``claim_id``, ``quote_zh``).
    Raises ValueError if the links form a cycle: the map is meant to flow one way.
    ``c.mechanism_graph`` caches it.
    """
    graph = nx.DiGraph()
    for row in c.table("mechanism_nodes").itertuples():
        graph.add_node(
            row.node_id,
            kind=row.kind,
            order=int(row.node_order),
            name_zh=row.name_zh,
            name_en=row.name_en,
            heading_zh=row.heading_zh,
            heading_en=row.heading_en,
        )
    claims = c.claims.set_index("claim_id")
    for row in c.table("mechanism_edges").itertuples():
        graph.add_edge(
            row.from_node,
            row.to_node,
            edge_id=row.edge_id,
            claim_id=row.claim_id,
            quote_zh=claims.loc[row.claim_id, "quote_zh"],
            kind="link",
            coding="stated",
        )
    if not nx.is_directed_acyclic_graph(graph):
        raise ValueError(f"mechanism map has a cycle: {nx.find_cycle(graph)}")
    if "mechanism_credits" in c.table_names:
        credits = {}
        for row in c.table("mechanism_credits").itertuples():
            for node, kind in ((row.category_id, "category"), (row.mechanism_id, "mechanism")):
                if graph.nodes[node]["kind"] != kind:
                    raise ValueError(f"mechanism_credits.csv, row {row.credit_id}: {node!r} is not a {kind}")
            credits[(row.category_id, row.mechanism_id)] = row.scope
        graph.graph["credits"] = credits
    return graph


def credited(graph: nx.DiGraph, path: list[str]) -> bool:
    """Whether the paper credits the path's category with the mechanism it runs through (§2; any path, without credits)."""
    credits = graph.graph.get("credits")
    if credits is None:
        return True
    mechanisms = [n for n in path if graph.nodes[n]["kind"] == "mechanism"]
    return all((path[0], m) in credits for m in mechanisms)


def paths_to_goal(graph: nx.DiGraph, goal: str = "future_industry") -> dict[str, list[list[str]]]:
    """For each category node, every path from it to ``goal`` through a mechanism the paper credits it with, in a stable order.

    Every category reaches every mechanism through the cluster; ``mechanism_credits.csv``
    keeps which category the paper credits with which (§2.2's bridge is 成果转化类),
    so a category the paper does not credit does not carry the mechanism here.
    """
    found = {}
    for category in sorted((d["order"], n) for n, d in graph.nodes(data=True) if d["kind"] == "category"):
        paths = nx.all_simple_paths(graph, category[1], goal)
        found[category[1]] = sorted(path for path in paths if credited(graph, path))
    return found


def mechanism_membership(graph: nx.DiGraph, goal: str = "future_industry") -> dict[tuple[str, str], list[str]]:
    """Edge → the mechanisms whose paths (from any category to ``goal``) run through it."""
    mechanisms = sorted((d["order"], n) for n, d in graph.nodes(data=True) if d["kind"] == "mechanism")
    members: dict[tuple[str, str], list[str]] = {}
    for paths in paths_to_goal(graph, goal).values():
        for path in paths:
            for _, mechanism in mechanisms:
                if mechanism in path:
                    for edge in zip(path, path[1:]):
                        if mechanism not in members.setdefault(edge, []):
                            members[edge].append(mechanism)
    return {edge: sorted(ms) for edge, ms in members.items()}


MECHANISM_LAYERS = ("category", "cluster", "mechanism", "outcome", "goal")
#: Where the map's layers stand: a wider gap before the outcomes, whose labels sit to their left.
MECHANISM_XS = (0.0, 0.2, 0.5, 0.8, 1.0)


def mechanism_layout(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """The mechanism map in layers, with the outcomes that the paper links to one another as neighbours.

    Outcomes are ordered so that the links between them span the fewest rows
    (the paper's order breaks ties): a link between neighbours is a straight
    line that passes no node. Each mechanism then sits on the row of the
    outcome it leads to, so those links run level.
    """
    positions = layered_layout(graph, layers=MECHANISM_LAYERS, xs=MECHANISM_XS)
    outcomes = [n for _, n in sorted((d["order"], n) for n, d in graph.nodes(data=True) if d["kind"] == "outcome")]
    linked = [(a, b) for a, b in graph.edges if a in outcomes and b in outcomes]

    def span(order):
        row = {n: i for i, n in enumerate(order)}
        return sum(abs(row[a] - row[b]) - 1 for a, b in linked), [outcomes.index(n) for n in order]

    best = min(itertools.permutations(outcomes), key=span) if len(outcomes) <= 7 else outcomes
    rows = sorted((positions[n][1] for n in outcomes), reverse=True)
    for outcome, y in zip(best, rows):
        positions[outcome] = (positions[outcome][0], y)
        for mechanism in graph.predecessors(outcome):
            if graph.nodes[mechanism]["kind"] == "mechanism":
                positions[mechanism] = (positions[mechanism][0], y)
    return positions


#: How far an edge between two nodes of one layer bows out (in layout units), so it passes no node.
BOW = 0.2


def mechanism_frame(graph: nx.DiGraph, positions: dict) -> pd.DataFrame:
    """What the mechanism map draws: nodes, and edges repeated once per mechanism they serve.

    The ``mechanism`` column lets a hover on a mechanism light up exactly its paths.
    """
    membership = mechanism_membership(graph)
    rows = [
        _node_row(
            node,
            attrs,
            positions,
            heading_zh=attrs["heading_zh"],
            heading_en=attrs["heading_en"],
            mechanism=node if attrs["kind"] == "mechanism" else None,
        )
        for node, attrs in graph.nodes(data=True)
    ]
    for source, target, attrs in graph.edges(data=True):
        (x0, y0), (x1, y1) = positions[source], positions[target]
        points = [(0, x0, y0), (1, x1, y1)]
        between = abs(x0 - x1) < 1e-9 and any(
            abs(x - x0) < 1e-9 and min(y0, y1) < y < max(y0, y1)
            for n, (x, y) in positions.items()
            if n not in (source, target)
        )
        if between:  # within one layer, past other nodes: bow out to the right, clear of them
            points.insert(1, (0.5, x0 + BOW, (y0 + y1) / 2))
        for mechanism in membership.get((source, target), [None]):
            for end, x, y in points:
                rows.append(
                    {
                        "element": "edge",
                        "id": f"{attrs['edge_id']}:{mechanism}",
                        "kind": "link",
                        "x": x,
                        "y": y,
                        "end": end,
                        "mechanism": mechanism,
                        "claim_id": attrs["claim_id"],
                        "quote_zh": attrs["quote_zh"],
                    }
                )
    return pd.DataFrame(rows)


# --- A case cluster's network --------------------------------------------------


def column_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """A cluster's nodes in two columns, in the order whose relations cross least.

    Between the columns a relation is a straight line and never runs through a
    third node; within a column it bows towards the middle (:data:`ARC_BOW`).
    Labels sit outside the columns, clear of every line. The order starts from
    kind, group and id and improves one move at a time
    (:func:`geometry.column_order`): the layout depends on the data alone.
    """
    if graph.number_of_nodes() == 0:
        return {}
    nodes = sorted(
        graph.nodes, key=lambda n: (graph.nodes[n].get("kind") != "organisation", str(graph.nodes[n].get("group")), n)
    )
    group = {n: str(graph.nodes[n].get("group")) for n in graph.nodes}
    edges = sorted(graph.to_undirected(as_view=True).edges)
    return geometry.column_positions(*geometry.column_order(nodes, edges, group))


#: How far a relation within one column bows towards the middle (x units; the columns stand at ±1):
#: a base, a step per row spanned, and a cap that keeps it short of the middle.
ARC_BOW = (0.22, 0.1, 0.8)


def arc_middle(start: tuple[float, float], end: tuple[float, float]) -> tuple[float, float] | None:
    """The middle control point of a relation within one column, or None for a straight relation."""
    (x0, y0), (x1, y1) = start, end
    if abs(x0 - x1) > 1e-9:
        return None
    base, step, cap = ARC_BOW
    bow = min(base + step * abs(y0 - y1), cap)
    return (x0 - bow if x0 > 0 else x0 + bow, (y0 + y1) / 2)


def cluster_frame(graph: nx.DiGraph, positions: dict) -> pd.DataFrame:
    """What a cluster network figure draws: nodes, and per relation its two ends (three points for an arc)."""
    rows = []
    for node in sorted(graph.nodes):
        attrs = graph.nodes[node]
        x, y = positions[node]
        rows.append(
            {
                "element": "node",
                "id": node,
                "x": x,
                "y": y,
                "side": "right" if x > 0 else "left",
                "group": attrs["group"],
                "name_zh": attrs["name_zh"],
                "name_en": attrs["name_en"],
                "detail": attrs["detail"],
                # an institution of another cluster that also serves this one: its home cluster
                "home_zh": attrs.get("home_zh"),
                "home_en": attrs.get("home_en"),
            }
        )
    for source, target in sorted(graph.edges):
        attrs = graph.edges[source, target]
        ends = graph.nodes[source], graph.nodes[target]
        points = [(0.0, positions[source]), (1.0, positions[target])]
        middle = arc_middle(positions[source], positions[target])
        if middle:
            points.insert(1, (0.5, middle))
        for end, (x, y) in points:
            rows.append(
                {
                    "element": "edge",
                    "id": attrs["relation_id"],
                    "x": x,
                    "y": y,
                    "end": end,
                    "relation": attrs["relation"],
                    "name_zh": f"{ends[0]['name_zh']} → {ends[1]['name_zh']}",
                    "name_en": f"{ends[0]['name_en']} → {ends[1]['name_en']}",
                }
            )
    if not rows:  # a cluster with nothing recorded yet: an empty frame that still has the columns a chart reads
        return pd.DataFrame(columns=["element", "id", "x", "y", "group", "name_zh", "name_en", "detail"])
    return pd.DataFrame(rows)


def brokers(graph: nx.Graph, top: int = 3, exact_up_to: int = 2000) -> list[str]:
    """The nodes that most hold the network together, ties broken by id.

    Up to ``exact_up_to`` nodes (every case cluster): highest betweenness
    centrality, undirected. Beyond that, betweenness costs too much (one
    search per node), so the most connected nodes (degree) stand in for it.
    """
    undirected = graph.to_undirected(as_view=True)
    if undirected.number_of_nodes() <= 2:
        return []
    if undirected.number_of_nodes() <= exact_up_to:
        score = nx.betweenness_centrality(undirected)
    else:
        score = dict(undirected.degree())
    ranked = sorted(score.items(), key=lambda item: (-item[1], item[0]))
    return [node for node, value in ranked[:top] if value > 0]


def inventory_graph(facilities: pd.DataFrame, organisations: pd.DataFrame, relations: pd.DataFrame) -> nx.DiGraph:
    """Facilities and organisations as nodes, relations as edges (pure: frames in, graph out).

    ``facilities`` needs facility_id, category_id, name_zh, name_en, type_zh, type_en;
    an end of a relation that is in neither table is kept and marked ``outside``.
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(
        (
            row.facility_id,
            {
                "kind": "facility",
                "group": row.category_id,
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "detail": f"{row.type_zh} {row.type_en}",
            },
        )
        for row in facilities.itertuples()
    )
    graph.add_nodes_from(
        (
            row.org_id,
            {
                "kind": "organisation",
                "group": row.org_kind,
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "detail": row.org_kind.replace("_", " "),
            },
        )
        for row in organisations.itertuples()
    )
    for row in relations.itertuples():
        for node in (row.from_id, row.to_id):
            if node not in graph:
                graph.add_node(node, kind="outside", group="outside", name_zh=node, name_en=node, detail="outside")
        graph.add_edge(row.from_id, row.to_id, relation=row.relation, relation_id=row.relation_id)
    return graph


def connectedness(graph: nx.Graph, firms: set[str], big: set[str]) -> dict:
    """How connected a cluster's inventory is (§1.2's 相互联系): its parts, and which facilities reach a firm.

    A facility *reaches a firm* when a chain of documented relations, read in
    either direction, joins it to an organisation of kind ``firm``. ``big``
    names the facilities to report on separately (the 重大科技基础设施).
    """
    undirected = graph.to_undirected(as_view=True)
    parts = sorted(nx.connected_components(undirected), key=lambda part: (-len(part), min(part)))
    reach = {node for part in parts if part & firms for node in part}
    facilities = sorted(n for n, d in graph.nodes(data=True) if d.get("kind") == "facility")
    return {
        "n_parts": len(parts),
        "largest_part": len(parts[0]) if parts else 0,
        "n_nodes": graph.number_of_nodes(),
        "facilities_reaching_firm": [f for f in facilities if f in reach],
        "big_facilities": [f for f in facilities if f in big],
        "big_facilities_reaching_firm": [f for f in facilities if f in big and f in reach],
        "n_facilities": len(facilities),
    }
