// Library desk: keep the one input focused, so a handheld scanner (which types the barcode or the
// card number and presses Enter) always lands in it, even after a tap elsewhere on the page.
(function () {
  "use strict";
  var input = document.getElementById("id_scan");
  if (!input) return;
  function focus() {
    if (document.activeElement !== input) input.focus({ preventScroll: true });
  }
  focus();
  document.addEventListener("click", function (event) {
    var t = event.target;
    if (t.closest && t.closest("a, button, input, select, textarea, summary, label")) return;
    focus();
  });
  window.addEventListener("focus", focus);
  // A second Enter while the page is sending would scan the same thing twice: harmless (a second
  // scan changes nothing), but the answer would flicker. Send once.
  var form = document.getElementById("desk-form");
  form.addEventListener("submit", function (event) {
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
  });
})();
