// Fold the header's navigation behind a "Menu" button (a disclosure) on narrow screens.
// Without this script the button stays hidden and every link shows.
(function () {
  "use strict";
  var toggle = document.querySelector(".site-header .menu-toggle");
  if (!toggle) { return; }
  function setOpen(open) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
}());
