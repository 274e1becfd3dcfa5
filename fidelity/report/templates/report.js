// fidelity report: filters, the findings-only view, badges, previous/next finding.
// No network, no inline handlers (the page's Content-Security-Policy allows this script only).
(function () {
  "use strict";
  var all = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };
  var byId = function (id) { return document.getElementById(id); };
  var RANK = { minor: 1, major: 2, critical: 3 };

  function checked(name) {
    var out = {};
    all('.toolbar input[name="' + name + '"]').forEach(function (box) { out[box.value] = box.checked; });
    return out;
  }

  function apply() {
    if (!byId("doc") || !document.querySelector(".toolbar")) return;
    var severity = checked("severity");
    var category = checked("category");
    var only = byId("only-findings") && byId("only-findings").checked;
    var shown = 0;
    var findings = all(".finding, .occurrences, .headline");
    findings.forEach(function (el) {
      var visible = severity[el.dataset.severity] !== false && category[el.dataset.category] !== false;
      el.hidden = !visible;
      if (visible && el.classList.contains("finding")) shown += 1;
    });
    var total = all(".finding").length;
    all(".pair").forEach(function (pair) {
      var worst = "none";
      all(".finding", pair).forEach(function (f) {
        if (!f.hidden && (worst === "none" || RANK[f.dataset.severity] > RANK[worst])) worst = f.dataset.severity;
      });
      pair.dataset.visibleWorst = worst;
      pair.hidden = only && worst === "none";
      var mark = document.querySelector('.mark[data-pair="' + pair.id.slice(1) + '"]');
      if (mark) {
        mark.classList.remove("w-critical", "w-major", "w-minor", "w-none");
        mark.classList.add("w-" + worst);
        mark.tabIndex = worst === "none" ? -1 : 0;
      }
    });
    all(".moved-here").forEach(function (el) { el.hidden = only; });
    var counter = byId("shown");
    if (counter) counter.textContent = "showing " + shown + " of " + total + " findings";
    var off = all('.toolbar input[name]').filter(function (box) { return !box.checked; }).map(function (box) { return box.value; });
    var filtered = byId("filtered");
    if (filtered) {
      filtered.textContent = off.length || only
        ? "Filtered view: " + shown + " of " + total + " findings" + (off.length ? "; hidden: " + off.join(", ") : "") + (only ? "; pairs without findings left out" : "")
        : "";
    }
  }

  function flagged() {
    return all(".pair").filter(function (p) { return !p.hidden && p.dataset.visibleWorst && p.dataset.visibleWorst !== "none"; });
  }

  function topLine() {
    // where a pair's top lands: under the toolbar, which is stuck to the top once the page scrolls
    var bar = document.querySelector(".toolbar");
    return (bar ? bar.offsetHeight : 0) + 8;
  }

  function go(step) {
    var pairs = flagged();
    if (!pairs.length) return;
    var line = topLine();
    var target;
    if (step > 0) {
      target = pairs.find(function (p) { return p.getBoundingClientRect().top > line + 40; }) || pairs[pairs.length - 1];
    } else {
      var before = pairs.filter(function (p) { return p.getBoundingClientRect().top < line - 2; });
      target = before.length ? before[before.length - 1] : pairs[0];
    }
    show(target);
  }

  function show(pair) {
    window.scrollBy(0, pair.getBoundingClientRect().top - topLine());
    var badge = pair.querySelector(".finding:not([hidden]) .badge");
    if (badge) badge.focus({ preventScroll: true });
    all(".mark.here").forEach(function (m) { m.classList.remove("here"); });
    var mark = document.querySelector('.mark[data-pair="' + pair.id.slice(1) + '"]');
    if (mark) mark.classList.add("here");
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.id === "messages") document.body.classList.toggle("msgs", target.checked);
    else if (target && target.closest && target.closest(".toolbar")) apply();
  });

  document.addEventListener("click", function (event) {
    var badge = event.target.closest && event.target.closest(".badge");
    if (badge) {
      badge.setAttribute("aria-expanded", badge.getAttribute("aria-expanded") === "true" ? "false" : "true");
      return;
    }
    var mark = event.target.closest && event.target.closest(".mark");
    if (mark) {
      var pair = byId("p" + mark.dataset.pair);
      if (pair && !pair.hidden) {
        event.preventDefault();
        show(pair);
        history.replaceState(null, "", "#p" + mark.dataset.pair);
      }
    }
    if (event.target.id === "next") go(1);
    if (event.target.id === "prev") go(-1);
  });

  document.addEventListener("keydown", function (event) {
    var t = event.target;
    var typing = t && (t.isContentEditable || t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && !/^(checkbox|radio|button)$/.test(t.type)));
    if (event.altKey || event.ctrlKey || event.metaKey || typing) return;
    if (event.key === "n" || event.key === "j") { go(1); event.preventDefault(); }
    if (event.key === "p" || event.key === "k") { go(-1); event.preventDefault(); }
  });

  var messages = byId("messages");
  if (messages) document.body.classList.toggle("msgs", messages.checked);
  apply();
})();
