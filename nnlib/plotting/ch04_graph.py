"""The computational graph of an :class:`~nnlib.autograd.Value`, drawn node by node
(chapter 4, forward and backward).
"""

from __future__ import annotations

__all__ = [
    "plot_graph"
]

_GRAPH_OP_SYMBOLS = {"+": "+", "-": "−", "*": "×", "/": "÷", "neg": "−", "sigmoid": "σ"}
_GRAPH_MAX_NODES = 300            # beyond this a drawing is neither legible nor small


def _spread(desired: list[float], gap: float) -> list[float]:
    """Heights closest to ``desired`` (top first) in least squares, kept ``gap`` apart.

    With ``u_i = y_i + i·gap`` the constraint ``y_i <= y_{i-1} - gap`` reads
    "``u`` non-increasing": an isotonic regression, solved by pooling adjacent violators.
    """
    blocks: list[list[float]] = []                     # [sum of targets, count]
    for i, d in enumerate(desired):
        blocks.append([d + i * gap, 1])
        while len(blocks) > 1 and blocks[-1][0] / blocks[-1][1] > blocks[-2][0] / blocks[-2][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    u = [total / count for total, count in blocks for _ in range(int(count))]
    return [ui - i * gap for i, ui in enumerate(u)]


def _graph_layout(nodes: list, edges: list) -> tuple[dict, list]:
    """A layered left-to-right layout of a computational graph, in grid units.

    Every value sits one column left of its leftmost user (the root in the last
    column); an edge that spans several columns gets a waypoint in each column it
    crosses, so no edge runs through a box. Columns are filled from the right, each
    item at the mean height of what it feeds, in that order, at least one row apart;
    two more sweeps each way then pull every item towards the mean of all its neighbours.

    Returns ``{node: (column, height)}`` and, per edge, its waypoints ``[(column, height)]``.
    """
    users: dict = {node: [] for node in nodes}
    for child, user in edges:
        users[child].append(user)
    rank = {}                                          # columns counted from the right
    for node in reversed(nodes):                       # users come before their operands
        rank[node] = 1 + max((rank[u] for u in users[node]), default=-1)
    # items: the nodes, and a waypoint ("edge", i, r) in each column r that edge i crosses
    column_items: dict = {r: [] for r in rank.values()}
    for node in nodes:
        column_items[rank[node]].append(node)
    nxt: dict = {node: [] for node in nodes}           # item -> [(item to its right, slot)]
    slots: dict = {}
    order = {node: k for k, node in enumerate(nodes)}  # tie-breaks: nodes, then waypoints
    for i, (child, user) in enumerate(edges):
        slots[user] = slot = slots.get(user, -1) + 1
        waypoints = [("edge", i, r) for r in range(rank[child] - 1, rank[user], -1)]
        hops = [child, *waypoints, user]
        for left, right in zip(hops[:-1], hops[1:], strict=True):
            nxt.setdefault(left, []).append((right, slot))
        for waypoint in waypoints:
            column_items[waypoint[2]].append(waypoint)
            order[waypoint] = len(order)
    prev: dict = {it: [] for r in column_items for it in column_items[r]}
    for left, rights in nxt.items():
        for right, slot in rights:
            prev[right].append((left, slot))
    height: dict = {}
    columns = sorted(column_items)                     # right to left

    def sweep(neighbours, cols) -> None:
        """Move each item to the mean height of its neighbours, column by column."""
        for r in cols:
            items = column_items[r]
            want = {it: (sum(height[u] for u, _ in neighbours(it)) / len(neighbours(it))
                         if neighbours(it) else height.get(it, 0.0)) for it in items}
            items.sort(key=lambda it: (-want[it], min((s for _, s in nxt[it]), default=0),
                                       order[it]))
            height.update(zip(items, _spread([want[it] for it in items], 1.0), strict=True))

    sweep(lambda it: nxt[it], columns)                 # from the root to the leaves
    for _ in range(2):                                 # then relax towards both sides
        sweep(lambda it: prev[it] + nxt[it], columns[::-1])
        sweep(lambda it: prev[it] + nxt[it], columns)
    last = max(rank.values())
    place = {node: (last - rank[node], height[node]) for node in nodes}
    routes = [[(last - r, height[("edge", i, r)]) for r in range(rank[c] - 1, rank[u], -1)]
              for i, (c, u) in enumerate(edges)]
    return place, routes


def plot_graph(root, *, ax=None, title: str | None = None):
    """Draw the computational graph of an :class:`~nnlib.autograd.Value`.

    Left to right, from the leaves (inputs, weights, constants) to ``root``: every value
    is a rounded box with its label, ``data`` and ``grad`` (4 significant digits), every
    operation a circle between its operands and its result. Leaves are blue, ``root``
    is orange. The layout is deterministic.

    Parameters
    ----------
    root : Value
        The output, e.g. the error ``e`` after ``e.backward()``.
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure sized to the graph (about 1.5 inches per
        column). On a smaller ``ax`` the drawing shrinks to fit, text included.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    from ..autograd import Value, trace

    if not isinstance(root, Value):
        raise TypeError(f"plot_graph expected root to be a nnlib.autograd.Value, got "
                        f"{type(root).__name__}")
    nodes, edges = trace(root)
    if len(nodes) > _GRAPH_MAX_NODES:
        raise ValueError(f"plot_graph draws graphs of at most {_GRAPH_MAX_NODES} nodes legibly, "
                         f"got {len(nodes)}")
    place, routes = _graph_layout(nodes, edges)

    # sizes in inches, for 9 pt monospace text (a character is 0.6 em wide)
    fs = 9.0
    char, line = 0.6 * fs / 72, 1.3 * fs / 72
    texts = {n: "\n".join(([n.label] if n.label else [])
                          + [f"data {n.data:.4g}", f"grad {n.grad:.4g}"]) for n in nodes}
    symbols = {n: _GRAPH_OP_SYMBOLS.get(n._op, n._op) for n in nodes if n._prev}
    box_w = max(len(s) for t in texts.values() for s in t.split("\n")) * char + 0.24
    box_h = 3 * line + 0.14
    radius = max([0.17] + [len(s) * char / 2 + 0.08 for s in symbols.values()])
    pitch_x = box_w + 2 * radius + 0.44                # box, arrow, circle, arrow
    pitch_y = box_h + 0.3

    def at(column: float, height: float) -> tuple[float, float]:
        return column * pitch_x, height * pitch_y

    xy = {n: at(*place[n]) for n in nodes}
    xs, ys = [x for x, _ in xy.values()], [y for _, y in xy.values()]
    ys += [at(*p)[1] for route in routes for p in route]
    margin = 0.15
    left, right = min(xs) - box_w / 2 - margin, max(xs) + box_w / 2 + margin
    bottom, top = min(ys) - box_h / 2 - margin, max(ys) + box_h / 2 + margin
    width, height = right - left, top - bottom

    if ax is None:
        title_h = 0.45 if title else 0.0
        fig = Figure(figsize=(width, height + title_h))
        ax = fig.add_axes((0, 0, 1, height / (height + title_h)))
    fig = ax.figure
    box = ax.get_position()
    ax_w, ax_h = box.width * fig.get_figwidth(), box.height * fig.get_figheight()
    scale = min(1.0, ax_w / width, ax_h / height)      # shrink to fit, never enlarge
    cx, cy = (left + right) / 2, (bottom + top) / 2
    ax.set_xlim(cx - ax_w / scale / 2, cx + ax_w / scale / 2)
    ax.set_ylim(cy - ax_h / scale / 2, cy + ax_h / scale / 2)
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=max(12 * scale, 8), color="#0f172a")

    ink, faint = "#334155", "#64748b"
    arrow = dict(arrowstyle="-|>", mutation_scale=10 * scale, color=faint, lw=1.0 * scale,
                 shrinkA=0, shrinkB=0, zorder=1)
    for n in nodes:                                    # values: rounded boxes
        x, y = xy[n]
        if n is root:
            face, edge = "#fed7aa", "#c2410c"
        elif not n._prev:
            face, edge = "#dbeafe", "#1d4ed8"
        else:
            face, edge = "#f8fafc", ink
        ax.add_patch(FancyBboxPatch(
            (x - box_w / 2, y - box_h / 2), box_w, box_h, zorder=2, lw=1.2 * scale,
            boxstyle="round,pad=0,rounding_size=0.08", facecolor=face, edgecolor=edge))
        ax.text(x, y, texts[n], ha="center", va="center", family="monospace",
                fontsize=fs * scale, linespacing=1.3, color="#0f172a", zorder=3)
    for n, symbol in symbols.items():                  # operations: circles
        x, y = xy[n]
        ox = x - pitch_x / 2
        ax.add_patch(Circle((ox, y), radius, facecolor="#e2e8f0", edgecolor=ink,
                            lw=1.0 * scale, zorder=2))
        size = fs + 4 if len(symbol) == 1 else fs - 0.5     # one-character operators larger
        ax.text(ox, y, symbol, ha="center", va="center", fontsize=size * scale,
                color="#0f172a", zorder=3)
        ax.add_patch(FancyArrowPatch((ox + radius, y), (x - box_w / 2, y), **arrow))

    # edges: operand -> (waypoints) -> operation; a value's outgoing edges leave its
    # box at distinct heights, the topmost target from the top, so they do not cross
    first_hop = [at(*route[0]) if route else (xy[u][0] - pitch_x / 2, xy[u][1])
                 for (c, u), route in zip(edges, routes, strict=True)]
    outgoing: dict = {n: [] for n in nodes}
    for i, (child, _) in enumerate(edges):
        outgoing[child].append(i)
    for n in nodes:
        out = sorted(outgoing[n], key=lambda i: (-first_hop[i][1], i))
        for k, i in enumerate(out):
            x, y = xy[n]
            dy = 0.0 if len(out) == 1 else box_h * (0.3 - 0.6 * k / (len(out) - 1))
            points = [(x + box_w / 2, y + dy)]
            for wx, wy in (at(*p) for p in routes[i]):          # cross a column level
                points += [(wx - box_w / 2, wy), (wx + box_w / 2, wy)]
            (ux, uy), (px, py) = xy[edges[i][1]], points[-1]
            ox = ux - pitch_x / 2
            d = ((ox - px) ** 2 + (uy - py) ** 2) ** 0.5
            points.append((ox - radius * (ox - px) / d, uy - radius * (uy - py) / d))
            ax.add_patch(FancyArrowPatch(path=Path(points), **arrow))
    return fig
