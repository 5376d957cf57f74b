// 专项工作, the grid worker's page: a tap on an outcome is posted by htmx and the row is swapped in place.
// Offline-safe: with no network (or a request that never reaches the server) the tap is kept in this phone's
// localStorage and posted again, in order, as soon as the phone is online (or the page is opened again); the
// row says it is waiting. linli.js keeps the note typed in each row (data-draft) the same way as the visit form.
(function () {
  var KEY = "linli-campaign-queue";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) {
    try { window.localStorage.setItem(KEY, JSON.stringify(items)); } catch (e) { /* storage full or disabled */ }
  }
  function status(text) {
    var el = document.querySelector("[data-offline-status]");
    if (!el) { return; }
    el.textContent = text;
    el.hidden = !text;
  }
  function pending() {
    var n = load().length;
    status(n ? "有 " + n + " 条登记保存在本机，等有信号时自动提交。" : "");
  }

  function enqueue(form, outcome) {
    var data = new FormData(form);
    data.set("outcome", outcome);
    var fields = {};
    data.forEach(function (value, name) { if (name !== "csrfmiddlewaretoken") { fields[name] = value; } });
    var items = load().filter(function (i) { return i.row !== form.getAttribute("data-offline-queue"); });
    items.push({ url: form.getAttribute("action"), row: form.getAttribute("data-offline-queue"), fields: fields });
    save(items);
    var row = document.getElementById(form.getAttribute("data-offline-queue"));
    if (row) { row.classList.add("is-queued"); }
    pending();
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var flushing = false;
  function flush() {
    if (flushing || navigator.onLine === false) { return; }
    var items = load();
    if (!items.length) { pending(); return; }
    flushing = true;
    var item = items[0];
    var body = new URLSearchParams(item.fields);
    fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": csrf() }
    }).then(function (response) {
      flushing = false;
      if (response.status >= 500 || response.status === 0) { return; } // try again later
      save(load().slice(1)); // sent (or refused for good, e.g. 404: the row is no longer the user's)
      return response.text().then(function (html) {
        var row = document.getElementById(item.row);
        if (row && response.ok) { row.outerHTML = html; }
        pending();
        flush();
      });
    }).catch(function () { flushing = false; pending(); });
  }

  // Which button was pressed: htmx posts it, the queue must keep it too.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("form[data-offline-queue] button[name=outcome]");
    if (button) { button.form.setAttribute("data-last-outcome", button.value); }
  }, true);

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-offline-queue]");
    if (!form || navigator.onLine !== false) { return; }
    event.preventDefault();
    event.stopImmediatePropagation(); // htmx would try (and fail) anyway
    enqueue(form, (event.submitter && event.submitter.value) || form.getAttribute("data-last-outcome") || "");
  }, true);

  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-offline-queue]");
    if (form) { enqueue(form, form.getAttribute("data-last-outcome") || ""); }
  });

  window.addEventListener("online", flush);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", flush);
  } else {
    flush();
  }
})();
