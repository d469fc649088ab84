// Behaviour shared by every page. No inline scripts: pages opt in through data attributes.
(function () {
  "use strict";

  // Lower case without Vietnamese diacritics, so "rach gia" finds "Rạch Giá".
  function fold(text) {
    return (text || "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  window.inspectFold = fold;

  // <meta name="page-address" content="/review/7">: a page shown again after a refused form, at the form's
  // address (/cases/7/return), takes the address of the page it is: reloading or sharing it opens that page.
  var pageAddress = document.querySelector('meta[name="page-address"]');
  if (pageAddress && window.history.replaceState) {
    window.history.replaceState(null, "", pageAddress.getAttribute("content") + window.location.hash);
  }

  // <form data-confirm="question">: ask before submitting.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // <button data-action="print">: print the page (the layout has print styles).
  document.querySelectorAll('[data-action="print"]').forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // <select data-filterable="placeholder">: a search box above the list that hides non-matching options.
  document.querySelectorAll("select[data-filterable]").forEach(function (select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1";
    input.placeholder = select.getAttribute("data-filterable");
    input.setAttribute("aria-label", select.getAttribute("data-filterable"));
    input.setAttribute("data-filter-for", select.id);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var needle = fold(input.value);
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = needle !== "" && fold(option.text).indexOf(needle) === -1 && !option.selected;
      });
    });
  });
})();

// <input data-similar-url="/establishments/suggest" data-similar-target="id" data-similar-base="/establishments/"
//        data-similar-title="…" data-similar-skip="id">: while a name is typed, list the establishments
// already recorded with a similar name (links to their pages), so that nobody records one twice.
(function () {
  "use strict";
  document.querySelectorAll("input[data-similar-url]").forEach(function (input) {
    var box = document.getElementById(input.getAttribute("data-similar-target"));
    if (!box || !window.fetch) { return; }
    var base = input.getAttribute("data-similar-base") || "";
    var skip = input.getAttribute("data-similar-skip") || "";
    var timer = null;
    var latest = 0;
    function show(results) {
      results = results.filter(function (r) { return String(r.id) !== skip; });
      box.textContent = "";
      box.hidden = results.length === 0;
      if (box.hidden) { return; }
      var title = document.createElement("div");
      title.className = "small fw-semibold";
      title.textContent = input.getAttribute("data-similar-title");
      box.appendChild(title);
      var list = document.createElement("ul");
      list.className = "small mb-0";
      results.forEach(function (r) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = base + r.id;
        link.textContent = r.name;
        item.appendChild(link);
        var details = [r.tax_code, r.commune_name].filter(Boolean).join(" · ");
        if (details) { item.appendChild(document.createTextNode(" (" + details + ")")); }
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { show([]); return; }
      timer = window.setTimeout(function () {
        var ticket = ++latest;
        var url = input.getAttribute("data-similar-url") + "?q=" + encodeURIComponent(q.slice(0, 200));
        fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { if (ticket === latest) { show(data.results || []); } })
          .catch(function () { /* suggestions are a convenience: stay silent when offline */ });
      }, 300);
    });
  });
})();
