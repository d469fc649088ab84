// Location help for any form marked data-location (the case form, the establishment form): suggest the
// commune from the address (old or 2025 format) or from the device's GPS, and warn when the chosen commune
// is implausibly far from the GPS point. The form names the API in data-api-suggest and data-api-check;
// its fields are #address, #commune_code, #latitude, #longitude; messages go to [data-location-messages]
// and their words come from the <template id="msg-templates"> (templates/_location_messages.html).
// After a suggestion from an address, the form receives a "location:suggested" event with the API's answer
// (the case form fills the former ward from it).
(function () {
  "use strict";

  function msg(name) {
    var box = document.getElementById("msg-templates");
    var el = box && box.content ? box.content.querySelector('[data-msg="' + name + '"]') : null;
    return el ? el.textContent : name;
  }
  // Distances as the page's language writes them: "0,43" in Vietnamese, "0.43" in English.
  var kmFormat = new Intl.NumberFormat(document.documentElement.lang || "vi", { maximumFractionDigits: 2 });
  function km(value) { return kmFormat.format(Number(value)); }
  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); });
  }

  function attach(form) {
    var messages = form.querySelector("[data-location-messages]");
    var commune = form.querySelector("#commune_code");
    var lat = form.querySelector("#latitude");
    var lon = form.querySelector("#longitude");
    var address = form.querySelector("#address");

    function show(text, level) {
      if (!messages) { return; }
      var div = document.createElement("div");
      div.className = "alert alert-" + (level || "info") + " py-2";
      div.setAttribute("data-testid", "location-message");
      div.textContent = text;
      messages.replaceChildren(div);
    }
    function chooseCommune(code) {
      if (!commune) { return false; }
      var known = Array.prototype.some.call(commune.options, function (o) { return o.value === code; });
      if (!known) { return false; }  // e.g. a liaison's form lists only her communes
      commune.value = code;
      commune.dispatchEvent(new Event("change"));
      return true;
    }

    var suggestButton = form.querySelector('[data-action="suggest-address"]');
    if (suggestButton && address) {
      suggestButton.addEventListener("click", function () {
        if (!address.value.trim()) { address.focus(); return; }
        getJSON(form.dataset.apiSuggest + "?address=" + encodeURIComponent(address.value)).then(function (res) {
          if (!res.ok) { show(res.body.error || msg("not-found"), "warning"); return; }
          if (!chooseCommune(res.body.commune.code)) { show(msg("not-yours").replace("%(commune)s", res.body.commune.name), "warning"); return; }
          var text = msg("suggested") + " " + res.body.commune.name;
          if (res.body.former_ward) {
            text += " (" + msg("former") + ": " + res.body.former_ward.name + ", " + res.body.former_district.name + ")";
          }
          show(text, "success");
          form.dispatchEvent(new CustomEvent("location:suggested", { detail: res.body }));
        });
      });
    }

    var locationButton = form.querySelector('[data-action="use-location"]');
    if (locationButton && lat && lon) {
      locationButton.addEventListener("click", function () {
        if (!navigator.geolocation) { show(msg("gps-denied"), "warning"); return; }
        navigator.geolocation.getCurrentPosition(function (pos) {
          lat.value = pos.coords.latitude.toFixed(6);
          lon.value = pos.coords.longitude.toFixed(6);
          getJSON(form.dataset.apiSuggest + "?lat=" + lat.value + "&lon=" + lon.value).then(function (res) {
            if (!res.ok) { show(res.body.error, "warning"); return; }
            if (!chooseCommune(res.body.commune.code)) { show(msg("not-yours").replace("%(commune)s", res.body.commune.name), "warning"); return; }
            show(msg("suggested") + " " + res.body.commune.name + " (" + km(res.body.distance_km) + " " + msg("distance") + ")", "success");
          });
        }, function () { show(msg("gps-denied"), "warning"); }, { enableHighAccuracy: true, timeout: 15000 });
      });
    }

    function checkPlausibility() {
      if (!commune || !commune.value || !lat || !lon || !lat.value.trim() || !lon.value.trim() || !form.dataset.apiCheck) { return; }
      var url = form.dataset.apiCheck + "?code=" + encodeURIComponent(commune.value) +
        "&lat=" + encodeURIComponent(lat.value) + "&lon=" + encodeURIComponent(lon.value);
      getJSON(url).then(function (res) {
        var box = form.querySelector("#plausibility-warning");
        if (box) { box.remove(); }
        if (!res.ok || !res.body.warning || !messages) { return; }
        var w = res.body.warning;
        var div = document.createElement("div");
        div.id = "plausibility-warning";
        div.className = "alert alert-warning py-2";
        div.setAttribute("data-testid", "plausibility-warning");
        div.textContent = msg("far").replace("%(km)s", km(w.distance_km)).replace("%(nearest)s", w.nearest.name);
        messages.appendChild(div);
      });
    }
    [commune, lat, lon].forEach(function (el) { if (el) { el.addEventListener("change", checkPlausibility); } });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-location]"), attach);
})();
