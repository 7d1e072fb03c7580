// "Izmantot manu atrašanās vietu": a progressive enhancement of the lists' "Kārtot pēc attāluma
// no" select. Without this script (or without a location) the select does the same job. The
// location is rounded to two decimals (about a kilometre) before it leaves the browser; the
// server rounds it again and never stores it.
(function () {
  "use strict";

  if (!navigator.geolocation) return;
  document.querySelectorAll("[data-near-me]").forEach(function (button) {
    var form = button.form;
    if (!form) return;
    var lat = form.querySelector("[data-near-me-lat]");
    var lon = form.querySelector("[data-near-me-lon]");
    var status = form.querySelector("[data-near-me-status]");
    var select = form.querySelector("select[name=tuvu]");
    button.hidden = false;
    // Choosing a municipality again replaces the location.
    if (select) {
      select.addEventListener("change", function () {
        lat.value = "";
        lon.value = "";
      });
    }
    button.addEventListener("click", function () {
      if (status) status.textContent = status.getAttribute("data-busy");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = position.coords.latitude.toFixed(2);
          lon.value = position.coords.longitude.toFixed(2);
          if (select) select.value = "";
          form.submit();
        },
        function () {
          if (status) status.textContent = status.getAttribute("data-denied");
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  });
})();
