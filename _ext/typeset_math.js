// Typeset the math of built pages once, at build time: node _ext/typeset_math.js FILE...
//
// Each page is read, its TeX (\( \), \[ \], $$ $$, as MathJax finds it in the browser with
// the options Sphinx gives it) is typeset by MathJax 3 (mathjax-full, pinned in
// package-lock.json) into SVG with one shared glyph cache per page, with the formula's
// MathML beside it for screen readers (MathJax's assistive MathML), and the page is written
// back. The reader's browser then loads no MathJax (1.1 MB of script on every page) and
// no math fonts. _ext/build_math.py calls this and drops the MathJax <script> tags.
"use strict";

const fs = require("fs");
const {mathjax} = require("mathjax-full/js/mathjax.js");
const {TeX} = require("mathjax-full/js/input/tex.js");
const {SVG} = require("mathjax-full/js/output/svg.js");
const {liteAdaptor} = require("mathjax-full/js/adaptors/liteAdaptor.js");
const {RegisterHTMLHandler} = require("mathjax-full/js/handlers/html.js");
const {AssistiveMmlHandler} = require("mathjax-full/js/a11y/assistive-mml.js");
const {AllPackages} = require("mathjax-full/js/input/tex/AllPackages.js");

const adaptor = liteAdaptor({fontSize: 16});
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));

let failed = 0;
for (const file of process.argv.slice(2)) {
  const source = fs.readFileSync(file, "utf8");
  const doctype = (source.match(/^\s*<!DOCTYPE[^>]*>/i) || ["<!DOCTYPE html>"])[0].trim();
  const page = mathjax.document(source, {
    InputJax: new TeX({packages: AllPackages.filter((p) => p !== "bussproofs"),
                       formatError: (jax, err) => { throw err; }}),
    OutputJax: new SVG({fontCache: "global"}),
    processHtmlClass: "tex2jax_process|mathjax_process|math|output_area",
  });
  try {
    page.render();
  } catch (err) {
    console.error(`${file}: ${err.message}`);
    failed += 1;
    continue;
  }
  const items = Array.from(page.math);
  const count = items.length;
  if (count === 0) continue;
  for (const item of items) {
    const box = item.typesetRoot;
    if (item.display) {
      // a display equation wider than the column scrolls in its own box, and a box that
      // scrolls must be reachable by keyboard (inline formulas are not Tab stops)
      adaptor.setAttribute(box, "tabindex", "0");
    }
    // A header cell holding only a formula (a column named H, k, s) would have no text
    // name for assistive tools that do not read MathML: the formula gets role="math" and
    // its MathML's text as a label (H′, H/s).
    let up = adaptor.parent(box);
    while (up && adaptor.kind(up) !== "th" && adaptor.kind(up) !== "body") up = adaptor.parent(up);
    if (up && adaptor.kind(up) === "th") {
      const mml = adaptor.tags(box, "mjx-assistive-mml")[0];
      const text = mml ? adaptor.textContent(mml).trim() : "";
      if (text) {
        adaptor.setAttribute(box, "role", "math");
        adaptor.setAttribute(box, "aria-label", text);
      }
    }
  }
  // MathJax's stylesheet for the SVG output (sizes, alignment, assistive MathML hidden)
  const style = adaptor.outerHTML(page.outputJax.styleSheet(page));
  let out = doctype + "\n" + adaptor.outerHTML(adaptor.root(page.document));
  out = out.replace("</head>", style + "</head>");
  fs.writeFileSync(file, out);
  console.log(`${file}: ${count} formulas`);
}
process.exit(failed ? 1 : 0);
