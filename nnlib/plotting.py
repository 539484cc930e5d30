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
        pass, written in a box above the node.
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
                width = 1.2 if w is None else 0.8 + 2.6 * abs(w) / (wmax or 1.0)
                d = np.hypot(x1 - x0, y1 - y0)
                ux, uy = (x1 - x0) / d, (y1 - y0) / d
                ax.annotate("", xy=(x1 - r * ux, y1 - r * uy), xytext=(x0 + r * ux, y0 + r * uy),
                            arrowprops=dict(arrowstyle="-|>", color=color, lw=width,
                                            shrinkA=0, shrinkB=0, mutation_scale=10),
                            zorder=1)
                if w is not None:
                    # stagger the labels along the edge so that edges leaving one node
                    # (which fan out) and edges of neighbouring nodes do not collide
                    t = 0.26 + 0.2 * (i % 3) if sizes[k] > 1 else 0.3
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), _fmt_number(w),
                            ha="center", va="center", fontsize=9, color=color, zorder=3,
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
    fig = Figure(figsize=(11, 4.4), layout="constrained")
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
    fig = Figure(figsize=(12, 5.6), layout="constrained")
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
    fig = Figure(figsize=(11 if chains else 6, 4.2), layout="constrained")
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
    fig = Figure(figsize=(11, 4), layout="constrained")
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
    ax2.legend(fontsize=9, loc="center right")
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
    ax.plot(z, np.maximum(z, 0), color="tab:blue", lw=3, label=r"$\mathrm{ReLU}(z) = \max(0, z)$")
    ax.plot([-2 * h, 2 * h], [0, 0], color="tab:orange", lw=1.5, ls="--",
            label="slope from the left: 0")
    ax.plot([-h, 2 * h], [-h, 2 * h], color="tab:green", lw=1.5, ls="--",
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
        ``{label: array (T,)}``: the error over ``T`` SGD steps, drawn in a second panel.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib.figure import Figure

    etas, losses = np.asarray(etas, dtype=float), np.asarray(losses, dtype=float)
    fig = Figure(figsize=(11 if runs else 6, 4.2), layout="constrained")
    axes = fig.subplots(1, 2 if runs else 1, squeeze=False)[0]
    ax = axes[0]
    ax.plot(etas, losses, color="tab:blue", lw=2.5, label=r"$e(w - \eta\,\nabla e)$ after one step")
    ax.plot(etas, e0 - etas * grad_sq, color="tab:gray", ls="--", lw=1.5,
            label=r"tangent $e - \eta\,\|\nabla e\|^2$")
    ax.axhline(e0, color="tab:red", lw=1, ls=":", label=f"error before the step, e = {e0:g}")
    for k, eta in enumerate(marks):
        after = float(np.interp(eta, etas, losses))
        colour = ["tab:green", "tab:purple", "tab:brown", "tab:olive"][k % 4]
        ax.plot([eta], [after], "o", color=colour, ms=8, zorder=3,
                label=f"η = {eta:g}: e = {after:.4g}")
    ax.set_ylim(-1, max(1.3 * e0, float(np.max(losses)) * 1.05))
    ax.grid(alpha=0.3)
    ax.set_xlabel(r"learning rate $\eta$", fontsize=10)
    ax.set_ylabel("squared error $e$", fontsize=10)
    ax.set_title("Too large a step overshoots the minimum", fontsize=11)
    ax.legend(fontsize=9, loc="upper left")
    if runs:
        ax = axes[1]
        for k, (label, curve) in enumerate(runs.items()):
            curve = np.asarray(curve, dtype=float)
            colour = ["tab:green", "tab:purple", "tab:brown", "tab:olive"][k % 4]
            ax.semilogy(np.arange(curve.size), curve, "o-", color=colour, lw=2, label=label)
        ax.grid(alpha=0.3)
        ax.set_xlabel("SGD step", fontsize=10)
        ax.set_ylabel("squared error $e$ (log scale)", fontsize=10)
        ax.set_title("Repeated steps on the one example", fontsize=11)
        ax.legend(fontsize=9)
    return fig


# <<end: ch04>>

# ---- section: ch05: fully connected ----
# <<end: ch05>>

# ---- section: ch06: convolutions ----
# <<end: ch06>>

# ---- section: ch07: overfitting ----
# <<end: ch07>>

# ---- section: ch08: cross-entropy ----
# <<end: ch08>>

# ---- section: ch09: putting it together ----
# <<end: ch09>>

# ---- section: explorers: learning rate, weight decay, convolution, activation, pooling ----
# <<end: explorers>>
