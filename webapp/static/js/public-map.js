/* The public map: instant filters, "show on the map", the town search (the base map under it is
 * basemap.js's).
 * The page works without this file (filters are a GET form); data from the directory is only
 * ever written with textContent. */
(function () {
  "use strict";

  var root = document.getElementById("pm");
  if (!root) { return; }
  var map = window[root.dataset.map];
  var cluster = window[root.dataset.cluster];
  var form = document.getElementById("pm-filtres");
  var items = Array.prototype.slice.call(root.querySelectorAll(".pm-site"));
  var count = document.getElementById("pm-count");
  var markers = {};
  var townMarker = null;

  if (cluster) {
    cluster.getLayers().forEach(function (marker) { markers[marker.options.site] = marker; });
  }

  function codes(item, name) { return (item.dataset[name] || "").split("|"); }

  // The same rules as geodata.directory's SQL filter.
  function matches(item, f) {
    if (f.cancer && !codes(item, "cancers").some(function (c) { return c === "tous" || c === f.cancer; })) { return false; }
    if (f.public && codes(item, "publics").indexOf(f.public) < 0) { return false; }
    if (f.soin && codes(item, "soins").indexOf(f.soin) < 0) { return false; }
    if (f.reseau && item.dataset.reseau !== f.reseau) { return false; }
    return true;
  }

  function currentFilter() {
    var data = new FormData(form);
    return {
      cancer: data.get("cancer") || "", public: data.get("public") || "",
      soin: data.get("soin") || "", reseau: data.get("reseau") || ""
    };
  }

  function visibleItems() { return items.filter(function (item) { return !item.hidden; }); }

  function plural(n, word) { return n + " " + word + (n > 1 ? "s" : ""); }

  function apply() {
    var f = currentFilter();
    items.forEach(function (item) { item.hidden = !matches(item, f); });
    var shown = visibleItems();
    count.textContent = plural(shown.length, "structure") + " " + (shown.length > 1 ? "affichées" : "affichée") + " sur " + items.length;
    if (cluster) {
      cluster.clearLayers();
      cluster.addLayers(shown.map(function (item) { return markers[item.dataset.key]; }).filter(Boolean));
    }
    clearNearest();
  }

  function showOnMap(key) {
    var marker = markers[key];
    if (!marker || !map) { return; }
    map.getContainer().scrollIntoView({ block: "nearest" });
    cluster.zoomToShowLayer(marker, function () { marker.openPopup(); });
  }

  // --- town search -------------------------------------------------------
  var search = document.getElementById("pm-recherche");
  var town = document.getElementById("pm-commune");
  var status = document.getElementById("pm-search-status");
  var nearest = document.getElementById("pm-nearest");

  function clearNearest() {
    if (!nearest) { return; }
    nearest.textContent = "";
    nearest.hidden = true;
  }

  function distanceKm(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var a = Math.pow(Math.sin((lat2 - lat1) * rad / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin((lon2 - lon1) * rad / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function listNearest(place) {
    var ranked = visibleItems().map(function (item) {
      return { item: item, km: distanceKm(place.lat, place.lon, +item.dataset.lat, +item.dataset.lon) };
    }).sort(function (a, b) { return a.km - b.km; }).slice(0, 5);
    nearest.textContent = "";
    ranked.forEach(function (hit) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + hit.item.id;
      link.textContent = hit.item.dataset.nom;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" — " + hit.km.toFixed(hit.km < 10 ? 1 : 0).replace(".", ",") + " km"));
      nearest.appendChild(li);
    });
    nearest.hidden = ranked.length === 0;
    return ranked.length;
  }

  function centreOn(place) {
    if (townMarker) { townMarker.remove(); }
    townMarker = L.circleMarker([place.lat, place.lon], {
      radius: 8, color: "#1e1e1e", weight: 3, fillColor: "#ffbf47", fillOpacity: 1, interactive: false
    }).addTo(map);
    var go = function () { map.setView([place.lat, place.lon], 9, { animate: false }); };
    // Leaflet ignores a move asked for during a zoom animation.
    if (map._animatingZoom) { map.once("zoomend", go); } else { go(); }
  }

  function found(query, data) {
    var place = data && data.results && data.results[0];
    if (!place) {
      status.textContent = "Aucune commune trouvée pour « " + query + " ». Vérifiez l'orthographe ou essayez le code postal.";
      clearNearest();
      return;
    }
    centreOn(place);
    var n = listNearest(place);
    status.textContent = n ? "Structures les plus proches de " + place.label + " :" :
      "Aucune structure ne correspond aux filtres choisis.";
  }

  function onSearch(event) {
    event.preventDefault();
    var query = town.value.trim();
    if (query.length < 3) {
      status.textContent = "Tapez au moins 3 lettres du nom de la commune ou son code postal.";
      return;
    }
    status.textContent = "Recherche…";
    var url = root.dataset.geocode + "?limit=1&q=" + encodeURIComponent(query);
    fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error("geocode " + response.status); }
      return response.json();
    }).then(function (data) { found(query, data); }).catch(function () {
      status.textContent = "La recherche de commune est indisponible pour le moment : utilisez les filtres et la liste.";
    });
  }

  // Leaflet's own controls speak English.
  function frenchControls() {
    var zoom = map.zoomControl;
    if (zoom) {
      [[zoom._zoomInButton, "Zoom avant"], [zoom._zoomOutButton, "Zoom arrière"]].forEach(function (pair) {
        pair[0].title = pair[1];
        pair[0].setAttribute("aria-label", pair[1]);
      });
    }
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", "Fermer"); close.title = "Fermer"; }
    });
  }

  // --- wiring --------------------------------------------------------------
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  var reset = document.getElementById("pm-reset");
  reset.addEventListener("click", function (event) {
    event.preventDefault();
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) { select.value = ""; });
    apply();
  });
  root.addEventListener("click", function (event) {
    var button = event.target.closest(".pm-site__show");
    if (button) { showOnMap(button.dataset.key); }
  });
  Array.prototype.forEach.call(root.querySelectorAll(".pm-site__show"), function (b) { b.hidden = false; });
  if (map && cluster) {
    if (items.some(function (item) { return item.hidden; })) { apply(); }
    if (items.length) {
      map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 9, animate: false });
    }
    frenchControls();
    search.hidden = false;
    search.addEventListener("submit", onSearch);
  }
})();
