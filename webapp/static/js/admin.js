// Admin pages: the copy button of the embed snippet (no inline handlers: the CSP forbids them).
(function () {
  "use strict";

  function showStatus(button, text) {
    var status = button.parentElement.querySelector(".copy-status");
    if (status) {
      status.textContent = text;
    }
  }

  function copyFrom(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    var text = source.value;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { showStatus(button, "Code copié."); },
        function () { selectForCopy(source, button); }
      );
    } else {
      selectForCopy(source, button);
    }
  }

  // Without the clipboard API (plain HTTP), select the text so that Ctrl+C copies it.
  function selectForCopy(source, button) {
    source.focus();
    source.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    showStatus(button, copied ? "Code copié." : "Code sélectionné : copiez-le avec Ctrl+C.");
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () { copyFrom(button); });
  });
})();
