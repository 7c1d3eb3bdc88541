/* Small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a refused submission, move focus to the error summary so that it is read first.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      var details = summary.closest("details");
      if (details) { details.open = true; }
      summary.focus();
    }
    // Open any collapsed section that holds a field with an error, so that links work.
    document.querySelectorAll("[aria-invalid='true']").forEach(function (input) {
      var details = input.closest("details");
      if (details) { details.open = true; }
    });
    // "Select all" checkboxes: data-select-all names the checkboxes it ticks in its form.
    document.querySelectorAll("input[data-select-all]").forEach(function (all) {
      var form = all.form;
      var boxes = function () {
        return form ? form.querySelectorAll("input[type='checkbox'][name='" + all.dataset.selectAll + "']") : [];
      };
      all.addEventListener("change", function () {
        boxes().forEach(function (box) { box.checked = all.checked; });
      });
    });
    // Guard against a double submission (one click = one change).
    document.querySelectorAll("form[method='post']").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.submitted === "1") { event.preventDefault(); return; }
        form.dataset.submitted = "1";
        window.setTimeout(function () { form.dataset.submitted = ""; }, 5000);
      });
    });
  });
})();
