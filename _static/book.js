/* The book's own small page scripts (loaded on every page by Jupyter Book).
 *
 * 1. "Live Code" offline. sphinx-thebe loads thebe from a CDN when the reader clicks
 *    Live Code and shows "Loading thebe from CDN..." until the script's `load` event,
 *    which never comes without a network: the button spun forever. A failed load of
 *    that script (its `error` event, seen here in the capture phase because it does not
 *    bubble) now replaces the message with what the reader can do instead. Online
 *    nothing changes: this only reacts to the failure.
 * 2. (Math is typeset at build time, _ext/typeset_math.js, which also labels formulas in
 *    table headers and makes display equations Tab stops: nothing to do here.)
 * 3. Figures full size. A wide figure is shown scaled down to the column (on a phone to
 *    a third of its size). Every image of a cell output (figures and the explorers'
 *    frames) is a button: a click, a tap, Enter or Space opens it at its natural size in
 *    a modal <dialog>, which scrolls (pans) when the image is larger than the screen.
 *    Close, Esc or a click outside the image closes it; focus returns to the figure. On a
 *    touch screen a line under each scaled-down figure says that a tap enlarges it.
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



  var zoom = null;      // the dialog, made on first use
  var opener = null;    // the figure that opened it

  function figureName(img) {
    var alt = (img.getAttribute("alt") || "").trim();
    if (alt) return alt;
    var fig = img.closest("figure");
    var caption = fig && fig.querySelector("figcaption");
    return caption ? caption.textContent.replace(/\s+/g, " ").trim() : "figure";
  }

  function makeZoom() {
    var dialog = document.createElement("dialog");
    dialog.className = "nnx-zoom";
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-label", "Figure at full size");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "nnx-zoom-close";
    close.textContent = "Close";
    var img = document.createElement("img");
    img.className = "nnx-zoom-image";
    img.alt = "";
    dialog.appendChild(close);
    dialog.appendChild(img);
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (event) {
      // The backdrop and the margin around the image are the dialog itself.
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", function () {
      img.removeAttribute("src");
      if (opener) opener.focus();
      opener = null;
    });
    document.body.appendChild(dialog);
    return dialog;
  }

  function enlarge(img) {
    zoom = zoom || makeZoom();
    var big = zoom.querySelector(".nnx-zoom-image");
    big.src = img.currentSrc || img.src;
    big.alt = img.getAttribute("alt") || figureName(img);
    big.width = img.naturalWidth;     // its natural size, not the column's
    opener = img;
    zoom.showModal();
    zoom.scrollTop = 0;
    zoom.scrollLeft = 0;
    zoom.querySelector(".nnx-zoom-close").focus();
  }

  function enlargeableFigures() {
    if (typeof HTMLDialogElement === "undefined") return;
    document.querySelectorAll(".bd-article .cell_output img").forEach(function (img) {
      img.classList.add("nnx-enlargeable");
      img.setAttribute("tabindex", "0");
      img.setAttribute("role", "button");
      img.setAttribute("aria-label", "Enlarge figure: " + figureName(img));
      img.addEventListener("click", function () { enlarge(img); });
      img.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          enlarge(img);
        }
      });
    });
  }

  // On a touch screen nothing says that a figure can be opened: under each figure shown
  // smaller than its pixels, a line says so (book.css shows it only where there is no
  // hover, i.e. on phones and tablets; screen readers have the button's label instead).
  // Images load lazily: each is looked at once it has loaded.
  function hintIfScaled(img) {
    var next = img.nextElementSibling;
    if (img.naturalWidth <= img.clientWidth * 1.1 ||
        (next && next.classList.contains("nnx-enlarge-hint"))) return;
    var hint = document.createElement("span");
    hint.className = "nnx-enlarge-hint";
    hint.setAttribute("aria-hidden", "true");
    hint.textContent = "Tap the figure to see it full size";
    img.insertAdjacentElement("afterend", hint);
  }

  function enlargeHints() {
    document.querySelectorAll(".bd-article .cell_output img.nnx-enlargeable:not(.nnx-frame)")
      .forEach(function (img) {
        if (img.complete && img.naturalWidth) hintIfScaled(img);
        else img.addEventListener("load", function () { hintIfScaled(img); }, { once: true });
      });
  }

  function figures() {
    enlargeableFigures();
    enlargeHints();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", figures);
  } else {
    figures();
  }

})();
