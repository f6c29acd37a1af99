// Suggest municipalities while typing (progressive enhancement: without JS the field
// still accepts "Name (PR)", a unique name or an ISTAT code).
// Use: <input data-place-autocomplete list="some-datalist-id">; suggestions come from /places.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (query.length < 2 || query === last) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = query;
        fetch("/places?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
          .then(function (reply) { return reply.ok ? reply.json() : []; })
          .then(function (places) {
            list.textContent = "";
            places.forEach(function (place) {
              var option = document.createElement("option");
              option.value = place.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* typing still works without suggestions */ });
      }, 200);
    });
  }
  document.querySelectorAll("input[data-place-autocomplete]").forEach(attach);
})();
