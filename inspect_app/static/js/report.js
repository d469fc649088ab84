// The annual report page: insert a figure sentence into the text box last focused; open the tab a
// link's #fragment points into (e.g. #narrative after saving).
(function () {
  "use strict";
  var last = null;
  document.querySelectorAll("textarea[data-quote-target]").forEach(function (area) {
    area.addEventListener("focus", function () { last = area; });
  });
  document.querySelectorAll("[data-quote]").forEach(function (button) {
    button.addEventListener("click", function () {
      var area = last || document.querySelector("textarea[data-quote-target]");
      if (!area) { return; }
      var sentence = button.getAttribute("data-quote");
      var start = area.selectionStart || area.value.length;
      var end = area.selectionEnd || start;
      area.value = area.value.slice(0, start) + sentence + area.value.slice(end);
      area.focus();
      area.selectionStart = area.selectionEnd = start + sentence.length;
    });
  });
  var hash = window.location.hash;
  var panes = { "#narrative": "#tab-text", "#revisions": "#tab-revisions" };
  var invalid = document.querySelector("#tab-text .is-invalid");
  var target = invalid ? "#tab-text" : panes[hash];
  if (target && window.bootstrap) {
    var trigger = document.querySelector('[data-bs-target="' + target + '"]');
    if (trigger) { window.bootstrap.Tab.getOrCreateInstance(trigger).show(); }
  }
})();
