"""The explorers of nnlib.widgets: the live widgets respond to their controls, and the
kernel-free HTML controls are complete, self-contained and the same on every build."""

import base64
import functools
import json
import re

import numpy as np
import pytest
from figures import Tags
from matplotlib.figure import Figure

from nnlib import plotting as P
from nnlib import widgets as W
from nnlib.conv import conv_output_size


def image_of(fig, label) -> np.ndarray:
    ax = next(a for a in fig.axes if a.get_label() == label)
    return np.asarray(ax.images[0].get_array())


def shown_png(widget) -> bytes:
    """The PNG in the widget's Output (what Jupyter displays)."""
    (out,) = widget.output.outputs
    assert out["output_type"] == "display_data"
    return base64.b64decode(out["data"]["image/png"])


def quick_png(fig, dpi=W.STATIC_DPI, compress_level=None) -> bytes:
    """Stands in for the PNG rendering (most of a static build's time): the drawing still
    runs, and the frame's alt text is its real suptitle. The rendering itself is checked
    by the live widgets' tests and by ``test_real_frames_...`` below."""
    return b"\x89PNG " + fig.get_suptitle().encode()


@pytest.fixture
def quick(monkeypatch):
    """Live widgets without the PNG rendering (see ``quick_png``)."""
    monkeypatch.setattr(W, "figure_png", quick_png)


# ---- live widgets -----------------------------------------------------------------------

LIVE = {
    "lr_explorer": "<learning-rate explorer: η=0.1>",
    "weight_decay_explorer": "<weight-decay explorer: λ=0.01>",
    "conv_explorer": "<convolution explorer: stride=1, padding=1, k=3, kernel=edge>",
    "activation_explorer": "<activation explorer: φ=relu, α=0.1>",
    "pooling_explorer": "<pooling explorer: mode=max, k=2, s=2>",
    "batch_explorer": "<batch-size explorer: B=16, η=0.1>",
    "temperature_explorer": "<temperature explorer: T=1, c=0>",
}


@pytest.mark.parametrize("name", list(LIVE))
def test_live_widget_text_is_short_and_stable(name, quick):
    a, b = getattr(W, name)(), getattr(W, name)()
    assert repr(a) == repr(b) == LIVE[name]
    bundle = a._repr_mimebundle_()
    assert bundle["text/plain"] == LIVE[name]              # what nbval compares
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert a.figure is not None and shown_png(a) == quick_png(a.figure)
    assert "nnx-explorer" in a._dom_classes


def test_live_widget_shows_the_figure_as_a_png():
    w = W.pooling_explorer()
    png = shown_png(w)
    assert png.startswith(b"\x89PNG\r\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    size = w.figure.get_size_inches() * W.LIVE_DPI                 # the IHDR chunk
    assert abs(width - size[0]) < 1 and abs(height - size[1]) < 1   # pixels, rounded down
    w.controls["mode"].value = "mean"
    assert shown_png(w) != png and len(w.output.outputs) == 1


def test_conv_widget_follows_its_sliders(quick):
    w = W.conv_explorer()
    assert "nnx-conv-explorer" in w._dom_classes          # what the browser test looks for
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
    w = W.lr_explorer()
    assert w.figure.get_suptitle().startswith("η = 0.1: converges, but slowly")
    w.controls["lr"].value = 10.0
    assert w.figure.get_suptitle().startswith("η = 10: diverges")
    assert list(w.controls["lr"].options) == [(f"{v:g}", v) for v in P.LR_GRID]
    with pytest.raises(ValueError, match="η"):
        W.lr_explorer(0.5)                                 # not on the slider


def test_weight_decay_widget_follows_its_slider(quick):
    w = W.weight_decay_explorer()
    assert "the notes' choice" in w.figure.get_suptitle()
    w.controls["lam"].value = 0.0
    assert w.figure.get_suptitle().startswith("λ = 0: overfits")
    assert [v for _, v in w.controls["lam"].options][0] == 0.0


def test_activation_widget_follows_its_controls(quick):
    w = W.activation_explorer()
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
    w = W.pooling_explorer()
    assert image_of(w.figure, "pooled").shape == (3, 3)
    w.controls["stride"].value = 1
    w.controls["mode"].value = "min"
    x = np.array(P.POOL_EXAMPLE, dtype=float)
    expected = np.min(np.lib.stride_tricks.sliding_window_view(x, (2, 2)), axis=(2, 3))
    np.testing.assert_array_equal(image_of(w.figure, "pooled"), expected)   # 5×5
    assert repr(w) == "<pooling explorer: mode=min, k=2, s=1>"


def test_batch_widget_follows_its_sliders(quick):
    w = W.batch_explorer()
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
        W.batch_explorer(batch_size=8)


def test_temperature_widget_follows_its_controls(quick):
    w = W.temperature_explorer()
    assert [t for t, _ in w.controls["true_class"].options][1] == "1 (score 1)"
    w.controls["temperature"].value = 0.25
    w.controls["true_class"].value = 1
    assert "p_c = 0.000335" in w.figure.get_suptitle()
    assert repr(w) == "<temperature explorer: T=0.25, c=1>"
    with pytest.raises(ValueError, match="true class"):
        W.temperature_explorer(true_class=7)


def test_live_widgets_reject_values_off_their_controls():
    with pytest.raises(ValueError, match="stride"):
        W.conv_explorer(stride=4)
    with pytest.raises(ValueError, match="kernel"):
        W.conv_explorer(kernel="laplace")
    with pytest.raises(ValueError, match="mode"):
        W.pooling_explorer(mode="median")


# ---- the kernel-free control: the machinery ----------------------------------------------

def tiny(a: int, b: str) -> Figure:
    fig = Figure(figsize=(1, 0.5))
    fig.suptitle(f"a = {a}, b = {b}: fine")
    return fig


def test_static_explorer_structure():
    s = W.static_explorer(tiny, {"a": (1, 2, 3), "b": ("x", "y")}, name="demo",
                          title="A demo", labels={"a": "α (alpha)"}, initial={"a": 2})
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
    s = W.static_explorer(tiny, {"a": (1, 2), "b": ("x", "y")}, name="demo", title="T",
                          names={"b": {"x": "Ex", "y": "Why"}})
    doc = Tags(s._repr_html_())
    (select,) = doc.all("select", "nnx-select")
    assert json.loads(select["data-values"]) == ["Ex", "Why"]
    assert ">Ex</option><option value=\"1\">Why</option>" in s._repr_html_()
    # the alt text names the values as the control does (when no suptitle is given)
    frames = {(a, b): b"\x89PNG" for a in (1, 2) for b in ("x", "y")}
    t = W.StaticExplorer(frames, {"a": [1, 2], "b": ["x", "y"]}, name="demo", title="T",
                         names={"b": {"y": "Why"}})
    assert Tags(t.to_html()).all("img")[3]["alt"] == "T. a = 2, b = Why"
    # explicit kinds: a category may still be a slider, numbers may be a select
    u = W.StaticExplorer(frames, {"a": [1, 2], "b": ["x", "y"]}, name="demo", title="T",
                         kinds={"a": "select", "b": "range"})
    doc = Tags(u.to_html())
    assert [i["id"] for i in doc.all("select", "nnx-select")] == ["nnx-demo-p0"]
    assert [i["id"] for i in doc.all("input", "nnx-slider")] == ["nnx-demo-p1"]
    with pytest.raises(ValueError, match="kinds"):
        W.StaticExplorer(frames, {"a": [1, 2], "b": ["x", "y"]}, name="demo", title="T",
                         kinds={"b": "radio"})
    with pytest.raises(ValueError, match="names has unknown parameters"):
        W.StaticExplorer(frames, {"a": [1, 2], "b": ["x", "y"]}, name="demo", title="T",
                         names={"c": {}})


def test_static_explorer_from_png_bytes_and_errors():
    frames = {(v,): b"\x89PNG fake" for v in (0.1, 1.0)}
    s = W.StaticExplorer(frames, {"η": [0.1, 1.0]}, name="eta", title="T")
    assert Tags(s.to_html()).all("img")[1]["alt"] == "T. η = 1"
    with pytest.raises(ValueError, match="missing"):
        W.StaticExplorer({(0.1,): b""}, {"η": [0.1, 1.0]}, name="eta", title="T")
    with pytest.raises(ValueError, match="name"):
        W.StaticExplorer(frames, {"η": [0.1, 1.0]}, name="Eta 1", title="T")
    with pytest.raises(ValueError, match="initial"):
        W.StaticExplorer(frames, {"η": [0.1, 1.0]}, name="eta", title="T",
                         initial={"η": 0.5})


def test_static_explorer_is_deterministic():
    def build():
        return W.static_explorer(tiny, {"a": (1, 2), "b": ("x",)}, name="demo", title="T")

    assert build()._repr_html_() == build()._repr_html_()


# ---- the kernel-free control: the book's explorers ---------------------------------------

STATIC = {  # function: (name, {label: number of values})
    "lr_static": ("lr", {"η (learning rate)": len(P.LR_GRID)}),
    "weight_decay_static": ("weight-decay", {"λ (weight decay)": len(P.WEIGHT_DECAY_GRID)}),
    "conv_static": ("conv", {"stride s": 3, "padding p": 3, "kernel size k": 2}),
    "activation_static": ("activation", {"activation φ": 4}),    # a <select>
    "pooling_static": ("pooling", {"mode": 3, "kernel size k": 2, "stride s": 3}),
    "batch_static": ("batch", {"B (batch size)": len(P.BATCH_GRID),
                               "η (learning rate)": len(P.BATCH_LR_GRID)}),
    "temperature_static": ("temperature", {"T (temperature)": len(P.TEMPERATURE_GRID),
                                           "true class c": len(P.TEMPERATURE_SCORES)}),
}


@functools.cache
def built(fn: str, real: bool = False) -> tuple[W.StaticExplorer, str]:
    if real:
        s = getattr(W, fn)()
    else:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(W, "figure_png", quick_png)
            s = getattr(W, fn)()
    return s, s._repr_html_()


@pytest.mark.parametrize("fn", list(STATIC))
def test_book_static_explorers(fn):
    s, text = built(fn)
    name, params = STATIC[fn]
    doc = Tags(text)
    assert doc.all("div", "nnx-explorer")[0]["id"] == f"nnx-{name}"
    controls = [a for t, a in doc.tags
                if (t, a.get("class")) in {("input", "nnx-slider"), ("select", "nnx-select")}]
    assert [i["data-param"] for i in controls] == list(params)
    assert [len(json.loads(i["data-values"])) for i in controls] == list(params.values())
    # categories (string values) get labelled options, not a range slider
    for i, label in zip(controls, params, strict=True):
        if all(isinstance(v, str) for v in s.params[label]):
            assert "type" not in i and i["class"] == "nnx-select", label
    frames = doc.all("img", "nnx-frame")
    assert len(frames) == int(np.prod(list(params.values())))
    assert sum("hidden" not in f for f in frames) == 1
    # no URL of any kind: the page must work offline and ask no other host
    assert not re.search(r"(https?:)?//", re.sub(r"base64,[A-Za-z0-9+/=]+", "", text))
    # every frame's title names its parameter values (in the alt text)
    for f, combo in zip(frames, s.combinations, strict=True):
        assert all(s._text(label, v) in f["alt"]
                   for label, v in zip(s.params, combo, strict=True)), (f["alt"], combo)
    assert repr(s).startswith(f"<kernel-free explorer '{name}': ")


def test_book_static_verdicts_in_the_frames():
    alts = Tags(built("lr_static")[1]).all("img", "nnx-frame")
    for f, lr in zip(alts, P.LR_GRID, strict=True):
        assert P.lr_headline(lr) in f["alt"]            # the verdict computed from the run
    assert "η = 0.1: converges, but slowly" in alts[P.LR_GRID.index(0.1)]["alt"]
    assert "η = 3: converges, zig-zagging" in alts[P.LR_GRID.index(3.0)]["alt"]
    alts = Tags(built("weight_decay_static")[1]).all("img", "nnx-frame")
    assert "λ = 0.01 (the notes' choice): good fit" in alts[3]["alt"]


def test_batch_and_temperature_static_frames_state_their_values():
    s, text = built("batch_static")
    assert s.combinations[s.index] == (16, 0.1)                   # the text's B and η first
    alts = [f["alt"] for f in Tags(text).all("img", "nnx-frame")]
    for alt, (B, lr) in zip(alts, s.combinations, strict=True):
        assert P.plot_batch(B, lr).get_suptitle() in alt
        assert f"⌈100/{B}⌉ = {-(-100 // B)} update" in alt
    s, text = built("temperature_static")
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
    s, text = built("activation_static")
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
    w = W.activation_explorer()                              # live: toggle buttons, same names
    assert [o[0] for o in w.controls["name"].options] == names


def test_real_frames_are_rendered_the_same_twice():
    s, text = built("activation_static", real=True)
    assert W.activation_static()._repr_html_() == text
    assert all(png.startswith(b"\x89PNG\r\n") for png in s.pngs)
    assert len(text) < 1.5e6 / 4, f"{len(text) / 1e6:.2f} MB for 4 frames"   # page weight


def test_sanitize_file_blanks_only_the_png_payloads():
    from pathlib import Path

    cfg = (Path(__file__).parent / "nbval_sanitize.cfg").read_text()
    pairs = re.findall(r"^regex: (.*)$\n^replace: (.*)$", cfg, flags=re.MULTILINE)  # nbval's
    text = built("activation_static", real=True)[1]
    for regex, replace in pairs:
        text = re.sub(regex, replace, text)
    assert "base64,iVBOR" not in text and text.count("data:image/png;base64,<PNG>") == 4
    assert 'alt="Activation functions' in text                    # the rest is untouched


@pytest.mark.browser
def test_static_explorer_responds_in_chromium():
    from browser import Watched, chromium

    _, text = built("activation_static", real=True)
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
