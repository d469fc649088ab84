// The establishment page's risk score and tips (cases/planning): fetched after the page, so that the page
// itself runs its few queries; without JavaScript the link to the same card stays.
(function () {
  "use strict";
  document.querySelectorAll("[data-risk-card]").forEach(function (holder) {
    fetch(holder.getAttribute("data-risk-card"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var parsed = new DOMParser().parseFromString(html, "text/html");
        holder.replaceChildren.apply(holder, Array.prototype.slice.call(parsed.body.childNodes));
      })
      .catch(function () { /* the link stays */ });
  });
})();
