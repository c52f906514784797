// A booking form is sent once: the button is disabled after the first tap (the server's
// Idempotency-Key makes a second request harmless anyway, for pages without this script).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList || !form.classList.contains("bk-once")) return;
  if (form.dataset.sent === "1") { event.preventDefault(); return; }
  form.dataset.sent = "1";
  var buttons = form.querySelectorAll("button[type=submit]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].setAttribute("aria-disabled", "true");
    buttons[i].classList.add("bk-sending");
  }
});
// Coming back to the page from the history (bfcache) makes its forms usable again.
window.addEventListener("pageshow", function () {
  var forms = document.querySelectorAll("form.bk-once");
  for (var i = 0; i < forms.length; i++) {
    delete forms[i].dataset.sent;
    var buttons = forms[i].querySelectorAll("button[type=submit]");
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].removeAttribute("aria-disabled");
      buttons[j].classList.remove("bk-sending");
    }
  }
});
