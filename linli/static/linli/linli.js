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

// Drafts (data-draft="<key>"): what is typed into such a form is kept in this phone's localStorage, so a
// submission lost on a weak network, a reload or a closed tab loses nothing. The draft is restored on
// the next visit to the form (with a note in [data-draft-note]) and removed only when a page confirms
// the save by carrying data-draft-clear="<key>": never on submit, since the submit itself may fail.
// Files, passwords, hidden fields and the CSRF token are never stored.
(function () {
  var PREFIX = "linli-draft:";
  var MAX_AGE_MS = 14 * 24 * 3600 * 1000;
  var RESTORED = "已恢复上次未提交的内容。";
  var OFFLINE = "当前没有网络，内容已保存在本机，请有信号时再提交。";

  function store() {
    try {
      var s = window.localStorage;
      s.setItem(PREFIX + "probe", "1");
      s.removeItem(PREFIX + "probe");
      return s;
    } catch (e) {
      return null; // private mode or storage disabled: the form still works, without drafts
    }
  }

  function draftable(el) {
    if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") { return false; }
    var type = (el.type || "").toLowerCase();
    return ["file", "password", "hidden", "submit", "button", "reset", "image"].indexOf(type) === -1;
  }

  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!draftable(el)) { return; }
      var type = el.type.toLowerCase();
      if (type === "radio") {
        if (!(el.name in values)) { values[el.name] = ""; }
        if (el.checked) { values[el.name] = el.value; }
      } else if (type === "checkbox" || type === "select-multiple") {
        if (!(el.name in values)) { values[el.name] = []; }
        if (type === "checkbox") {
          if (el.checked) { values[el.name].push(el.value); }
        } else {
          Array.prototype.forEach.call(el.selectedOptions, function (o) { values[el.name].push(o.value); });
        }
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  // Puts the saved values back; returns true when the form changed.
  function apply(form, values) {
    var changed = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!draftable(el) || !(el.name in values)) { return; }
      var value = values[el.name];
      var type = el.type.toLowerCase();
      if (type === "radio" || type === "checkbox") {
        var on = Array.isArray(value) ? value.indexOf(el.value) !== -1 : value === el.value;
        if (el.checked !== on) { el.checked = on; changed = true; }
      } else if (type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (o) {
          var on = Array.isArray(value) && value.indexOf(o.value) !== -1;
          if (o.selected !== on) { o.selected = on; changed = true; }
        });
      } else if (typeof value === "string" && el.value !== value) {
        el.value = value;
        changed = true;
      }
    });
    return changed;
  }

  function note(form, text) {
    var el = form.querySelector("[data-draft-note]") || document.querySelector("[data-draft-note]");
    if (el) {
      el.textContent = text;
      el.hidden = false;
    }
  }

  function setUp() {
    var s = store();
    if (!s) { return; }
    // A page confirming a save clears that draft first (it may also show the same form again).
    Array.prototype.forEach.call(document.querySelectorAll("[data-draft-clear]"), function (el) {
      s.removeItem(PREFIX + el.getAttribute("data-draft-clear"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
      var key = PREFIX + form.getAttribute("data-draft");
      var saved = null;
      try { saved = JSON.parse(s.getItem(key) || "null"); } catch (e) { saved = null; }
      if (saved && saved.values && Date.now() - (saved.at || 0) < MAX_AGE_MS) {
        if (apply(form, saved.values)) { note(form, RESTORED); }
      } else if (saved) {
        s.removeItem(key);
      }
      var save = function () {
        try {
          s.setItem(key, JSON.stringify({ at: Date.now(), values: collect(form) }));
        } catch (e) { /* storage full: keep going without a draft */ }
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      form.addEventListener("submit", function (event) {
        save();
        if (navigator.onLine === false) {
          event.preventDefault();
          note(form, OFFLINE);
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

// --- Appeals directory: 啥事儿该找谁 search box ------------------------------------------------------
// <input data-guide-filter="#list" data-guide-empty="#note">: hides the list's items whose
// data-guide-text holds none of the typed words (all words must match); shows #note when none is left.
(function () {
  function filter(input) {
    var list = document.querySelector(input.getAttribute("data-guide-filter"));
    if (!list) { return; }
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(list.querySelectorAll("[data-guide-text]"), function (item) {
      var text = item.getAttribute("data-guide-text").toLowerCase();
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    var empty = document.querySelector(input.getAttribute("data-guide-empty") || "#none");
    if (empty) { empty.hidden = shown > 0; }
  }
  document.addEventListener("input", function (event) {
    var input = event.target.closest("input[data-guide-filter]");
    if (input) { filter(input); }
  });
})();
// --- end appeals directory ----------------------------------------------------------------------------

// Bulk actions: a [data-select-all] checkbox ticks every row checkbox (name="ids") of its form, including those
// placed elsewhere with a form="…" attribute; a [data-selected-count] element shows how many are ticked.
(function () {
  function rows(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.type === "checkbox" && el.name === "ids";
    });
  }
  function update(form) {
    var boxes = rows(form);
    var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    Array.prototype.forEach.call(document.querySelectorAll("[data-selected-count]"), function (el) {
      el.textContent = ticked ? "已选 " + ticked + " 项" : "";
    });
    var all = Array.prototype.filter.call(form.elements, function (el) { return el.hasAttribute("data-select-all"); })[0];
    if (all) { all.checked = boxes.length > 0 && ticked === boxes.length; }
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.form || box.type !== "checkbox") { return; }
    if (box.hasAttribute("data-select-all")) {
      rows(box.form).forEach(function (b) { b.checked = box.checked; });
    }
    if (box.hasAttribute("data-select-all") || box.name === "ids") { update(box.form); }
  });
})();

// Computed styles (data-style="--top: 50%; --size: 14%", a progress bar's width, a tree's indent): the
// Content-Security-Policy forbids style="" attributes (style-src 'self'), but not setting styles from a script of our
// own origin. Applied on load and to every piece htmx swaps in.
function applyDataStyles(root) {
  (root || document).querySelectorAll("[data-style]").forEach(function (el) {
    el.getAttribute("data-style").split(";").forEach(function (rule) {
      var at = rule.indexOf(":");
      if (at > 0) {
        el.style.setProperty(rule.slice(0, at).trim(), rule.slice(at + 1).trim());
      }
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { applyDataStyles(document); });
document.addEventListener("htmx:load", function (event) { applyDataStyles(event.target); });
