/* The book's own small page scripts (loaded on every page by Jupyter Book).
 *
 * 1. "Live Code" offline. sphinx-thebe loads thebe from a CDN when the reader clicks
 *    Live Code and shows "Loading thebe from CDN..." until the script's `load` event,
 *    which never comes without a network: the button spun forever. A failed load of
 *    that script (its `error` event, seen here in the capture phase because it does not
 *    bubble) now replaces the message with what the reader can do instead. Online
 *    nothing changes: this only reacts to the failure.
 * 2. Math in table headers. MathJax shows a formula as aria-hidden glyphs plus hidden
 *    MathML; a header cell holding only a formula (a column named H, k, s, ...) then has
 *    no text name for assistive tools that do not read MathML. The formula gets
 *    role="math" and a label: the MathML's own text (H′, H/s, ...).
 */
(function () {
  "use strict";

  function liveCodeOffline() {
    var button = document.querySelector(".thebe-launch-button");
    if (!button) return;
    var note = document.createElement("div");
    // Keep the class: sphinx-book-theme checks for it before adding a second button.
    note.className = "thebe-launch-button nnx-live-offline";
    note.setAttribute("role", "status");
    var notebook = document.querySelector('a[href$=".ipynb"]');
    var download = notebook
      ? '<a href="' + notebook.getAttribute("href") + '" download>download this ' +
        "chapter's notebook</a>"
      : "download this chapter's notebook (the download button at the top of the page)";
    note.innerHTML =
      "<strong>Live Code needs an internet connection.</strong> It runs this page's " +
      "code on mybinder.org, which could not be reached. To run the code offline, " +
      download + " and open it with <code>make lab</code> in a copy of the book's " +
      "repository (see its README).";
    button.replaceWith(note);
  }

  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target.tagName === "SCRIPT" && typeof THEBE_JS_URL !== "undefined" &&
        target.src === THEBE_JS_URL) {
      liveCodeOffline();
    }
  }, true);

  function labelHeaderMath() {
    document.querySelectorAll("th mjx-container").forEach(function (box) {
      var mml = box.querySelector("mjx-assistive-mml math");
      var text = mml ? mml.textContent.trim() : "";
      if (text && !box.hasAttribute("aria-label")) {
        box.setAttribute("role", "math");
        box.setAttribute("aria-label", text);
      }
    });
  }

  window.addEventListener("load", function () {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(labelHeaderMath);
    }
  });
})();
