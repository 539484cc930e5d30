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
  const TODO = {}, NOT_A_NUMBER = {};
  const ASK_NUMBER = spec.messages["ask-number"], ASK_ENTRIES = spec.messages["ask-entries"];

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m));
  }
  function names(idx) { return idx.map((i) => spec.labels[i]).join(", "); }
  // ValueAnswer._agree, _grade and _same: a number is {value, digits} (digits null: exact).
  function agree(given, want, k) {
    if (Math.abs(given - want) <= spec.atol) return true;
    if (k === null || want === 0) return false;
    const exponent = parseInt(Math.abs(want).toExponential(15).split("e")[1], 10);
    return Math.abs(given - want) <= 0.5 * 10 ** (exponent - k + 1) * (1 + 1e-9);
  }
  function grade(given, want) {
    if (spec.options) return given === want ? "right" : "wrong";
    const typed = given.digits, n = spec.digits, v = given.value;
    if (Math.abs(v - want) <= spec.atol) return "right";
    if (n !== null && (typed === null || typed >= n)) {
      if (agree(v, want, typed === null ? n : typed)) return "right";
      return typed !== null && agree(v, want, n) ? "late" : "wrong";
    }
    return typed !== null && agree(v, want, typed) ? "few" : "wrong";
  }
  function same(given, want) {
    if (spec.options) return given === want;
    const typed = given.digits, n = spec.digits;
    const guess = typed || n || Number.isInteger(want) ? null : 3;
    const ks = [typed, n, guess].filter((d) => d !== null);
    const k = ks.length ? Math.min(...ks) : null;
    return agree(given.value, want, k);
  }
  // nnlib/exercises/_numbers.py, line for line: read_entry and split_entries.
  const NUM = "[+-]?(?:\\d+(?:[.,]\\d*)?|[.,]\\d+)(?:[eE][+-]?\\d+)?";
  const ENTRY = new RegExp("^(" + NUM + ")(?:(/|\\^|\\*\\*)(" + NUM + "))?(%)?$");
  const ONE_NUMBER = new RegExp("^" + NUM + "$");
  const THOUSANDS = /^[+-]?[1-9]\d{0,2},\d{3}$/;
  function num(t) { return Number(t.replace(",", ".")); }
  function sigDigits(t) {     // null: an integer, exact as typed
    if (!/[.,eE]/.test(t)) return null;
    const digits = t.replace(/^[+-]/, "").split(/[eE]/)[0].replace(/[.,]/g, "").replace(/^0+/, "");
    return Math.max(digits.length, 1);
  }
  function readEntry(text, label) {
    if (spec.options) return text.trim() === "" ? TODO : (spec.options.includes(text.trim()) ? text.trim() : NOT_A_NUMBER);
    const t = text.replace(/\u2212/g, "-").replace(/\s+/g, "");
    if (t === "") return TODO;
    if (THOUSANDS.test(t)) {
      const a = t.replace(",", "."), b = t.replace(",", "");
      return { question: fill(ASK_NUMBER, { labels: label, text: t, a: a, b: b }) };
    }
    const m = ENTRY.exec(t);
    if (!m) return NOT_A_NUMBER;
    const digits = [m[1], m[3]].filter((x) => x !== undefined).map(sigDigits).filter((d) => d !== null);
    let v = num(m[1]);
    if (m[2] === "/") {
      const d = num(m[3]);
      if (d === 0) return NOT_A_NUMBER;
      v = v / d;
    } else if (m[2]) {
      const k = num(m[3]);
      if (k !== Math.trunc(k) || Math.abs(k) > 1000) return NOT_A_NUMBER;
      v = v ** k;
    }
    if (m[4]) v = v / 100;
    return Number.isFinite(v) ? { value: v, digits: digits.length ? Math.min(...digits) : null }
                              : NOT_A_NUMBER;
  }
  function splitEntries(text, n) {
    const listed = /[[\]()]/.test(text);     // brackets: a list, commas separate
    const t = text.replace(/\u2212/g, "-").replace(/[[\]()]/g, " ").trim().replace(/\s+%/g, "%");
    let parts;
    if (t.includes(";")) parts = t.split(/\s*;\s*/);
    else if (/\s/.test(t)) parts = t.split(/\s*,\s+|\s+,\s*|\s+/);
    else {
      parts = t.split(",");
      if (!listed && parts.length === 2 && ONE_NUMBER.test(t)) {
        if (n !== 2) return [t];                 // one number with a decimal comma
        return { question: fill(ASK_ENTRIES, { one: t.replace(",", "."), n: n,
                                               many: parts.join(" and "), sep: parts.join("; ") }) };
      }
    }
    parts = parts.filter((p) => p !== "");
    return parts.length ? parts : [""];
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
    const question = entries.find((e) => e && e.question);
    if (question) return { passed: false, code: "ambiguous", messages: [question.question] };
    const bad = all.filter((i) => entries[i] === NOT_A_NUMBER);
    if (bad.length) {
      const key = spec.options ? "not-an-option" : "not-a-number";
      return { passed: false, code: "not-a-number", messages: [fill(msg[key], { labels: names(bad) })] };
    }
    const grades = all.map((i) => grade(entries[i], spec.expected[i]));
    if (grades.every((g) => g === "right")) return { passed: true, code: "correct", messages: [spec.success] };
    const exactly = (given, want) => (spec.options ? given === want : Math.abs(given.value - want) <= spec.atol);
    const knownBy = (match) => spec.mistakes.find((m) => m.entries.every((w, i) => w === null || match(entries[i], w)));
    if (!grades.includes("wrong")) {
      const typedMistake = knownBy(exactly);    // a mistake typed as it is
      if (typedMistake) return { passed: false, code: "mistake", messages: [typedMistake.message] };
      const close = all.filter((i) => grades[i] !== "right");
      const key = spec.digits === null ? "close-exact" : (grades.includes("few") ? "close-few" : "close-late");
      return { passed: false, code: "close", messages: [fill(msg[key], { labels: names(close), digits: spec.digits })] };
    }
    const wrong = all.filter((i) => grades[i] === "wrong");
    const known = knownBy(same);                // or rounded
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
  // Several numbers typed or pasted into the first field ("24, 14, 32", "0,79; -0,2",
  // "[[6, 5], [8, 7]]") are spread over the fields, in reading order: the entries, or a
  // question (split_entries), or null when the first field holds one entry.
  function spread() {
    if (spec.options || fields.length < 2 || fields.slice(1).some((f) => f.value.trim())) return null;
    const parts = splitEntries(fields[0].value, fields.length);
    if (parts.question || parts.length < 2) return parts.question ? parts : null;
    return parts;
  }
  // Enter checks the answer from a choice list too (a text field does it by itself).
  fields.filter((f) => f.tagName === "SELECT").forEach((f) => f.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); form.requestSubmit(); }
  }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const parts = spread();
    if (parts && parts.question) {
      show({ passed: false, code: "ambiguous", messages: [parts.question] });
      return;
    }
    const n = fields.length;
    if (parts && parts.length !== n) {
      show({ passed: false, code: "shape",
             messages: [fill(spec.messages.shape, { n: n, labels: names([...Array(n).keys()]) })] });
      return;
    }
    if (parts) parts.forEach((p, i) => { fields[i].value = p; });
    const texts = parts || fields.map((f) => f.value);
    show(judge(texts.map((text, i) => readEntry(text, spec.labels[i]))));
  });
})(document.getElementById("__ROOT__"));
