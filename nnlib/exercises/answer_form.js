// The answer form of one exercise in the HTML book: no kernel, no network.
// It applies the rule of nnlib/exercises/_answers.py (ValueAnswer.judge) to the fields,
// with the exercise's truth read from the JSON beside it, so the verdict is the one the
// notebook's check_... gives. A browser test compares the two on right, wrong and
// malformed answers for every form: change the rule in both places or in neither.
(function (root) {
  "use strict";
  if (!root || root.dataset.nnxReady) return;
  root.dataset.nnxReady = "1";
  const spec = JSON.parse(root.querySelector("script.nnx-answer-spec").textContent);
  const form = root.querySelector("form");
  const fields = Array.from(root.querySelectorAll(".nnx-answer-field"));
  const verdict = root.querySelector(".nnx-verdict");
  const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  const TODO = {}, NOT_A_NUMBER = {};

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m));
  }
  function names(idx) { return idx.map((i) => spec.labels[i]).join(", "); }
  function same(given, want) {
    if (spec.options) return given === want;
    return Math.abs(given - want) <= spec.atol + spec.rtol * Math.abs(want);
  }
  function parse(text) {
    const t = text.replace(/\u2212/g, "-").replace(/\s+/g, "");
    if (t === "") return TODO;
    if (spec.options) return spec.options.includes(text.trim()) ? text.trim() : NOT_A_NUMBER;
    if (!NUMBER.test(t)) return NOT_A_NUMBER;
    const v = Number(t);
    return Number.isFinite(v) ? v : NOT_A_NUMBER;
  }
  // ValueAnswer.judge, line for line.
  function judge(entries) {
    const n = spec.labels.length, all = [...Array(n).keys()], msg = spec.messages;
    if (entries.length !== n) {
      const key = n > 1 ? "shape" : "shape-one";
      return { passed: false, code: "shape", messages: [fill(msg[key], { n: n, labels: names(all) })] };
    }
    if (entries.some((e) => e === TODO)) {
      return { passed: false, code: "todo", messages: [msg["todo-form"]] };
    }
    const bad = all.filter((i) => entries[i] === NOT_A_NUMBER);
    if (bad.length) {
      const key = spec.options ? "not-an-option" : "not-a-number";
      return { passed: false, code: "not-a-number", messages: [fill(msg[key], { labels: names(bad) })] };
    }
    const wrong = all.filter((i) => !same(entries[i], spec.expected[i]));
    if (!wrong.length) return { passed: true, code: "correct", messages: [spec.success] };
    const known = spec.mistakes.find((m) => m.entries.every((w, i) => w === null || same(entries[i], w)));
    if (known) return { passed: false, code: "mistake", messages: [known.message] };
    const lines = [fill(msg.wrong, { labels: names(wrong) })];
    return { passed: false, code: "wrong", messages: spec.hint ? lines.concat([spec.hint]) : lines };
  }
  // `code` in a message becomes <code>code</code>; everything else stays text.
  function rich(parent, text) {
    text.split("`").forEach((part, k) => {
      if (!part) return;
      if (k % 2) { const c = document.createElement("code"); c.textContent = part; parent.appendChild(c); }
      else parent.appendChild(document.createTextNode(part));
    });
  }
  function show(v) {
    verdict.textContent = "";
    verdict.dataset.code = v.code;
    verdict.dataset.passed = v.passed ? "true" : "false";
    const head = document.createElement("strong");
    head.textContent = v.passed ? "Correct." : "Not yet.";
    verdict.appendChild(head);
    const list = document.createElement("ul");
    v.messages.forEach((m) => { const li = document.createElement("li"); rich(li, m); list.appendChild(li); });
    verdict.appendChild(list);
    verdict.className = "nnx-verdict " + (v.passed ? "nnx-correct" : "nnx-not-yet");
  }
  // Several numbers typed or pasted into the first field ("24, 14, 32", "[[6, 5], [8, 7]]")
  // are spread over the fields, in reading order.
  function spread() {
    if (spec.options || fields.length < 2) return true;
    const parts = fields[0].value.replace(/[[\]()]/g, " ").split(/[,;\s]+/).filter((p) => p);
    if (parts.length < 2 || fields.slice(1).some((f) => f.value.trim())) return true;
    if (parts.length !== fields.length) return false;
    parts.forEach((p, i) => { fields[i].value = p; });
    return true;
  }
  // Enter checks the answer from a choice list too (a text field does it by itself).
  fields.filter((f) => f.tagName === "SELECT").forEach((f) => f.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); form.requestSubmit(); }
  }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!spread()) {
      const n = fields.length;
      show({ passed: false, code: "shape",
             messages: [fill(spec.messages.shape, { n: n, labels: names([...Array(n).keys()]) })] });
      return;
    }
    show(judge(fields.map((f) => parse(f.value))));
  });
})(document.getElementById("__ROOT__"));
