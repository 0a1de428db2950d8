// The coverage map: communes shaded by distance band, eligible sites on top, a click adds a
// candidate site to the form. Plain Leaflet, no tiles needed: the communes are the map.
(function () {
  "use strict";
  var element = document.getElementById("coverage-map");
  if (!element || !window.L) { return; }
  var COLOURS = { "1": "#ffffcc", "2": "#a1dab4", "3": "#41b6c4", "4": "#225ea8", none: "#b2182b" };
  var BANDS = { "0-15 km": "1", "15-30 km": "2", "30-50 km": "3", "plus de 50 km": "4", aucun: "none" };
  var map = L.map(element, { zoomSnap: 0.25 });
  L.control.scale({ imperial: false }).addTo(map);
  var announce = document.getElementById("carte-annonce");
  var input = document.getElementById("champ-candidat");

  function describe(properties) {
    var where = properties.distance_km === null ? "aucune structure éligible"
      : properties.distance_km.toLocaleString("fr-FR") + " km de " + properties.identifiant;
    return properties.commune + " (" + properties.departement + ") : " + where;
  }

  function drawCommunes(collection) {
    var layer = L.geoJSON(collection, {
      style: function (feature) {
        var band = BANDS[feature.properties.bande] || "none";
        return { color: "#555", weight: 0.3, fillColor: COLOURS[band], fillOpacity: 0.85 };
      },
      onEachFeature: function (feature, shape) { shape.bindTooltip(describe(feature.properties)); }
    }).addTo(map);
    if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
    layer.bringToBack();
    element.setAttribute("data-loaded", "communes");
  }

  function drawSites() {
    var sites = JSON.parse(document.getElementById("coverage-sites").textContent);
    sites.forEach(function (site) {
      var candidate = site.reseau === "candidat";
      L.circleMarker([site.lat, site.lon], {
        radius: candidate ? 7 : 5, color: "#fff", weight: 1.5,
        fillColor: candidate ? "#e66101" : "#1b1b1b", fillOpacity: 1
      }).bindTooltip(site.nom + (candidate ? "" : " (" + site.reseau + ")")).addTo(map);
    });
  }

  map.on("click", function (event) {
    var point = event.latlng.lat.toFixed(4) + "," + event.latlng.lng.toFixed(4);
    input.value = input.value.trim() ? input.value.trim() + "; " + point : point;
    announce.textContent = "Site candidat ajouté au formulaire : " + point + ". Cliquez sur « Calculer ».";
  });

  map.setView([46.6, 2.4], 6);
  drawSites();
  fetch(element.getAttribute("data-geojson"), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(drawCommunes)
    .catch(function () { announce.textContent = "La carte des communes n'a pas pu être chargée."; });
}());
