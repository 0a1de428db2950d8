/* The accessible combobox of suggestions shared by the public map and the physician's page
 * (window.Combobox): suggestions under a text input, arrows to move, Enter to take the highlighted
 * one (else the first), Escape to close, the mouse, aria-activedescendant, and a live region
 * announcing how many were found. Text from the directory or the geocoder is only ever written
 * with textContent. */
(function () {
  "use strict";

  var DELAY_MS = 250;
  var MIN_CHARS = 3;
  // Long enough for a mousedown on an option to be handled before the list goes.
  var CLOSE_AFTER_BLUR_MS = 150;

  function countMessage(n) {
    return n
      ? n + " suggestion" + (n > 1 ? "s" : "") + " : flèches haut et bas pour choisir, Entrée pour valider."
      : "Aucune suggestion.";
  }

  function optionElement(id, option) {
    var li = document.createElement("li");
    li.id = id;
    li.className = "combobox__option";
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.setAttribute("data-label", option.label);
    var label = document.createElement("span");
    label.textContent = option.label;
    li.appendChild(label);
    if (option.detail) {
      var detail = document.createElement("span");
      detail.className = "combobox__detail";
      detail.textContent = option.detail;
      li.appendChild(detail);
    }
    return li;
  }

  // `suggest(query)` returns a promise of options ({label, detail, ...anything the page needs});
  // `onChoose(option)` gets the one chosen by mouse or keyboard, once the input holds its label.
  // The input must have an id (the options' ids derive from it).
  function attach(input, listbox, announce, suggest, onChoose) {
    var options = [];
    var elements = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      options = [];
      elements = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      elements.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", elements[index].id);
        elements[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var option = options[index];
      input.value = option.label;
      close();
      onChoose(option);
    }

    function add(option, i) {
      var li = optionElement(input.id + "-option-" + i, option);
      // mousedown, not click: the input must not lose focus before the choice is made.
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      listbox.appendChild(li);
      elements.push(li);
    }

    // Show `found`; `message` replaces the count in the live region.
    function open(found, message) {
      close();
      options = found.slice();
      options.forEach(add);
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      announce.textContent = message || countMessage(options.length);
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) { close(); return; }
      var ticket = ++asked;
      // An older answer arriving late must not replace (or close) a newer one.
      suggest(query).then(function (found) {
        if (ticket === asked && document.activeElement === input) { open(found); }
      }, function () {
        if (ticket === asked) { close(); }
      });
    }

    function onKey(event) {
      if (listbox.hidden || !options.length) { return; }
      if (event.key === "ArrowDown") {
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        // Enter takes a suggestion (the first when none is highlighted) rather than sending
        // text that is not finished.
        choose(active >= 0 ? active : 0);
      } else if (event.key === "Escape") {
        close();
      } else {
        return;
      }
      event.preventDefault();
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", onKey);
    input.addEventListener("blur", function () { window.setTimeout(close, CLOSE_AFTER_BLUR_MS); });
    return {
      open: open,
      close: close,
      // Forget the suggestions asked for or about to be: the search was sent.
      cancel: function () { window.clearTimeout(timer); asked++; close(); },
      // Take the highlighted suggestion, if any; true when one was taken.
      chooseActive: function () {
        if (listbox.hidden || active < 0) { return false; }
        choose(active);
        return true;
      }
    };
  }

  window.Combobox = { MIN_CHARS: MIN_CHARS, attach: attach };
})();
