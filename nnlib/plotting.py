"""The figures of the book, each a function that returns a matplotlib ``Figure``.

Every explorer of the book is a pure drawing function here (one state in, one figure
out) plus a thin widget in :mod:`nnlib.widgets`. matplotlib is imported inside the
functions, so ``import nnlib`` stays free of it.
"""

from __future__ import annotations

# ---- section: autograd (computational graphs) ----
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

    from .autograd import Value, trace

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


# <<end: autograd>>


# ---- section: ch01: neural networks ----
def _digit_images(X):
    """Rows of 64 pixels or ``(N, 1, 8, 8)`` images as ``(N, 8, 8)``."""
    import numpy as np

    X = np.asarray(X, dtype=float)
    if X.ndim == 4 and X.shape[1] == 1:
        X = X[:, 0]
    elif X.ndim == 2 and X.shape[1] == 64:
        X = X.reshape(-1, 8, 8)
    elif X.ndim == 1 and X.size == 64:
        X = X.reshape(1, 8, 8)
    if X.ndim != 3:
        raise ValueError(f"expected digits of shape (N, 64), (N, 1, 8, 8) or (64,), "
                         f"got {np.shape(X)}")
    return X


def plot_digits(X, y, *, ncols: int = 10, title: str | None = None):
    """A grid of 8x8 digit images, each titled with its label.

    Parameters
    ----------
    X : array, shape (N, 64) or (N, 1, 8, 8)
        Pixel intensities in ``[0, 1]`` (as :func:`nnlib.data.digits` returns them).
    y : array of int, shape (N,)
        The label shown above each image.
    ncols : int
        Images per row.
    """
    import numpy as np
    from matplotlib.figure import Figure

    images = _digit_images(X)
    y = np.asarray(y).reshape(-1)
    if len(y) != len(images):
        raise ValueError(f"plot_digits expected one label per image, got {len(y)} labels "
                         f"for {len(images)} images")
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    fig = Figure(figsize=(1.1 * ncols + 0.2, 1.25 * nrows + (0.4 if title else 0.1)),
                 layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax in axes:
        ax.set_axis_off()
    for ax, img, label in zip(axes, images, y, strict=False):
        ax.imshow(img, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        ax.set_title(f"y = {label}", fontsize=11)
    if title:
        fig.suptitle(title, fontsize=13)
    return fig


def plot_digit_pixels(x, label: int | None = None):
    """One digit twice: as the picture we see and as the 64 numbers the network sees.

    Parameters
    ----------
    x : array, shape (64,) or (8, 8) or (1, 8, 8)
        Pixel intensities in ``[0, 1]``.
    label : int, optional
        The digit, for the title.
    """
    import numpy as np
    from matplotlib.figure import Figure

    img = np.asarray(x, dtype=float).reshape(8, 8)
    fig = Figure(figsize=(8.6, 4.0), layout="constrained")
    left, right = fig.subplots(1, 2)
    name = "" if label is None else f" (a {label})"
    left.imshow(img, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
    left.set_title(f"What we see{name}", fontsize=12)
    right.imshow(img, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest", alpha=0.35)
    for (r, c), v in np.ndenumerate(img):
        right.text(c, r, f"{v:.2f}".lstrip("0") if 0 < v < 1 else f"{v:.0f}",
                   ha="center", va="center", fontsize=9,
                   color="black")
    right.set_title("What the network sees: 64 numbers in [0, 1]", fontsize=12)
    for ax in (left, right):
        ax.set_xticks(range(8))
        ax.set_yticks(range(8))
        ax.set_xlabel("pixel column")
        ax.set_ylabel("pixel row")
    return fig


def _fmt_number(v: float) -> str:
    """A weight for an edge label: ``2``, ``-0.5``, ``0.25`` (no trailing zeros)."""
    text = f"{v:.2f}".rstrip("0").rstrip(".") if abs(v - round(v)) > 1e-12 else f"{v:.0f}"
    return text.replace("-", "\N{MINUS SIGN}")


def plot_network(layer_sizes, weights=None, biases=None, *, activations=None, values=None,
                 title: str | None = None):
    """Draw a fully connected network: nodes in columns, an arrow for every weight.

    Parameters
    ----------
    layer_sizes : sequence of int
        Nodes per layer, input first, e.g. ``[2, 3, 1]``.
    weights : list of arrays, optional
        ``W¹ … Wᵏ`` with ``Wᵏ`` of shape ``(layer_sizes[k-1], layer_sizes[k])`` (the
        row-vector convention ``xW + b``). Each edge is then labelled with its weight,
        coloured by sign (blue ≥ 0, red < 0) and drawn thicker for larger ``|w|``.
    biases : list of arrays, optional
        ``b¹ … bᵏ``; each neuron is then annotated with its bias.
    activations : list of str, optional
        The name of ``φ`` of each non-input layer, e.g. ``["ReLU", "identity"]``.
    values : list of arrays, optional
        One array per layer (input first): the value each node outputs in a forward
        pass, written in a box above the node. Edges leaving a hidden node whose value
        is 0 (a ReLU switched off) are drawn faint and dashed.
    title : str, optional
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"plot_network layer_sizes must list at least two positive sizes, "
                         f"got {list(layer_sizes)}")
    depth = len(sizes) - 1
    for name, arrays, shape_of in (
            ("weights", weights, lambda k: (sizes[k], sizes[k + 1])),
            ("biases", biases, lambda k: (sizes[k + 1],))):
        if arrays is None:
            continue
        if len(arrays) != depth or any(np.shape(a) != shape_of(k) for k, a in enumerate(arrays)):
            want = [shape_of(k) for k in range(depth)]
            raise ValueError(f"plot_network {name} must have shapes {want}, "
                             f"got {[np.shape(a) for a in arrays]}")
    if values is not None and (len(values) != len(sizes) or any(
            np.size(v) != s for v, s in zip(values, sizes, strict=False))):
        raise ValueError(f"plot_network values must hold one value per node, layer by layer "
                         f"{sizes}, got sizes {[np.size(v) for v in values]}")
    if activations is not None and len(activations) != depth:
        raise ValueError(f"plot_network activations must name {depth} functions (one per "
                         f"non-input layer), got {len(activations)}")

    # room between nodes for the bias below and the value above each node
    dx, r = 3.0, 0.32
    dy = 1.0 + 0.3 * (biases is not None) + 0.35 * (values is not None)
    tallest = max(sizes)
    pos = [[(k * dx, dy * ((s - 1) / 2 - i)) for i in range(s)] for k, s in enumerate(sizes)]
    fig = Figure(figsize=(2.6 * depth + 2.6, 0.95 * dy * tallest + 1.9), layout="constrained")
    ax = fig.subplots()
    ax.set_aspect("equal")
    ax.set_axis_off()

    wmax = max((np.max(np.abs(W)) for W in weights), default=1.0) if weights else 1.0
    for k in range(depth):
        for i, (x0, y0) in enumerate(pos[k]):
            for j, (x1, y1) in enumerate(pos[k + 1]):
                w = None if weights is None else float(np.asarray(weights[k])[i, j])
                color = "0.55" if w is None else ("tab:blue" if w >= 0 else "tab:red")
                # an edge leaving a neuron that outputs 0 carries nothing: draw it faint
                silent = values is not None and k > 0 and float(np.ravel(values[k])[i]) == 0
                alpha = 0.3 if silent else 1.0
                width = 1.2 if w is None else 0.8 + 2.6 * abs(w) / (wmax or 1.0)
                d = np.hypot(x1 - x0, y1 - y0)
                ux, uy = (x1 - x0) / d, (y1 - y0) / d
                ax.annotate("", xy=(x1 - r * ux, y1 - r * uy), xytext=(x0 + r * ux, y0 + r * uy),
                            arrowprops=dict(arrowstyle="-|>", color=color, lw=width, alpha=alpha,
                                            shrinkA=0, shrinkB=0, mutation_scale=10,
                                            linestyle="--" if silent else "-"),
                            zorder=1)
                if w is not None:
                    # stagger the labels along the edge so that edges leaving one node
                    # (which fan out) and edges of neighbouring nodes do not collide
                    t = 0.26 + 0.2 * (i % 3) if sizes[k] > 1 else 0.3
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), _fmt_number(w),
                            ha="center", va="center", fontsize=10, color=color, zorder=3,
                            alpha=alpha,
                            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))

    fills = ["#dbe9f6"] + ["#fde3c8"] * (depth - 1) + ["#d7efd3"]
    for k, layer in enumerate(pos):
        for i, (x, y) in enumerate(layer):
            ax.add_patch(Circle((x, y), r, fc=fills[k], ec="0.2", lw=1.3, zorder=2))
            if k == 0:
                label = f"$x_{{{i + 1}}}$"
            elif k == depth:
                label = f"$\\hat y_{{{i + 1}}}$" if sizes[k] > 1 else "$\\hat y$"
            else:
                label = f"$h^{{{k}}}_{{{i + 1}}}$"
            ax.text(x, y, label, ha="center", va="center", fontsize=12, zorder=3)
            if values is not None:
                v = float(np.ravel(values[k])[i])
                ax.text(x, y + r + 0.06, f"{_fmt_number(v)}", ha="center", va="bottom",
                        fontsize=10, fontweight="bold", color="tab:purple", zorder=3,
                        bbox=dict(boxstyle="round,pad=0.2", fc="#f2ebf7", ec="tab:purple",
                                  lw=0.8))
            if k > 0 and biases is not None:
                b = float(np.asarray(biases[k - 1])[i])
                ax.text(x + 0.02, y - r - 0.08, f"$b={_fmt_number(b)}$", ha="center", va="top",
                        fontsize=9, color="0.25", zorder=3)

    bottom = -dy * (tallest - 1) / 2 - r - (0.5 if biases is not None else 0.2)
    for k in range(depth + 1):
        kind = "input layer" if k == 0 else "output layer" if k == depth else f"hidden layer {k}"
        text = f"{kind}\n{sizes[k]} node{'s' if sizes[k] > 1 else ''}"
        if k > 0 and activations is not None:
            text += f", $\\varphi$ = {activations[k - 1]}"
        ax.text(k * dx, bottom, text, ha="center", va="top", fontsize=10, color="0.2")
    if weights is not None:
        ax.text(depth * dx / 2, bottom - 0.6, "edge colour: blue $w \\geq 0$, red $w < 0$; "
                "thickness grows with $|w|$", ha="center", va="top", fontsize=9, color="0.35")
    top = dy * (tallest - 1) / 2 + r + (0.55 if values is not None else 0.2)
    ax.set_xlim(-0.8, depth * dx + 0.8)
    ax.set_ylim(bottom - (1.0 if weights is not None else 0.65), top)
    if title:
        ax.set_title(title, fontsize=13)
    return fig


def plot_input_output(x, outputs: dict, *, title: str | None = None,
                      xlabel: str = "input $x$", ylabel: str = "output $h(x)$"):
    """Curves ``h(x)`` of networks with one input and one output, one colour per network.

    Parameters
    ----------
    x : array, shape (N,)
        The inputs, in increasing order.
    outputs : dict of str -> array of shape (N,) or (N, 1)
        The legend label and the network's outputs at ``x``.
    """
    import numpy as np
    from matplotlib.figure import Figure

    x = np.asarray(x, dtype=float).reshape(-1)
    fig = Figure(figsize=(7.0, 4.0), layout="constrained")
    ax = fig.subplots()
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple"]
    for (label, out), color in zip(outputs.items(), colors * len(outputs), strict=False):
        ax.plot(x, np.asarray(out, dtype=float).reshape(-1), lw=2.2, color=color, label=label)
    ax.set_xlabel(xlabel, fontsize=11)
    ax.set_ylabel(ylabel, fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=10)
    if title:
        ax.set_title(title, fontsize=12)
    return fig


# <<end: ch01>>

# ---- section: ch02: training ----
_CH02_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")


def _linear_ein(x, y, w, b):
    """``E_in(w, b) = (1/n) Σ (w x_i + b − y_i)²`` for arrays ``w``, ``b`` of any (equal) shape."""
    import numpy as np

    x, y = np.ravel(x), np.ravel(y)
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    r = w[..., None] * x + b[..., None] - y
    return np.mean(r * r, axis=-1)


def plot_sgd_paths(x, y, paths: dict, *, show_data: bool = False, title: str | None = None):
    """Paths of ``(w, b)`` on the contours of ``E_in`` for the line ``h(x) = w x + b``.

    Parameters
    ----------
    x, y : array, shape (n,) or (n, 1)
        The training data.
    paths : dict of str -> array of shape (T, 2)
        The legend label and the parameters ``(w, b)`` after each update (start first).
    show_data : bool
        Add a panel on the left with the data and the line each path ends at.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        The least-squares minimum is a black star, the common start a black circle.
    """
    import numpy as np
    from matplotlib.figure import Figure

    x, y = np.ravel(np.asarray(x, dtype=float)), np.ravel(np.asarray(y, dtype=float))
    paths = {k: np.asarray(v, dtype=float).reshape(-1, 2) for k, v in paths.items()}
    w_best, b_best = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    pts = np.vstack([*paths.values(), [[w_best, b_best]]])
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = 0.15 * np.maximum(hi - lo, 0.5)
    ws = np.linspace(lo[0] - pad[0], hi[0] + pad[0], 201)
    bs = np.linspace(lo[1] - pad[1], hi[1] + pad[1], 201)
    Wg, Bg = np.meshgrid(ws, bs)
    E = _linear_ein(x, y, Wg, Bg)

    fig = Figure(figsize=(11.0 if show_data else 6.2, 4.6), layout="constrained")
    axes = fig.subplots(1, 2 if show_data else 1, squeeze=False)[0]
    ax = axes[-1]
    e_min = float(_linear_ein(x, y, w_best, b_best))
    levels = e_min + (E.max() - e_min) * np.linspace(0, 1, 16)[1:] ** 2
    ax.contourf(Wg, Bg, E, levels=np.concatenate([[e_min], levels]), cmap="Greys_r",
                alpha=0.22)
    cs = ax.contour(Wg, Bg, E, levels=levels, colors="0.45", linewidths=0.7)
    ax.clabel(cs, cs.levels[::3], fontsize=7.5, fmt="%.2g")
    for (label, path), color in zip(paths.items(), _CH02_COLORS * 3, strict=False):
        lw = 1.0 if len(path) > 200 else 1.6
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=lw, alpha=0.85, label=label)
        if len(path) <= 60:
            ax.plot(path[:, 0], path[:, 1], "o", color=color, ms=3)
        ax.plot(path[-1, 0], path[-1, 1], "s", color=color, ms=6, mec="black", mew=0.8)
    starts = {tuple(p[0]) for p in paths.values()}
    for w0, b0 in starts:
        ax.plot(w0, b0, "o", color="black", ms=7, zorder=5)
    ax.plot(w_best, b_best, "*", color="black", ms=14, zorder=5,
            label=f"minimum of $E_{{in}}$ ($w$ = {w_best:.2f}, $b$ = {b_best:.2f})")
    ax.set_xlim(ws[0], ws[-1])
    ax.set_ylim(bs[0], bs[-1])
    ax.set_xlabel("slope $w$", fontsize=11)
    ax.set_ylabel("intercept $b$", fontsize=11)
    ax.set_title("Contours of $E_{in}(w, b)$ and the path of the parameters", fontsize=11)
    ax.legend(fontsize=8.5, loc="best")

    if show_data:
        ax0 = axes[0]
        ax0.plot(x, y, "o", color="0.35", ms=4, alpha=0.8, label="training data $(x_i, y_i)$")
        grid = np.linspace(x.min(), x.max(), 2)
        for (label, path), color in zip(paths.items(), _CH02_COLORS * 3, strict=False):
            ax0.plot(grid, path[0, 0] * grid + path[0, 1], "--", color=color, lw=1.5,
                     label=f"start: $w$ = {path[0, 0]:g}, $b$ = {path[0, 1]:g}")
            ax0.plot(grid, path[-1, 0] * grid + path[-1, 1], "-", color=color, lw=2.5,
                     label=f"after {len(path) - 1} steps ({label})")
        ax0.set_xlabel("input $x$", fontsize=11)
        ax0.set_ylabel("target $y$", fontsize=11)
        ax0.set_title("The data and the line $h(x) = wx + b$", fontsize=11)
        ax0.grid(alpha=0.3)
        ax0.legend(fontsize=8.5)
    if title:
        fig.suptitle(title, fontsize=13)
    return fig


def plot_batch_size_curves(curves: dict, *, ylabel: str = "$E_{in}$",
                           title: str | None = None, log_loss: bool = False):
    """The loss after every epoch, against epochs and against the number of updates.

    Parameters
    ----------
    curves : dict of str -> (int, array of shape (epochs + 1,))
        The label, the number of updates per epoch ``⌈n/B⌉`` and the loss before training
        (epoch 0) and after each epoch.
    ylabel : str
    title : str, optional
    log_loss : bool
        Draw the loss on a logarithmic axis.

    Returns
    -------
    matplotlib.figure.Figure
        Left: loss against epochs (the same number of gradient evaluations, ``n`` per
        epoch, for every ``B``); right: against updates made, on a log axis.
    """
    import numpy as np
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11.0, 4.2), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    for (label, (per_epoch, losses)), color in zip(curves.items(), _CH02_COLORS * 3,
                                                   strict=False):
        losses = np.asarray(losses, dtype=float)
        epochs = np.arange(len(losses))
        ax1.plot(epochs, losses, "o-", color=color, lw=2, ms=4, label=label)
        ax2.plot(epochs[1:] * per_epoch, losses[1:], "o-", color=color, lw=2, ms=4, label=label)
    first = np.asarray(next(iter(curves.values()))[1], dtype=float)[0]
    ax2.axhline(first, color="0.4", ls=":", lw=1.2, label="before training")
    ax1.set_xlabel("epochs (passes over the training data)", fontsize=11)
    ax2.set_xlabel("updates $w \\leftarrow w - \\eta g$ made (log scale)", fontsize=11)
    ax2.set_xscale("log")
    ax1.set_ylabel(ylabel, fontsize=11)
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3, which="both")
        if log_loss:
            ax.set_yscale("log")
    ax1.set_title("Per epoch: the same computation for every $B$", fontsize=11)
    ax2.set_title("Per update: a larger batch makes a better step", fontsize=11)
    ax1.legend(fontsize=9)
    ax2.legend(fontsize=9)
    if title:
        fig.suptitle(title, fontsize=13)
    return fig


def plot_quadratic_gd(etas, *, a: float = 2.0, w0: float = 1.0, steps: int = 12):
    """Gradient descent on ``f(w) = (a/2) w²``: ``w_{t+1} = (1 − η a) w_t``, one panel per η.

    Parameters
    ----------
    etas : sequence of float
        Learning rates ``η``, one column each.
    a : float
        The curvature ``f''(w)``; ``a = 2`` is ``f(w) = w²``.
    w0 : float
        The starting point.
    steps : int
        Steps drawn.

    Returns
    -------
    matplotlib.figure.Figure
        Top: the parabola and the iterates (a zig-zag when ``η a > 1``); bottom: ``w_t``
        against ``t`` for every η together.
    """
    import numpy as np
    from matplotlib.figure import Figure

    etas = [float(e) for e in etas]
    fig = Figure(figsize=(2.9 * len(etas) + 0.6, 6.4), layout="constrained")
    mosaic = [[f"p{i}" for i in range(len(etas))], ["t"] * len(etas)]
    axes = fig.subplot_mosaic(mosaic, height_ratios=[1.15, 1.0])
    t = np.arange(steps + 1)
    spans = []
    for i, eta in enumerate(etas):
        r = 1 - eta * a
        w = w0 * r ** t
        span = 1.15 * min(np.max(np.abs(w)), 4 * abs(w0))     # each panel its own zoom
        spans.append(span)
        grid = np.linspace(-span, span, 401)
        color = _CH02_COLORS[i % len(_CH02_COLORS)]
        ax = axes[f"p{i}"]
        ax.plot(grid, a / 2 * grid ** 2, color="0.6", lw=1.5)
        shown = np.abs(w) <= span
        ax.plot(w[shown], a / 2 * w[shown] ** 2, "o-", color=color, lw=1.4, ms=4)
        ax.plot(w[0], a / 2 * w[0] ** 2, "o", color="black", ms=6, zorder=3)
        if r == 0:
            kind = "one step to the minimum"
        elif 0 < r < 1:
            kind = "creeps down one side"
        elif -1 < r < 0:
            kind = "zig-zags, converges"
        elif r == -1:
            kind = "bounces forever"
        else:
            kind = "diverges"
        ax.set_title(f"$\\eta = {eta:g}$, $\\eta a = {eta * a:g}$\n{kind}", fontsize=10.5)
        ax.set_xlabel("$w$", fontsize=10)
        ax.set_ylim(-0.05 * a / 2 * span ** 2, a / 2 * span ** 2 * 1.05)
        ax.grid(alpha=0.3)
        if i == 0:
            ax.set_ylabel(f"$f(w) = {a / 2:g}\\,w^2$" if a != 2 else "$f(w) = w^2$", fontsize=10)
        axes["t"].plot(t, w, "o-", color=color, lw=1.8, ms=4,
                       label=f"$\\eta = {eta:g}$: $w_t = ({r:g})^t w_0$")
    axes["t"].axhline(0, color="black", lw=0.8)
    axes["t"].set_xlabel("step $t$", fontsize=11)
    axes["t"].set_ylabel("$w_t$", fontsize=11)
    axes["t"].set_ylim(-max(spans), max(spans))
    axes["t"].grid(alpha=0.3)
    axes["t"].legend(fontsize=9, ncols=min(len(etas), 4), loc="lower left")
    return fig


# <<end: ch02>>

# ---- section: ch03: activations ----
# Colours of the activation chapter (tab10): one per function, the notes' slip in red.
_CH03_COLOURS = {"relu": "tab:blue", "leaky_relu": "tab:purple", "sigmoid": "tab:orange",
                 "tanh": "tab:green", "notes": "tab:red", "linear": "tab:gray"}


def _ch03_axes(ax, xlabel: str, ylabel: str, title: str) -> None:
    """Shared look of the chapter's axes: zero lines, a light grid, labels and a title."""
    ax.axhline(0, color="0.6", lw=0.8, zorder=0)
    ax.axvline(0, color="0.6", lw=0.8, zorder=0)
    ax.grid(alpha=0.3)
    ax.set_xlabel(xlabel, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=10)
    ax.set_title(title, fontsize=11)


def plot_sigmoid_sign(z_max: float = 6.0):
    """The sigmoid ``σ(z) = 1/(1 + e^{-z})`` next to the notes' ``1/(1 + e^{z}) = σ(−z)``.

    Left: the two functions (mirror images in the vertical axis). Right: their
    derivatives, ``σ'(z) = σ(1 − σ) ≥ 0`` and ``−σ'(z) ≤ 0``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    from .activations import sigmoid, sigmoid_grad

    z = np.linspace(-z_max, z_max, 401)
    c = _CH03_COLOURS
    fig = Figure(figsize=(9.5, 4.2), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(z, sigmoid(z), color=c["sigmoid"], lw=2.5, label=r"$\sigma(z) = 1/(1+e^{-z})$")
    ax1.plot(z, sigmoid(-z), color=c["notes"], lw=2.5, ls="--",
             label=r"notes: $1/(1+e^{z}) = \sigma(-z)$")
    ax1.axhline(1, color="0.6", lw=0.8, ls=":")
    ax1.set_ylim(-0.08, 1.08)
    ax1.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)
    _ch03_axes(ax1, r"pre-activation $z$ (evidence for class 1)", r"output",
               "The sign in the exponent mirrors the curve")
    ax1.annotate("rises with $z$", xy=(2.0, sigmoid(2.0)), xytext=(2.8, 0.45),
                 color=c["sigmoid"], fontsize=9, arrowprops=dict(arrowstyle="->",
                                                                color=c["sigmoid"]))
    ax1.annotate("falls with $z$", xy=(-2.0, sigmoid(2.0)), xytext=(-5.8, 0.45),
                 color=c["notes"], fontsize=9, arrowprops=dict(arrowstyle="->",
                                                              color=c["notes"]))
    ax2.plot(z, sigmoid_grad(z), color=c["sigmoid"], lw=2.5,
             label=r"$\sigma'(z) = \sigma(z)\,(1-\sigma(z))$")
    ax2.plot(z, -sigmoid_grad(z), color=c["notes"], lw=2.5, ls="--",
             label=r"notes' derivative $= -\sigma'(z)$")
    ax2.set_ylim(-0.3, 0.3)
    ax2.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)
    _ch03_axes(ax2, r"pre-activation $z$", "derivative",
               "Slopes of opposite sign (largest |slope| 1/4 at z = 0)")
    return fig


def plot_activations(alpha: float = 0.1, z_max: float = 4.0):
    """The four activations φ (top row) and their derivatives φ' (bottom row).

    ReLU, leaky ReLU (slope ``alpha`` for ``z ≤ 0``), sigmoid and tanh; the bottom row
    marks the largest slope of the sigmoid (1/4) and of tanh (1), and the jump of the
    ReLU derivatives at 0 with the convention used there (the left value, filled dot).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    from .activations import ACTIVATIONS

    c = _CH03_COLOURS
    z = np.linspace(-z_max, z_max, 801)
    names = [("relu", "ReLU", r"$\max(0, z)$", {}),
             ("leaky_relu", "leaky ReLU", rf"$z$ or ${alpha:g}z$", {"alpha": alpha}),
             ("sigmoid", "sigmoid", r"$1/(1+e^{-z})$", {}),
             ("tanh", "tanh", r"$\tanh z$", {})]
    grads = {"relu": r"$0$ or $1$", "leaky_relu": rf"${alpha:g}$ or $1$",
             "sigmoid": r"$\sigma(1-\sigma)$", "tanh": r"$1-\tanh^2 z$"}
    fig = Figure(figsize=(10.5, 5.4), layout="constrained")
    axes = fig.subplots(2, 4, sharex=True)
    for j, (key, title, formula, kw) in enumerate(names):
        f, df = ACTIVATIONS[key]
        top, bottom = axes[0, j], axes[1, j]
        top.plot(z, f(z, **kw), color=c[key], lw=2.5)
        _ch03_axes(top, "", r"$\varphi(z)$" if j == 0 else "", f"{title}: {formula}")
        d = df(z, **kw)
        if key in ("relu", "leaky_relu"):              # draw the jump at 0 as a gap
            left, right = z < 0, z > 0
            bottom.plot(z[left], d[left], color=c[key], lw=2.5)
            bottom.plot(z[right], d[right], color=c[key], lw=2.5)
            at0 = float(df(np.zeros(1), **kw)[0])
            other = 1.0 if at0 != 1.0 else float(df(-np.ones(1), **kw)[0])
            bottom.plot([0], [at0], "o", color=c[key], ms=6)
            bottom.plot([0], [other], "o", mfc="white", mec=c[key], ms=6)
            bottom.annotate(f"φ'(0) := {at0:g}\n(convention)", xy=(0, at0),
                            xytext=(0.7, 0.35), fontsize=8.5, color="0.25",
                            arrowprops=dict(arrowstyle="->", color="0.4"))
            bottom.set_ylim(-0.15, 1.25)
        else:
            bottom.plot(z, d, color=c[key], lw=2.5)
            peak = float(df(np.zeros(1))[0])
            bottom.axhline(peak, color=c[key], lw=1, ls=":")
            bottom.text(-z_max * 0.95, peak + 0.04, f"max {peak:g} at z = 0", fontsize=8.5,
                        color="0.25")
            bottom.set_ylim(-0.15, 1.25 if key == "tanh" else 0.32)
        _ch03_axes(bottom, r"$z$", r"$\varphi'(z)$" if j == 0 else "",
                   f"derivative: {grads[key]}")
    return fig


def plot_linear_collapse(x, outputs: dict):
    """Outputs of small networks along a line of inputs.

    Parameters
    ----------
    x : array (N,)
        The inputs, one feature each.
    outputs : dict
        ``{label: array (N,)}``; a label containing "ReLU" is drawn in the ReLU colour,
        one containing "single" dotted on top of the others.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    c = _CH03_COLOURS
    x = np.asarray(x, dtype=float).ravel()
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.subplots()
    for k, (label, y) in enumerate(outputs.items()):
        y = np.asarray(y, dtype=float).ravel()
        if "single" in label:
            ax.plot(x, y, color="black", lw=2, ls=(0, (2, 3)), label=label, zorder=3)
        elif "ReLU" in label:
            ax.plot(x, y, color=c["relu"], lw=2.5, label=label)
        else:
            ax.plot(x, y, color=[c["linear"], c["sigmoid"], c["tanh"]][k % 3], lw=4,
                    alpha=0.8, label=label)
    ax.legend(fontsize=9)
    _ch03_axes(ax, "input $x$", "network output",
               "Linear layers compose to one line; a ReLU bends it")
    return fig


def plot_vanishing_gradients(layer_grads: dict, chains: dict | None = None):
    """How the gradient shrinks on its way back through sigmoid layers.

    Parameters
    ----------
    layer_grads : dict
        ``{activation name: array (L,)}``: the norm ``‖∂E/∂W^l‖`` of the weight gradient
        of hidden layer ``l = 1..L`` of a deep network (log scale; layer 1 is the input side).
    chains : dict, optional
        ``{label: array (L,)}``: products of derivatives along a chain of depth
        ``1..L``, drawn in a second panel with the sigmoid's bound ``(1/4)^L``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    c = _CH03_COLOURS
    colour = {k.lower(): v for k, v in c.items()} | {"leaky relu": c["leaky_relu"]}
    fig = Figure(figsize=(9.5 if chains else 6, 4.0), layout="constrained")
    axes = fig.subplots(1, 2 if chains else 1, squeeze=False)[0]
    ax = axes[0]
    for name, g in layer_grads.items():
        g = np.asarray(g, dtype=float)
        layers = np.arange(1, g.size + 1)
        ax.semilogy(layers, g, "o-", color=colour.get(name.lower(), "0.3"), lw=2, label=name)
    ax.set_xticks(np.arange(1, max(np.size(g) for g in layer_grads.values()) + 1))
    ax.grid(alpha=0.3)
    ax.set_xlabel("hidden layer $l$ (1 = next to the input)", fontsize=10)
    ax.set_ylabel(r"$\|\partial E / \partial W^l\|$ (log scale)", fontsize=10)
    ax.set_title("Gradient size per layer of a 10-layer network", fontsize=11)
    ax.legend(fontsize=9)
    if chains:
        ax = axes[1]
        depth = None
        for name, p in chains.items():
            p = np.asarray(p, dtype=float)
            depth = np.arange(1, p.size + 1)
            key = name.split()[0].lower()
            ax.semilogy(depth, p, "o-", color=colour.get(key, "0.3"), lw=2, label=name)
        ax.semilogy(depth, 0.25 ** depth, color="black", ls="--", lw=1.5,
                    label=r"bound $(1/4)^L$ for the sigmoid")
        ax.set_xticks(depth)
        ax.grid(alpha=0.3)
        ax.set_xlabel("depth $L$ of the chain", fontsize=10)
        ax.set_ylabel(r"$\varphi'(z_1)\,\varphi'(z_2)\cdots\varphi'(z_L)$ (log scale)",
                      fontsize=10)
        ax.set_title("Product of the local derivatives", fontsize=11)
        ax.legend(fontsize=9)
    return fig


def plot_dead_relu(z_before, z_after, losses: dict, kick_step: int):
    """A ReLU unit killed by one big negative bias step, and a leaky one that recovers.

    Parameters
    ----------
    z_before, z_after : array
        The unit's pre-activations ``z = xw + b`` over the data set just before and just
        after the bias step.
    losses : dict
        ``{label: array (T,)}``: the training loss per step.
    kick_step : int
        The step at which the bias was pushed down.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    c = _CH03_COLOURS
    fig = Figure(figsize=(9.5, 3.9), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    z_before, z_after = np.ravel(z_before), np.ravel(z_after)
    bins = np.linspace(min(z_before.min(), z_after.min()), max(z_before.max(), z_after.max()),
                       41)
    ax1.hist(z_before, bins=bins, color="tab:blue", alpha=0.7, label="before the step")
    ax1.hist(z_after, bins=bins, color="tab:red", alpha=0.7, label="after the step")
    ax1.axvspan(bins[0], 0, color="0.85", zorder=0)
    ax1.axvline(0, color="black", lw=1)
    ax1.text(0.02, 0.95, "z ≤ 0: ReLU' = 0", transform=ax1.transAxes, va="top", fontsize=9)
    ax1.grid(alpha=0.3)
    ax1.set_xlabel("pre-activation $z = xw + b$ of the unit", fontsize=10)
    ax1.set_ylabel("number of inputs", fontsize=10)
    ax1.set_title("Every input lands on the flat side", fontsize=11)
    ax1.legend(fontsize=9, loc="upper left", bbox_to_anchor=(0.0, 0.9))
    palette = [c["relu"], c["leaky_relu"], c["tanh"], c["sigmoid"]]
    for k, (label, loss) in enumerate(losses.items()):
        ax2.plot(np.arange(len(loss)), loss, color=palette[k % 4], lw=2, label=label)
    ax2.axvline(kick_step, color="tab:red", ls="--", lw=1.2)
    ax2.text(kick_step + 4, 0.5, "bias step", color="tab:red", fontsize=9, va="top",
             transform=ax2.get_xaxis_transform())
    ax2.set_yscale("log")
    ax2.grid(alpha=0.3)
    ax2.set_xlabel("SGD step", fontsize=10)
    ax2.set_ylabel("training loss (MSE, log scale)", fontsize=10)
    ax2.set_title("A dead ReLU never learns again; a leaky one recovers", fontsize=11)
    ax2.legend(fontsize=9, loc="lower right")
    return fig


# <<end: ch03>>

# ---- section: ch04: forward and backward ----
def plot_relu_kink(h: float = 1.0):
    """ReLU near its kink: the slope from the left is 0, from the right 1.

    Draws ``max(0, z)`` on ``[-2h, 2h]`` with the two one-sided tangents at 0, so no single
    tangent (no derivative) exists there; the value used by convention, ``ReLU'(0) = 0``,
    is marked.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    z = np.linspace(-2 * h, 2 * h, 401)
    fig = Figure(figsize=(5.5, 3.8), layout="constrained")
    ax = fig.subplots()
    ax.plot(z, np.maximum(z, 0), color="tab:blue", lw=4, zorder=2,
            label=r"$\mathrm{ReLU}(z) = \max(0, z)$")
    ax.plot([0, 2 * h], [0, 0], color="tab:orange", lw=1.8, ls="--", zorder=3,
            label="slope from the left: 0")
    ax.plot([-h, 0], [-h, 0], color="tab:green", lw=1.8, ls="--", zorder=3,
            label="slope from the right: 1")
    ax.plot([0], [0], "o", color="black", ms=6, zorder=3)
    ax.annotate("kink at z = 0: two slopes,\nno derivative; a convention\npicks ReLU'(0) = 0",
                xy=(0, 0), xytext=(-1.9 * h, 0.9 * h), fontsize=9,
                arrowprops=dict(arrowstyle="->", color="0.3"))
    ax.grid(alpha=0.3)
    ax.set_xlim(-2 * h, 2 * h)
    ax.set_ylim(-1.2 * h, 2 * h)
    ax.set_xlabel("pre-activation $z$ (e.g. the example's $h_{in}$)", fontsize=10)
    ax.set_ylabel(r"$\mathrm{ReLU}(z)$", fontsize=10)
    ax.set_title("ReLU is differentiable everywhere except at 0", fontsize=11)
    ax.legend(fontsize=9, loc="lower right")
    return fig


def plot_sgd_on_example(etas, losses, e0: float, grad_sq: float, marks=(), runs=None):
    """One SGD step on the worked example, as a function of the learning rate η.

    Parameters
    ----------
    etas, losses : array (M,)
        Learning rates and the error ``e(w − η ∇e)`` after one step of each.
    e0 : float
        The error before the step.
    grad_sq : float
        ``‖∇e‖²``; the tangent ``e0 − η ‖∇e‖²`` is what the gradient predicts.
    marks : sequence of float
        Learning rates to highlight with their error after the step.
    runs : dict, optional
        ``{η: array (T,)}``: the error over ``T`` SGD steps with learning rate η, drawn in
        a second panel. A learning rate has the same colour in both panels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    etas, losses = np.asarray(etas, dtype=float), np.asarray(losses, dtype=float)
    palette = ["tab:green", "tab:purple", "tab:brown", "tab:olive", "tab:cyan"]
    rates = sorted({float(r) for r in marks} | {float(r) for r in (runs or {})})
    colour = {r: palette[k % len(palette)] for k, r in enumerate(rates)}
    fig = Figure(figsize=(9.5 if runs else 6, 4.0), layout="constrained")
    axes = fig.subplots(1, 2 if runs else 1, squeeze=False)[0]
    ax = axes[0]
    ax.plot(etas, losses, color="tab:blue", lw=2.5, label=r"$e(w - \eta\,\nabla e)$ after one step")
    ax.plot(etas, e0 - etas * grad_sq, color="tab:gray", ls="--", lw=1.5,
            label=r"tangent $e - \eta\,\|\nabla e\|^2$")
    ax.axhline(e0, color="tab:red", lw=1, ls=":", label=f"error before the step, e = {e0:g}")
    for eta in marks:
        after = float(np.interp(eta, etas, losses))
        ax.plot([eta], [after], "o", color=colour[float(eta)], ms=8, zorder=3,
                label=f"η = {eta:g}: e = {after:.4g}")
    ax.set_ylim(-1, max(1.3 * e0, float(np.max(losses)) * 1.05))
    ax.grid(alpha=0.3)
    ax.set_xlabel(r"learning rate $\eta$", fontsize=10)
    ax.set_ylabel("squared error $e$", fontsize=10)
    ax.set_title("Too large a step overshoots the minimum", fontsize=11)
    ax.legend(fontsize=9, loc="upper left")
    if runs:
        ax = axes[1]
        for eta, curve in runs.items():
            curve = np.asarray(curve, dtype=float)
            ax.semilogy(np.arange(curve.size), curve, "o-", color=colour[float(eta)], lw=2,
                        label=f"η = {eta:g}")
        ax.grid(alpha=0.3)
        ax.set_xlabel("SGD step", fontsize=10)
        ax.set_ylabel("squared error $e$ (log scale)", fontsize=10)
        ax.set_title("Repeated steps on the one example", fontsize=11)
        ax.legend(fontsize=9)
    return fig


# <<end: ch04>>

# ---- section: ch05: fully connected ----
# Colours of the fully connected chapter (tab10): one per initialisation, train/validation
# drawn solid/dashed in the colour of their run.
_CH05_INIT_COLOURS = {"normal": "tab:red", "xavier": "tab:green", "he": "tab:blue"}
_CH05_INIT_LABELS = {"normal": "N(0, 1), the notes", "xavier": "Xavier, 2/(fan_in + fan_out)",
                     "he": "He, 2/fan_in"}


def plot_init_stds(act_std: dict, grad_std: dict):
    """Per-layer activation and weight-gradient scale of deep nets under three initialisations.

    Parameters
    ----------
    act_std : dict
        ``{activation name: {init: array (L,)}}``: the standard deviation of the output
        of layer ``l = 1..L`` (after ``φ``) for a batch of standard-normal inputs; init
        is ``"normal"``, ``"xavier"`` or ``"he"``.
    grad_std : dict
        The same layout: the standard deviation of ``∂E/∂W^l`` of every layer.

    Returns
    -------
    matplotlib.figure.Figure
        Two rows (activations, gradients) by one column per activation, log-scale y.
    """
    import numpy as np
    from matplotlib.figure import Figure

    names = list(act_std)
    fig = Figure(figsize=(5.2 * len(names) + 0.4, 7.6), layout="constrained")
    axes = fig.subplots(2, len(names), squeeze=False)
    rows = ((act_std, "std of the layer's output $\\varphi(z^l)$",
             "activations, forward pass"),
            (grad_std, "std of $\\partial E/\\partial W^l$",
             "weight gradients, backward pass"))
    for r, (data, ylabel, what) in enumerate(rows):
        for c, name in enumerate(names):
            ax = axes[r, c]
            for init, values in data[name].items():
                values = np.asarray(values, dtype=float)
                layers = np.arange(1, values.size + 1)
                ax.semilogy(layers, values, "o-", lw=2, ms=5,
                            color=_CH05_INIT_COLOURS.get(init, "0.3"),
                            label=_CH05_INIT_LABELS.get(init, init))
            ax.set_xticks(layers)
            ax.grid(alpha=0.3, which="both")
            ax.set_xlabel("layer $l$ (1 = next to the input)", fontsize=10)
            ax.set_ylabel(ylabel + " (log scale)", fontsize=10)
            ax.set_title(f"{name} network: {what}", fontsize=11)
    axes[0, 0].legend(fontsize=9, title="weights drawn from", title_fontsize=9)
    return fig


# <<end: ch05>>

# ---- section: ch06: convolutions ----
def _ch06_grid(ax, values, *, signed: bool = False, fmt: str = "{:g}", shade=None,
               fontsize: float = 11) -> None:
    """A small matrix drawn as cells with its numbers written in them (ticks off).

    Cells are tinted lightly: grey by value, or (``signed``) red for positive and blue
    for negative entries. ``shade`` (boolean, same shape) marks cells tinted light blue
    instead (zero padding).
    """
    import numpy as np

    values = np.asarray(values, dtype=float)
    if signed:
        m = max(float(np.abs(values).max()), 1e-12)
        ax.imshow(np.sign(values) * (0.35 + 0.65 * np.abs(values) / m), cmap="RdBu_r",
                  vmin=-2.2, vmax=2.2)
    else:
        lo, hi = float(values.min()), float(values.max())
        span = max(hi - lo, 1e-12)
        ax.imshow(values, cmap="Greys", vmin=lo - 0.1 * span, vmax=hi + 2.0 * span)
    if shade is not None:
        ax.imshow(np.where(shade, 1.0, np.nan), cmap="Blues", vmin=0, vmax=4, alpha=0.9)
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, fmt.format(v).replace("-", "−"), ha="center", va="center",
                fontsize=fontsize)
    ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="0.6", lw=0.6)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)


def plot_conv_step(image, kernel, position: tuple[int, int] = (0, 0), stride: int = 1,
                   padding: int = 0):
    """One output entry of a convolution, computed from its window, with all numbers shown.

    Left: the (zero-padded, padding in blue) input with the window of output entry
    ``position`` outlined; middle: the kernel ``W``; right: the whole output of
    :func:`nnlib.conv.convolve2d` with that entry outlined. Below: the sum that gives it.

    Parameters
    ----------
    image : array, shape (H, W)
        A small input (about 4 to 8 pixels a side, so the numbers are legible).
    kernel : array, shape (k, k)
    position : (int, int)
        Row and column of the output entry to explain.
    stride, padding : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from .conv import convolve2d

    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    out = convolve2d(image, kernel, stride, padding)
    r, c = position
    if not (0 <= r < out.shape[0] and 0 <= c < out.shape[1]):
        raise ValueError(f"plot_conv_step position must index the output of shape "
                         f"{out.shape}, got {position}")
    k, p = kernel.shape[0], padding
    padded = np.pad(image, p)
    pad_mask = np.ones_like(padded, dtype=bool)
    pad_mask[p:p + image.shape[0], p:p + image.shape[1]] = False
    top, left = r * stride, c * stride
    window = padded[top:top + k, left:left + k]

    widths = [padded.shape[1], k, out.shape[1]]
    fig = Figure(figsize=(3.2 + 0.62 * sum(widths), 0.62 * padded.shape[0] + 1.9),
                 layout="constrained")
    ax_in, ax_k, ax_out = fig.subplots(1, 3, gridspec_kw={"width_ratios": widths})
    _ch06_grid(ax_in, padded, shade=pad_mask if p else None)
    ax_in.add_patch(Rectangle((left - 0.5, top - 0.5), k, k, fill=False, ec="tab:orange",
                              lw=3))
    pad_text = f", zero padding p = {p}" if p else ""
    ax_in.set_title(f"input $x$ ({image.shape[0]}×{image.shape[1]}{pad_text})", fontsize=11)
    _ch06_grid(ax_k, kernel, signed=True)
    ax_k.set_title(f"kernel $W$ ({k}×{k})", fontsize=11)
    _ch06_grid(ax_out, out, fmt="{:.3g}", signed=True)
    ax_out.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, ec="tab:orange", lw=3))
    ax_out.set_title(f"output $y$ ({out.shape[0]}×{out.shape[1]}), stride s = {stride}",
                     fontsize=11)
    terms = " + ".join(f"({w:g})({v:g})" for w, v in zip(kernel.ravel(), window.ravel(),
                                                       strict=True)).replace("-", "−")
    if len(terms) > 110:               # long sums: break the line in the middle
        cut = terms.index(" + ", len(terms) // 2)
        terms = terms[:cut] + "\n+ " + terms[cut + 3:]
    fig.supxlabel(f"$y_{{{r},{c}}}$ = Σ W ⊙ window = {terms} = "
                  f"{out[r, c]:g}".replace("-", "−"), fontsize=10)
    return fig


def plot_edge_response(image, response, *, crop: tuple[slice, slice] | None = None,
                       title: str | None = None):
    """A grey image next to its response to an edge kernel, and a close-up of both.

    Parameters
    ----------
    image : array, shape (H, W), values in [0, 1]
    response : array, shape (H, W)
        E.g. ``convolve2d(image, EDGE_KERNEL, padding=1)``; drawn with a diverging colour
        map (red positive, blue negative, white 0) clipped at the 99th percentile of
        ``|response|``.
    crop : (slice, slice), optional
        A region shown enlarged in a second row (image and response).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    image, response = np.asarray(image, dtype=float), np.asarray(response, dtype=float)
    if image.shape != response.shape:
        raise ValueError(f"plot_edge_response expected image and response of the same shape, "
                         f"got {image.shape} and {response.shape}")
    lim = max(float(np.percentile(np.abs(response), 99)), 1e-12)
    rows = 2 if crop is not None else 1
    fig = Figure(figsize=(8.4, 4.4 * rows), layout="constrained")
    axes = fig.subplots(rows, 2, squeeze=False)
    panels = [(image, None)] + [(response, lim)]
    for r in range(rows):
        for c, (data, m) in enumerate(panels):
            ax = axes[r, c]
            shown = data if r == 0 else data[crop]
            if m is None:
                im = ax.imshow(shown, cmap="gray", vmin=0, vmax=1)
            else:
                im = ax.imshow(shown, cmap="RdBu_r", vmin=-m, vmax=m)
                fig.colorbar(im, ax=ax, shrink=0.8, label="response $y$")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0 and crop is not None:
                (ys, xs) = crop
                ax.add_patch(Rectangle((xs.start - 0.5, ys.start - 0.5), xs.stop - xs.start,
                                       ys.stop - ys.start, fill=False, ec="tab:orange", lw=2))
    axes[0, 0].set_title(f"input, {image.shape[0]}×{image.shape[1]} pixels", fontsize=11)
    axes[0, 1].set_title("response to the edge kernel E", fontsize=11)
    if crop is not None:
        axes[1, 0].set_title("close-up of the input (orange box)", fontsize=11)
        axes[1, 1].set_title("close-up of the response", fontsize=11)
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def plot_edge_scale(profiles: dict):
    """The same edge at several scales and the edge kernel's response along one row.

    Parameters
    ----------
    profiles : dict
        ``{width w: (signal, response)}``: one row of an image whose brightness rises
        from 0 to 1 over ``w`` pixels, and the same row of its response to ``E``
        (1-D arrays of the same length).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(11, 4.0), layout="constrained")
    ax_s, ax_r = fig.subplots(1, 2)
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown"]
    for (w, (signal, response)), colour in zip(profiles.items(), colours * len(profiles),
                                               strict=False):
        cols = np.arange(len(signal))
        ax_s.step(cols, signal, where="mid", color=colour, lw=2, label=f"edge {w} px wide")
        ax_r.plot(cols, response, "o-", color=colour, lw=1.8, ms=4,
                  label=f"{w} px: peak {np.max(response):.3g}")
    ax_s.set_ylabel("brightness $x$", fontsize=10)
    ax_s.set_title("One edge at four scales (one image row)", fontsize=11)
    ax_r.axhline(0, color="0.5", lw=0.8)
    ax_r.set_ylabel("response $y$ to E", fontsize=10)
    ax_r.set_title("The same 3×3 kernel responds ever more weakly", fontsize=11)
    for ax in (ax_s, ax_r):
        ax.set_xlabel("column", fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=9)
    return fig


def plot_shift_demo(x, x_shifted, y, y_shifted, *, shift: tuple[int, int]):
    """Equivariance and invariance: an image and its shifted copy, and their responses.

    Parameters
    ----------
    x, x_shifted : array, shape (H, W)
        The input and the input moved by ``shift`` (rows, columns).
    y, y_shifted : array, shape (H', W')
        Their responses to the same convolution.
    shift : (int, int)

    Returns
    -------
    matplotlib.figure.Figure
        Two rows (original, shifted), two columns (input, response); each response is
        titled with its maximum, the value a global max pooling would keep.
    """
    import numpy as np
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.6, 7.6), layout="constrained")
    axes = fig.subplots(2, 2)
    lim = max(float(np.abs(y).max()), float(np.abs(y_shifted).max()), 1e-12)
    for r, (inp, out, what) in enumerate([(x, y, "input"),
                                          (x_shifted, y_shifted,
                                           f"shifted by {shift[0]} down, {shift[1]} right")]):
        axes[r, 0].imshow(inp, cmap="gray_r", vmin=0, vmax=max(float(np.max(x)), 1e-12))
        axes[r, 0].set_title(what, fontsize=11)
        im = axes[r, 1].imshow(out, cmap="RdBu_r", vmin=-lim, vmax=lim)
        top = np.unravel_index(np.argmax(out), out.shape)
        axes[r, 1].plot(top[1], top[0], "o", ms=12, mfc="none", mec="black", mew=2)
        axes[r, 1].set_title(f"response: max {np.max(out):.4g} at {tuple(map(int, top))}",
                             fontsize=11)
        for ax in axes[r]:
            ax.set_xticks(np.arange(0, inp.shape[1], 4))
            ax.set_yticks(np.arange(0, inp.shape[0], 4))
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.25)
    fig.colorbar(im, ax=axes[:, 1], shrink=0.6, label="response $y$")
    return fig


def plot_conv_as_matrix(M, image_shape: tuple[int, int], kernel_size: int):
    """The weight matrix of a ``Linear`` layer that computes a convolution.

    Parameters
    ----------
    M : array, shape (H·W, H'·W')
        Column ``q`` holds the weights from every input pixel to output entry ``q``
        (row-vector convention ``y = x M``); zero where the pixel is outside the window.
    image_shape : (int, int)
    kernel_size : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    M = np.asarray(M, dtype=float)
    lim = max(float(np.abs(M).max()), 1e-12)
    fig = Figure(figsize=(4.0 + 0.22 * M.shape[1], 1.2 + 0.2 * M.shape[0]),
                 layout="constrained")
    ax = fig.subplots()
    shown = np.where(M == 0, np.nan, M)
    im = ax.imshow(shown, cmap="RdBu_r", vmin=-lim, vmax=lim)
    ax.set_facecolor("0.93")
    ax.set_xticks(np.arange(M.shape[1]))
    ax.set_yticks(np.arange(0, M.shape[0], 5))
    ax.set_xticks(np.arange(M.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(M.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", lw=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("output entry $q$ (row by row)", fontsize=10)
    ax.set_ylabel("input pixel (row by row)", fontsize=10)
    nonzero = int(np.count_nonzero(M))
    ax.set_title(f"{image_shape[0]}×{image_shape[1]} image, {kernel_size}×{kernel_size} "
                 f"kernel: {nonzero} of {M.size} weights non-zero,\n"
                 f"only {len(np.unique(M[M != 0]))} distinct values", fontsize=11)
    fig.colorbar(im, ax=ax, shrink=0.6, label="weight")
    return fig


def plot_cnn_filters(W, image, maps, pooled):
    """What a trained convolution layer does to one digit.

    Row 1: the ``F`` learned ``k × k`` kernels; row 2: their feature maps on ``image``
    after ReLU; row 3: the same after max pooling (what the next layer sees).

    Parameters
    ----------
    W : array, shape (F, 1, k, k)
        ``Conv2D.W.value`` of a one-channel layer.
    image : array, shape (H, W)
    maps : array, shape (F, H', W')
    pooled : array, shape (F, H'', W'')

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    W = np.asarray(W, dtype=float)
    F = W.shape[0]
    fig = Figure(figsize=(1.45 * (F + 1) + 0.6, 5.2), layout="constrained")
    axes = fig.subplots(3, F + 1)
    axes[0, 0].imshow(image, cmap="gray_r")
    axes[0, 0].set_title("input", fontsize=10)
    for ax in axes[1:, 0]:
        ax.set_axis_off()
    lim = float(np.abs(W).max())
    mmax = max(float(np.max(maps)), 1e-12)
    for f in range(F):
        axes[0, f + 1].imshow(W[f, 0], cmap="RdBu_r", vmin=-lim, vmax=lim)
        axes[0, f + 1].set_title(f"kernel {f + 1}", fontsize=10)
        axes[1, f + 1].imshow(maps[f], cmap="magma", vmin=0, vmax=mmax)
        axes[2, f + 1].imshow(pooled[f], cmap="magma", vmin=0, vmax=mmax)
    axes[1, 1].set_ylabel("ReLU(conv)", fontsize=10)
    axes[2, 1].set_ylabel("max-pooled", fontsize=10)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle("Learned 3×3 kernels (red positive, blue negative) and their feature maps",
                 fontsize=11)
    return fig


# <<end: ch06>>

# ---- section: ch07: overfitting ----
# Colours of the overfitting chapter (tab10): one per data set, one per model.
_CH07_COLOURS = {"train": "tab:blue", "val": "tab:orange", "new": "tab:green",
                 "test": "tab:brown", "true": "0.45", "stop": "tab:red", "best": "tab:purple"}
_CH07_FIT_COLOURS = ["tab:red", "tab:purple", "tab:cyan", "tab:olive", "tab:pink"]


def _ch07_style(ax, xlabel: str, ylabel: str, title: str) -> None:
    """Shared look of the chapter's axes: a light grid, labels and a title."""
    ax.grid(alpha=0.3, which="both")
    ax.set_xlabel(xlabel, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=10)
    ax.set_title(title, fontsize=11)


def _ch07_fits(ax, x_train, y_train, x_grid, fits: dict, y_true=None, x_val=None,
               y_val=None, ylim=(-2.2, 2.2)) -> None:
    """Draw the training points, optional validation points, the true curve and ``fits``."""
    import numpy as np

    x_grid = np.asarray(x_grid, dtype=float).reshape(-1)
    if y_true is not None:
        ax.plot(x_grid, np.asarray(y_true).reshape(-1), color=_CH07_COLOURS["true"], lw=1.8,
                ls="--", label=r"true curve $\sin 2\pi x$", zorder=1)
    for (label, y_fit), colour in zip(fits.items(), _CH07_FIT_COLOURS * len(fits),
                                      strict=False):
        ax.plot(x_grid, np.asarray(y_fit).reshape(-1), color=colour, lw=2.2, label=label,
                zorder=2)
    ax.plot(np.ravel(x_train), np.ravel(y_train), "o", color=_CH07_COLOURS["train"], ms=7,
            mec="white", label=f"training points ({np.size(x_train)})", zorder=3)
    if x_val is not None:
        ax.plot(np.ravel(x_val), np.ravel(y_val), "s", color=_CH07_COLOURS["val"], ms=6.5,
                mec="white", label=f"validation points ({np.size(x_val)})", zorder=3)
    ax.set_ylim(*ylim)
    ax.legend(fontsize=8.5, loc="lower left")


def plot_fits(x_train, y_train, x_grid, fits: dict, *, y_true=None, x_val=None, y_val=None,
              title: str = "Fitted curves"):
    """Curves fitted to a 1-D regression set, with the data and the true curve.

    Parameters
    ----------
    x_train, y_train : array, shape (n, 1) or (n,)
        The training points (blue dots).
    x_grid : array, shape (m, 1) or (m,)
        Where the curves are evaluated.
    fits : dict
        ``{label: predictions on x_grid}``, one coloured curve each (at most five).
    y_true : array, optional
        The noise-free curve on ``x_grid`` (grey, dashed).
    x_val, y_val : array, optional
        Validation points (orange squares).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 4.4), layout="constrained")
    ax = fig.subplots()
    _ch07_fits(ax, x_train, y_train, x_grid, fits, y_true, x_val, y_val)
    _ch07_style(ax, "input $x$", "output $y$", title)
    return fig


def _ch07_curves(ax, curves: dict, marks: dict | None = None,
                 noise_level: float | None = None) -> None:
    """Loss per epoch on a log scale, one line per data set; ``marks`` are vertical lines,
    ``noise_level`` a horizontal one."""
    import numpy as np

    styles = {"training": _CH07_COLOURS["train"], "validation": _CH07_COLOURS["val"],
              "new data": _CH07_COLOURS["new"]}
    for label, values in curves.items():
        colour = next((c for key, c in styles.items() if label.startswith(key)), None)
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(1, len(values) + 1), values, lw=1.8, color=colour, label=label)
    for (label, epoch), colour in zip((marks or {}).items(),
                                      [_CH07_COLOURS["best"], _CH07_COLOURS["stop"]] * 4,
                                      strict=False):
        ax.axvline(epoch, color=colour, lw=1.5, ls=":", label=label)
    if noise_level is not None:
        ax.axhline(noise_level, color=_CH07_COLOURS["true"], lw=1.5, ls="--",
                   label=f"noise variance σ² = {noise_level:g}")
    ax.set_yscale("log")
    ax.legend(fontsize=8.5)


def plot_loss_curves(curves: dict, *, marks: dict | None = None,
                     noise_level: float | None = None, title: str = "Loss during training"):
    """The loss per epoch on several data sets (log scale).

    Parameters
    ----------
    curves : dict
        ``{label: loss per epoch}``; labels starting with "training", "validation" or
        "new data" get the chapter's colours for these sets.
    marks : dict, optional
        ``{label: epoch}``, dotted vertical lines (purple, then red).
    noise_level : float, optional
        A dashed horizontal line: the variance of the noise, the lowest mean squared
        error any model can reach on new data.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 4.4), layout="constrained")
    ax = fig.subplots()
    _ch07_curves(ax, curves, marks, noise_level)
    _ch07_style(ax, "epoch", "mean squared error (log scale)", title)
    return fig


def plot_overfitting(x_train, y_train, x_grid, fits: dict, curves: dict, *, y_true=None,
                     marks: dict | None = None, noise_level: float | None = None):
    """Overfitting in two panels: the fitted curves (left) and the loss per epoch (right).

    Parameters
    ----------
    x_train, y_train, x_grid, fits, y_true
        As in :func:`plot_fits`.
    curves : dict
        ``{label: loss per epoch}``; labels starting with "training", "validation" or
        "new data" get the chapter's colours for these sets.
    marks : dict, optional
        ``{label: epoch}``, drawn as dotted vertical lines (e.g. the best epoch).
    noise_level : float, optional
        The noise variance, a dashed horizontal line in the loss panel.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 4.6), layout="constrained")
    ax_fit, ax_loss = fig.subplots(1, 2)
    _ch07_fits(ax_fit, x_train, y_train, x_grid, fits, y_true)
    _ch07_style(ax_fit, "input $x$", "output $y$", "What the network computes")
    _ch07_curves(ax_loss, curves, marks, noise_level)
    _ch07_style(ax_loss, "epoch", "mean squared error (log scale)", "Loss during training")
    return fig


def plot_early_stopping(history, *, full_history=None, patience: int | None = None):
    """Learning curves of a run with early stopping: the best and the stopping epoch marked.

    Parameters
    ----------
    history : nnlib.training.History
        The run with early stopping (``best_epoch`` and ``stopped_epoch`` set).
    full_history : History, optional
        The same training run without early stopping, drawn faintly behind: what
        would have happened had we kept going.
    patience : int, optional
        Shown as the span between the best epoch and the stop.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    if history.best_epoch is None or not history.val_loss:
        raise ValueError("plot_early_stopping expected a History with validation losses and "
                         "a best_epoch (fit with validation=... and early_stopping=...)")
    c = _CH07_COLOURS
    best, stop = history.best_epoch, history.stopped_epoch
    fig = Figure(figsize=(10, 4.6), layout="constrained")
    ax = fig.subplots()
    if full_history is not None:
        e = np.arange(1, len(full_history.train_loss) + 1)
        ax.plot(e, full_history.train_loss, color=c["train"], lw=1.2, alpha=0.3)
        ax.plot(e, full_history.val_loss, color=c["val"], lw=1.2, alpha=0.3,
                label="without early stopping")
    e = np.arange(1, len(history.train_loss) + 1)
    ax.plot(e, history.train_loss, color=c["train"], lw=2, label="training loss")
    ax.plot(e, history.val_loss, color=c["val"], lw=2, label="validation loss")
    v_best = history.val_loss[best - 1]
    ax.plot([best], [v_best], "*", color=c["best"], ms=16, mec="black", zorder=4,
            label=f"best epoch {best}: validation loss {v_best:.3f} (weights kept)")
    ax.axvline(best, color=c["best"], lw=1.5, ls=":")
    ax.axvline(stop, color=c["stop"], lw=1.5, ls=":", label=f"stop at epoch {stop}")
    if patience is not None:
        y_arrow = max(history.val_loss[best - 1:stop]) * 1.25
        ax.annotate("", xy=(stop, y_arrow), xytext=(best, y_arrow),
                    arrowprops=dict(arrowstyle="<->", color="0.3"))
        ax.text(best, y_arrow * 1.06, f"patience: {patience} epochs without\n"
                "a better validation loss", ha="left", va="bottom", fontsize=9, color="0.2")
    if full_history is not None:           # the interesting part, and a view of what follows
        ax.set_xlim(0, min(len(full_history.train_loss), 4 * stop))
    ax.set_yscale("log")
    ax.legend(fontsize=9, loc="upper right")
    _ch07_style(ax, "epoch", "mean squared error (log scale)",
                "Early stopping: keep the best epoch, stop after the patience runs out")
    return fig


def plot_lambda_sweep(lams, train_loss, val_loss, *, x_train=None, y_train=None, x_grid=None,
                      fits: dict | None = None, y_true=None, weights: dict | None = None):
    """Choosing λ: the losses after training for each λ, and what three of the λ do.

    Parameters
    ----------
    lams : sequence of float
        The λ values tried; ``λ = 0`` (if present) is drawn as a horizontal reference line.
    train_loss, val_loss : sequence of float
        The data loss on the training and the validation set after training with each λ.
    x_train, y_train, x_grid, fits, y_true : optional
        As in :func:`plot_fits`: curves fitted with a few of the λ (middle panel).
    weights : dict, optional
        ``{label: all weights of the model as one array}`` (right panel, histograms).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    lams = np.asarray(lams, dtype=float)
    train_loss, val_loss = np.asarray(train_loss, float), np.asarray(val_loss, float)
    if not (lams.shape == train_loss.shape == val_loss.shape) or lams.ndim != 1:
        raise ValueError(f"plot_lambda_sweep expected lams, train_loss and val_loss of the "
                         f"same length, got {lams.shape}, {train_loss.shape}, {val_loss.shape}")
    panels = 1 + (fits is not None) + (weights is not None)
    fig = Figure(figsize=(5.6 * panels, 4.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, panels))
    ax = axes[0]
    c = _CH07_COLOURS
    pos = lams > 0
    ax.plot(lams[pos], train_loss[pos], "o-", color=c["train"], lw=2, label="training loss")
    ax.plot(lams[pos], val_loss[pos], "s-", color=c["val"], lw=2, label="validation loss")
    if np.any(~pos):
        i0 = int(np.flatnonzero(~pos)[0])
        ax.axhline(train_loss[i0], color=c["train"], lw=1.2, ls="--",
                   label=f"λ = 0: training {train_loss[i0]:.3f}")
        ax.axhline(val_loss[i0], color=c["val"], lw=1.2, ls="--",
                   label=f"λ = 0: validation {val_loss[i0]:.3f}")
    k = int(np.argmin(val_loss))
    ax.plot([lams[k]], [val_loss[k]], "*", color=c["best"], ms=18, mec="black", zorder=4,
            label=f"lowest validation loss: λ = {lams[k]:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.legend(fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2)
    _ch07_style(ax, "weight decay λ (log scale)", "mean squared error (log scale)",
                "Training and validation loss after training")
    if fits is not None:
        _ch07_fits(axes[1], x_train, y_train, x_grid, fits, y_true)
        axes[1].legend(fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2)
        _ch07_style(axes[1], "input $x$", "output $y$", "The fitted curves")
    if weights is not None:
        axw = axes[-1]
        all_w = np.concatenate([np.ravel(w) for w in weights.values()])
        lim = float(np.percentile(np.abs(all_w), 99.5))
        bins = np.linspace(-lim, lim, 41)
        for (label, w), colour in zip(weights.items(), _CH07_FIT_COLOURS * len(weights),
                                      strict=False):
            w = np.ravel(w)
            axw.hist(w, bins=bins, histtype="stepfilled", color=colour, alpha=0.15)
            axw.hist(w, bins=bins, histtype="step", lw=2, color=colour,
                     label=f"{label}: rms {np.sqrt(np.mean(w ** 2)):.3f}")
        axw.set_yscale("log")
        axw.set_ylim(bottom=0.7)
        axw.legend(fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.16))
        _ch07_style(axw, "weight value $w$", "number of weights (log scale)",
                    "Histogram of the weights (biases excluded)")
    return fig


def plot_dropout(h, mask, p: float):
    """Inverted dropout on a batch of hidden activations, as heat maps.

    Panels: the activations ``h``, the mask (0 where a unit is dropped, ``1/(1-p)``
    where it is kept), their product (training mode) and ``h`` unchanged (eval mode).

    Parameters
    ----------
    h : array, shape (N, d)
        Hidden activations, one row per example.
    mask : array, shape (N, d)
        The scaled mask, entries 0 or ``1/(1-p)``.
    p : float
        The drop probability.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    h, mask = np.asarray(h, dtype=float), np.asarray(mask, dtype=float)
    if h.ndim != 2 or h.shape != mask.shape:
        raise ValueError(f"plot_dropout expected h and mask of the same shape (N, d), got "
                         f"{h.shape} and {mask.shape}")
    out = h * mask
    vmax = float(max(np.abs(out).max(), np.abs(h).max(), 1e-12))
    # non-negative activations (ReLU, or the demo's) on a sequential map, else a diverging one
    cmap, vmin = ("Reds", 0.0) if h.min() >= 0 else ("RdBu_r", -vmax)
    fig = Figure(figsize=(13, 3.6), layout="constrained")
    axes = fig.subplots(1, 4)
    keep = 1 / (1 - p)
    panels = [(h, "activations $h$", cmap, vmin, vmax),
              (mask, f"mask: 0 or 1/(1−p) = {keep:g}", "Greys", 0, keep),
              (out, "training: $h$ ⊙ mask", cmap, vmin, vmax),
              (h, "evaluation: $h$ unchanged", cmap, vmin, vmax)]
    for ax, (data, title, cm, lo, hi) in zip(axes, panels, strict=True):
        im = ax.imshow(data, cmap=cm, vmin=lo, vmax=hi, interpolation="nearest",
                       aspect="auto")
        ax.set_title(title, fontsize=11)
        ax.set_xlabel("hidden unit", fontsize=10)
        ax.set_ylabel("example in the batch", fontsize=10)
        bar = fig.colorbar(im, ax=ax, shrink=0.85)
        if cm == "Greys":
            bar.set_ticks([0, keep], labels=["0 (dropped)", f"{keep:g} (kept)"])
    dropped = float(np.mean(mask == 0))
    fig.suptitle(f"Inverted dropout with p = {p:g}: {dropped:.0%} of the entries dropped in "
                 "this batch, the survivors scaled up", fontsize=12)
    return fig


# <<end: ch07>>

# ---- section: ch08: cross-entropy ----
# Colours of the cross-entropy chapter (tab10).
_CH08_COLOURS = {"scores": "tab:blue", "shifted": "tab:orange", "probs": "tab:green",
                 "ce": "tab:blue", "mse": "tab:red", "entropy": "tab:purple",
                 "kl": "tab:orange", "true": "tab:blue", "other": "0.7", "wrong": "tab:red"}


def _ch08_style(ax, xlabel: str, ylabel: str, title: str) -> None:
    """Shared look of the chapter's axes: a light grid, labels and a title."""
    ax.grid(alpha=0.3)
    ax.set_xlabel(xlabel, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=10)
    ax.set_title(title, fontsize=11)


def plot_softmax(scores, class_names=None):
    """Softmax of one score vector, and of the same scores shifted by their maximum.

    Left: the scores ``s`` and ``s − max(s)``; right: ``softmax(s)`` (bars) and
    ``softmax(s − max(s))`` (dots), which coincide: adding a constant changes nothing.

    Parameters
    ----------
    scores : array, shape (K,)
    class_names : sequence of str, optional
        Labels of the K classes (default ``0 .. K-1``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    from .activations import softmax

    s = np.asarray(scores, dtype=float).reshape(-1)
    names = [str(k) for k in range(s.size)] if class_names is None else list(class_names)
    if len(names) != s.size:
        raise ValueError(f"plot_softmax expected {s.size} class names, got {len(names)}")
    c = _CH08_COLOURS
    k = np.arange(s.size)
    fig = Figure(figsize=(11, 4.0), layout="constrained")
    ax, bx = fig.subplots(1, 2)
    ax.bar(k - 0.2, s, width=0.4, color=c["scores"], label="scores $s$")
    ax.bar(k + 0.2, s - s.max(), width=0.4, color=c["shifted"],
           label=r"$s - \max(s)$: every exponent $\leq 0$")
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_xticks(k, names)
    ax.legend(fontsize=9)
    _ch08_style(ax, "class $j$", "score", "Scores, and the same scores shifted")
    p = softmax(s)
    bars = bx.bar(k, p, width=0.6, color=c["probs"], label=r"softmax$(s)$")
    bx.plot(k, softmax(s - s.max()), "o", color=c["shifted"], ms=9, mec="black",
            label=r"softmax$(s - \max s)$: the same")
    bx.bar_label(bars, labels=[f"{v:.3f}" for v in p], fontsize=9, padding=2)
    bx.set_ylim(0, 1.08)
    bx.set_xticks(k, names)
    bx.legend(fontsize=9, loc="upper right")
    _ch08_style(bx, "class $j$", "probability $p_j$", f"Probabilities: positive, sum "
                f"{p.sum():.0f}")
    return fig


def plot_cross_entropy(p: float = 0.3):
    """Entropy and cross-entropy of two outcomes.

    Left: the entropy of a coin with ``P(heads) = q``, in bits. Right: the cross-entropy
    ``H(p, q)`` (in nats) of a prediction ``q`` for the true distribution ``(p, 1 − p)``:
    the entropy ``H(p)`` plus the gap ``KL(p‖q) ≥ 0``, smallest at ``q = p``.

    Parameters
    ----------
    p : float in (0, 1)
        The true probability of the first outcome.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    if not 0 < p < 1:
        raise ValueError(f"plot_cross_entropy p must be in (0, 1), got {p}")
    c = _CH08_COLOURS
    q = np.linspace(0.001, 0.999, 999)
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax, bx = fig.subplots(1, 2)
    H_bits = -(q * np.log2(q) + (1 - q) * np.log2(1 - q))
    ax.plot(q, H_bits, color=c["entropy"], lw=2.5)
    ax.plot([0.5], [1.0], "o", color=c["entropy"], ms=8)
    ax.annotate("fair coin: 1 bit", xy=(0.5, 1.0), xytext=(0.56, 0.72), fontsize=9,
                arrowprops=dict(arrowstyle="->", color="0.3"))
    ax.annotate("certain outcome: 0 bits", xy=(0.001, 0.0), xytext=(0.12, 0.12), fontsize=9,
                arrowprops=dict(arrowstyle="->", color="0.3"))
    ax.set_ylim(0, 1.12)
    _ch08_style(ax, "probability of the first outcome", r"entropy $H$ (bits, $\log_2$)",
                r"Entropy $H = -\sum_i p_i \log_2 p_i$ of two outcomes")
    H_p = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    cross = -(p * np.log(q) + (1 - p) * np.log(1 - q))
    bx.plot(q, cross, color=c["ce"], lw=2.5, label=rf"cross-entropy $H(p, q)$, $p = {p:g}$")
    bx.axhline(H_p, color=c["entropy"], lw=1.8, ls="--",
               label=rf"entropy $H(p) = {H_p:.3f}$ nats")
    bx.fill_between(q, H_p, cross, color=c["kl"], alpha=0.2,
                    label=r"gap $\mathrm{KL}(p\,\|\,q) \geq 0$")
    bx.plot([p], [H_p], "o", color="black", ms=7, zorder=3)
    bx.annotate(f"minimum at q = p = {p:g}", xy=(p, H_p), xytext=(p + 0.12, H_p - 0.35),
                fontsize=9, arrowprops=dict(arrowstyle="->", color="0.3"))
    bx.set_ylim(0, 3.0)
    bx.legend(fontsize=9, loc="upper center")
    _ch08_style(bx, "predicted probability $q$ of the first outcome",
                r"nats ($\ln$)", r"$H(p, q) = H(p) + \mathrm{KL}(p\,\|\,q)$")
    return fig


def plot_ce_vs_mse(z_max: float = 10.0):
    """Squared error versus cross-entropy for one sigmoid output with target ``y = 1``.

    Left: the two losses as functions of the score ``z`` (the output is ``σ(z)``).
    Right: the size of their gradients ``|∂L/∂z|`` on a log scale: the squared error's
    ``2(1 − σ)σ(1 − σ)`` vanishes when the network is confidently wrong (``z ≪ 0``),
    the cross-entropy's ``1 − σ`` tends to 1.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    from .activations import sigmoid

    c = _CH08_COLOURS
    z = np.linspace(-z_max, z_max, 801)
    s = sigmoid(z)
    ce = np.logaddexp(0.0, -z)                       # −ln σ(z), without overflow
    mse = (s - 1) ** 2
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax, bx = fig.subplots(1, 2)
    ax.plot(z, ce, color=c["ce"], lw=2.5, label=r"cross-entropy $-\ln\sigma(z)$")
    ax.plot(z, mse, color=c["mse"], lw=2.5, label=r"squared error $(\sigma(z) - 1)^2$")
    ax.axvspan(-z_max, -3, color=c["mse"], alpha=0.07)
    ax.text(-z_max + 0.3, 5.5, "confidently\nwrong", fontsize=9, color="0.3", va="center")
    ax.set_ylim(0, 10.5)
    ax.legend(fontsize=9, loc="upper right")
    _ch08_style(ax, r"score $z$ (the target is $y = 1$)", "loss $L$", "The losses")
    bx.semilogy(z, 1 - s, color=c["ce"], lw=2.5,
                label=r"cross-entropy: $|\sigma - 1|$")
    bx.semilogy(z, 2 * (1 - s) * s * (1 - s), color=c["mse"], lw=2.5,
                label=r"squared error: $2|\sigma - 1|\,\sigma(1 - \sigma)$")
    bx.axvspan(-z_max, -3, color=c["mse"], alpha=0.07)
    bx.set_ylim(1e-5, 3)
    bx.legend(fontsize=9, loc="lower left")
    _ch08_style(bx, r"score $z$ (the target is $y = 1$)",
                r"$|\partial L / \partial z|$ (log scale)",
                "The gradients: squared error stalls when it should learn most")
    return fig


def plot_digit_probabilities(X, probs, targets, *, class_names=None, titles=None,
                             title: str | None = None):
    """Digits with the probabilities a model gives to each class (or label).

    Parameters
    ----------
    X : array, shape (N, 64) or (N, 1, 8, 8)
    probs : array, shape (N, K)
        Predicted probabilities: a softmax row (multi-class) or K sigmoids (multi-label).
    targets : array, shape (N,) of labels or (N, K) of 0/1
        Bars of true classes/labels are drawn blue, the others grey.
    class_names : sequence of str, optional
        Names of the K bars (default ``0 .. K-1``).
    titles : sequence of str, optional
        One title per image.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    images = _digit_images(X)
    probs = np.asarray(probs, dtype=float)
    n, k = probs.shape if probs.ndim == 2 else (0, 0)
    targets = np.asarray(targets)
    if targets.ndim == 1 and len(targets) == n:
        onehot = np.zeros((n, k), dtype=bool)
        onehot[np.arange(n), targets.astype(int)] = True
    elif targets.shape == (n, k):
        onehot = targets.astype(bool)
    else:
        raise ValueError(f"plot_digit_probabilities expected targets (N,) or (N, K) for probs "
                         f"of shape (N, K) = {probs.shape}, got {targets.shape}")
    if len(images) != n:
        raise ValueError(f"plot_digit_probabilities expected one image per row of probs, got "
                         f"{len(images)} images and {n} rows")
    names = [str(j) for j in range(k)] if class_names is None else list(class_names)
    c = _CH08_COLOURS
    fig = Figure(figsize=(2.3 * n, 4.0), layout="constrained")
    axes = fig.subplots(2, n, squeeze=False, gridspec_kw={"height_ratios": [1.25, 1]})
    for i in range(n):
        img_ax, bar_ax = axes[0, i], axes[1, i]
        img_ax.imshow(images[i], cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        img_ax.set_axis_off()
        if titles is not None:
            img_ax.set_title(titles[i], fontsize=9.5)
        colours = [c["true"] if onehot[i, j] else c["other"] for j in range(k)]
        bar_ax.bar(range(k), probs[i], color=colours, width=0.75)
        bar_ax.set_ylim(0, 1)
        bar_ax.set_xticks(range(k), names, fontsize=8 if k <= 10 else 6,
                          rotation=0 if max(len(m) for m in names) <= 2 else 45)
        bar_ax.set_yticks([0, 0.5, 1])
        bar_ax.tick_params(labelsize=8)
        bar_ax.grid(axis="y", alpha=0.3)
        for side in ("top", "right"):
            bar_ax.spines[side].set_visible(False)
    axes[1, 0].set_ylabel("probability", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


# <<end: ch08>>

# ---- section: ch09: putting it together ----
# Rows of a confusion matrix are the true classes, columns the predicted ones (as in
# scikit-learn); correct counts are drawn in blue, errors in red (tab10).
_CH09_RIGHT, _CH09_WRONG = "tab:blue", "tab:red"


def plot_confusion_matrix(cm, *, class_names=None, title: str | None = None):
    """A confusion matrix as a grid of annotated counts.

    Correct predictions (the diagonal) are shaded blue by the fraction of their row,
    errors red by their count relative to the largest error, so a single mistake among
    hundreds of correct answers still stands out. Each row's accuracy (the recall of its
    class) is written on the right.

    Parameters
    ----------
    cm : array of int, shape (K, K)
        ``cm[i, j]``: examples of true class ``i`` predicted as ``j`` (see
        :func:`nnlib.training.confusion_matrix`).
    class_names : sequence of str, optional
        Tick labels; ``0 .. K-1`` by default.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure

    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.dtype.kind not in "iu":
        raise ValueError(f"plot_confusion_matrix expected a square integer matrix (K, K), got "
                         f"shape {cm.shape} and dtype {cm.dtype}")
    k = cm.shape[0]
    names = [str(i) for i in range(k)] if class_names is None else [str(c) for c in class_names]
    if len(names) != k:
        raise ValueError(f"plot_confusion_matrix expected {k} class_names, got {len(names)}")
    rows = cm.sum(axis=1)
    diag = np.diag(cm)
    off = cm - np.diag(diag)
    worst = max(int(off.max()), 1)
    # shade = 0 is white, 1 is the full colour
    shade = np.where(np.eye(k, dtype=bool), diag / np.maximum(rows, 1)[:, None] * 0.85,
                     0.25 + 0.75 * off / worst) * (cm > 0)
    colour = np.where(np.eye(k, dtype=bool)[..., None], to_rgb(_CH09_RIGHT), to_rgb(_CH09_WRONG))
    rgb = 1 - shade[..., None] * (1 - colour)

    fig = Figure(figsize=(0.55 * k + 2.4, 0.55 * k + 1.3), layout="constrained")
    ax = fig.subplots()
    ax.imshow(rgb, interpolation="nearest")
    for (i, j), count in np.ndenumerate(cm):
        if count == 0:
            ax.text(j, i, "·", ha="center", va="center", fontsize=9, color="0.7")
            continue
        dark = shade[i, j] > 0.55
        ax.text(j, i, str(count), ha="center", va="center", fontsize=10,
                color="white" if dark else "black", fontweight="bold" if i != j else "normal")
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xticks(np.arange(k + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(k + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("predicted class", fontsize=11)
    ax.set_ylabel("true class", fontsize=11)
    right = ax.secondary_yaxis("right")
    right.set_yticks(range(k), [f"{d / r:.0%}" if r else "–" for d, r in zip(diag, rows,
                                                                             strict=True)])
    right.set_ylabel("accuracy of the row (recall)", fontsize=10)
    right.tick_params(length=0)
    total = int(cm.sum())
    head = title or "Confusion matrix"
    ax.set_title(f"{head}\n{int(diag.sum())} of {total} right, {total - int(diag.sum())} wrong",
                 fontsize=12)
    return fig


def plot_model_histories(histories: dict, *, title: str | None = None):
    """Learning curves of several models side by side: loss and accuracy per epoch.

    Training curves are solid, validation curves dashed, one colour per model; a star
    marks the epoch with the lowest validation loss (the weights early stopping keeps).

    Parameters
    ----------
    histories : dict
        ``{model name: History}`` as returned by :func:`nnlib.training.fit` with a
        validation set.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    if not histories:
        raise ValueError("plot_model_histories expected at least one history, got none")
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown"]
    for k, (name, h) in enumerate(histories.items()):
        c = colours[k % len(colours)]
        epochs = np.arange(1, len(h.train_loss) + 1)
        ax_loss.plot(epochs, h.train_loss, color=c, lw=2, label=f"{name}, training")
        ax_acc.plot(epochs, h.train_acc, color=c, lw=2, label=f"{name}, training")
        if h.val_loss:
            ax_loss.plot(epochs, h.val_loss, color=c, lw=2, ls="--", label=f"{name}, validation")
            ax_acc.plot(epochs, h.val_acc, color=c, lw=2, ls="--", label=f"{name}, validation")
        if h.best_epoch is not None:
            b = h.best_epoch
            ax_loss.plot([b], [h.val_loss[b - 1]], "*", color=c, ms=15, mec="black", zorder=3,
                         label=f"{name}, best epoch {b}")
            ax_acc.plot([b], [h.val_acc[b - 1]], "*", color=c, ms=15, mec="black", zorder=3)
    ax_loss.set_yscale("log")
    ax_loss.set_ylabel("mean cross-entropy (log scale)", fontsize=10)
    ax_loss.set_title("Loss", fontsize=12)
    ax_acc.set_ylabel("accuracy", fontsize=10)
    ax_acc.set_title("Accuracy", fontsize=12)
    ax_acc.set_ylim(top=1.005)
    for ax in (ax_loss, ax_acc):
        ax.set_xlabel("epoch", fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    ax_loss.legend(fontsize=8.5, ncols=1)
    if title:
        fig.suptitle(title, fontsize=13)
    return fig


def plot_misclassified(X, y_true, probs, *, ncols: int = 6, max_images: int = 18):
    """The examples a classifier got wrong, each with its predicted probabilities.

    For each mistake: the 8x8 image titled ``true → predicted``, and below it a bar per
    class, the predicted class red and the true class blue, so one sees whether the
    network hesitated or was confidently wrong.

    Parameters
    ----------
    X : array, shape (N, 64) or (N, 1, 8, 8)
        All examples; only the misclassified ones are drawn.
    y_true : array of int, shape (N,)
    probs : array, shape (N, K)
        Predicted class probabilities (softmax of the scores).
    ncols : int
        Examples per row.
    max_images : int
        At most this many mistakes are shown, the most confident ones first.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    images = _digit_images(X)
    y_true = np.asarray(y_true).reshape(-1)
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 2 or len(probs) != len(images) or len(y_true) != len(images):
        raise ValueError(f"plot_misclassified expected X (N, ...), y_true (N,) and probs (N, K) "
                         f"for the same N, got {len(images)}, {y_true.shape} and {probs.shape}")
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y_true)
    wrong = wrong[np.argsort(-probs[wrong, pred[wrong]], kind="stable")][:max_images]
    k = probs.shape[1]
    if wrong.size == 0:
        fig = Figure(figsize=(5, 1.2), layout="constrained")
        fig.text(0.5, 0.5, "No mistakes: every example is classified correctly.",
                 ha="center", va="center", fontsize=12)
        return fig
    ncols = min(ncols, wrong.size)
    nrows = -(-wrong.size // ncols)
    # a fixed grid instead of a constrained layout: with dozens of small axes it draws
    # several times faster, and every panel has the same size anyway
    height = 2.75 * nrows + 0.5
    fig = Figure(figsize=(1.9 * ncols, height))
    outer = fig.add_gridspec(nrows, ncols, left=0.03, right=0.99, bottom=0.25 / height,
                             top=1 - 0.9 / height, hspace=0.45, wspace=0.3)
    for n, idx in enumerate(wrong):
        r, c = divmod(n, ncols)
        inner = outer[r, c].subgridspec(2, 1, height_ratios=[2.2, 1], hspace=0.12)
        img_ax, bar_ax = fig.add_subplot(inner[0]), fig.add_subplot(inner[1])
        t, p = int(y_true[idx]), int(pred[idx])
        img_ax.imshow(images[idx], cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        img_ax.set_axis_off()
        img_ax.set_title(f"true {t} → said {p}\np({p}) = {probs[idx, p]:.2f}, "
                         f"p({t}) = {probs[idx, t]:.2f}", fontsize=9.5)
        colours = ["0.75"] * k
        colours[p], colours[t] = _CH09_WRONG, _CH09_RIGHT
        bar_ax.bar(range(k), probs[idx], color=colours, width=0.8)
        bar_ax.set_ylim(0, 1)
        bar_ax.set_xticks(range(k), [str(j) for j in range(k)], fontsize=7)
        bar_ax.set_yticks([0, 1], ["0", "1"], fontsize=7)
        bar_ax.tick_params(length=2, pad=1)
        for side in ("top", "right"):
            bar_ax.spines[side].set_visible(False)
    fig.suptitle("Misclassified examples, most confident mistakes first\n"
                 "(bars: predicted probabilities; red = said, blue = true)", fontsize=11,
                 y=1 - 0.08 / height, va="top")
    return fig


# <<end: ch09>>

# ---- section: explorers: learning rate, weight decay, convolution, activation, pooling ----
# Each explorer is one pure function ``plot_xxx(state) -> Figure`` (what the tests check)
# plus, in nnlib.widgets, a live widget and a kernel-free HTML version built from it. The
# training runs behind the learning-rate and weight-decay explorers are cached per value
# (``_explorer_cache``), so moving a slider back and forth only redraws.

_EXPLORER_VERDICT_COLOURS = {"too small": "tab:purple", "good": "tab:green",
                             "oscillating": "tab:orange", "diverges": "tab:red",
                             "overfits": "tab:red", "good fit": "tab:green",
                             "underfits": "tab:purple"}
_EXPLORER_ACTIVATION_COLOURS = {"relu": "tab:blue", "leaky_relu": "tab:purple",
                                "sigmoid": "tab:orange", "tanh": "tab:green"}


def _explorer_cache(fn):
    """``functools.lru_cache`` (imported here, so that the module imports nothing at load)."""
    import functools

    return functools.lru_cache(maxsize=None)(fn)


def _explorer_one_thread():
    """One BLAS thread while the explorers train: their matrices are tiny, and on a busy
    machine several threads per product waste more time waiting than they save (10× here).
    Needs threadpoolctl (a dependency of scikit-learn); without it, nothing changes."""
    import contextlib

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn brings it
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _explorer_choice(value, name: str, options, owner: str):
    """Check that ``value`` is one of ``options`` (a ``ValueError`` naming ``name`` if not)."""
    if value not in options:
        raise ValueError(f"{owner} {name} must be one of {list(options)}, got {value!r}")
    return value


def _explorer_log_axis(axis) -> None:
    """Plain tick labels (0.01, 0.1, 1, 10) on a log axis, none on its minor ticks: mathtext
    labels (``10^{-2}``) are what makes a log axis slow to draw."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def _explorer_frozen(a):
    """A read-only float64 copy: cached results must not be changed by their users."""
    import numpy as np

    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


# -- learning rate η ------------------------------------------------------------------

#: The slider values of the learning-rate explorer. On both problems below the first
#: three creep, 0.1 to 1 converge, 3 zig-zags and 10 blows up.
LR_GRID = (0.001, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: The bowl ``f(w) = ½ wᵀAw``: eigenvalues (curvatures) ``L_min, L_max`` of ``A``, the angle
#: (degrees) of its long axis, the fixed start ``w⁰`` and the number of steps shown.
LR_BOWL = {"curvatures": (0.2, 0.6), "angle": 30.0, "start": (-4.0, 2.5), "steps": 30}
#: The network, ``Linear(64, 32)``-ReLU-``Linear(32, 10)`` trained with ``SGD`` on a fixed
#: subset of the standardised digits, one batch of all ``n`` examples per epoch (so, like on
#: the bowl, 30 epochs are 30 steps of gradient descent).
LR_NETWORK = {"n": 500, "hidden": 32, "batch_size": 500, "epochs": 30}
_LR_EXPLAIN = {"too small": "creeps: the steps are too short to get anywhere",
               "good": "converges",
               "oscillating": "zig-zags: each step overshoots the valley floor",
               "diverges": "blows up: every step overshoots more than the last"}


def _lr_check(lr, owner: str) -> float:
    from ._checks import real_number

    return real_number(lr, "lr", low=0.0, low_open=True, owner=owner)


def _lr_bowl_matrix():
    """``A = R diag(L_min, L_max) Rᵀ``, the bowl rotated by ``LR_BOWL["angle"]``."""
    import numpy as np

    t = np.deg2rad(LR_BOWL["angle"])
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return R @ np.diag(LR_BOWL["curvatures"]) @ R.T


def _lr_bowl_loss(W):
    """``f(w) = ½ wᵀAw`` for every row ``w`` of ``W (..., 2)``."""
    import numpy as np

    return 0.5 * np.einsum("...i,ij,...j->...", W, _lr_bowl_matrix(), W)


@_explorer_cache
def _lr_bowl_run(lr: float):
    import numpy as np

    A = _lr_bowl_matrix()
    w = np.array(LR_BOWL["start"], dtype=np.float64)
    path = [w]
    with np.errstate(all="ignore"):             # a diverging run overflows: that is the point
        for _ in range(LR_BOWL["steps"]):
            w = w - lr * (A @ w)                # w ← w − η ∇f(w), ∇f(w) = A w
            path.append(w)
        path = np.array(path)
        loss = _lr_bowl_loss(path)
        steps = np.diff(path, axis=0)
        reversals = int(np.sum(np.sum(steps[1:] * steps[:-1], axis=1) < 0))
        dist = np.linalg.norm(path, axis=1)
    if not np.all(np.isfinite(loss)) or loss[-1] > loss[0]:
        verdict = "diverges"
    elif reversals >= 2:
        verdict = "oscillating"
    elif dist[-1] > 0.4 * dist[0]:
        verdict = "too small"
    else:
        verdict = "good"
    return _explorer_frozen(path), _explorer_frozen(loss), verdict


def lr_bowl_run(lr: float) -> dict:
    """Gradient descent ``w ← w − η A w`` on the bowl ``f(w) = ½ wᵀAw`` of :data:`LR_BOWL`.

    Returns
    -------
    dict with ``path`` (``(steps + 1, 2)`` iterates from the fixed start), ``loss``
    (``f`` along the path) and ``verdict``: ``"diverges"`` (the loss grew or overflowed),
    ``"oscillating"`` (successive steps point in opposite directions: ``1 < η L_max < 2``),
    ``"too small"`` (still more than 40 % of the way from the minimum) or ``"good"``.
    """
    path, loss, verdict = _lr_bowl_run(_lr_check(lr, "lr_bowl_run"))
    return {"path": path, "loss": loss, "verdict": verdict}


@_explorer_cache
def _lr_digits():
    """The fixed subset of the standardised digits that the network of the explorer learns."""
    import numpy as np

    from .data import Standardizer, digits

    X, y = digits()
    idx = np.random.default_rng(0).permutation(len(X))[:LR_NETWORK["n"]]
    return Standardizer().fit_transform(X[idx]), y[idx]


@_explorer_cache
def _lr_network_run(lr: float):
    import numpy as np

    from .activations import ReLU
    from .layers import Linear, Sequential
    from .losses import SoftmaxCrossEntropy
    from .optim import SGD
    from .training import evaluate, fit

    X, y = _lr_digits()
    h = LR_NETWORK["hidden"]
    net = Sequential(Linear(64, h, rng=1), ReLU(), Linear(h, 10, rng=2))
    loss = SoftmaxCrossEntropy()
    # fit's "validation" set is the training set itself: val_loss is then the training
    # loss after each epoch (train_loss is averaged while the weights move).
    with _explorer_one_thread():
        start = evaluate(net, loss, X, y)[0]
        hist = fit(net, loss, SGD(net.parameters(), lr=lr), X, y,
                   epochs=LR_NETWORK["epochs"], batch_size=LR_NETWORK["batch_size"], rng=3,
                   validation=(X, y))
    losses = np.array([start] + hist.val_loss)
    with np.errstate(invalid="ignore"):
        rises = int(np.sum(losses[1:] > 1.01 * losses[:-1]))
    if hist.diverged or not np.isfinite(losses[-1]) or losses[-1] >= start:
        verdict = "diverges"
    elif rises:
        verdict = "oscillating"
    elif losses[-1] > 0.4 * start:
        verdict = "too small"
    else:
        verdict = "good"
    return _explorer_frozen(losses), bool(hist.diverged), verdict


def lr_network_run(lr: float) -> dict:
    """Train the network of :data:`LR_NETWORK` with ``SGD(lr=η)`` (cached per η).

    Returns
    -------
    dict with ``loss`` (the loss before training, then the training loss of each epoch;
    ends early if training diverged), ``diverged`` (``History.diverged``) and ``verdict``:
    ``"diverges"`` (NaN/inf, or the loss ended above where it started), ``"oscillating"``
    (the loss rose by more than 1 % from one epoch to the next), ``"too small"`` (it is
    still above 40 % of its starting value) or ``"good"``.
    """
    loss, diverged, verdict = _lr_network_run(_lr_check(lr, "lr_network_run"))
    return {"loss": loss, "diverged": diverged, "verdict": verdict}


def lr_verdict(lr: float) -> str:
    """``"too small"``, ``"good"``, ``"oscillating"`` or ``"diverges"`` for learning rate η.

    Computed from the two runs of the explorer (:func:`lr_bowl_run`,
    :func:`lr_network_run`); on :data:`LR_GRID` they agree. Where they would not, the
    more alarming verdict wins (diverges > oscillating > too small > good).
    """
    lr = _lr_check(lr, "lr_verdict")
    order = ("good", "too small", "oscillating", "diverges")
    return max(_lr_bowl_run(lr)[2], _lr_network_run(lr)[2], key=order.index)


def lr_critical() -> float:
    """The largest stable η on the bowl: ``2 / L_max``, ``L_max`` its steepest curvature.

    Along a direction of curvature ``L`` a step multiplies the distance to the minimum by
    ``1 − ηL``: it shrinks for ``ηL < 2`` (flipping sign, zig-zagging, for ``ηL > 1``)
    and grows for ``ηL > 2``.
    """
    return 2.0 / max(LR_BOWL["curvatures"])


def plot_lr(lr: float):
    """Learning-rate explorer: one η, two problems, the same four regimes.

    Left: 30 steps of gradient descent ``w ← w − η ∇f(w)`` on an elongated quadratic
    bowl (contours of ``f``), from a fixed start. Right: the training loss per epoch of a
    small network on the digits trained with ``SGD(lr=η)``; the runs of the other
    η of :data:`LR_GRID` in grey. The title gives the verdict (:func:`lr_verdict`).

    Parameters
    ----------
    lr : float
        The learning rate ``η > 0``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    lr = _lr_check(lr, "plot_lr")
    bowl, net = lr_bowl_run(lr), lr_network_run(lr)
    verdict = lr_verdict(lr)
    crit = lr_critical()
    L_min, L_max = LR_BOWL["curvatures"]

    # a fixed layout: "constrained" would cost a third of every redraw
    fig = Figure(figsize=(9, 3.4))
    ax, bx = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1], "left": 0.06,
                                             "right": 0.985, "bottom": 0.14, "top": 0.83,
                                             "wspace": 0.2})
    fig.suptitle(f"η = {lr:g}: {verdict} — {_LR_EXPLAIN[verdict]}", fontsize=12,
                 color=_EXPLORER_VERDICT_COLOURS[verdict], fontweight="bold")

    # left: the bowl
    ax.set_label("bowl")
    xs, ys = np.linspace(-5.5, 5.5, 121), np.linspace(-4, 4, 91)
    G = np.stack(np.meshgrid(xs, ys), axis=-1)
    ax.contourf(xs, ys, _lr_bowl_loss(G), levels=14, cmap="Blues_r", alpha=0.85)
    ax.contour(xs, ys, _lr_bowl_loss(G), levels=14, colors="white", linewidths=0.4)
    colour = _EXPLORER_VERDICT_COLOURS[bowl["verdict"]]
    path = bowl["path"]
    with np.errstate(all="ignore"):
        shown = np.all(np.abs(path) < 1e6, axis=1)          # beyond, the line is off-plot
    ax.plot(path[shown, 0], path[shown, 1], "-o", color=colour, ms=3, lw=1.4,
            label=f"{LR_BOWL['steps']} steps of gradient descent")
    ax.plot(*path[0], "o", color="black", ms=6, label="start $w^0$")
    ax.plot(0, 0, "*", color="gold", mec="black", ms=13, label="minimum")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title(f"bowl $f(w) = ½\\,w^TAw$: {bowl['verdict']}", fontsize=10)
    note = (f"curvatures L = {L_min:g}, {L_max:g}\ncritical η = 2/L_max = {crit:.3g}"
            f"\nη·L_max = {lr * L_max:.3g}")
    if not np.all(np.isfinite(path[-1])) or np.any(np.abs(path[-1]) > 5.5):
        with np.errstate(all="ignore"):
            dist = np.linalg.norm(path[-1])
        note += f"\nthe iterates leave the plot:\n‖w‖ = {dist:.1e} after {len(path) - 1} steps"
    ax.text(0.02, 0.02, note, transform=ax.transAxes, fontsize=8, va="bottom",
            bbox=dict(boxstyle="round", fc="white", alpha=0.85, lw=0))
    ax.legend(loc="upper right", fontsize=7, framealpha=0.85)

    # right: the network
    bx.set_label("network")
    top, bottom = 30.0, 3e-3
    for other in LR_GRID:
        if other != lr:
            loss = lr_network_run(other)["loss"]
            bx.plot(np.arange(len(loss)), np.clip(loss, bottom, top), color="0.8", lw=1,
                    zorder=1)
    loss = net["loss"]
    colour = _EXPLORER_VERDICT_COLOURS[net["verdict"]]
    epochs = np.arange(len(loss))
    with np.errstate(invalid="ignore"):
        off = ~(np.isfinite(loss) & (loss <= top))
    first_off = int(np.argmax(off)) if off.any() else len(loss)
    bx.plot(epochs[:first_off], loss[:first_off], "-o", color=colour, ms=3, lw=2, zorder=3,
            label=f"η = {lr:g}")
    if off.any():                                    # the run leaves the plot: mark where
        bx.plot([epochs[first_off - 1], epochs[first_off]], [loss[first_off - 1], top],
                color=colour, lw=2, zorder=3)
        what = "NaN/inf" if net["diverged"] else f"{np.nanmax(loss):.0e}"
        bx.plot(epochs[first_off], top, "^", color=colour, ms=10, zorder=4,
                label=f"diverged (loss → {what})")
    bx.axhline(loss[0], color="0.5", lw=0.8, ls=":", zorder=0)
    bx.text(0.3, loss[0] * 1.15, "before training", fontsize=7, color="0.4")
    bx.set_yscale("log")
    _explorer_log_axis(bx.yaxis)
    bx.set_ylim(bottom, top * 1.6)
    bx.set_xlim(-0.5, LR_NETWORK["epochs"] + 0.5)
    bx.set_xlabel("epoch")
    bx.set_ylabel("training loss (cross-entropy)")
    bx.set_title(f"network 64–{LR_NETWORK['hidden']}–10, {LR_NETWORK['n']} digits, full batch: "
                 f"{net['verdict']}", fontsize=10)
    bx.grid(alpha=0.3, lw=0.5)
    bx.legend(loc="lower left", fontsize=8, framealpha=0.85)
    return fig


# -- weight decay λ -----------------------------------------------------------------

#: The slider values of the weight-decay explorer, 0 and then log-spaced up to 1.
WEIGHT_DECAY_GRID = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
#: The notes' choice of λ (§8.2).
WEIGHT_DECAY_NOTES = 0.01
#: The set-up, an MLP 2–64–64–2 on few noisy moons trained by full-batch SGD with ``lr``.
WEIGHT_DECAY_SETUP = {"n_train": 20, "n_val": 200, "noise": 0.35, "hidden": 64, "lr": 0.5,
                      "epochs": 200}
_WD_EXPLAIN = {"overfits": "the validation loss turns back up while the training loss → 0",
               "good fit": "the validation loss ends near its lowest value",
               "underfits": "the weights are held so small that even the training data "
                            "is not fitted"}


def _wd_check(lam, owner: str) -> float:
    from ._checks import real_number

    return real_number(lam, "lam", low=0.0, owner=owner)


@_explorer_cache
def _wd_data():
    """Few noisy training moons and a larger validation set from the same distribution."""
    from .data import moons

    s = WEIGHT_DECAY_SETUP
    return moons(s["n_train"], s["noise"], rng=1), moons(s["n_val"], s["noise"], rng=2)


def _wd_network():
    from .activations import ReLU
    from .layers import Linear, Sequential

    h = WEIGHT_DECAY_SETUP["hidden"]
    return Sequential(Linear(2, h, rng=1), ReLU(), Linear(h, h, rng=2), ReLU(),
                      Linear(h, 2, rng=3))


@_explorer_cache
def _wd_run(lam: float):
    import numpy as np

    from .losses import SoftmaxCrossEntropy
    from .optim import SGD
    from .training import fit

    (Xt, yt), (Xv, yv) = _wd_data()
    s = WEIGHT_DECAY_SETUP
    net = _wd_network()
    with _explorer_one_thread():
        hist = fit(net, SoftmaxCrossEntropy(),
                   SGD(net.parameters(), lr=s["lr"], weight_decay=lam), Xt, yt,
                   epochs=s["epochs"], batch_size=len(Xt), rng=4, validation=(Xv, yv))
    weights = np.concatenate([p.value.ravel() for p in net.parameters() if p.decay])
    xs = np.linspace(-1.8, 2.8, 93)
    ys = np.linspace(-1.5, 2.0, 71)
    G = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    net.eval()
    scores = net.forward(G)
    z = scores[:, 1] - scores[:, 0]                 # log-odds of class 1: boundary at 0
    train, val = hist.train_loss[-1], hist.val_loss[-1]
    if train > 0.5 * np.log(2):
        verdict = "underfits"
    elif val > 1.1 * min(hist.val_loss):
        verdict = "overfits"
    else:
        verdict = "good fit"
    return {"train_loss": _explorer_frozen(hist.train_loss),
            "val_loss": _explorer_frozen(hist.val_loss),
            "train_acc": hist.train_acc[-1], "val_acc": hist.val_acc[-1],
            "weights": _explorer_frozen(weights),
            "grid": (_explorer_frozen(xs), _explorer_frozen(ys),
                     _explorer_frozen(z.reshape(len(ys), len(xs)))),
            "verdict": verdict}


def weight_decay_run(lam: float) -> dict:
    """Train the MLP of :data:`WEIGHT_DECAY_SETUP` with ``SGD(weight_decay=λ)`` (cached per λ).

    Returns
    -------
    dict with ``train_loss`` and ``val_loss`` per epoch (data loss, without ``λ Σ w²``),
    the final ``train_acc``, ``val_acc``, ``weights`` (all entries of the weight
    matrices, not the biases), ``grid`` (``xs, ys, z``: the score difference
    ``s₁ − s₀`` over the plane; the decision boundary is ``z = 0``) and ``verdict``:
    ``"underfits"`` (the final training loss is above ``½ ln 2``, half the loss of a
    coin flip), ``"overfits"`` (the final validation loss is over 10 % above its minimum)
    or ``"good fit"``.
    """
    return dict(_wd_run(_wd_check(lam, "weight_decay_run")))


def weight_decay_verdict(lam: float) -> str:
    """``"overfits"``, ``"good fit"`` or ``"underfits"`` for weight decay λ (from the run)."""
    return _wd_run(_wd_check(lam, "weight_decay_verdict"))["verdict"]


def plot_weight_decay(lam: float):
    """Weight-decay explorer: the same small network trained with ``E_in + λ Σ w²``.

    Left: training and validation loss per epoch. Middle: the decision boundary with the
    training points (large) and the validation points (small). Right: a histogram of the
    weights and ``Σ w²``. The title gives the verdict (:func:`weight_decay_verdict`).

    Parameters
    ----------
    lam : float
        ``λ ≥ 0``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    lam = _wd_check(lam, "plot_weight_decay")
    run = _wd_run(lam)
    (Xt, yt), (Xv, yv) = _wd_data()
    verdict = run["verdict"]
    notes = " (the notes' choice)" if lam == WEIGHT_DECAY_NOTES else ""
    fig = Figure(figsize=(10, 3.4))          # a fixed layout, for speed (as plot_lr)
    ax, bx, cx = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.05, 0.9],
                                                 "left": 0.07, "right": 0.985, "bottom": 0.14,
                                                 "top": 0.83, "wspace": 0.3})
    fig.suptitle(f"λ = {lam:g}{notes}: {verdict} — {_WD_EXPLAIN[verdict]}", fontsize=12,
                 color=_EXPLORER_VERDICT_COLOURS[verdict], fontweight="bold")

    ax.set_label("loss")
    epochs = np.arange(1, len(run["train_loss"]) + 1)
    ax.plot(epochs, run["train_loss"], color="tab:blue", lw=2,
            label=f"training ({len(Xt)} points): {run['train_loss'][-1]:.3f}")
    ax.plot(epochs, run["val_loss"], color="tab:orange", lw=2,
            label=f"validation ({len(Xv)}): {run['val_loss'][-1]:.3f}")
    best = int(np.argmin(run["val_loss"]))
    ax.plot(epochs[best], run["val_loss"][best], "v", color="tab:orange", ms=7,
            label=f"lowest validation loss (epoch {best + 1})")
    ax.set_yscale("log")
    _explorer_log_axis(ax.yaxis)
    ax.set_ylim(3e-3, 3)
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy loss")
    ax.set_title("loss (without the λΣw² term)", fontsize=10)
    ax.grid(alpha=0.3, lw=0.5)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.85)

    bx.set_label("boundary")
    xs, ys, z = run["grid"]
    bx.imshow(np.clip(z, -8, 8), extent=(xs[0], xs[-1], ys[0], ys[-1]), origin="lower",
              cmap="RdBu", vmin=-8, vmax=8, alpha=0.45, aspect="auto",
              interpolation="bilinear")
    if z.min() < 0 < z.max():
        bx.contour(xs, ys, z, levels=[0], colors="black", linewidths=1.5)
    for c, colour in ((0, "tab:red"), (1, "tab:blue")):
        bx.scatter(*Xv[yv == c].T, s=6, color=colour, alpha=0.5, lw=0)
        bx.scatter(*Xt[yt == c].T, s=40, color=colour, edgecolor="black", lw=0.8,
                   label=f"class {c} (training)")
    bx.set_xlim(xs[0], xs[-1])
    bx.set_ylim(ys[0], ys[-1])
    bx.set_xlabel("$x_1$")
    bx.set_ylabel("$x_2$")
    bx.set_title(f"decision boundary: accuracy {run['train_acc']:.0%} training, "
                 f"{run['val_acc']:.0%} validation", fontsize=9)
    bx.legend(loc="lower left", fontsize=7, framealpha=0.85)

    cx.set_label("weights")
    w = run["weights"]
    cx.hist(np.clip(w, -3, 3), bins=np.linspace(-3, 3, 49), color="tab:gray")
    cx.set_ylim(0, None)
    cx.set_xlim(-3, 3)
    cx.set_xlabel("weight value $w$")
    cx.set_ylabel("count")
    cx.set_title(f"{w.size} weights: Σw² = {np.sum(w ** 2):.3g}", fontsize=10)
    cx.grid(alpha=0.3, lw=0.5)
    return fig


# -- convolution: stride, padding, kernel size -------------------------------------------

#: The kernel names of the convolution explorer (3×3 ones from :data:`nnlib.conv.KERNELS`).
CONV_KERNEL_NAMES = ("edge", "blur", "sharpen", "sobel_x", "sobel_y")
_CONV_TITLES = {"edge": "edge E", "blur": "blur", "sharpen": "sharpen", "sobel_x": "Sobel x",
                "sobel_y": "Sobel y", "identity": "identity"}


def conv_kernel(name: str, size: int = 3):
    """The explorer's kernel ``name`` as a ``size × size`` array (``size`` 3 or 5).

    Size 3 is :data:`nnlib.conv.KERNELS` (``"edge"`` is the notes' ``E``). The 5×5
    versions extend them in the same spirit:

    * ``edge``: ``24`` at the centre and ``−1`` elsewhere: the centre minus the mean of its
      window, times 25 (``E`` is the 3×3 case, ``9·centre − window sum``); sums to 0.
    * ``blur``: the 5×5 box filter, all ``1/25``.
    * ``sharpen``: ``2·identity − blur`` (unsharp masking, sums to 1); the 3×3 kernel
      is the same idea with the 4 direct neighbours.
    * ``sobel_x`` / ``sobel_y``: the 5×5 Sobel kernels, the outer product of the
      smoothing ``[1, 4, 6, 4, 1]`` with the derivative ``[−1, −2, 0, 2, 1]``.
    * ``identity``: 1 at the centre.
    """
    import numpy as np

    from ._checks import positive_int
    from .conv import KERNELS

    _explorer_choice(name, "name", tuple(KERNELS), "conv_kernel")
    size = positive_int(size, "size", owner="conv_kernel")
    _explorer_choice(size, "size", (3, 5), "conv_kernel")
    if size == 3:
        return np.array(KERNELS[name])
    delta = np.zeros((5, 5))
    delta[2, 2] = 1.0
    box = np.full((5, 5), 1 / 25)
    sobel = np.outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1]).astype(np.float64)
    return {"edge": 25 * delta - 1, "blur": box, "sharpen": 2 * delta - box,
            "sobel_x": sobel, "sobel_y": sobel.T, "identity": delta}[name]


@_explorer_cache
def explorer_image(size: int = 48):
    """The explorers' picture: matplotlib's photograph of Grace Hopper, grey, ``size × size``
    (read-only, cached)."""
    from .data import sample_image

    return _explorer_frozen(sample_image(gray=True, size=size))


def _explorer_int(value, name: str, owner: str, minimum: int) -> int:
    from ._checks import positive_int

    return positive_int(value, name, minimum=minimum, owner=owner)


def plot_conv(image, kernel, stride: int = 1, padding: int = 0, *, kernel_name: str | None = None,
              window: tuple[int, int] = (0, 0)):
    """Convolution explorer: the padded input, the kernel, the output and its size.

    Left: the input with its zero padding (shaded) and the window of output entry
    ``window`` (solid) and of the next one to the right (dashed, ``s`` pixels on). Middle:
    the kernel's values. Right: ``convolve2d(image, kernel, stride, padding)``, drawn at the
    same scale as the input (one output entry per input pixel), so it shrinks visibly
    with the stride. The title is the output-size formula with the numbers.

    Parameters
    ----------
    image : array, shape (H, W)
    kernel : array, shape (k, k)
    stride : int ≥ 1
    padding : int ≥ 0
    kernel_name : str, optional
        Shown in the kernel's title (e.g. ``"edge"``).
    window : (int, int)
        The output entry whose window is highlighted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from ._checks import as_array
    from .conv import conv_output_size, convolve2d

    owner = "plot_conv"
    image = as_array(image, "image", ndim=2, owner=owner)
    kernel = as_array(kernel, "kernel", ndim=2, owner=owner)
    if kernel.shape[0] != kernel.shape[1]:
        raise ValueError(f"{owner} kernel must be square (k, k), got shape {kernel.shape}")
    stride = _explorer_int(stride, "stride", owner, 1)
    padding = _explorer_int(padding, "padding", owner, 0)
    H, W = image.shape
    k = kernel.shape[0]
    if k > min(H, W) + 2 * padding:
        raise ValueError(f"{owner} kernel of size {k} is larger than the padded image: "
                         f"{min(H, W)} + 2·{padding} = {min(H, W) + 2 * padding}")
    Ho, Wo = conv_output_size(H, k, stride, padding), conv_output_size(W, k, stride, padding)
    if not (isinstance(window, tuple) and len(window) == 2
            and all(isinstance(i, int) for i in window)
            and 0 <= window[0] < Ho and 0 <= window[1] < Wo):
        raise ValueError(f"{owner} window must be an output position (i, j) with "
                         f"0 <= i < {Ho} and 0 <= j < {Wo}, got {window!r}")
    out = convolve2d(image, kernel, stride, padding)
    padded = np.pad(image, padding)
    P = H + 2 * padding

    formula = (f"⌊(H + 2p − k)/s⌋ + 1 = ⌊({H} + 2·{padding} − {k})/{stride}⌋ + 1 = {Ho}")
    if W != H:
        formula += f";  width ⌊({W} + 2·{padding} − {k})/{stride}⌋ + 1 = {Wo}"
    fig = Figure(figsize=(9, 3.4))          # a fixed layout, for speed (as plot_lr)
    ax, kx, ox = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 0.62, 1], "left": 0.01,
                                                 "right": 0.97, "bottom": 0.12, "top": 0.85,
                                                 "wspace": 0.12})
    fig.suptitle(f"output size {formula}", fontsize=12)

    ax.set_label("input")
    ax.imshow(padded, cmap="gray", vmin=0, vmax=1, extent=(-0.5, P - 0.5, P - 0.5, -0.5))
    if padding:
        frame = np.zeros((P, W + 2 * padding, 4))
        frame[..., :3] = (0.12, 0.47, 0.71)                  # tab:blue
        frame[..., 3] = 0.55
        frame[padding:padding + H, padding:padding + W, 3] = 0
        ax.imshow(frame, extent=(-0.5, P - 0.5, P - 0.5, -0.5))
    i, j = window
    ax.add_patch(Rectangle((j * stride - 0.5, i * stride - 0.5), k, k, fill=False,
                           ec="tab:orange", lw=2.2, label=f"window of output ({i}, {j})"))
    if (j + 1) < Wo:
        ax.add_patch(Rectangle(((j + 1) * stride - 0.5, i * stride - 0.5), k, k, fill=False,
                               ec="tab:orange", lw=1.4, ls="--",
                               label=f"next window, s = {stride} to the right"))
    ax.set_xlim(-0.5, P - 0.5)
    ax.set_ylim(P - 0.5, -0.5)
    pad_note = f", zero padding p = {padding} (blue)" if padding else ", no padding"
    ax.set_title(f"input {H}×{W}{pad_note}", fontsize=9)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), fontsize=7, ncol=1,
              frameon=False)
    ax.set_xticks([])
    ax.set_yticks([])

    kx.set_label("kernel")
    lim = max(np.abs(kernel).max(), 1e-12)
    kx.imshow(kernel, cmap="RdBu_r", vmin=-lim, vmax=lim)
    fmt = "{:.2g}" if np.any(kernel != np.round(kernel)) else "{:.0f}"
    for (r, c), v in np.ndenumerate(kernel):
        kx.text(c, r, fmt.format(v).replace("-", "−"), ha="center", va="center",
                fontsize=10 if k == 3 else 7,
                color="white" if abs(v) > 0.6 * lim else "black")
    name = _CONV_TITLES.get(kernel_name, kernel_name) if kernel_name else "kernel"
    kx.set_title(f"{name}, k = {k}\n(weights W, sum {kernel.sum():.3g})", fontsize=9)
    kx.set_xticks([])
    kx.set_yticks([])

    ox.set_label("output")
    zero_sum = abs(kernel.sum()) < 1e-9
    if zero_sum:          # edges: signed, around 0
        m = max(float(np.percentile(np.abs(out), 99)), 1e-12)   # a few extremes: clip them
        im = ox.imshow(out, cmap="RdBu_r", vmin=-m, vmax=m,
                       extent=(-0.5, Wo - 0.5, Ho - 0.5, -0.5))
    else:
        im = ox.imshow(out, cmap="gray", extent=(-0.5, Wo - 0.5, Ho - 0.5, -0.5))
    ox.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec="tab:orange", lw=2))
    ox.set_xlim(-0.5, P - 0.5)            # same scale as the input: one entry per pixel
    ox.set_ylim(P - 0.5, -0.5)
    ox.set_facecolor("0.93")
    ox.set_title(f"output {Ho}×{Wo} (same scale as the input)", fontsize=9)
    ox.set_xticks([])
    ox.set_yticks([])
    fig.colorbar(im, ax=ox, shrink=0.7, pad=0.02)
    return fig


# -- activation functions φ ---------------------------------------------------------------

_ACT_TEXT = {
    "relu": (r"ReLU: $\varphi(z) = \max(0, z)$",
             r"$\varphi'(z) = 1$ for $z > 0$, else $0$",
             "0 for z < 0: a unit with z < 0\npasses no gradient back"),
    "sigmoid": (r"sigmoid: $\sigma(z) = 1/(1 + e^{-z})$",
                r"$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$",
                "at most 1/4 (at z = 0), ≈ 0 for |z| > 5:\nthe gradient shrinks at each layer"),
    "tanh": (r"tanh: $\varphi(z) = \tanh z$",
             r"$\varphi'(z) = 1 - \tanh^2 z$",
             "at most 1 (at z = 0),\n≈ 0 for |z| > 3 (saturation)"),
    "leaky_relu": (r"leaky ReLU: $\varphi(z) = z$ or $\alpha z$",
                   r"$\varphi'(z) = 1$ for $z > 0$, else $\alpha$",
                   "α for z < 0: never exactly 0,\nso no unit dies"),
}


def plot_activation(name: str, alpha: float = 0.1, z_max: float = 6.0):
    """Activation explorer: ``φ(z)`` and ``φ'(z)`` side by side on ``z ∈ [−z_max, z_max]``.

    The curves come from :data:`nnlib.activations.ACTIVATIONS`; the other activations
    are drawn in light grey for comparison. ``alpha`` is leaky ReLU's slope for ``z ≤ 0``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    from ._checks import real_number
    from .activations import ACTIVATIONS

    owner = "plot_activation"
    _explorer_choice(name, "name", tuple(ACTIVATIONS), owner)
    alpha = real_number(alpha, "alpha", low=0.0, high=1.0, owner=owner)
    z_max = real_number(z_max, "z_max", low=0.0, low_open=True, owner=owner)
    z = np.linspace(-z_max, z_max, 601)
    if not np.any(z == 0):
        z = np.sort(np.append(z, 0.0))

    def curves(key):
        f, df = ACTIVATIONS[key]
        kw = {"alpha": alpha} if key == "leaky_relu" else {}
        return f(z, **kw), df(z, **kw)

    colour = _EXPLORER_ACTIVATION_COLOURS.get(name, "tab:blue")
    title, grad_title, note = _ACT_TEXT.get(name, (name, f"{name}'", ""))
    fig = Figure(figsize=(9, 3.3))          # a fixed layout, for speed (as plot_lr)
    ax, dx = fig.subplots(1, 2, gridspec_kw={"left": 0.07, "right": 0.985, "bottom": 0.15,
                                             "top": 0.83, "wspace": 0.22})
    extra = f" (α = {alpha:g})" if name == "leaky_relu" else ""
    fig.suptitle(f"φ = {name}{extra}: the activation and its derivative φ'", fontsize=12)
    for key in ACTIVATIONS:
        if key != name:
            phi, dphi = curves(key)
            ax.plot(z, phi, color="0.85", lw=1.2, zorder=1)
            dx.plot(z, dphi, color="0.85", lw=1.2, zorder=1)
    phi, dphi = curves(name)
    ax.plot(z, phi, color=colour, lw=2.5, zorder=3, label=r"$\varphi(z)$")
    dx.plot(z, dphi, color=colour, lw=2.5, zorder=3, label=r"$\varphi'(z)$")
    at0 = dphi[np.flatnonzero(z == 0)[0]]
    dx.plot(0, at0, "o", color=colour, ms=6, zorder=4)
    dx.annotate(f"φ'(0) = {at0:.3g}", xy=(0, at0), xytext=(0.6, at0 + 0.18),
                fontsize=8, color=colour)
    dx.text(0.02, 0.97, note, transform=dx.transAxes, fontsize=8, va="top",
            bbox=dict(boxstyle="round", fc="white", alpha=0.85, lw=0))
    for a, lab, ttl in ((ax, r"$\varphi(z)$", title), (dx, r"$\varphi'(z)$", grad_title)):
        a.axhline(0, color="0.6", lw=0.8, zorder=0)
        a.axvline(0, color="0.6", lw=0.8, zorder=0)
        a.grid(alpha=0.3)
        a.set_xlabel("pre-activation $z$")
        a.set_ylabel(lab)
        a.set_title(ttl, fontsize=10)
        a.set_xlim(-z_max, z_max)
    ax.set_label("function")
    dx.set_label("derivative")
    ax.set_ylim(-1.5, 2.5)
    dx.set_ylim(-0.15, 1.25)
    return fig


# -- pooling ----------------------------------------------------------------------------

#: The 6×6 grid of small integers the pooling explorer pools.
POOL_EXAMPLE = ((3, 8, 1, 0, 6, 2), (5, 2, 9, 4, 1, 7), (0, 6, 3, 8, 2, 5),
                (7, 1, 4, 2, 9, 3), (2, 9, 0, 5, 3, 6), (4, 3, 7, 1, 8, 0))
_POOL_MODULES = {"max": "MaxPool2D", "mean": "AvgPool2D", "min": "MinPool2D"}


def _pool(x, mode: str, kernel_size: int, stride: int):
    """``x (H, W)`` pooled with the module of :mod:`nnlib.conv` for ``mode``."""
    from . import conv

    module = getattr(conv, _POOL_MODULES[mode])(kernel_size, stride)
    return module.forward(x[None, None])[0, 0]


def plot_pooling(x=POOL_EXAMPLE, mode: str = "max", kernel_size: int = 2, stride: int = 2, *,
                 image=None):
    """Pooling explorer: a small grid of numbers and a picture, pooled.

    From the left: the grid ``x`` with the first window highlighted (its chosen entry
    circled for max and min; cells no window covers hatched), the pooled grid, the image
    and the pooled image (same scale, so the shrinking shows). The pooling is done by
    :class:`~nnlib.conv.MaxPool2D`, :class:`~nnlib.conv.AvgPool2D` or
    :class:`~nnlib.conv.MinPool2D`.

    Parameters
    ----------
    x : array, shape (H, W)
    mode : {"max", "mean", "min"}  (``"avg"`` is accepted for ``"mean"``)
    kernel_size, stride : int
    image : array, shape (H', W'), optional
        Default: the grey sample picture, 48×48.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Rectangle

    from ._checks import as_array
    from .conv import conv_output_size

    owner = "plot_pooling"
    x = as_array(x, "x", ndim=2, owner=owner)
    mode = "mean" if mode == "avg" else mode
    _explorer_choice(mode, "mode", tuple(_POOL_MODULES), owner)
    kernel_size = _explorer_int(kernel_size, "kernel_size", owner, 1)
    stride = _explorer_int(stride, "stride", owner, 1)
    image = explorer_image() if image is None else as_array(image, "image", ndim=2, owner=owner)
    for arr, what in ((x, "x"), (image, "image")):
        if kernel_size > min(arr.shape):
            raise ValueError(f"{owner} kernel_size {kernel_size} is larger than {what}, "
                             f"of shape {arr.shape}")
    y = _pool(x, mode, kernel_size, stride)
    pooled = _pool(image, mode, kernel_size, stride)
    H, W = x.shape
    Ho = conv_output_size(H, kernel_size, stride)

    fig = Figure(figsize=(10, 3.1))         # a fixed layout, for speed (as plot_lr)
    gx, px, ix, qx = fig.subplots(1, 4, gridspec_kw={"left": 0.01, "right": 0.99,
                                                     "bottom": 0.02, "top": 0.84,
                                                     "wspace": 0.06})
    fig.suptitle(f"{mode} pooling, k = {kernel_size}, s = {stride}: {H}×{W} → "
                 f"{y.shape[0]}×{y.shape[1]}   (⌊({H} − {kernel_size})/{stride}⌋ + 1 = {Ho})",
                 fontsize=12)
    integer = np.all(x == np.round(x))
    fmt = "{:.0f}" if integer else "{:.2g}"
    k, s = kernel_size, stride
    covered = np.zeros_like(x, dtype=bool)
    for r in range(y.shape[0]):
        for c in range(y.shape[1]):
            covered[r * s:r * s + k, c * s:c * s + k] = True

    gx.set_label("grid")
    gx.imshow(x, cmap="Blues", vmin=x.min(), vmax=x.max() + 0.6 * (x.max() - x.min()))
    for (r, c), v in np.ndenumerate(x):
        gx.text(c, r, fmt.format(v), ha="center", va="center", fontsize=10,
                color="black" if covered[r, c] else "0.6")
        if not covered[r, c]:
            gx.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, hatch="///",
                                   ec="0.6", lw=0))
    gx.add_patch(Rectangle((-0.5, -0.5), k, k, fill=False, ec="tab:orange", lw=2.5))
    if y.shape[1] > 1:
        gx.add_patch(Rectangle((s - 0.5, -0.5), k, k, fill=False, ec="tab:orange", lw=1.3,
                               ls="--"))
    if mode != "mean":
        win = x[:k, :k]
        r, c = np.unravel_index(np.argmax(win) if mode == "max" else np.argmin(win), win.shape)
        gx.add_patch(Circle((c, r), 0.38, fill=False, ec="tab:red", lw=2))
    gx.set_title(f"input {H}×{W}, first window", fontsize=9)

    px.set_label("pooled")
    px.imshow(y, cmap="Blues", vmin=x.min(), vmax=x.max() + 0.6 * (x.max() - x.min()),
              extent=(-0.5, y.shape[1] - 0.5, y.shape[0] - 0.5, -0.5))
    yfmt = fmt if mode != "mean" else "{:.2f}"
    for (r, c), v in np.ndenumerate(y):
        px.text(c, r, yfmt.format(v), ha="center", va="center",
                fontsize=10 if mode != "mean" else 8)
    px.add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, ec="tab:orange", lw=2.5))
    px.set_xlim(-0.5, W - 0.5)
    px.set_ylim(H - 0.5, -0.5)
    px.set_facecolor("0.95")
    px.set_title(f"{mode} pooled, {y.shape[0]}×{y.shape[1]}", fontsize=9)

    ix.set_label("image")
    ix.imshow(image, cmap="gray", vmin=0, vmax=1)
    ix.set_title(f"image {image.shape[0]}×{image.shape[1]}", fontsize=9)
    qx.set_label("pooled image")
    qx.imshow(pooled, cmap="gray", vmin=0, vmax=1,
              extent=(-0.5, pooled.shape[1] - 0.5, pooled.shape[0] - 0.5, -0.5))
    qx.set_xlim(-0.5, image.shape[1] - 0.5)
    qx.set_ylim(image.shape[0] - 0.5, -0.5)
    qx.set_facecolor("0.95")
    qx.set_title(f"{mode} pooled, {pooled.shape[0]}×{pooled.shape[1]} (same scale)",
                 fontsize=9)
    for a in (gx, px, ix, qx):
        a.set_xticks([])
        a.set_yticks([])
    return fig
# <<end: explorers>>
