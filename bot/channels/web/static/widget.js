// Gongkai chat widget: <script src="https://<gongkai host>/widget.js" async></script> on any page of
// a site in GONGKAI_WEB_EMBED_ORIGINS adds a "政务咨询" button that opens the chat in a panel. The chat
// itself is served by Gongkai, in embed mode: inside a frame of another site its cookie is a
// third-party one that browsers do not send, so the session's token travels in the frame's links,
// and the frame hands it to this script, which keeps it in this site's storage for the next visit.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";
  var key = "gongkai-session:" + base;
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }  // storage may be refused
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = "政务咨询";
  button.setAttribute("aria-expanded", "false");
  button.style.cssText = "position:fixed;right:20px;bottom:20px;z-index:2147483000;background:#b3261e;color:#fff;border:0;border-radius:999px;padding:12px 20px;font:16px sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.2);cursor:pointer";
  var frame = null;

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== base || !frame || event.source !== frame.contentWindow) return;
    if (data && data.gongkai === "session" && typeof data.token === "string" && store) {
      try { store.setItem(key, data.token); } catch (e) { /* full or refused: a new session next time */ }
    }
  });

  function source() {
    var url = base + "/?embed=1&origin=" + encodeURIComponent(window.location.origin);
    var token = null;
    try { token = store && store.getItem(key); } catch (e) { token = null; }
    return token ? url + "&s=" + encodeURIComponent(token) : url;
  }

  button.addEventListener("click", function () {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = source();
      frame.title = "政务咨询";
      frame.style.cssText = "position:fixed;right:20px;bottom:76px;z-index:2147483000;width:min(380px,calc(100vw - 40px));height:min(600px,calc(100vh - 110px));border:1px solid #e3e6ea;border-radius:14px;background:#fff;box-shadow:0 8px 30px rgba(0,0,0,.2)";
      document.body.appendChild(frame);
    } else {
      frame.style.display = frame.style.display === "none" ? "block" : "none";
    }
    button.setAttribute("aria-expanded", frame.style.display === "none" ? "false" : "true");
  });
  document.body.appendChild(button);
})();
