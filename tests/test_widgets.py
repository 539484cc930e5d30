"""The explorers: the declarations of ``nnlib.widgets`` (``Explorer``, ``Param``), the live
widgets that respond to their controls, and the kernel-free HTML controls
(``nnlib.kernel_free``), complete, self-contained and the same on every build. Every
explorer of :data:`nnlib.plotting.EXPLORERS` is checked; what each one draws is tested
beside its chapter's other explorer tests."""

import base64
import dataclasses
import functools
import json
import re

import numpy as np
import pytest
from conftest import quick_png
from figures import Tags
from matplotlib.figure import Figure

from nnlib import kernel_free as K
from nnlib import plotting as P
from nnlib import widgets as W
from nnlib.conv import conv_output_size
from nnlib.widgets import Explorer, Param


def image_of(fig, label) -> np.ndarray:
    ax = next(a for a in fig.axes if a.get_label() == label)
    return np.asarray(ax.images[0].get_array())


def shown_png(widget) -> bytes:
    """The PNG in the widget's Output (what Jupyter displays)."""
    (out,) = widget.output.outputs
    assert out["output_type"] == "display_data"
    return base64.b64decode(out["data"]["image/png"])


# ---- live widgets -----------------------------------------------------------------------

#: The text each live widget shows first: what nbval compares in the chapters.
LIVE = {
    "lr": "<learning-rate explorer: η=0.1>",
    "batch": "<batch-size explorer: B=16, η=0.1>",
    "activation": "<activation explorer: φ=relu, α=0.1>",
    "init": "<initialisation explorer: init=normal, depth=10>",
    "conv": "<convolution explorer: stride=1, padding=1, k=3, kernel=edge>",
    "pooling": "<pooling explorer: mode=max, k=2, s=2>",
    "weight-decay": "<weight-decay explorer: λ=0.01>",
    "dropout": "<dropout explorer: p=0.1>",
    "patience": "<early-stopping explorer: patience=1>",
    "temperature": "<temperature explorer: T=1, c=0>",
}


def test_every_explorer_has_its_stored_text():
    assert set(LIVE) == set(P.EXPLORERS)


@pytest.mark.parametrize("name", list(P.EXPLORERS))
def test_live_widget_text_is_short_and_stable(name, quick):
    explorer = P.EXPLORERS[name]
    a, b = explorer.live(), explorer.live()
    assert repr(a) == repr(b) == LIVE[name]
    assert a.model_id.startswith(f"nnx-{name}-explorer-") and a.model_id != b.model_id
    bundle = a._repr_mimebundle_()
    assert bundle["text/plain"] == LIVE[name]              # what nbval compares
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert a.figure is not None and shown_png(a) == quick_png(a.figure)
    assert "nnx-explorer" in a.get_state()["_dom_classes"]      # the model state the page gets


def test_live_widget_shows_the_figure_as_a_png():
    w = P.pooling_explorer.live()
    png = shown_png(w)
    assert png.startswith(b"\x89PNG\r\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    size = w.figure.get_size_inches() * W.LIVE_DPI                 # the IHDR chunk
    assert abs(width - size[0]) < 1 and abs(height - size[1]) < 1   # pixels, rounded down
    w.controls["mode"].value = "mean"
    assert shown_png(w) != png and len(w.output.outputs) == 1


def test_conv_widget_follows_its_sliders(quick):
    w = P.conv_explorer.live()
    assert "nnx-conv-explorer" in w.get_state()["_dom_classes"]   # what the browser test finds
    H = P.explorer_image().shape[0]
    before = shown_png(w)
    assert image_of(w.figure, "output").shape == (H, H)     # 48 + 2·1 − 3 + 1
    w.controls["stride"].value = 2
    assert image_of(w.figure, "output").shape == (conv_output_size(H, 3, 2, 1),) * 2
    assert "⌊(48 + 2·1 − 3)/2⌋ + 1 = 24" in w.figure.get_suptitle()
    assert shown_png(w) != before
    w.controls["kernel_size"].value = 5
    w.controls["padding"].value = 0
    assert image_of(w.figure, "output").shape == (conv_output_size(H, 5, 2, 0),) * 2
    w.controls["kernel"].value = "blur"
    np.testing.assert_array_equal(image_of(w.figure, "kernel"), P.conv_kernel("blur", 5))
    assert repr(w) == "<convolution explorer: stride=2, padding=0, k=5, kernel=blur>"


def test_lr_widget_follows_its_slider(quick):
    w = P.lr_explorer.live()
    assert w.figure.get_suptitle().startswith("η = 0.1: converges, but slowly")
    w.controls["lr"].value = 10.0
    assert w.figure.get_suptitle().startswith("η = 10: diverges")
    assert list(w.controls["lr"].options) == [(f"{v:g}", v) for v in P.LR_GRID]
    with pytest.raises(ValueError, match="η"):
        P.lr_explorer.live(lr=0.5)                              # not on the slider


def test_weight_decay_widget_follows_its_slider(quick):
    w = P.weight_decay_explorer.live()
    assert "the notes' choice" in w.figure.get_suptitle()
    w.controls["lam"].value = 0.0
    assert w.figure.get_suptitle().startswith("λ = 0: overfits")
    assert [v for _, v in w.controls["lam"].options][0] == 0.0


def test_activation_widget_follows_its_controls(quick):
    w = P.activation_explorer.live()
    assert w.controls["alpha"].disabled
    w.controls["name"].value = "sigmoid"
    d = next(ln for ln in next(a for a in w.figure.axes if a.get_label() == "derivative").lines
             if ln.get_label().startswith("$"))
    assert d.get_ydata().max() == pytest.approx(0.25, abs=1e-15)
    w.controls["name"].value = "leaky_relu"
    assert not w.controls["alpha"].disabled
    w.controls["alpha"].value = 0.25
    assert "α = 0.25" in w.figure.get_suptitle()


def test_pooling_widget_follows_its_controls(quick):
    w = P.pooling_explorer.live()
    assert image_of(w.figure, "pooled").shape == (3, 3)
    w.controls["stride"].value = 1
    w.controls["mode"].value = "min"
    x = np.array(P.POOL_EXAMPLE, dtype=float)
    expected = np.min(np.lib.stride_tricks.sliding_window_view(x, (2, 2)), axis=(2, 3))
    np.testing.assert_array_equal(image_of(w.figure, "pooled"), expected)   # 5×5
    assert repr(w) == "<pooling explorer: mode=min, k=2, s=1>"


def test_batch_widget_follows_its_sliders(quick):
    w = P.batch_explorer.live()
    assert w.figure.get_suptitle().startswith("B = 16, η = 0.1: ⌈100/16⌉ = 7 updates")
    before = shown_png(w)
    w.controls["batch_size"].value = 1
    w.controls["lr"].value = 0.3
    assert w.figure.get_suptitle().startswith("B = 1, η = 0.3: ⌈100/1⌉ = 100 updates")
    line = next(a for a in w.figure.axes if a.get_label() == "path").lines[0]
    np.testing.assert_array_equal(line.get_ydata(), P.batch_run(1, 0.3)["path"][:, 1])
    assert shown_png(w) != before
    assert [v for _, v in w.controls["batch_size"].options] == list(P.BATCH_GRID)
    with pytest.raises(ValueError, match="B"):
        P.batch_explorer.live(batch_size=8)


def test_temperature_widget_follows_its_controls(quick):
    w = P.temperature_explorer.live()
    assert [t for t, _ in w.controls["true_class"].options][1] == "1 (score 1)"
    w.controls["temperature"].value = 0.25
    w.controls["true_class"].value = 1
    assert "p_c = 0.000335" in w.figure.get_suptitle()
    assert repr(w) == "<temperature explorer: T=0.25, c=1>"
    with pytest.raises(ValueError, match="true class"):
        P.temperature_explorer.live(true_class=7)
    with pytest.raises(ValueError, match="no parameter"):
        P.temperature_explorer.live(T=1.0)


def test_live_widgets_reject_values_off_their_controls():
    with pytest.raises(ValueError, match="stride"):
        P.conv_explorer.live(stride=4)
    with pytest.raises(ValueError, match="kernel"):
        P.conv_explorer.live(kernel="laplace")
    with pytest.raises(ValueError, match="mode"):
        P.pooling_explorer.live(mode="median")


# ---- the kernel-free control: the machinery ----------------------------------------------

def tiny(a: int, b: str, c: float = 0.5) -> Figure:
    fig = Figure(figsize=(1, 0.5))
    fig.suptitle(f"a = {a}, b = {b}: fine")
    return fig


def demo(a=(1, 2, 3), b=("x", "y"), *, default_a=2, names=None) -> Explorer:
    return Explorer(name="demo", kind="demo", title="A demo", draw=tiny,
                    params=(Param("a", "α (alpha)", a, default=default_a),
                            Param("b", "b", b, default=b[0], names=names),
                            Param("c", "c", (0.5,), default=0.5)))


def test_a_declaration_is_checked():
    with pytest.raises(ValueError, match="default must be one of its values"):
        Param("lr", "η", (0.1, 1.0), default=0.5)
    with pytest.raises(ValueError, match="at least one value"):
        Param("lr", "η", (), default=0.5)
    with pytest.raises(ValueError, match="live_values"):
        Param("k", "kernel", ("edge",), default="edge", live_values=("blur",))
    with pytest.raises(ValueError, match="lower-case"):
        Explorer(name="Demo 1", kind="d", title="T", draw=tiny, params=demo().params)
    with pytest.raises(ValueError, match="distinct"):
        Explorer(name="demo", kind="d", title="T", draw=tiny, params=demo().params[:1] * 2)
    assert Param("x", "x", ("a", "b"), default="a").category          # strings: a category
    assert not Param("x", "x", (1, 2), default=1).category


def test_states_vary_the_last_parameter_fastest_and_fix_single_values():
    assert demo().states() == [{"c": 0.5, "a": a, "b": b} for a in (1, 2, 3) for b in "xy"]
    assert [p.name for p in demo().varied] == ["a", "b"]
    assert demo().default == {"a": 2, "b": "x", "c": 0.5}


def test_static_explorer_structure():
    s = demo().static()
    assert repr(s) == "<kernel-free explorer 'demo': α (alpha) (3 values) × b (2 values), 6 frames>"
    doc = Tags(s._repr_html_())
    (root,) = doc.all("div", "nnx-explorer")
    assert root["id"] == root["data-testid"] == "nnx-demo"
    # numbers get a range slider, strings (a category) a <select> of labelled options
    (slider,) = doc.all("input", "nnx-slider")
    assert (slider["type"], slider["min"], slider["max"], slider["value"]) == \
        ("range", "0", "2", "1")
    (select,) = doc.all("select", "nnx-select")
    assert [slider["id"], select["id"]] == ["nnx-demo-p0", "nnx-demo-p1"]
    assert json.loads(select["data-values"]) == ["x", "y"]
    options = doc.all("option")
    assert [o["value"] for o in options] == ["0", "1"]
    assert ["selected" in o for o in options] == [True, False]
    labels = doc.all("label")
    assert [lab["for"] for lab in labels] == ["nnx-demo-p0", "nnx-demo-p1"]
    assert "α (alpha)</label>" in s._repr_html_()
    assert [o["id"] for o in doc.all("output")] == ["nnx-demo-p0-value"]   # the select shows
    assert not doc.all("input", "nnx-select") and not doc.all("select", "nnx-slider")
    frames = doc.all("img", "nnx-frame")
    assert len(frames) == 6 and all(f["src"].startswith("data:image/png;base64,") for f in frames)
    # product order, the last parameter fastest; a = 2, b = "x" is frame 2, shown first
    assert root["data-nnx-frame"] == "2"
    assert [("hidden" in f) for f in frames] == [True, True, False, True, True, True]
    assert frames[5]["alt"] == "A demo. a = 3, b = y: fine"
    assert len(doc.scripts) == 1 and "nnx-demo" in doc.scripts[0]


def test_static_explorer_categorical_names_and_kinds():
    s = demo(a=(1, 2), default_a=1, names={"x": "Ex", "y": "Why"}).static()
    doc = Tags(s._repr_html_())
    (select,) = doc.all("select", "nnx-select")
    assert json.loads(select["data-values"]) == ["Ex", "Why"]
    assert ">Ex</option><option value=\"1\">Why</option>" in s._repr_html_()
    # the alt text names the values as the control does (when no suptitle is given)
    frames = {(a, b): b"\x89PNG" for a in (1, 2) for b in ("x", "y")}
    t = K.StaticExplorer(frames, {"a": [1, 2], "b": ["x", "y"]}, name="demo", title="T",
                         names={"b": {"y": "Why"}})
    assert Tags(t.to_html()).all("img")[3]["alt"] == "T. a = 2, b = Why"
    # explicit kinds: a category may still be a slider, numbers may be a select
    u = K.StaticExplorer(frames, {"a": [1, 2], "b": ["x", "y"]}, name="demo", title="T",
                         kinds={"a": "select", "b": "range"})
    doc = Tags(u.to_html())
    assert [i["id"] for i in doc.all("select", "nnx-select")] == ["nnx-demo-p0"]
    assert [i["id"] for i in doc.all("input", "nnx-slider")] == ["nnx-demo-p1"]
    with pytest.raises(ValueError, match="kinds"):
        K.StaticExplorer(frames, {"a": [1, 2], "b": ["x", "y"]}, name="demo", title="T",
                         kinds={"b": "radio"})
    with pytest.raises(ValueError, match="names has unknown parameters"):
        K.StaticExplorer(frames, {"a": [1, 2], "b": ["x", "y"]}, name="demo", title="T",
                         names={"c": {}})


def test_static_explorer_from_png_bytes_and_errors():
    frames = {(v,): b"\x89PNG fake" for v in (0.1, 1.0)}
    s = K.StaticExplorer(frames, {"η": [0.1, 1.0]}, name="eta", title="T")
    assert Tags(s.to_html()).all("img")[1]["alt"] == "T. η = 1"
    with pytest.raises(ValueError, match="missing"):
        K.StaticExplorer({(0.1,): b""}, {"η": [0.1, 1.0]}, name="eta", title="T")
    with pytest.raises(ValueError, match="name"):
        K.StaticExplorer(frames, {"η": [0.1, 1.0]}, name="Eta 1", title="T")
    with pytest.raises(ValueError, match="initial"):
        K.StaticExplorer(frames, {"η": [0.1, 1.0]}, name="eta", title="T",
                         initial={"η": 0.5})


def test_static_explorer_is_deterministic():
    assert demo().static()._repr_html_() == demo().static()._repr_html_()


# ---- the kernel-free control: the book's explorers ---------------------------------------

def stand_in(explorer: Explorer) -> Explorer:
    """``explorer`` drawing a blank figure whose suptitle states the values (no training, no
    drawing): what its kernel-free HTML is made of, checked in no time."""
    def draw(**state):
        fig = Figure(figsize=(1, 0.5))
        fig.suptitle(", ".join(f"{k} = {v}" for k, v in state.items()))
        return fig

    return dataclasses.replace(explorer, draw=draw)


@pytest.mark.parametrize("name", list(P.EXPLORERS))
def test_book_static_explorers(name, monkeypatch):
    monkeypatch.setattr(W, "figure_png", quick_png)
    explorer = P.EXPLORERS[name]
    s = stand_in(explorer).static()
    text = s._repr_html_()
    doc = Tags(text)
    assert doc.all("div", "nnx-explorer")[0]["id"] == f"nnx-{name}"
    controls = [a for t, a in doc.tags
                if (t, a.get("class")) in {("input", "nnx-slider"), ("select", "nnx-select")}]
    varied = [p for p in explorer.params if len(p.values) > 1]
    assert [i["data-param"] for i in controls] == [p.label for p in varied]
    assert [json.loads(i["data-values"]) for i in controls] == \
        [[p.text(v) for v in p.values] for p in varied]
    # categories get labelled options, numbers a range slider
    for i, p in zip(controls, varied, strict=True):
        assert i["class"] == ("nnx-select" if p.category else "nnx-slider"), p.label
        assert ("type" in i) == (not p.category), p.label
    frames = doc.all("img", "nnx-frame")
    assert len(frames) == int(np.prod([len(p.values) for p in varied])) == len(explorer.states())
    # the defaults first
    (shown,) = [f for f in frames if "hidden" not in f]
    state = explorer.states()[int(shown["data-index"])]
    assert state == explorer.default
    # no URL of any kind: the page must work offline and ask no other host
    assert not re.search(r"(https?:)?//", re.sub(r"base64,[A-Za-z0-9+/=]+", "", text))
    # every frame's alt text is the title and the figure's suptitle, drawn for its state
    for f, state in zip(frames, explorer.states(), strict=True):
        title = ", ".join(f"{k} = {v}" for k, v in state.items())
        assert f["alt"] == f"{explorer.title}. {title}"
    assert repr(s).startswith(f"<kernel-free explorer '{name}': ")


@functools.cache
def built(name: str, real: bool = False) -> tuple[K.StaticExplorer, str]:
    if real:
        s = P.EXPLORERS[name].static()
    else:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(W, "figure_png", quick_png)
            s = P.EXPLORERS[name].static()
    return s, s._repr_html_()


def test_book_static_verdicts_in_the_frames():
    alts = Tags(built("lr")[1]).all("img", "nnx-frame")
    for f, lr in zip(alts, P.LR_GRID, strict=True):
        assert P.lr_headline(lr) in f["alt"]            # the verdict computed from the run
    assert "η = 0.1: converges, but slowly" in alts[P.LR_GRID.index(0.1)]["alt"]
    assert "η = 3: converges, zig-zagging" in alts[P.LR_GRID.index(3.0)]["alt"]
    alts = Tags(built("weight-decay")[1]).all("img", "nnx-frame")
    assert "λ = 0.01 (the notes' choice): good fit" in alts[3]["alt"]


def test_batch_and_temperature_static_frames_state_their_values():
    s, text = built("batch")
    assert s.combinations[s.index] == (16, 0.1)                   # the text's B and η first
    alts = [f["alt"] for f in Tags(text).all("img", "nnx-frame")]
    for alt, (B, lr) in zip(alts, s.combinations, strict=True):
        assert P.plot_batch(B, lr).get_suptitle() in alt
        assert f"⌈100/{B}⌉ = {-(-100 // B)} update" in alt
    s, text = built("temperature")
    doc = Tags(text)
    assert s.combinations[s.index] == (1.0, 0)
    (select,) = doc.all("select", "nnx-select")                 # the class: named options
    assert json.loads(select["data-values"])[0] == "0 (score 3)"
    (slider,) = doc.all("input", "nnx-slider")                  # T: a slider
    assert json.loads(slider["data-values"]) == ["0.25", "0.5", "1", "2", "4"]
    for f, (T, c) in zip(doc.all("img", "nnx-frame"), s.combinations, strict=True):
        assert f"T = {T:g}, true class {c} " in f["alt"]
        assert f"loss −ln p_c = {P.temperature_run(T, c)['loss']:.3f}" in f["alt"]


def test_activation_static_uses_the_names_of_the_text():
    s, text = built("activation")
    doc = Tags(text)
    assert not doc.all("input", "nnx-slider")                 # no range slider
    (select,) = doc.all("select", "nnx-select")
    (label,) = doc.all("label")
    assert label["for"] == select["id"] == "nnx-activation-p0"
    names = ["ReLU", "sigmoid", "tanh", "leaky ReLU"]
    assert json.loads(select["data-values"]) == names
    assert "leaky_relu" not in re.sub(r'data-param="[^"]*"', "", text.split("<script>")[0])
    alts = [f["alt"] for f in doc.all("img", "nnx-frame")]
    for alt, name in zip(alts, names, strict=True):
        assert f"φ = {name}" in alt, alt
    w = P.activation_explorer.live()                              # live: toggle buttons, same names
    assert [o[0] for o in w.controls["name"].options] == names


def test_real_frames_are_rendered_the_same_twice():
    s, text = built("activation", real=True)
    assert P.activation_explorer.static()._repr_html_() == text
    assert all(png.startswith(b"\x89PNG\r\n") for png in s.pngs)
    assert len(text) < 1.5e6 / 4, f"{len(text) / 1e6:.2f} MB for 4 frames"   # page weight


def test_sanitize_file_blanks_only_the_png_payloads():
    from pathlib import Path

    cfg = (Path(__file__).parent / "nbval_sanitize.cfg").read_text()
    pairs = re.findall(r"^regex: (.*)$\n^replace: (.*)$", cfg, flags=re.MULTILINE)  # nbval's
    text = built("activation", real=True)[1]
    for regex, replace in pairs:
        text = re.sub(regex, replace, text)
    assert "base64,iVBOR" not in text and text.count("data:image/png;base64,<PNG>") == 4
    assert 'alt="Activation functions' in text                    # the rest is untouched


@pytest.mark.browser
def test_static_explorer_responds_in_chromium():
    from browser import Watched, chromium

    _, text = built("activation", real=True)
    with chromium() as browser:
        w = Watched(browser)
        page = w.page
        page.set_content(f"<!doctype html><meta charset='utf-8'><body>{text}{text}</body>")
        roots = page.locator("[data-testid='nnx-activation']")
        assert roots.count() == 2                       # the same explorer twice on a page
        first, second = roots.nth(0), roots.nth(1)
        assert first.get_attribute("data-nnx-ready") == "1"
        assert first.get_attribute("data-nnx-frame") == "0"
        visible = first.locator("img.nnx-frame:visible")
        assert visible.count() == 1
        src0 = visible.get_attribute("src")
        select = first.locator("[data-testid='nnx-activation-p0']")
        select.focus()
        select.press("ArrowDown")                       # with the keyboard: ReLU → sigmoid
        assert select.evaluate("e => e.options[e.selectedIndex].text") == "sigmoid"
        assert first.get_attribute("data-nnx-frame") == "1"
        assert visible.count() == 1 and visible.get_attribute("src") != src0
        assert "φ = sigmoid" in visible.get_attribute("alt")
        select.select_option(label="leaky ReLU")        # by its label, as a reader picks it
        assert first.get_attribute("data-nnx-frame") == "3"
        assert "φ = leaky ReLU" in visible.get_attribute("alt")
        assert first.locator("label[for='nnx-activation-p0']").inner_text() == "activation φ"
        assert second.get_attribute("data-nnx-frame") == "0"          # untouched
        assert not w.errors and not w.foreign
        w.close()
