// Behaviour shared by every page. No inline scripts: pages opt in through data attributes.
(function () {
  "use strict";

  // Lower case without Vietnamese diacritics, so "rach gia" finds "Rạch Giá".
  function fold(text) {
    return (text || "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  window.inspectFold = fold;

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
