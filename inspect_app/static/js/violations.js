// The finding form's violation picker: a search box whose datalist is filled from /api/v1/violations
// (code or words, with or without accents). Choosing an entry selects it in the plain <select> (which
// works without this script), shows its legal basis and fine ranges, and fills empty remedies.
(function () {
  "use strict";

  var box = document.querySelector("[data-violation-picker]");
  if (!box || !window.fetch) { return; }
  var select = box.querySelector("select");
  var search = document.getElementById("violation-search");
  var datalist = document.getElementById("violation-options");
  var info = document.getElementById("violation-info");
  var fineHint = document.getElementById("fine-range");
  var offender = document.getElementById("offender_type");
  var remedies = document.getElementById("proposed_remedies");
  var api = box.getAttribute("data-api");
  var byLabel = {};
  var byId = {};
  var timer = null;

  function text(key) { return box.getAttribute("data-text-" + key) || ""; }

  function vnd(amount) { return Number(amount).toLocaleString("vi-VN") + "\u00a0₫"; }

  function rangeText(range) {
    if (!range) { return text("unknown"); }
    if (range.min !== null && range.max !== null) { return vnd(range.min) + " – " + vnd(range.max); }
    if (range.min !== null) { return text("from") + " " + vnd(range.min); }
    return text("to") + " " + vnd(range.max);
  }

  function label(v) { return v.code + " — " + v.description; }

  function remember(found) {
    found.forEach(function (v) { byLabel[label(v)] = v; byId[String(v.id)] = v; });
    return found;
  }

  function fetchViolations(q) {
    var url = api + "?" + new URLSearchParams({ q: q, limit: "20" }).toString();
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { violations: [] }; })
      .then(function (data) { return remember(data.violations || []); })
      .catch(function () { return []; });
  }

  function line(content) {
    var span = document.createElement("span");
    span.className = "d-block";
    span.textContent = content;
    info.appendChild(span);
  }

  function show(v, fillRemedies) {
    info.textContent = "";
    if (!v) { return; }
    line(text("legal-basis") + ": " + v.legal_basis);
    line(text("range") + " — " + text("individual") + ": " + rangeText(v.fine_individual) + "; " +
         text("organisation") + ": " + rangeText(v.fine_organisation));
    if (v.fine_individual) { line(text(v.fine_verified ? "verified" : "unverified")); }
    if (fineHint && offender) {
      var range = offender.value === "organisation" ? v.fine_organisation : v.fine_individual;
      fineHint.textContent = text("range") + ": " + rangeText(range);
    }
    if (fillRemedies && remedies && !remedies.value.trim() && v.remedies) { remedies.value = v.remedies; }
  }

  function showSelected(fillRemedies) {
    var id = select.value;
    if (!id) { show(null, false); return; }
    if (byId[id]) { show(byId[id], fillRemedies); return; }
    var option = select.options[select.selectedIndex];
    fetchViolations(option.getAttribute("data-code") || "").then(function () {
      show(byId[id] || null, fillRemedies);
    });
  }

  box.querySelectorAll("[data-picker-part]").forEach(function (el) { el.classList.remove("d-none"); });

  search.addEventListener("input", function () {
    var value = search.value;
    if (byLabel[value]) {
      select.value = String(byLabel[value].id);
      showSelected(true);
      return;
    }
    window.clearTimeout(timer);
    if (value.trim().length < 2) { return; }
    timer = window.setTimeout(function () {
      fetchViolations(value).then(function (found) {
        datalist.textContent = "";
        found.forEach(function (v) {
          var option = document.createElement("option");
          option.value = label(v);
          datalist.appendChild(option);
        });
      });
    }, 200);
  });
  select.addEventListener("change", function () { showSelected(true); });
  if (offender) { offender.addEventListener("change", function () { showSelected(false); }); }
})();
