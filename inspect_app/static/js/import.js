// Case import page: send the file with an upload progress bar, then show "processing…" until the server
// answers, and replace the page with its answer (the report). Without JavaScript the form posts normally.
(function () {
  "use strict";

  var form = document.querySelector("form[data-import-form]");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var box = document.getElementById("import-progress");
  var meter = box.querySelector("[role=progressbar]");
  var bar = box.querySelector(".progress-bar");
  var label = box.querySelector("[data-progress-label]");
  var button = form.querySelector("button[type=submit]");

  function show(percent) {
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    meter.setAttribute("aria-valuenow", String(percent));
  }

  function fail() {
    box.hidden = true;
    button.disabled = false;
    window.alert(form.getAttribute("data-failed"));
  }

  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    if (!input || !input.files || input.files.length === 0) { return; }  // let the server say what is missing
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { show(Math.round((e.loaded / e.total) * 100)); }
    });
    xhr.upload.addEventListener("load", function () {
      show(100);
      bar.classList.add("progress-bar-striped", "progress-bar-animated");
      label.textContent = form.getAttribute("data-processing");
    });
    xhr.addEventListener("load", function () {
      if (!xhr.responseText) { fail(); return; }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", fail);
    xhr.addEventListener("abort", fail);
    box.hidden = false;
    label.textContent = "";
    show(0);
    button.disabled = true;
    xhr.send(new FormData(form));
  });
})();
