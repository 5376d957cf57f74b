// Small behaviours that must not be inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// Changing a filter drop-down reloads the whole page (not just the rows), so that dependent
// choices such as the buildings of the chosen grid are rebuilt.
document.addEventListener("change", function (event) {
  var select = event.target.closest("form[data-autosubmit] select");
  if (select) {
    var page = select.form.querySelector("input[name=page]");
    if (page) { page.remove(); }
    select.form.submit();
  }
});

// Print buttons (data-print): window.print() cannot be an inline onclick under the CSP.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
  }
});
