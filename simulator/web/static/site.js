/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // Error summary: move focus to it so screen readers announce it first.
  var summary = document.querySelector("[data-resume-erreurs]");
  if (summary) {
    summary.focus();
  }

  // Conditional reveal: the fields under an option are shown only when the option is chosen.
  // Without JavaScript they stay visible, and the server ignores them when the option is not chosen.
  var panels = document.querySelectorAll("[data-revele-par]");
  function update() {
    for (var i = 0; i < panels.length; i++) {
      var input = document.getElementById(panels[i].getAttribute("data-revele-par"));
      if (input) {
        panels[i].hidden = !input.checked;
      }
    }
  }
  if (panels.length) {
    document.addEventListener("change", function (event) {
      if (event.target && (event.target.type === "radio" || event.target.type === "checkbox")) {
        update();
      }
    });
    update();
  }

  // Error summary links: focus the field itself (not just scroll), as GOV.UK does.
  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        var group = target.closest("fieldset") || target.closest(".champ");
        if (group && group.scrollIntoView) { group.scrollIntoView(); }
        target.focus({preventScroll: true});
      }
    });
  }

  // Results page: a print button (without JavaScript, the browser's own print gives the same page).
  var printButton = document.querySelector("[data-imprimer]");
  if (printButton && window.print) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  // Show that a long calculation is running (the results take a few seconds).
  var forms = document.querySelectorAll("form");
  for (var j = 0; j < forms.length; j++) {
    forms[j].addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.id === "voir-resultats") {
        button.setAttribute("aria-disabled", "true");
        button.textContent = "Calcul en cours…";
      }
    });
  }
})();
