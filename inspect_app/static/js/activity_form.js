// The activity form: choosing a task fills in its usual type of activity and unit
// (data-task-defaults on the form, from cases/plan/activity_tasks.py), unless the user changed them.
(function () {
  "use strict";
  var form = document.querySelector("form[data-task-defaults]");
  if (!form) { return; }
  var defaults;
  try { defaults = JSON.parse(form.getAttribute("data-task-defaults")) || {}; } catch (e) { return; }
  var task = form.querySelector("#task_code");
  var type = form.querySelector("#activity_type");
  var unit = form.querySelector("#unit");
  if (!task || !type || !unit) { return; }
  var previous = defaults[task.value] || null;

  task.addEventListener("change", function () {
    var next = defaults[task.value];
    if (!next) { previous = null; return; }
    // Replace only what is empty or still the previous task's default.
    if (!type.value || (previous && type.value === previous.type)) { type.value = next.type; }
    if (!unit.value.trim() || (previous && unit.value === previous.unit)) { unit.value = next.unit; }
    previous = next;
  });
})();
