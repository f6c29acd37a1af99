// Size each email preview frame to its content, so the whole email shows with its footer.
// The frame runs no script (sandboxed); it shares our origin only so that its height can be
// read here. Without this script the frame keeps its minimum height and scrolls.
(function () {
  "use strict";
  function fit(frame) {
    var page = frame.contentDocument && frame.contentDocument.documentElement;
    if (page) { frame.style.height = page.scrollHeight + 2 + "px"; }
  }
  document.querySelectorAll("iframe.email-frame").forEach(function (frame) {
    frame.addEventListener("load", function () { fit(frame); });
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") { fit(frame); }
    window.addEventListener("resize", function () { fit(frame); });
  });
}());
