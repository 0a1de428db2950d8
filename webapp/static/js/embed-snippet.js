// The network page's embed section: every change of the options asks the server for the
// snippet (built in Python only) and the embed's URL, then updates the code and the live
// preview; the copy button; the preview's width. Without this script the options form is a
// GET to the page, which renders the same snippet (and no preview).
(function () {
  "use strict";
  var form = document.getElementById("integration-options");
  var code = document.getElementById("code-integration");
  var box = document.getElementById("apercu-boite");
  if (!form || !code || !box) { return; }
  var preview = document.createElement("iframe");
  var pixels = document.getElementById("integration-pixels");
  var problem = document.getElementById("integration-erreur-direct");
  var copyButton = document.getElementById("copier-integration");
  var copyStatus = copyButton.parentElement.querySelector(".copy-status");
  var HEIGHT_MESSAGE = "annuaire-pcs-hauteur";
  var latest = 0;
  var typing = null;

  function autoHeight() {
    var auto = form.querySelector("input[name=hauteur][value=auto]");
    return Boolean(auto && auto.checked);
  }

  // The options as the form would send them (disabled fields are left out, as a form does).
  function query() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled) { return; }
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) { return; }
      params.append(field.name, field.value);
    });
    return params.toString();
  }

  function showProblem(text) {
    problem.textContent = text;
    problem.hidden = !text;
  }

  function show(answer) {
    code.value = answer.snippet;
    code.rows = answer.snippet.split("\n").length + 2;
    if (preview.getAttribute("src") !== answer.apercu) {
      preview.setAttribute("src", answer.apercu);
    }
    if (!autoHeight()) {
      preview.style.height = "";
      preview.setAttribute("height", pixels.value);
    }
    copyStatus.textContent = "";
    showProblem("");
  }

  function refresh() {
    var asked = ++latest;
    fetch(form.getAttribute("data-endpoint") + "?" + query(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        throw new Error("not json");
      }
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (asked !== latest) { return; }  // an older answer arriving after a newer one
      if (result.ok) {
        show(result.body);
      } else {
        showProblem(result.body.erreur);
      }
    }).catch(function () {
      if (asked === latest) {
        showProblem("Le code n'a pas pu être mis à jour : rechargez la page (votre session a peut-être expiré).");
      }
    });
  }

  function onChange(event) {
    if (event.target.name === "hauteur") {
      pixels.disabled = autoHeight();
    }
    window.clearTimeout(typing);
    // Typing a height asks once the figure is complete, not at each digit.
    typing = window.setTimeout(refresh, event.type === "input" ? 400 : 0);
  }

  // The preview follows the embed's height messages, with the checks the snippet's script makes.
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== preview.contentWindow || event.origin !== window.location.origin) { return; }
    if (!data || data.type !== HEIGHT_MESSAGE || typeof data.hauteur !== "number") { return; }
    if (!isFinite(data.hauteur) || data.hauteur <= 0 || !autoHeight()) { return; }
    preview.style.height = Math.round(Math.min(Math.max(data.hauteur, 200), 20000)) + "px";
  });

  function selectForCopy() {
    code.focus();
    code.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    copyStatus.textContent = copied ? "Code copié." : "Code sélectionné : copiez-le avec Ctrl+C.";
  }

  copyButton.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(code.value).then(function () {
        copyStatus.textContent = "Code copié : collez-le dans votre page.";
      }, selectForCopy);
    } else {
      selectForCopy();
    }
  });

  function setWidth(value) {
    box.className = "embed-preview" + (value ? " embed-preview--" + value : "");
  }

  // Made here, not in the page: the preview follows the options, which needs this script.
  preview.id = "apercu-integration";
  preview.className = "embed-preview__frame";
  preview.title = "Aperçu du cadre sur votre site";
  preview.setAttribute("height", box.getAttribute("data-height"));
  preview.setAttribute("loading", "lazy");
  preview.setAttribute("src", box.getAttribute("data-src"));
  box.appendChild(preview);
  document.getElementById("apercu").hidden = false;
  var widths = document.getElementById("apercu-largeurs");
  widths.addEventListener("change", function (event) { setWidth(event.target.value); });
  form.addEventListener("change", onChange);
  form.addEventListener("input", function (event) {
    if (event.target === pixels) { onChange(event); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    refresh();
  });
  Array.prototype.forEach.call(form.querySelectorAll("[data-without-script]"), function (button) {
    button.hidden = true;
  });
  pixels.disabled = autoHeight();
})();
