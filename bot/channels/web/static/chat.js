// Gongkai web chat: posts the page's forms with fetch and inserts the turns the server returns
// (already escaped HTML), and looks for staff replies now and then. Without it, forms post and reload.
(function () {
  "use strict";
  var turns = document.getElementById("turns");
  var end = document.getElementById("end");
  var input = document.getElementById("q");
  if (!turns || !window.fetch) return;

  function add(html) {
    if (!html.trim()) return;
    var box = document.createElement("div");
    box.innerHTML = html;
    while (box.firstChild) turns.insertBefore(box.firstChild, end);
    end.scrollIntoView({ behavior: "smooth", block: "end" });
  }

  function post(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    return fetch(form.action, { method: "POST", body: new URLSearchParams(data), headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(add)
      .catch(function () { form.submit(); })
      .finally(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("action") !== "/chat") return;
    event.preventDefault();
    post(form, event.submitter).then(function () { if (form.id === "ask") { input.value = ""; input.focus(); } });
  });

  function poll() {
    fetch("/updates", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).then(add).catch(function () {});
  }
  setInterval(poll, 20000);
  if (end) end.scrollIntoView({ block: "end" });
})();
