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
    // Signature pads: drawing on the canvas writes a PNG into the hidden field it names. The
    // drawing is optional (typing the name and ticking the box is the keyboard alternative).
    document.querySelectorAll("canvas[data-signature-pad]").forEach(function (canvas) {
      var field = document.getElementById(canvas.dataset.signaturePad);
      var context = canvas.getContext("2d");
      var drawing = false;
      context.lineWidth = 2;
      context.lineCap = "round";
      var point = function (event) {
        var box = canvas.getBoundingClientRect();
        return [(event.clientX - box.left) * canvas.width / box.width,
                (event.clientY - box.top) * canvas.height / box.height];
      };
      canvas.addEventListener("pointerdown", function (event) {
        drawing = true;
        var at = point(event);
        context.beginPath();
        context.moveTo(at[0], at[1]);
      });
      canvas.addEventListener("pointermove", function (event) {
        if (!drawing) { return; }
        var at = point(event);
        context.lineTo(at[0], at[1]);
        context.stroke();
      });
      var stop = function () {
        if (!drawing) { return; }
        drawing = false;
        if (field) { field.value = canvas.toDataURL("image/png"); }
      };
      canvas.addEventListener("pointerup", stop);
      canvas.addEventListener("pointerleave", stop);
      document.querySelectorAll("[data-signature-clear='" + canvas.id + "']").forEach(function (button) {
        button.addEventListener("click", function () {
          context.clearRect(0, 0, canvas.width, canvas.height);
          if (field) { field.value = ""; }
        });
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
