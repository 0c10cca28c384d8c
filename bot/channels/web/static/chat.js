// Gongkai web chat: posts the page's forms with fetch and inserts the turns the server returns
// (already escaped HTML), and looks for staff replies now and then. Without it, forms post and reload.
// In the widget's frame on another site (embed mode) no cookie is sent: the session's token is
// sent as a header, and handed to the widget on the embedding page to open the same session next time.
(function () {
  "use strict";
  var session = document.body.getAttribute("data-session");
  var parentOrigin = document.body.getAttribute("data-parent");
  var headers = { "X-Requested-With": "fetch" };
  if (session) headers["X-Gongkai-Session"] = session;
  if (session && parentOrigin && window.parent !== window) {
    // Only to the origin the server checked against GONGKAI_WEB_EMBED_ORIGINS.
    window.parent.postMessage({ gongkai: "session", token: session }, parentOrigin);
  }
  // The complaint form: only the chosen kind's topics (without JavaScript, both groups show and
  // the server checks that the topic is one of the kind's).
  var groups = document.querySelectorAll(".topic-group");
  function showKindTopics() {
    var kind = document.querySelector("input[name=kind]:checked");
    if (!kind) return;
    groups.forEach(function (group) {
      var mine = group.getAttribute("data-kind") === kind.value;
      group.hidden = !mine;
      group.querySelectorAll("input").forEach(function (radio) {
        if (!mine && radio.checked) {
          radio.checked = false;
          var same = document.querySelector('.topic-group[data-kind="' + kind.value + '"] input[value="' + radio.value + '"]');
          if (same) same.checked = true;
        }
      });
    });
  }
  if (groups.length) {
    document.querySelectorAll("input[name=kind]").forEach(function (radio) { radio.addEventListener("change", showKindTopics); });
    showKindTopics();
  }

  var turns = document.getElementById("turns");
  var end = document.getElementById("end");
  var input = document.getElementById("q");
  if (!turns || !window.fetch) return;

  function add(html) {
    if (!html.trim()) return;
    // 没答到我问的？ asks of the last answer only: the one under an earlier answer goes.
    document.querySelectorAll("form.missed").forEach(function (form) { form.remove(); });
    var box = document.createElement("div");
    box.innerHTML = html;
    while (box.firstChild) turns.insertBefore(box.firstChild, end);
    end.scrollIntoView({ behavior: "smooth", block: "end" });
  }

  // The citizen asked for their texts to be deleted (删除记录): all but the welcome leaves the page.
  function clear() {
    while (turns.children[1] && turns.children[1] !== end) turns.removeChild(turns.children[1]);
  }

  function post(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    return fetch(form.action, { method: "POST", body: new URLSearchParams(data), headers: headers, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        if (r.headers.get("X-Gongkai-Cleared")) clear();
        return r.text();
      })
      .then(add)
      .catch(function () { form.submit(); })
      .finally(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (new URL(form.action, window.location.href).pathname !== "/chat") return;
    event.preventDefault();
    post(form, event.submitter).then(function () { if (form.id === "ask") { input.value = ""; input.focus(); } });
  });

  function poll() {
    fetch("/updates", { headers: headers, credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).then(add).catch(function () {});
  }
  setInterval(poll, 20000);
  if (end) end.scrollIntoView({ block: "end" });
})();
