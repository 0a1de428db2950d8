/* The offline base map of a map without tiles: land abroad apart from the sea, the departments,
 * names of countries, departments and towns that appear as one zooms in, and commune outlines
 * at street-level zooms. Files come from static/data/basemap/ (`python -m etl reference basemap`)
 * and are fetched by zoom level, for the departments in view only: never all at once.
 * Labels are pictures of words (aria-hidden, never focusable): the page's list says the same. */
(function () {
  "use strict";

  var ZOOM = { departments: 7, departmentsUntil: 10, countriesUntil: 8, towns: 8, villages: 10, communes: 12 };
  // The least population of a town named at each zoom (then labels that would overlap are dropped).
  var MIN_POPULATION = { 5: 200000, 6: 100000, 7: 50000, 8: 20000, 9: 10000, 10: 3000, 11: 1000 };
  var STYLE = {
    land: { stroke: false, fillColor: "#e9e5dc", fillOpacity: 1 },
    border: { color: "#9b958a", weight: 1, dashArray: "4 3", fill: false },
    department: { color: "#7a8699", weight: 1, fillColor: "#fbfbf8", fillOpacity: 1 },
    departmentUnderCommunes: { color: "#7a8699", weight: 0, opacity: 0, fillOpacity: 0 },
    commune: { color: "#9aa3b1", weight: 1, fillColor: "#fbfbf8", fillOpacity: 1 }
  };
  var LABEL_LIMIT = 250;
  var LABEL_HALF_HEIGHT = 9; // px
  var OFFSETS = [0, -25, 25]; // px: on the point, above, below (clear of a 30 px marker)
  var CHAR_WIDTH = 6.6; // px per character at the labels' font size, for the overlap test

  function getJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + " " + response.status); }
      if (!/\.gz$/.test(url)) { return response.json(); }
      // Gzipped files come as they are stored, unless a server (Flask in debug mode) sent them
      // as an encoding that the browser already undid.
      return response.arrayBuffer().then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) { return JSON.parse(new TextDecoder().decode(bytes)); }
        return new Response(new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"))).json();
      });
    });
  }

  function pane(map, name, zIndex, parent) {
    var element = map.createPane(name, parent ? map.getPane(parent) : undefined);
    element.style.zIndex = zIndex;
    return name;
  }

  function Basemap(map, files) {
    this.map = map;
    this.files = files;
    this.towns = [];
    this.byDepartment = {}; // code -> {towns: promise, communes: promise, layer}
    // Inside the overlay pane, below its own layers (the searched town, outlines drawn by others).
    this.landPane = pane(map, "basemap-land", -3, "overlayPane");
    this.francePane = pane(map, "basemap-france", -2, "overlayPane");
    this.communePane = pane(map, "basemap-communes", -1, "overlayPane");
    var labels = map.getPane(pane(map, "basemap-labels", 450));
    labels.setAttribute("aria-hidden", "true");
    labels.classList.add("basemap-labels");
    this.labelLayer = L.layerGroup().addTo(map);
    this.communeLayer = L.layerGroup().addTo(map);
  }

  Basemap.prototype.start = function () {
    var self = this;
    var files = this.files;
    getJson(files.land).then(function (data) {
      L.geoJSON(data, {
        pane: self.landPane, interactive: false,
        style: function (f) { return f.properties.kind === "border" ? STYLE.border : STYLE.land; }
      }).addTo(self.map);
    }).catch(noop);
    var departments = typeof files.departments === "string" ? getJson(files.departments) : Promise.resolve(files.departments);
    departments.then(function (data) {
      if (!data) { return; }
      self.departmentLayer = L.geoJSON(data, { pane: self.francePane, interactive: false, style: STYLE.department }).addTo(self.map);
      self.update();
    }).catch(noop);
    getJson(files.labels).then(function (data) {
      self.labels = data;
      self.update();
    }).catch(noop);
    this.map.on("zoomend moveend", function () { self.update(); });
  };

  Basemap.prototype.update = function () {
    var zoom = this.map.getZoom();
    if (zoom >= ZOOM.towns) { this.loadTowns(); }
    var codes = this.departmentsInView();
    if (zoom >= ZOOM.villages) { codes.forEach(this.loadVillages, this); }
    if (zoom >= ZOOM.communes) { codes.forEach(this.loadCommunes, this); }
    this.showCommunes(zoom >= ZOOM.communes, codes);
    // After the marker clusters have redrawn for this view: names make way for markers.
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.drawLabels(self.map.getZoom()); }, 0);
  };

  Basemap.prototype.departmentsInView = function () {
    if (!this.labels) { return []; }
    var view = this.map.getBounds().pad(0.1);
    return this.labels.departments.filter(function (d) {
      return view.intersects(L.latLngBounds([d[5], d[4]], [d[7], d[6]]));
    }).map(function (d) { return d[0]; });
  };

  Basemap.prototype.entry = function (code) {
    if (!this.byDepartment[code]) { this.byDepartment[code] = {}; }
    return this.byDepartment[code];
  };

  Basemap.prototype.loadTowns = function () {
    var self = this;
    if (this.townsLoading) { return; }
    this.townsLoading = getJson(this.files.towns).then(function (rows) {
      self.towns = self.towns.concat(rows);
      self.update();
    }).catch(noop);
  };

  Basemap.prototype.loadVillages = function (code) {
    var self = this;
    var entry = this.entry(code);
    if (entry.villages) { return; }
    entry.villages = getJson(this.files.folder + "towns/" + code + ".json.gz").then(function (rows) {
      self.towns = self.towns.concat(rows);
      self.update();
    }).catch(noop);
  };

  Basemap.prototype.loadCommunes = function (code) {
    var self = this;
    var entry = this.entry(code);
    if (entry.communes) { return; }
    entry.communes = getJson(this.files.folder + "communes/" + code + ".geojson.gz").then(function (data) {
      entry.layer = L.geoJSON(data, { pane: self.communePane, interactive: false, style: STYLE.commune });
      self.update();
    }).catch(noop);
  };

  // From zoom 12 the communes replace the departments' fill, once those in view are there.
  Basemap.prototype.showCommunes = function (show, codes) {
    var self = this;
    var ready = show && codes.length > 0 && codes.every(function (code) { return self.entry(code).layer; });
    Object.keys(this.byDepartment).forEach(function (code) {
      var layer = self.byDepartment[code].layer;
      if (!layer) { return; }
      var wanted = show && codes.indexOf(code) >= 0;
      if (wanted && !self.communeLayer.hasLayer(layer)) { self.communeLayer.addLayer(layer); }
      if (!wanted && self.communeLayer.hasLayer(layer)) { self.communeLayer.removeLayer(layer); }
    });
    if (this.departmentLayer && this.communesShown !== ready) {
      this.departmentLayer.setStyle(ready ? STYLE.departmentUnderCommunes : STYLE.department);
      this.communesShown = ready;
    }
  };

  // Candidates in order of importance: the first to claim a place keeps it.
  Basemap.prototype.candidates = function (zoom) {
    var list = [];
    var labels = this.labels;
    if (zoom <= ZOOM.countriesUntil) {
      labels.countries.forEach(function (c) { list.push({ text: c[0], lat: c[1], lon: c[2], kind: "country" }); });
      labels.seas.forEach(function (c) { list.push({ text: c[0], lat: c[1], lon: c[2], kind: "sea" }); });
    }
    var least = zoom >= ZOOM.communes ? 0 : MIN_POPULATION[Math.max(5, zoom)];
    var view = this.map.getBounds().pad(0.1);
    var towns = labels.towns.concat(this.towns).filter(function (t) {
      return t[3] >= least && view.contains([t[1], t[2]]);
    });
    towns.sort(function (a, b) { return b[3] - a[3]; });
    var large = towns.filter(function (t) { return t[3] >= 50000; });
    var rest = towns.slice(large.length);
    large.forEach(function (t) { list.push(town(t)); });
    if (zoom >= ZOOM.departments && zoom <= ZOOM.departmentsUntil) {
      labels.departments.forEach(function (d) {
        list.push({ text: d[1], lat: d[2], lon: d[3], kind: "department" });
      });
    }
    rest.forEach(function (t) { list.push(town(t)); });
    // Closer in, the country across a border is named again and again along it.
    if (zoom > ZOOM.countriesUntil) {
      labels.borders.forEach(function (c) { list.push({ text: c[0], lat: c[1], lon: c[2], kind: "country" }); });
    }
    return list;
  };

  function town(row) { return { text: row[0], lat: row[1], lon: row[2], kind: row[3] >= 50000 ? "city" : "town" }; }

  // Each name takes the first free place among its own (on the point, above, below), never one
  // taken by a more important name or by a marker of the page: a cut or hidden name is dropped.
  Basemap.prototype.drawLabels = function (zoom) {
    if (!this.labels) { return; }
    var map = this.map;
    var size = map.getSize();
    var placed = markerBoxes(map);
    var shown = 0;
    var seen = {};
    this.labelLayer.clearLayers();
    var list = this.candidates(zoom);
    for (var i = 0; i < list.length && shown < LABEL_LIMIT; i++) {
      var label = list[i];
      var key = label.text + label.lat + label.lon;
      if (seen[key]) { continue; }
      seen[key] = true;
      var point = map.latLngToContainerPoint([label.lat, label.lon]);
      var half = (label.text.length * CHAR_WIDTH * (label.kind === "town" ? 1 : 1.2) + 8) / 2;
      var offsets = label.kind === "town" || label.kind === "city" ? OFFSETS : [0];
      for (var j = 0; j < offsets.length; j++) {
        var y = point.y + offsets[j];
        var box = { x1: point.x - half, x2: point.x + half, y1: y - LABEL_HALF_HEIGHT, y2: y + LABEL_HALF_HEIGHT };
        if (box.x1 < 0 || box.y1 < 0 || box.x2 > size.x || box.y2 > size.y) { continue; }
        if (!placed.some(overlaps(box))) {
          placed.push(box);
          this.labelLayer.addLayer(marker(label, offsets[j]));
          shown += 1;
          break;
        }
      }
    }
  };

  function overlaps(box) {
    return function (p) { return p.x1 < box.x2 && box.x1 < p.x2 && p.y1 < box.y2 && box.y1 < p.y2; };
  }

  function markerBoxes(map) {
    var origin = map.getContainer().getBoundingClientRect();
    var icons = map.getPane("markerPane").querySelectorAll(".leaflet-marker-icon");
    return Array.prototype.map.call(icons, function (icon) {
      var r = icon.getBoundingClientRect();
      return { x1: r.left - origin.left, x2: r.right - origin.left, y1: r.top - origin.top, y2: r.bottom - origin.top };
    });
  }

  function marker(label, offset) {
    var text = document.createElement("span");
    text.className = "basemap-label__text";
    text.textContent = label.text;
    if (offset) { text.style.top = offset + "px"; }
    return L.marker([label.lat, label.lon], {
      pane: "basemap-labels", interactive: false, keyboard: false,
      icon: L.divIcon({ html: text, className: "basemap-label basemap-label--" + label.kind, iconSize: null })
    });
  }

  function noop() { /* the markers and the list still work without the base map */ }

  window.annuaireBasemap = function (map, files) {
    var basemap = new Basemap(map, files);
    basemap.start();
    return basemap;
  };
})();
