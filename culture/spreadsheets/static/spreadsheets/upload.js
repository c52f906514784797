/* Upload progress for the spreadsheet import form (htmx 2 fires htmx:xhr:progress). */
(function () {
  "use strict";
  document.addEventListener("htmx:xhr:progress", function (evt) {
    var form = evt.target.closest ? evt.target.closest("[data-upload-form]") : null;
    if (!form || !evt.detail.lengthComputable || !evt.detail.total) { return; }
    var bar = form.querySelector("progress");
    var label = form.querySelector("[data-upload-percent]");
    var percent = Math.round((evt.detail.loaded / evt.detail.total) * 100);
    bar.hidden = false;
    bar.value = percent;
    if (label) { label.textContent = percent + "%"; }
  });
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var form = evt.target.closest ? evt.target.closest("[data-upload-form]") : null;
    if (form) { form.querySelector("button[type=submit]").disabled = true; }
  });
  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = evt.target.closest ? evt.target.closest("[data-upload-form]") : null;
    if (form) { form.querySelector("button[type=submit]").disabled = false; }
  });
})();
