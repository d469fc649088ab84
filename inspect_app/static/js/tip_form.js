// The tip form: find the establishment by name or tax code (the same suggestions as the case form's picker)
// and put it into the select; its commune too when none is chosen. Without JavaScript the select offers
// the establishment the form was opened from.
(function () {
  "use strict";
  var form = document.getElementById("tip-form");
  var search = document.getElementById("establishment-search");
  var results = document.getElementById("establishment-results");
  var select = document.getElementById("establishment_id");
  var commune = document.getElementById("commune_code");
  if (!form || !search || !results || !select || !form.dataset.apiEstablishments) { return; }
  search.closest("[data-establishment-picker]").hidden = false;
  var timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = search.value.trim();
      if (q.length < 2) { results.replaceChildren(); return; }
      fetch(form.dataset.apiEstablishments + "?q=" + encodeURIComponent(q), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : { results: [] }; }).then(function (body) {
        results.replaceChildren();
        (body.results || []).forEach(function (e) {
          var b = document.createElement("button");
          b.type = "button";
          b.className = "list-group-item list-group-item-action";
          b.setAttribute("role", "option");
          b.textContent = e.name + (e.tax_code ? " — " + e.tax_code : "");
          b.addEventListener("click", function () {
            var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(e.id); });
            if (!option) { option = new Option(b.textContent, String(e.id)); select.add(option); }
            select.value = String(e.id);
            results.replaceChildren();
            search.value = "";
            if (commune && !commune.value && e.commune_code) {
              var known = Array.prototype.some.call(commune.options, function (o) { return o.value === e.commune_code; });
              if (known) { commune.value = e.commune_code; }
            }
          });
          results.appendChild(b);
        });
      });
    }, 250);
  });
})();
