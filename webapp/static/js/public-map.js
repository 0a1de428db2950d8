/* The public map: its markers, instant filters, "show on the map", the search of a town or a
 * team (with public-search.js's helpers and combobox.js), the nearest teams, "around me", and the
 * state in the URL (the base map under it is basemap.js's).
 * The markers come from the versioned GeoJSON the page names (data-points: key, position, kind
 * and name, kept a year by the browser); a popup is built when it opens from the site's list
 * item, the page's only copy of the details. The page works without this file (filters are a
 * GET form); data from the directory is only ever written with textContent or copied as nodes.
 * A position found by the browser's geolocation never leaves the page: not in a request, not in
 * the URL. */
(function () {
  "use strict";

  var root = document.getElementById("pm");
  if (!root) { return; }
  var map = window[root.dataset.map];
  var cluster = window[root.dataset.cluster];
  var form = document.getElementById("pm-filtres");
  var items = Array.prototype.slice.call(root.querySelectorAll(".pm-site"));
  var count = document.getElementById("pm-count");
  var departments = JSON.parse((document.getElementById("pm-departements") || {}).textContent || "{}");
  var FILTERS = ["cancer", "public", "soin", "reseau"];
  var EMBED_OPTIONS = ["affichage", "hauteur"];
  var NEAREST = 5;       // teams listed after a search
  var FRAMED = 3;        // of which the map frames the place and the first ones
  var markers = {};      // site key -> its Leaflet marker, once the GeoJSON is loaded
  var itemsByKey = {};
  var placeMarker = null;
  var search = { place: null, name: "", here: false };  // one of them at most
  var ownMove = false;   // the page moves the map: not the user's view to keep in the URL
  var userView = false;
  var lastView = null;   // the view the page set or kept last

  items.forEach(function (item) { itemsByKey[item.dataset.key] = item; });

  var PS = window.PublicSearch;
  var plural = PS.plural, km = PS.km;

  // --- filters ----------------------------------------------------------------------------
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
    var f = {};
    FILTERS.forEach(function (name) { f[name] = data.get(name) || ""; });
    return f;
  }

  function visibleItems() { return items.filter(function (item) { return !item.hidden; }); }

  function apply() {
    var f = currentFilter();
    items.forEach(function (item) { item.hidden = !matches(item, f); });
    var shown = visibleItems();
    count.textContent = plural(shown.length, "structure") + " " + (shown.length > 1 ? "affichées" : "affichée") + " sur " + items.length;
    if (cluster) {
      cluster.clearLayers();
      cluster.addLayers(shown.map(function (item) { return markers[item.dataset.key]; }).filter(Boolean));
    }
  }

  function showOnMap(key) {
    var marker = markers[key];
    if (!marker || !map) { return; }
    map.getContainer().scrollIntoView({ block: "nearest" });
    cluster.zoomToShowLayer(marker, function () { marker.openPopup(); });
  }

  // --- markers and their popups ---------------------------------------------------------------
  // An opened popup is panned clear of the zoom buttons (top left) and the scale (bottom left).
  var POPUP = { maxWidth: 300, autoPanPaddingTopLeft: [60, 20], autoPanPaddingBottomRight: [20, 40] };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function ownText(node) {
    return Array.prototype.filter.call(node.childNodes, function (child) { return child.nodeType === 3; })
      .map(function (child) { return child.textContent; }).join("").trim();
  }

  // The kinds of sites as the legend shows them: code -> its disc and its words.
  function legendKinds() {
    var kinds = {};
    Array.prototype.forEach.call(root.querySelectorAll(".pm-legend li"), function (li) {
      var pin = li.querySelector(".pm-pin");
      var code = pin && /(?:^|\s)pm-pin--(\S+)/.exec(pin.className);
      if (code) { kinds[code[1]] = { pin: pin, label: ownText(li) }; }
    });
    return kinds;
  }

  // A marker is its kind's disc, named for screen readers; built with nodes, never markup.
  var PinIcon = null;

  function pinIcon(name, kind) {
    PinIcon = PinIcon || L.DivIcon.extend({
      createIcon: function (old) {
        var div = L.DivIcon.prototype.createIcon.call(this, old);
        var o = this.options;
        div.appendChild(o.kind.pin.cloneNode(true));
        div.appendChild(element("span", "visually-hidden", o.name + " (" + o.kind.label + ")"));
        return div;
      }
    });
    return new PinIcon({ iconSize: [30, 30], iconAnchor: [15, 15], className: "pm-marker", name: name, kind: kind });
  }

  function line(label, value) {
    var p = element("p");
    p.appendChild(element("strong", "", label));
    p.appendChild(document.createTextNode(" "));
    p.appendChild(typeof value === "string" ? document.createTextNode(value) : value);
    return p;
  }

  // The popup of a site, built when it opens from its list item: the same words and links.
  function popupOf(item, kind) {
    var box = element("div", "pm-popup");
    box.appendChild(element("h3", "pm-popup__title", item.dataset.nom));
    box.appendChild(element("p", "pm-popup__kind", kind.label));
    var address = element("p");
    Array.prototype.forEach.call(item.querySelector(".pm-site__address").childNodes, function (node) {
      address.appendChild(node.cloneNode(true));
    });
    box.appendChild(address);
    [["Téléphone :", "a[href^='tel:']"], ["Courriel :", "a[href^='mailto:']"]].forEach(function (pair) {
      var link = item.querySelector(".pm-site__contacts " + pair[1]);
      if (link) { box.appendChild(line(pair[0], link.cloneNode(true))); }
    });
    Array.prototype.forEach.call(item.querySelectorAll(".pm-site__facts dt"), function (term) {
      var value = term.nextElementSibling ? term.nextElementSibling.textContent : "";
      if (value) { box.appendChild(line(term.textContent + " :", value)); }
    });
    var links = element("p", "pm-popup__links");
    var route = item.querySelector(".pm-site__route");
    if (route) {
      route = route.cloneNode(true);
      route.removeAttribute("class");  // the list's class, not the popup's
      links.appendChild(route);
      links.appendChild(document.createTextNode(" "));
    }
    var detail = element("a", "", "Voir le détail dans la liste");
    detail.setAttribute("href", "#" + item.id);
    links.appendChild(detail);
    box.appendChild(links);
    return box;
  }

  // Only the sites of the page's list get a marker (an embed's network; a list older than the
  // markers after a publication): the list is what their popups tell.
  function addMarkers(geojson) {
    var kinds = legendKinds();
    (geojson.features || []).forEach(function (feature) {
      var site = feature.properties || {};
      var item = itemsByKey[site.site];
      var point = feature.geometry && feature.geometry.coordinates;
      var kind = kinds[site.restriction] || kinds.autre;
      if (!item || !point || !kind) { return; }
      var marker = L.marker([point[1], point[0]], { icon: pinIcon(site.nom, kind), site: site.site });
      marker.bindPopup(function () { return popupOf(item, kind); }, POPUP);
      markers[site.site] = marker;
    });
  }

  // Resolves to whether the markers came; the map region is busy meanwhile.
  function loadMarkers() {
    var region = map.getContainer().closest("[role=region]") || map.getContainer();
    region.setAttribute("aria-busy", "true");
    return fetch(root.dataset.points, {
      headers: { Accept: "application/geo+json" }, credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("markers " + response.status); }
      return response.json();
    }).then(addMarkers).then(function () { return true; }, function () { return false; })
      .then(function (loaded) {
        region.removeAttribute("aria-busy");
        return loaded;
      });
  }

  // --- the map's view ---------------------------------------------------------------------
  function moveMap(move) {
    ownMove = true;
    try { move(); } finally { ownMove = false; }
    noteView();
  }

  function noteView() { lastView = { zoom: map.getZoom(), center: map.getCenter() }; }

  // A map whose box the layout resized keeps its centre: that is no view of the user's.
  function sameView() {
    if (!lastView || lastView.zoom !== map.getZoom()) { return false; }
    return map.project(map.getCenter()).distanceTo(map.project(lastView.center)) < 2;
  }

  function frame(points, maxZoom) {
    if (!points.length) { return; }
    moveMap(function () {
      if (points.length === 1) {
        map.setView(points[0], maxZoom, { animate: false });
      } else {
        map.fitBounds(L.latLngBounds(points), { padding: [40, 40], maxZoom: maxZoom, animate: false });
      }
    });
  }

  function frameAll() {
    if (items.length && cluster.getLayers().length) {
      moveMap(function () {
        map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 9, animate: false });
      });
    }
  }

  function position(item) { return [+item.dataset.lat, +item.dataset.lon]; }

  function mark(place) {
    if (placeMarker) { placeMarker.remove(); placeMarker = null; }
    if (!place) { return; }
    placeMarker = L.circleMarker([place.lat, place.lon], {
      radius: 8, color: "#1e1e1e", weight: 3, fillColor: "#ffbf47", fillOpacity: 1, interactive: false
    }).addTo(map);
  }

  // --- search results ---------------------------------------------------------------------
  var searchForm = document.getElementById("pm-recherche");
  var input = document.getElementById("pm-commune");
  var status = document.getElementById("pm-search-status");
  var nearestList = document.getElementById("pm-nearest");
  var box = null;  // the combobox of suggestions

  function listTeams(hits) {
    nearestList.textContent = "";
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + hit.item.id;
      link.textContent = hit.item.dataset.nom;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" — " + hit.detail));
      nearestList.appendChild(li);
    });
    nearestList.hidden = hits.length === 0;
  }

  function nearestTo(place) {
    return visibleItems().map(function (item) {
      var p = position(item);
      var d = PS.distanceKm(place.lat, place.lon, p[0], p[1]);
      return { item: item, km: d, detail: km(d) };
    }).sort(function (a, b) { return a.km - b.km; }).slice(0, NEAREST);
  }

  function clearSearch() {
    search = { place: null, name: "", here: false };
    mark(null);
    listTeams([]);
    status.textContent = "";
  }

  // The place and its nearest teams (not the town alone: they may be 150 km away).
  function showPlace(place, reframe) {
    search = { place: place, name: "", here: !!place.here };
    mark(place);
    var hits = nearestTo(place);
    listTeams(hits);
    var where = place.here ? "de votre position" : "de " + place.label;
    status.textContent = hits.length
      ? "Structures les plus proches " + where + ", distances à vol d'oiseau :"
      : "Aucune structure ne correspond aux filtres choisis : choisissez « Tout afficher ».";
    if (reframe) {
      frame([[place.lat, place.lon]].concat(hits.slice(0, FRAMED).map(function (h) { return position(h.item); })), 12);
    }
  }

  function showTeams(name, reframe) {
    search = { place: null, name: name, here: false };
    mark(null);
    var found = PS.teamsNamed(name, visibleItems());
    listTeams(found.map(function (item) { return { item: item, detail: item.dataset.commune }; }));
    var hidden = PS.teamsNamed(name, items).length - found.length;
    status.textContent = found.length
      ? plural(found.length, "structure") + " pour « " + name + " » :"
      : "Aucune structure affichée pour « " + name + " »" +
        (hidden ? " : les filtres en masquent " + hidden + ", choisissez « Tout afficher »." : ".");
    if (reframe) { frame(found.map(position), 12); }
  }

  function notFound(query) {
    clearSearch();
    status.textContent = "Aucune commune ni structure trouvée pour « " + query + " ». " +
      "Vérifiez l'orthographe, tapez le nom d'une commune (sans la rue) ou son code postal.";
  }

  function refreshSearch() {
    if (search.place) { showPlace(search.place, false); } else if (search.name) { showTeams(search.name, false); }
  }

  // --- suggestions (ARIA combobox, as on /orienter) ---------------------------------------
  function geocode(query) {
    var url = root.dataset.geocode + "?limit=5&q=" + encodeURIComponent(query);
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("geocode " + response.status); }
        return response.json();
      }).then(function (body) {
        return (body.results || []).filter(function (r) { return PS.plausibleTown(query, r); });
      });
  }

  // Towns first (what most people type), then teams whose name or structure matches.
  function suggestions(query, towns) {
    var found = towns.map(function (r) {
      var place = { label: PS.placeLabel(r, departments), lat: r.lat, lon: r.lon };
      return { label: place.label, detail: r.postcode, place: place };
    });
    var teams = PS.teamsNamed(query, visibleItems());
    PS.carriers(query, teams).forEach(function (carrier) {
      found.push({ label: carrier.name, detail: plural(carrier.n, "équipe"), name: carrier.name });
    });
    teams.slice(0, 5).forEach(function (item) {
      found.push({ label: item.dataset.nom, detail: "Équipe, " + item.dataset.commune, name: item.dataset.nom });
    });
    return found;
  }

  function chosen(option) {
    if (option.place) { showPlace(option.place, true); } else { showTeams(option.name, true); }
    saveState(true);
  }

  function suggest(query) {
    return geocode(query).catch(function () { return []; }).then(function (towns) {
      return suggestions(query, towns);
    });
  }

  // Sent without choosing: one clear town, else the teams named so, else the homonyms to choose
  // from, else "not found" (never a village picked at random).
  function resolve(query, towns) {
    var found = suggestions(query, towns);
    var teams = found.filter(function (o) { return o.name; });
    var homonyms = towns.length > 1 && towns[1].score === towns[0].score;
    if (towns.length && !homonyms) {
      showPlace(found[0].place, true);
    } else if (!towns.length && teams.length) {
      showTeams(query, true);
    } else if (found.length) {
      clearSearch();
      status.textContent = "Plusieurs lieux ou structures correspondent à « " + query + " » : choisissez dans la liste.";
      input.focus();
      box.open(found, status.textContent);
      return;
    } else {
      notFound(query);
    }
    saveState(true);
  }

  function onSearch(event) {
    event.preventDefault();
    var query = input.value.trim();
    if (box.chooseActive()) { return; }
    box.cancel();
    if (query.length < PS.MIN_CHARS) {
      status.textContent = "Tapez au moins 3 lettres du nom de la commune ou de la structure, ou un code postal.";
      return;
    }
    status.textContent = "Recherche…";
    geocode(query).then(function (towns) { resolve(query, towns); }).catch(function () {
      if (PS.teamsNamed(query, items).length) { showTeams(query, true); saveState(true); return; }
      status.textContent = "La recherche de commune est indisponible pour le moment : utilisez les filtres et la liste.";
    });
  }

  function setupCombobox() {
    box = window.Combobox.attach(input, document.getElementById("pm-suggestions"),
      document.getElementById("pm-annonce"), suggest, chosen);
    searchForm.addEventListener("submit", onSearch);
    searchForm.hidden = false;
  }

  // --- around me: the position stays in the page ----------------------------------------------
  function aroundMe() {
    status.textContent = "Recherche de votre position…";
    PS.locate(function (lat, lon) {
      input.value = "";
      showPlace({ label: "", lat: lat, lon: lon, here: true }, true);
      saveState(true);
    }, function (message) { status.textContent = message; });
  }

  function setupAroundMe() {
    var button = document.getElementById("pm-autour");
    if (!button || !PS.geolocationAllowed()) { return; }
    document.getElementById("pm-autour-bloc").hidden = false;
    button.addEventListener("click", aroundMe);
  }

  // --- state in the URL: filters, the place or name searched, the view ------------------------
  // A position from "around me" is never written there: a reload would send it to the server.
  function stateParams() {
    var params = new URLSearchParams();
    var here = new URLSearchParams(window.location.search);
    // An embed's own options stay: a reloaded or restored frame keeps its layout.
    EMBED_OPTIONS.forEach(function (name) { if (here.get(name)) { params.set(name, here.get(name)); } });
    var f = currentFilter();
    FILTERS.forEach(function (name) { if (f[name]) { params.set(name, f[name]); } });
    if (search.place && !search.here) {
      params.set("lieu", search.place.label);
      params.set("lat", search.place.lat.toFixed(5));
      params.set("lon", search.place.lon.toFixed(5));
    } else if (search.name) {
      params.set("nom", search.name);
    }
    if (userView && !search.here) {
      var c = map.getCenter();
      params.set("carte", map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4));
    }
    return params;
  }

  function saveState(push) {
    var query = stateParams().toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url === window.location.pathname + window.location.search) { return; }
    // In a frame, history entries would be the host page's back button's: replace them.
    window.history[push && window.self === window.top ? "pushState" : "replaceState"](null, "", url);
  }

  function number(text) {
    var value = parseFloat(text);
    return isFinite(value) ? value : null;
  }

  function restoreView(text) {
    var parts = (text || "").split("/").map(number);
    if (parts.length !== 3 || parts.some(function (p) { return p === null; })) { return false; }
    moveMap(function () { map.setView([parts[1], parts[2]], parts[0], { animate: false }); });
    userView = true;
    return true;
  }

  function restore(params) {
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      if (field && field.tagName === "SELECT") { field.value = params.get(name) || ""; }
    });
    apply();
    clearSearch();
    userView = false;
    var lat = number(params.get("lat")), lon = number(params.get("lon"));
    if (params.get("lieu") && lat !== null && lon !== null) {
      input.value = params.get("lieu");
      showPlace({ label: params.get("lieu"), lat: lat, lon: lon }, true);
    } else if (params.get("nom")) {
      input.value = params.get("nom");
      showTeams(params.get("nom"), true);
    } else {
      input.value = "";
      frameAll();
    }
    restoreView(params.get("carte"));
  }

  // --- Leaflet's own controls speak English ---------------------------------------------------
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

  // --- wiring -------------------------------------------------------------------------------
  function onFilter() {
    apply();
    refreshSearch();
    saveState(true);
  }

  form.addEventListener("change", onFilter);
  form.addEventListener("submit", function (event) { event.preventDefault(); onFilter(); });
  document.getElementById("pm-reset").addEventListener("click", function (event) {
    event.preventDefault();
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) { select.value = ""; });
    onFilter();
  });
  root.addEventListener("click", function (event) {
    var button = event.target.closest(".pm-site__show");
    if (button) { showOnMap(button.dataset.key); }
  });

  // What needs the markers: the state of the URL, the framing, the search, "show on the map".
  function start(loaded) {
    restore(new URLSearchParams(window.location.search));
    noteView();
    if (!loaded && !status.textContent) {
      status.textContent = "La carte n'a pas pu afficher les structures : la liste ci-dessous les donne toutes.";
    }
    if (loaded) {
      Array.prototype.forEach.call(root.querySelectorAll(".pm-site__show"), function (b) { b.hidden = false; });
    }
    setupCombobox();
    setupAroundMe();
    map.on("moveend", function () {
      if (ownMove || sameView()) { return; }
      noteView();
      userView = true;
      saveState(false);
    });
    window.addEventListener("popstate", function () { restore(new URLSearchParams(window.location.search)); });
    root.dataset.markers = loaded ? "ready" : "failed";  // for whoever waits for the map
  }

  if (map && cluster) {
    frenchControls();
    loadMarkers().then(start);
  }
})();
