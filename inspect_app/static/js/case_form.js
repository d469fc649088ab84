// The case form: commune suggestions (address, GPS), the plausibility warning, the establishment picker,
// earlier e-commerce checks and the former-ward field for dates before 1 July 2025.
(function () {
  "use strict";
  var form = document.getElementById("case-form");
  if (!form) { return; }
  var messages = document.getElementById("location-messages");
  var commune = document.getElementById("commune_code");
  var lat = document.getElementById("latitude");
  var lon = document.getElementById("longitude");
  var address = document.getElementById("address");
  var formerWard = document.getElementById("former_ward_code");
  var openedOn = document.getElementById("opened_on");

  function msg(name) {
    var box = document.getElementById("msg-templates");
    var el = box && box.content ? box.content.querySelector('[data-msg="' + name + '"]') : null;
    return el ? el.textContent : name;
  }
  function show(text, level) {
    var div = document.createElement("div");
    div.className = "alert alert-" + (level || "info") + " py-2";
    div.textContent = text;
    messages.replaceChildren(div);
  }
  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); });
  }
  // Select the suggested commune; false when the list does not offer it (a liaison's list holds her own
  // communes only): the choice is then left as it was, and the caller says why.
  function chooseCommune(code) {
    if (!commune) { return true; }
    var offered = Array.prototype.some.call(commune.options, function (o) { return o.value === code; });
    if (!offered) { return false; }
    commune.value = code;
    commune.dispatchEvent(new Event("change"));
    return true;
  }
  function notYours(name) {
    show(msg("not-yours").replace("%(commune)s", name), "warning");
  }

  var suggestButton = form.querySelector('[data-action="suggest-address"]');
  if (suggestButton) {
    suggestButton.addEventListener("click", function () {
      if (!address.value.trim()) { address.focus(); return; }
      getJSON(form.dataset.apiSuggest + "?address=" + encodeURIComponent(address.value)).then(function (res) {
        if (!res.ok) { show(res.body.error || msg("not-found"), "warning"); return; }
        if (!chooseCommune(res.body.commune.code)) { notYours(res.body.commune.name); return; }
        var text = msg("suggested") + " " + res.body.commune.name;
        if (res.body.former_ward) {
          text += " (" + msg("former") + ": " + res.body.former_ward.name + ", " + res.body.former_district.name + ")";
          if (formerWard && beforeReform()) { formerWard.value = res.body.former_ward.code; }
        }
        show(text, "success");
      });
    });
  }

  var locationButton = form.querySelector('[data-action="use-location"]');
  if (locationButton) {
    locationButton.addEventListener("click", function () {
      if (!navigator.geolocation) { show(msg("gps-denied"), "warning"); return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lon.value = pos.coords.longitude.toFixed(6);
        getJSON(form.dataset.apiSuggest + "?lat=" + lat.value + "&lon=" + lon.value).then(function (res) {
          if (!res.ok) { show(res.body.error, "warning"); return; }
          if (!chooseCommune(res.body.commune.code)) { notYours(res.body.commune.name); return; }
          show(msg("suggested") + " " + res.body.commune.name + " (" + res.body.distance_km + " " + msg("distance") + ")", "success");
        });
      }, function () { show(msg("gps-denied"), "warning"); }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  // Warn when the chosen commune is implausibly far from the GPS point.
  function checkPlausibility() {
    if (!commune || !commune.value || !lat.value.trim() || !lon.value.trim()) { return; }
    var url = form.dataset.apiCheck + "?code=" + encodeURIComponent(commune.value) +
      "&lat=" + encodeURIComponent(lat.value) + "&lon=" + encodeURIComponent(lon.value);
    getJSON(url).then(function (res) {
      var box = document.getElementById("plausibility-warning");
      if (box) { box.remove(); }
      if (!res.ok || !res.body.warning) { return; }
      var w = res.body.warning;
      var div = document.createElement("div");
      div.id = "plausibility-warning";
      div.className = "alert alert-warning py-2";
      div.setAttribute("data-testid", "plausibility-warning");
      div.textContent = msg("far").replace("%(km)s", w.distance_km).replace("%(nearest)s", w.nearest.name);
      messages.appendChild(div);
    });
  }
  [commune, lat, lon].forEach(function (el) { if (el) { el.addEventListener("change", checkPlausibility); } });

  // The former ward matters only for cases dated before 1 July 2025.
  function isoDate(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec((text || "").trim());
    if (m) { return m[3] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[1]).slice(-2); }
    return (text || "").trim();
  }
  function beforeReform() { return openedOn && openedOn.value && isoDate(openedOn.value) < "2025-07-01"; }
  function toggleFormerWard() {
    var wrap = form.querySelector("[data-before-reform]");
    if (wrap) { wrap.hidden = !beforeReform() && !(formerWard && formerWard.value); }
  }
  if (openedOn) { openedOn.addEventListener("change", toggleFormerWard); toggleFormerWard(); }

  // Establishment picker: search by name or tax code, pick one into the select.
  var search = document.getElementById("establishment-search");
  var results = document.getElementById("establishment-results");
  var select = document.getElementById("establishment_id");
  var timer = null;
  if (search && form.dataset.apiEstablishments) {
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = search.value.trim();
        if (q.length < 2) { results.replaceChildren(); return; }
        getJSON(form.dataset.apiEstablishments + "?q=" + encodeURIComponent(q)).then(function (res) {
          results.replaceChildren();
          (res.body.results || []).forEach(function (e) {
            var b = document.createElement("button");
            b.type = "button";
            b.className = "list-group-item list-group-item-action";
            b.setAttribute("role", "option");
            b.textContent = e.name + (e.tax_code ? " — " + e.tax_code : "") + (e.commune_name ? " (" + e.commune_name + ")" : "");
            b.addEventListener("click", function () {
              var label = e.name + (e.tax_code ? " — " + e.tax_code : "");
              var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(e.id); });
              if (!option) { option = new Option(label, String(e.id)); select.add(option); }
              select.value = String(e.id);
              results.replaceChildren();
              search.value = "";
              if (commune && !commune.value && e.commune_code) { chooseCommune(e.commune_code); }
              if (address && !address.value && e.address) { address.value = e.address; }
            });
            results.appendChild(b);
          });
        });
      }, 250);
    });
  } else if (search) {
    search.closest("[data-establishment-picker]").hidden = true;
  }

  // E-commerce: show earlier checks of the same listing or seller while typing.
  var url = document.getElementById("listing_url");
  var seller = document.getElementById("seller_name");
  var sellerId = document.getElementById("seller_platform_id");
  var platform = document.getElementById("platform");
  var earlierBox = document.getElementById("earlier-checks");
  function lookupEarlier() {
    if (!earlierBox || !form.dataset.apiEarlier) { return; }
    var params = new URLSearchParams({ url: url.value, seller: seller.value, seller_id: sellerId.value, platform: platform.value });
    if (form.dataset.caseId) { params.set("exclude", form.dataset.caseId); }
    getJSON(form.dataset.apiEarlier + "?" + params.toString()).then(function (res) {
      if (!res.ok) { return; }
      earlierBox.replaceChildren();
      if (!res.body.checks.length) { return; }
      var div = document.createElement("div");
      div.className = "alert alert-warning";
      div.setAttribute("data-testid", "earlier-checks");
      var strong = document.createElement("strong");
      strong.textContent = msg("earlier");
      var ul = document.createElement("ul");
      ul.className = "mb-0";
      res.body.checks.forEach(function (c) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = c.url;
        a.textContent = c.number;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" — " + c.opened_on + (c.seller ? " — " + c.seller : "")));
        ul.appendChild(li);
      });
      div.appendChild(strong);
      div.appendChild(ul);
      earlierBox.appendChild(div);
    });
  }
  [url, seller, sellerId, platform].forEach(function (el) { if (el) { el.addEventListener("change", lookupEarlier); } });
})();
