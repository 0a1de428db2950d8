// The orientation page: address suggestions (ARIA combobox; Enter takes the highlighted
// suggestion, else the first), focus on form errors, the link to the teams left out, and the
// sheet's print button. The page works without this file; it only makes it quicker to use.
(function () {
  "use strict";

  var DELAY_MS = 250;
  var MIN_CHARS = 3;

  function setupCombobox(input) {
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var status = document.getElementById("adresse-annonce");
    var url = input.getAttribute("data-geocode-url");
    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      input.value = options[index].getAttribute("data-label");
      close();
      status.textContent = "Adresse choisie : " + input.value;
      input.focus();
    }

    function show(results) {
      close();
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        option.id = "adresse-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-label", result.label);
        option.className = "combobox__option";
        var label = document.createElement("span");
        label.textContent = result.label;
        option.appendChild(label);
        if (result.postcode) {
          var detail = document.createElement("span");
          detail.className = "combobox__detail";
          detail.textContent = result.postcode;
          option.appendChild(detail);
        }
        // mousedown, not click: the input must not lose focus before the choice is made.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        listbox.appendChild(option);
        options.push(option);
      });
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      status.textContent = options.length
        ? options.length + " suggestion" + (options.length > 1 ? "s" : "") +
          " : flèches haut et bas pour choisir, Entrée pour valider."
        : "Aucune suggestion.";
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS || !url) {
        close();
        return;
      }
      var ticket = ++asked;
      fetch(url + "?limit=5&q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (body) {
          // An older answer arriving late must not replace a newer one.
          if (ticket === asked && document.activeElement === input) {
            show(body.results || []);
          }
        })
        .catch(function () {
          close();
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && options.length > 0;
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter" && open) {
        // While suggestions are open, Enter chooses one (the first when none is highlighted)
        // instead of sending an address the physician has not finished typing.
        event.preventDefault();
        choose(active >= 0 ? active : 0);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
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
