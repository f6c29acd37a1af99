// Follow a matching run: poll its progress every second, reload when it has finished.
(function () {
  "use strict";
  var box = document.getElementById("run-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector(".progress > span");
  var meter = box.querySelector("[role=progressbar]");
  var percent = document.getElementById("run-percent");
  var label = document.getElementById("run-phase");
  function show(state) {
    var value = Math.round(state.progress * 100);
    bar.style.width = value + "%";
    meter.setAttribute("aria-valuenow", String(value));
    percent.textContent = value + "%";
    box.querySelectorAll("[data-phase]").forEach(function (item) {
      var current = item.getAttribute("data-phase") === state.phase;
      if (current) { item.setAttribute("aria-current", "step"); label.textContent = item.textContent; }
      else { item.removeAttribute("aria-current"); }
    });
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reply) { return reply.ok ? reply.json() : null; })
      .then(function (state) {
        if (!state) { return setTimeout(poll, 3000); }
        show(state);
        if (state.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
