/* The public map's search helpers (public-map.js uses them through window.PublicSearch): words
 * compared without accents, places labelled with their department, straight-line distances, the
 * browser's position. The suggestions' combobox is combobox.js, shared with /orienter. */
(function () {
  "use strict";

  var STOP_WORDS = ["l", "d", "le", "la", "les", "de", "du", "des", "et", "en", "a", "au", "aux", "sur", "sous"];
  var MIN_CHARS = window.Combobox.MIN_CHARS;  // public-map.js checks a sent search with it
  var TRUSTED_SCORE = 0.8;  // a geocoder answer at least this good is the town typed

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/[^a-z0-9]+/g, " ").trim();
  }

  function words(text) {
    return fold(text).split(" ").filter(function (w) { return w && STOP_WORDS.indexOf(w) < 0; });
  }

  // Every word typed begins a word of the text ("st jul" does not, "saint jul" does).
  function covers(typed, text) {
    var inText = words(text);
    return typed.length > 0 && typed.every(function (w) {
      return inText.some(function (t) { return t.indexOf(w) === 0; });
    });
  }

  function plural(n, word) { return n + " " + word + (n > 1 ? "s" : ""); }

  function km(distance) {
    return distance.toFixed(distance < 10 ? 1 : 0).replace(".", ",") + " km";
  }

  function distanceKm(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var a = Math.pow(Math.sin((lat2 - lat1) * rad / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin((lon2 - lon1) * rad / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function departmentOf(result) {
    if (result.department) { return result.department; }
    var code = result.citycode || "";
    return code.indexOf("97") === 0 ? code.slice(0, 3) : code.slice(0, 2);
  }

  // "Saint-Julien (Var, 83)": homonyms told apart by their department.
  function placeLabel(result, departments) {
    var code = departmentOf(result);
    return departments[code] ? result.label + " (" + departments[code] + ", " + code + ")" : result.label;
  }

  // The geocoder finds "Contre" in "Ligue contre le cancer": a town is kept only when it scores
  // well or when every word typed (postcodes aside) begins a word of its name.
  function plausibleTown(query, result) {
    if (result.score >= TRUSTED_SCORE) { return true; }
    var typed = words(query).filter(function (w) { return !/^[0-9]+$/.test(w); });
    return typed.length === 0 || covers(typed, result.label + " " + result.city);
  }

  // A team's full name finds that team; other words find every team or structure they begin.
  function teamsNamed(query, among) {
    var typed = words(query);
    var exact = among.filter(function (item) { return fold(item.dataset.nom) === fold(query); });
    if (exact.length) { return exact; }
    return among.filter(function (item) {
      return covers(typed, item.dataset.nom + " " + item.dataset.structure);
    });
  }

  // The structures carrying several of the teams found, each once: choosing one shows them all.
  function carriers(query, teams) {
    var typed = words(query), byName = {};
    teams.forEach(function (item) {
      var name = item.dataset.structure;
      if (name && covers(typed, name)) { byName[name] = (byName[name] || 0) + 1; }
    });
    return Object.keys(byName).filter(function (name) { return byName[name] > 1; })
      .map(function (name) { return { name: name, n: byName[name] }; });
  }

  var GEOLOCATION_ERRORS = {
    1: "La localisation n'est pas autorisée : tapez plutôt votre commune ou votre code postal.",
    2: "Votre position est introuvable pour le moment : tapez plutôt votre commune.",
    3: "La localisation a pris trop de temps : réessayez, ou tapez votre commune."
  };

  // The page's Permissions-Policy may forbid geolocation (the embed does): then no button.
  function geolocationAllowed() {
    var policy = document.permissionsPolicy || document.featurePolicy;
    return !!navigator.geolocation && (!policy || policy.allowsFeature("geolocation"));
  }

  // The browser's position, given to `found(lat, lon)` only: nothing here sends it anywhere.
  function locate(found, failed) {
    navigator.geolocation.getCurrentPosition(function (position) {
      found(position.coords.latitude, position.coords.longitude);
    }, function (error) {
      failed(GEOLOCATION_ERRORS[error.code] || GEOLOCATION_ERRORS[2]);
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  }

  window.PublicSearch = {
    MIN_CHARS: MIN_CHARS, fold: fold, words: words, covers: covers, plural: plural, km: km,
    distanceKm: distanceKm, placeLabel: placeLabel, plausibleTown: plausibleTown,
    teamsNamed: teamsNamed, carriers: carriers, geolocationAllowed: geolocationAllowed,
    locate: locate
  };
})();
