// Intake form enhancements; the form works without them.
// 1. Show/hide questions as answers change (same enableWhen rules the server applies).
// 2. Clicking the body diagram ticks the matching checkbox in the pain list.
// 3. "None of these" unticks the other boxes, and the other way round.
(function () {
  "use strict";
  function answers(form, linkId) {
    var inputs = form.querySelectorAll('[name="' + linkId + '"]');
    if (!inputs.length) return null;
    var out = [];
    inputs.forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.value === "") return;
      var wrapper = el.closest(".q");
      if (wrapper && wrapper.hidden) return;
      var v = el.value;
      if (el.type === "radio" && (v === "yes" || v === "no") && wrapper && wrapper.classList.contains("q-boolean")) v = v === "yes";
      else if (el.type === "number") v = Number(v);
      else if (el.type === "checkbox" && wrapper && wrapper.classList.contains("q-consent")) v = true;
      out.push(v);
    });
    return out;
  }
  function holds(form, c) {
    var vals = answers(form, c.q);
    if (vals === null) return null; // question on another step: keep the server's decision
    if (c.op === "exists") return (vals.length > 0) === Boolean(c.a);
    if (c.op === "!=") return vals.length > 0 && vals.every(function (v) { return v !== c.a; });
    return vals.some(function (v) {
      switch (c.op) {
        case "=": return v === c.a;
        case ">": return v > c.a;
        case "<": return v < c.a;
        case ">=": return v >= c.a;
        case "<=": return v <= c.a;
      }
      return false;
    });
  }
  function refresh(form) {
    for (var round = 0; round < 5; round++) {
      var changed = false;
      form.querySelectorAll(".q[data-enable]").forEach(function (wrapper) {
        var conds = JSON.parse(wrapper.dataset.enable);
        var results = conds.map(function (c) { return holds(form, c); });
        if (results.some(function (r) { return r === null; })) return;
        var on = wrapper.dataset.behavior === "any" ? results.some(Boolean) : results.every(Boolean);
        if (wrapper.hidden === on) { wrapper.hidden = !on; changed = true; }
      });
      if (!changed) break;
    }
  }
  function exclusive(form, el) {
    if (el.type !== "checkbox" || !el.checked) return;
    var group = form.querySelectorAll('input[type="checkbox"][name="' + el.name + '"]');
    group.forEach(function (other) {
      if (other === el) return;
      if (el.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) other.checked = false;
    });
  }
  function syncDiagram(form) {
    form.querySelectorAll(".pm-region[data-key]").forEach(function (shape) {
      var box = form.querySelector('input[name="pain_map"][value="' + shape.dataset.key + '"]');
      shape.classList.toggle("pm-on", Boolean(box && box.checked));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.intake-form");
    if (!form) return;
    form.addEventListener("change", function (event) {
      exclusive(form, event.target);
      refresh(form);
      syncDiagram(form);
    });
    form.querySelectorAll(".pm-region[data-key]").forEach(function (shape) {
      shape.addEventListener("click", function () {
        var box = form.querySelector('input[name="pain_map"][value="' + shape.dataset.key + '"]');
        if (!box) return;
        box.checked = !box.checked;
        var optin = box.closest("details");
        if (optin) optin.open = true;
        syncDiagram(form);
      });
    });
    refresh(form);
    syncDiagram(form);
  });
})();
