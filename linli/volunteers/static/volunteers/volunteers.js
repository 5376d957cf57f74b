// The volunteer form's resident picker: choosing a resident (a radio with data-fill-name / data-fill-phone)
// fills the name and phone from the registry and locks them (the server takes them from the registry
// anyway); choosing "none" (data-fill-clear) unlocks them for an outside volunteer.
(function () {
  function fields(form) {
    return [form.querySelector("[name=name]"), form.querySelector("[name=phone]")];
  }

  function apply(radio) {
    var pair = fields(radio.form);
    var values = [radio.getAttribute("data-fill-name"), radio.getAttribute("data-fill-phone")];
    pair.forEach(function (input, i) {
      if (!input) { return; }
      if (radio.hasAttribute("data-fill-clear")) {
        if (input.readOnly) { input.value = ""; }
        input.readOnly = false;
      } else {
        input.value = values[i] || "";
        input.readOnly = true;
      }
    });
  }

  document.addEventListener("change", function (event) {
    var radio = event.target.closest("input[type=radio][name=resident]");
    if (radio && radio.form) { apply(radio); }
  });

  function setUp() {
    var checked = document.querySelector("input[type=radio][name=resident]:checked");
    if (checked && checked.form) { apply(checked); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
