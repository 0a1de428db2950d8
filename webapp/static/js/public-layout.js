/* The public map's layouts (public.css, "Layouts"): the bar with the filters' button and, on a
 * phone, the map/list switch; in-page links to the list that show it; the Leaflet map told when
 * its box changes; and, in an embed with `hauteur=auto`, the page's height posted to the host.
 * Without this file every part stays shown, stacked. Nothing here reads or sends a position. */
(function () {
  "use strict";

  var root = document.getElementById("pm");
  if (!root) { return; }
  var body = document.body;
  var form = document.getElementById("pm-filtres");
  var controls = root.querySelector(".pm-controls");
  var mapBox = root.querySelector(".pm-map");
  var list = document.getElementById("pm-liste");
  var both = body.classList.contains("pm-page--double");
  var autoHeight = body.classList.contains("pm-page--auto");
  var phone = window.matchMedia("(max-width: 35.99rem)");
  var HEIGHT_MESSAGE = "annuaire-pcs-hauteur";  // the host script listens to this (README)
  var view = "carte";
  var filtersButton, mapButton, listButton;

  function leaflet() { return window[root.dataset.map]; }

  // Leaflet measures its box only when told: after a switch, an opened panel, a resize.
  function resizeMap() {
    var map = leaflet();
    if (map && mapBox.offsetWidth && mapBox.offsetHeight) { map.invalidateSize(); }
  }

  function makeButton(text, className) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary " + className;
    button.textContent = text;
    return button;
  }

  // --- the filters' panel -----------------------------------------------------------------
  function activeFilters() {
    return Array.prototype.filter.call(form.querySelectorAll("select"), function (s) { return s.value; }).length;
  }

  function setFiltersOpen(open) {
    filtersButton.setAttribute("aria-expanded", String(open));
    body.classList.toggle("pm-filtres-fermes", !open);
  }

  function filtersCollapse() { return filtersButton.offsetParent !== null; }

  // --- the map/list switch (a phone, map and list both offered) ---------------------------
  function switching() { return both && phone.matches; }

  function setView(next) {
    if (next === "liste" && view === "carte" && mapBox.offsetWidth) {
      // The parked map keeps the size it had: nothing moves when it comes back.
      mapBox.style.setProperty("--pm-map-w", mapBox.offsetWidth + "px");
      mapBox.style.setProperty("--pm-map-h", mapBox.offsetHeight + "px");
    }
    view = next;
    body.classList.toggle("pm-vue-carte", next === "carte");
    body.classList.toggle("pm-vue-liste", next === "liste");
    if (mapButton) {
      mapButton.setAttribute("aria-pressed", String(next === "carte"));
      listButton.setAttribute("aria-pressed", String(next === "liste"));
    }
    resizeMap();
  }

  function refreshCounts() {
    var n = activeFilters();
    filtersButton.textContent = n ? "Filtres (" + n + ")" : "Filtres";
    if (listButton) {
      listButton.textContent = "Liste (" + root.querySelectorAll(".pm-site:not([hidden])").length + ")";
    }
  }

  function buildBar() {
    var bar = document.createElement("div");
    bar.className = "pm-bar";
    if (!controls.id) { controls.id = "pm-reglages"; }
    filtersButton = makeButton("Filtres", "pm-bar__filters");
    filtersButton.setAttribute("aria-controls", controls.id);
    filtersButton.addEventListener("click", function () {
      setFiltersOpen(filtersButton.getAttribute("aria-expanded") !== "true");
    });
    bar.appendChild(filtersButton);
    if (both) {
      var group = document.createElement("div");
      group.className = "pm-switch";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Afficher les structures sur la carte ou en liste");
      mapButton = makeButton("Carte", "pm-switch__map");
      listButton = makeButton("Liste", "pm-switch__list");
      mapButton.addEventListener("click", function () { setView("carte"); });
      listButton.addEventListener("click", function () { setView("liste"); });
      group.appendChild(mapButton);
      group.appendChild(listButton);
      bar.appendChild(group);
    }
    root.insertBefore(bar, controls);
  }

  // The popups' titles are h3: with the filters and the legend (h2) collapsed, the map needs
  // its own h2 for the headings to keep their order.
  function nameTheMap() {
    var heading = document.createElement("h2");
    heading.className = "visually-hidden";
    heading.textContent = "Carte";
    mapBox.insertBefore(heading, mapBox.firstChild);
  }

  // --- links into the list, "show on the map" -----------------------------------------------
  function targetInList(link) {
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    var target = id && document.getElementById(id);
    return target && list.contains(target) ? target : null;
  }

  // A team of the nearest ones or of a popup: the list is shown, the team scrolled to and
  // focused. Handled here rather than by the URL's fragment, whose navigation would also
  // restore the page's state (public-map.js listens to popstate).
  function showInList(target) {
    if (switching()) { setView("liste"); }
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }

  function onClick(event) {
    var element = event.target;
    if (!element.closest) { return; }
    var link = element.closest("a[href^='#']");
    var target = link && targetInList(link);
    if (target) {
      event.preventDefault();
      showInList(target);
    } else if (element.closest(".pm-site__show") && switching()) {
      // Before public-map.js opens the popup: the map must be shown and measured first.
      setView("carte");
    }
  }

  // Once the popup is open, focus goes to the map: the button left behind is out of sight.
  function afterShow(event) {
    var map = leaflet();
    var hidden = switching() || body.classList.contains("pm-page--carte");
    if (map && hidden && event.target.closest && event.target.closest(".pm-site__show")) {
      map.getContainer().focus({ preventScroll: true });
    }
  }

  // Escape closes what the keyboard opened: the filters' panel, the list shown over a map alone.
  function onEscape(event) {
    if (event.key !== "Escape") { return; }
    var map = leaflet();
    if (controls.contains(event.target) && filtersCollapse()) {
      setFiltersOpen(false);
      filtersButton.focus();
    } else if (list.contains(event.target) && body.classList.contains("pm-page--carte") && map) {
      map.getContainer().focus();
    }
  }

  // --- heights --------------------------------------------------------------------------------
  function measureTop() {
    var top = root.getBoundingClientRect().top + window.pageYOffset;
    body.style.setProperty("--pm-top", Math.max(0, Math.round(top)) + "px");
  }

  // The host page sizes the frame to the page: the height, rounded up, each time it changes.
  function postHeights() {
    var last = 0;
    new window.ResizeObserver(function () {
      var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height === last) { return; }
      last = height;
      window.parent.postMessage({ type: HEIGHT_MESSAGE, hauteur: height }, "*");
    }).observe(document.documentElement);
  }

  // --- wiring ---------------------------------------------------------------------------------
  buildBar();
  nameTheMap();
  body.classList.add("pm-js");
  setFiltersOpen(false);
  setView("carte");
  refreshCounts();
  measureTop();

  form.addEventListener("change", refreshCounts);
  form.addEventListener("submit", function () {
    if (filtersCollapse()) {
      setFiltersOpen(false);
      filtersButton.focus();
    }
  });
  // public-map.js filters the list and rewrites the count: the buttons follow.
  new MutationObserver(refreshCounts).observe(list, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["hidden"]
  });
  document.addEventListener("click", onClick, true);
  document.addEventListener("click", afterShow);
  document.addEventListener("keydown", onEscape);
  window.addEventListener("resize", measureTop);
  if (window.ResizeObserver) {
    new window.ResizeObserver(resizeMap).observe(mapBox);
    if (autoHeight && window.parent !== window) { postHeights(); }
  }
})();
