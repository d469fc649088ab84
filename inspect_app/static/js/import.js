// Case import page: send the file with an upload progress bar, then show "processing…" until the server
// answers, and replace the page with its answer (the report, or the mapping page the upload was sent on to:
// the address bar then shows its address). Without JavaScript the form posts normally.
(function () {
  "use strict";

  var form = document.querySelector("form[data-import-form]");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var box = document.getElementById("import-progress");
  var meter = box.querySelector("[role=progressbar]");
  var bar = box.querySelector(".progress-bar");
  var label = box.querySelector("[data-progress-label]");
  var buttons = form.querySelectorAll("button[type=submit]");

  function disable(state) {
    for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = state; }
  }

  function show(percent) {
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    meter.setAttribute("aria-valuenow", String(percent));
  }

  function fail() {
    box.hidden = true;
    disable(false);
    window.alert(form.getAttribute("data-failed"));
  }

  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    if (!input || !input.files || input.files.length === 0) { return; }  // let the server say what is missing
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || window.location.href);
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
      var address = xhr.responseURL;
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (address && address !== window.location.href && window.history.replaceState) {
        window.history.replaceState(null, "", address);
      }
    });
    xhr.addEventListener("error", fail);
    xhr.addEventListener("abort", fail);
    box.hidden = false;
    label.textContent = "";
    show(0);
    var data = new FormData(form);
    var submitter = event.submitter;  // "Map the columns" says so by its name and value
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    disable(true);
    xhr.send(data);
  });
})();
