// Gongkai chat widget: <script src="https://<gongkai host>/widget.js" async></script> on any page
// adds a "政务咨询" button that opens the chat in a panel. The chat itself is served by Gongkai.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : "";
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = "政务咨询";
  button.setAttribute("aria-expanded", "false");
  button.style.cssText = "position:fixed;right:20px;bottom:20px;z-index:2147483000;background:#b3261e;color:#fff;border:0;border-radius:999px;padding:12px 20px;font:16px sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.2);cursor:pointer";
  var frame = null;
  button.addEventListener("click", function () {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = base + "/?embed=1";
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
