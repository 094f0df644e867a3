// Site-wide behaviours, attached by data attributes. The Content-Security-Policy allows no
// inline script, no on* attributes, no hx-on and no style="": a template states what it wants
// with data-* and this file (or an app's own static file, written the same way) does it.
// Each behaviour runs on the page and again on every fragment htmx swaps in (htmx.onLoad).
//
//   data-top="12.5" data-height="4"   position a block, in percent of its track (the board)
//   data-print                        a button that prints the page
(function () {
  "use strict";

  function each(root, selector, apply) {
    if (root.matches && root.matches(selector)) apply(root);
    if (root.querySelectorAll) root.querySelectorAll(selector).forEach(apply);
  }

  // Setting a style property from a script is allowed by style-src 'self'; a style attribute
  // in the markup is not.
  function position(el) {
    var top = parseFloat(el.getAttribute("data-top"));
    var height = parseFloat(el.getAttribute("data-height"));
    if (!isNaN(top)) el.style.top = top + "%";
    if (!isNaN(height)) el.style.height = height + "%";
  }

  function printButton(el) {
    if (el.dataset.printBound) return;
    el.dataset.printBound = "1";
    el.addEventListener("click", function () { window.print(); });
  }

  function enhance(root) {
    each(root, "[data-top], [data-height]", position);
    each(root, "[data-print]", printButton);
  }

  if (window.htmx) {
    window.htmx.onLoad(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
