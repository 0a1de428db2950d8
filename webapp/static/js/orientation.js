// The orientation page: the geocoder's address suggestions (combobox.js), focus on form errors,
// the link to the teams left out, and the sheet's print button. The page works without this
// file; it only makes it quicker to use.
(function () {
  "use strict";

  // The geocoder's addresses for `query`, as the combobox's options.
  function geocoder(url) {
    return function (query) {
      return fetch(url + "?limit=5&q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (body) {
          return (body.results || []).map(function (result) {
            return { label: result.label, detail: result.postcode };
          });
        });
    };
  }

  function setupCombobox(input) {
    var url = input.getAttribute("data-geocode-url");
    var status = document.getElementById("adresse-annonce");
    if (!url) {
      return;  // no geocoder, no suggestions: the field is a plain text input
    }
    window.Combobox.attach(
      input,
      document.getElementById(input.getAttribute("aria-controls")),
      status,
      geocoder(url),
      function () {
        status.textContent = "Adresse choisie : " + input.value;
        input.focus();
      }
    );
  }

  // After a failed submit the summary of errors gets the focus; each of its links puts the
  // focus in its field (a plain jump to the anchor would only scroll).
  function focusErrors() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (field) {
          event.preventDefault();
          field.focus();
          (field.closest(".form-field") || field).scrollIntoView({ block: "start" });
        }
      });
    });
  }

  // The link under the list of teams opens every list of teams left out, then puts the focus on
  // their section, so that reading (or tabbing) goes on from there.
  function setupLeftOutLink() {
    var link = document.querySelector("a[href='#ecartes']");
    var section = document.getElementById("ecartes");
    if (!link || !section) {
      return;
    }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      section.querySelectorAll("details").forEach(function (details) {
        details.open = true;
      });
      section.focus();
      section.scrollIntoView({ block: "start" });
    });
  }

  function setupPrint() {
    var button = document.querySelector("[data-print]");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    }
  }

  var address = document.querySelector("input[role='combobox']");
  if (address) {
    setupCombobox(address);
  }
  focusErrors();
  setupLeftOutLink();
  setupPrint();
})();
