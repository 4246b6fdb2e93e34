"""The geometry of a drawn network: which edges pass through a node they do not join, and which cross.

A network figure's frame (:mod:`infraclusters.model.graphs`) holds one row per
node (``element == "node"``) and, per edge, its points in drawing order
(``element == "edge"``, ``end`` from 0 to 1). The checks here read that frame,
in the chart's own pixels (``scale``: pixels per layout unit along x and y), so
they measure the figure as drawn, not the graph behind it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

Point = tuple[float, float]


def distance_to_segment(p: Point, a: Point, b: Point) -> float:
    """The shortest distance from ``p`` to the segment ``a``–``b``."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def basis_curve(points: Sequence[Point], steps: int = 12) -> list[Point]:
    """The curve Vega draws for ``interpolate="basis"`` through ``points``, as a polyline.

    d3's basis curve is the uniform cubic B-spline whose first and last control
    points are taken three times, so it starts and ends on them; two points
    make a straight line.
    """
    if len(points) < 3:
        return list(points)
    control = [points[0]] * 2 + list(points) + [points[-1]] * 2
    curve = []
    for i in range(len(control) - 3):
        p0, p1, p2, p3 = control[i : i + 4]
        for step in range(steps + 1):
            t = step / steps
            w = ((1 - t) ** 3 / 6, (3 * t**3 - 6 * t**2 + 4) / 6, (-3 * t**3 + 3 * t**2 + 3 * t + 1) / 6, t**3 / 6)
            curve.append(tuple(sum(wk * pk[axis] for wk, pk in zip(w, (p0, p1, p2, p3))) for axis in (0, 1)))
    curve[0], curve[-1] = points[0], points[-1]  # exactly on its ends, as drawn
    return curve


def _pixel(x: float, y: float) -> Point:
    """A point to a thousandth of a pixel, so an edge's end and its node compare equal."""
    return round(x, 3), round(y, 3)


def drawn_edges(frame: pd.DataFrame, scale: Point = (1.0, 1.0), curved: bool = False) -> dict[str, list[Point]]:
    """Each edge's line as drawn, in pixels: edge id → its polyline (a basis curve if ``curved``)."""
    kx, ky = scale
    edges = {}
    for edge_id, rows in frame[frame["element"] == "edge"].groupby("id", sort=True):
        points = [_pixel(x * kx, y * ky) for x, y in rows.sort_values("end")[["x", "y"]].itertuples(index=False)]
        edges[edge_id] = basis_curve(points) if curved else points
    return edges


def drawn_nodes(frame: pd.DataFrame, scale: Point = (1.0, 1.0)) -> dict[str, Point]:
    """Each node's centre, in pixels."""
    kx, ky = scale
    nodes = frame[frame["element"] == "node"]
    return {str(n): _pixel(x * kx, y * ky) for n, x, y in nodes[["id", "x", "y"]].itertuples(index=False)}


def edges_through_nodes(
    frame: pd.DataFrame,
    clearance: float,
    scale: Point = (1.0, 1.0),
    curved: bool = False,
    ends_within: float = 1e-6,
) -> list[tuple[str, str, float]]:
    """(edge, node, distance) for every edge that passes within ``clearance`` of a node it does not join.

    An edge joins the nodes its line starts and ends on (within ``ends_within``
    pixels: a line drawn beside others sharing its link ends a few pixels off
    its nodes' centres); every other node must stay at least ``clearance``
    (pixels: the node's radius and a margin) from the line, or a reader takes
    the edge for one that ends there.
    """
    nodes = drawn_nodes(frame, scale)
    faults = []
    for edge_id, line in drawn_edges(frame, scale, curved).items():
        ends = (line[0], line[-1])
        for node, centre in nodes.items():
            if any(math.dist(centre, end) < ends_within for end in ends):
                continue
            gap = min(distance_to_segment(centre, a, b) for a, b in zip(line, line[1:]))
            if gap < clearance:
                faults.append((edge_id, node, round(gap, 1)))
    return faults


def _crosses(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segments a–b and c–d cross at a point inside both (touching at an end does not count)."""

    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2, d3, d4 = side(c, d, a), side(c, d, b), side(a, b, c), side(a, b, d)
    return d1 * d2 < 0 and d3 * d4 < 0


def edge_crossings(frame: pd.DataFrame, scale: Point = (1.0, 1.0), curved: bool = False) -> int:
    """How many pairs of drawn edges cross each other (edges that share an end never count)."""
    lines = list(drawn_edges(frame, scale, curved).values())
    count = 0
    for i, first in enumerate(lines):
        for second in lines[i + 1 :]:
            if {first[0], first[-1]} & {second[0], second[-1]}:
                continue
            if any(_crosses(a, b, c, d) for a, b in zip(first, first[1:]) for c, d in zip(second, second[1:])):
                count += 1
    return count


# --- two columns, ordered so that their links cross least ---------------------------------------


def column_crossings(left: Sequence[str], right: Sequence[str], edges: Iterable[tuple[str, str]]) -> int:
    """Crossing links when ``left`` and ``right`` stand in two columns, top to bottom.

    A link between the columns is a straight line; a link within a column is an
    arc bowed towards the middle. Two straight links cross when their ends
    swap order; two arcs of one column when their ends alternate; an arc and a
    straight link when the straight one leaves from a node the arc spans.
    """
    side = {n: 0 for n in left} | {n: 1 for n in right}
    row = {n: i for i, n in enumerate(left)} | {n: i for i, n in enumerate(right)}
    across, arcs = [], []
    for a, b in edges:
        if a == b:
            continue
        if side[a] == side[b]:
            arcs.append((side[a], *sorted((row[a], row[b]))))
        else:
            on_left, on_right = (a, b) if side[a] == 0 else (b, a)
            across.append((row[on_left], row[on_right]))
    count = 0
    for i, (l1, r1) in enumerate(across):
        count += sum(1 for l2, r2 in across[i + 1 :] if (l1 - l2) * (r1 - r2) < 0)
    for i, (s1, p, q) in enumerate(arcs):
        count += sum(
            1 for s2, r, t in arcs[i + 1 :] if s1 == s2 and len({p, q, r, t}) == 4 and (p < r < q) != (p < t < q)
        )
        count += sum(1 for ends in across if p < ends[s1] < q)
    return count


#: Up to this many nodes the columns' order is searched; beyond, each pass costs too much (every move
#: and swap, n², each counting the crossings, e²), and the columns keep the order they are given.
MAX_ORDERED_NODES = 30


def column_order(
    nodes: Sequence[str], edges: Sequence[tuple[str, str]], group: dict[str, str]
) -> tuple[list[str], list[str]]:
    """Two columns of nearly equal length whose links cross least, then whose groups break least.

    Starts from ``nodes`` as given (sorted by the caller), first half on the
    left, and makes the single move or swap of two nodes that lowers that cost
    most, until none does: deterministic, so the figure is the same every run.
    A network of more than :data:`MAX_ORDERED_NODES` nodes keeps that start.
    """
    nodes = list(nodes)
    edges = [(a, b) for a, b in edges if a != b]
    half = (len(nodes) + 1) // 2
    if len(nodes) > MAX_ORDERED_NODES:
        return nodes[:half], nodes[half:]

    def breaks(column):
        return sum(group.get(a) != group.get(b) for a, b in zip(column, column[1:]))

    def cost(split):
        left, right = split
        return (column_crossings(left, right, edges), breaks(left) + breaks(right))

    def neighbours(split):
        joined = split[0] + split[1]
        cut = len(split[0])
        for i in range(len(joined)):
            for j in range(i + 1, len(joined)):
                swapped = list(joined)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                yield swapped[:cut], swapped[cut:]
        for i, node in enumerate(joined):
            rest = joined[:i] + joined[i + 1 :]
            for place in range(len(rest) + 1):
                moved = rest[:place] + [node] + rest[place:]
                for new_cut in {cut, cut - 1 if i < cut else cut + 1}:
                    if abs(new_cut - (len(joined) - new_cut)) <= 1:
                        yield moved[:new_cut], moved[new_cut:]

    split = (nodes[:half], nodes[half:])
    best = cost(split)
    for _ in range(40):
        candidate = min(neighbours(split), key=cost, default=split)
        if cost(candidate) >= best:
            break
        split, best = candidate, cost(candidate)
    return split


def column_positions(left: Sequence[str], right: Sequence[str]) -> dict[str, Point]:
    """The left column at x = -1, the right at x = 1, rows one unit apart from y = 0 downwards."""
    positions = {node: (-1.0, -float(i)) for i, node in enumerate(left)}
    positions |= {node: (1.0, -float(i)) for i, node in enumerate(right)}
    return positions
