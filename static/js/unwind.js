// Site-wide behaviours, attached by data attributes. The Content-Security-Policy allows no
// inline script, no on* attributes, no hx-on and no style="": a template states what it wants
// with data-* and this file (or an app's own static file, written the same way) does it.
// Each behaviour runs on the page and again on every fragment htmx swaps in (htmx.onLoad).
//
//   data-top="12.5" data-height="4"   position a block, in percent of its track (the board)
//   data-print                        a button that prints the page
//   data-nav-toggle                   the Menu button that folds the main navigation on a phone
//   data-focus-next="id"              after htmx swaps in what this link asked for, focus #id
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

  // The button is hidden in the markup: without this script the list simply wraps.
  function navToggle(button) {
    if (button.dataset.navBound) return;
    button.dataset.navBound = "1";
    var nav = button.closest(".site-nav");
    if (!nav) return;
    nav.classList.add("nav-collapsible");
    button.hidden = false;
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("nav-open", open);
    }
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("nav-open")) {
        set(false);
        button.focus();
      }
    });
  }

  function enhance(root) {
    each(root, "[data-top], [data-height]", position);
    each(root, "[data-print]", printButton);
    each(root, "[data-nav-toggle]", navToggle);
  }

  // A swapped region replaces the link that was pressed: put keyboard and screen-reader focus
  // where that link's result is (the chosen day's times, the month shown), not on <body>.
  document.addEventListener("htmx:afterSettle", function (event) {
    var trigger = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    var id = trigger && trigger.getAttribute && trigger.getAttribute("data-focus-next");
    if (!id) return;
    var target = document.getElementById(id) || document.getElementById("when-heading");
    if (!target) return;
    if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT)$/.test(target.tagName)) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  });

  if (window.htmx) {
    window.htmx.onLoad(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
