// Progressive enhancement: draws a Leaflet map from the list of places that follows it.
// Without JavaScript, or when tiles fail, the list itself remains the complete information.
(function () {
  "use strict";
  function init(container) {
    var list = document.getElementById(container.getAttribute("data-map-list"));
    if (!list || typeof window.L === "undefined") { return; }
    var items = list.querySelectorAll("[data-lat][data-lon]");
    if (!items.length) { return; }
    container.hidden = false;
    container.textContent = "";
    // The map adds a dozen tab stops; keyboard users get a way past them to the same list.
    var skip = container.previousElementSibling;
    if (skip && skip.hasAttribute("data-map-skip")) { skip.hidden = false; }
    var map = window.L.map(container, { scrollWheelZoom: false });
    window.L.tileLayer(container.getAttribute("data-tiles"), {
      maxZoom: 18,
      attribution: container.getAttribute("data-attribution")
    }).addTo(map);
    // Leaflet's default icon finds its images by their stylesheet's file name, which
    // collectstatic hashes; it would then ask the page's own folder for them. The sizes are
    // Leaflet's own: the 25 x 41 px pin is a target well above 24 x 24 px (WCAG 2.5.8).
    var icon = window.L.icon({
      iconUrl: container.getAttribute("data-marker-icon"),
      iconRetinaUrl: container.getAttribute("data-marker-icon-2x"),
      shadowUrl: container.getAttribute("data-marker-shadow"),
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41]
    });
    var bounds = [];
    items.forEach(function (item) {
      var point = [parseFloat(item.getAttribute("data-lat")), parseFloat(item.getAttribute("data-lon"))];
      if (isNaN(point[0]) || isNaN(point[1])) { return; }
      var link = document.createElement("a");
      link.href = item.getAttribute("data-url");
      link.textContent = item.getAttribute("data-name");
      // The name keeps the language its list item declares (Latvian names under /en/).
      var langHolder = item.closest("[lang]");
      if (langHolder) { link.lang = langHolder.lang; }
      // A place may list what is there (the initiatives of one centre): the popup shows the
      // same list as the page, under the place's name.
      var popup = link;
      var extra = item.querySelector("[data-map-popup]");
      if (extra) {
        popup = document.createElement("div");
        popup.appendChild(link);
        popup.appendChild(extra.cloneNode(true));
      }
      window.L.marker(point, { icon: icon, title: item.getAttribute("data-name"), alt: item.getAttribute("data-name") })
        .addTo(map).bindPopup(popup);
      bounds.push(point);
    });
    var zoom = parseInt(container.getAttribute("data-map-zoom") || "0", 10);
    if (bounds.length === 1) { map.setView(bounds[0], zoom || 12); }
    // A marker's pin stands 41 px above its point: leave that room at the top so no pin is cut off.
    else { map.fitBounds(bounds, { paddingTopLeft: [24, 48], paddingBottomRight: [24, 24] }); }
  }
  document.querySelectorAll("[data-map]").forEach(init);
})();
