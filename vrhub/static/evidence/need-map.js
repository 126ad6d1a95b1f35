/* Choropleth of the multiple-need ranking: Leaflet over the shipped boundaries, no tile server.
   Quintiles differ in shade and in outline width, and each area's tooltip gives its rank in words,
   so the map does not rely on colour alone; the table beside it gives every figure. */
(function () {
  "use strict";
  var element = document.getElementById("need-map");
  if (!element || !window.L) { return; }
  var fills = { 1: "#08306b", 2: "#2171b5", 3: "#6baed6", 4: "#c6dbef", 5: "#f7fbff" };
  var weights = { 1: 3, 2: 2, 3: 1, 4: 1, 5: 1 };
  var map = L.map(element, { attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Contains OS data © Crown copyright and database right");
  fetch(element.getAttribute("data-geojson"), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var total = data.features.filter(function (f) { return f.properties.rank; }).length;
      var layer = L.geoJSON(data, {
        style: function (feature) {
          var q = feature.properties.quintile;
          return { color: "#0b0c0c", weight: q ? weights[q] : 1, fillColor: q ? fills[q] : "#ffffff",
                   fillOpacity: q ? 0.8 : 0.1, dashArray: q ? null : "3 3" };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          var text = p.name + " (" + p.code + "): " +
            (p.rank ? "rank " + p.rank + " of " + total + ", quintile " + p.quintile : "not ranked (no data)");
          shape.bindTooltip(text, { sticky: true });
        }
      }).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds()); } else { map.setView([51.5, -0.1], 9); }
    })
    .catch(function () { element.textContent = "The map could not be loaded: the table gives the ranking."; });
}());
