/* Caseworker mode, progressive only: without this file, "Recalculer" posts the whole page.
   With it, the results panel follows the form: 400 ms after the last change, the form is posted to
   POST /accompagnement/resultats (form-encoded, the same fields) and the returned HTML fragment replaces
   the panel; the status line (role="status", polite) announces what changed. */
(function () {
  "use strict";
  var form = document.getElementById("saisie");
  var panel = document.getElementById("resultats");
  var status = document.getElementById("acc-statut");
  var container = document.getElementById("panneau-resultats");

  // The print button: site.js, on every page.

  // "En couple": open the conjoint's section when it becomes Oui.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.name && /(^|:)couple$/.test(target.name) && target.value === "oui") {
      var prefix = target.name.slice(0, target.name.length - "couple".length).replace(":", "-");
      var section = document.getElementById("s-" + prefix + "conjoint");
      if (section) { section.open = true; }
    }
  });

  // A postcode of a territory: open the section of its questions (data-codes-postaux: postcodes or their
  // first digits, written by the server from the territory's territory.yaml).
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (!(target && target.name && /(^|:)l\.commune$/.test(target.name))) { return; }
    var code = target.value.trim();
    if (!/^\d{5}$/.test(code)) { return; }
    var prefix = target.name.slice(0, target.name.length - "l.commune".length).replace(":", "-");
    var sections = document.querySelectorAll("[data-codes-postaux]");
    for (var i = 0; i < sections.length; i++) {
      var section = sections[i];
      if (section.id.indexOf("s-" + prefix + "local-") !== 0) { continue; }
      var codes = section.getAttribute("data-codes-postaux").split(" ");
      for (var j = 0; j < codes.length; j++) {
        if (code.indexOf(codes[j]) === 0) { section.open = true; }
      }
    }
  });

  // "Ajouter un enfant": with JavaScript, the new child's section is added in place (the server renders
  // it: the same POST as without JavaScript, whose page is read here) and the focus moves to its first
  // field. Without JavaScript, the button's formaction ends with the new section's fragment.
  function firstField(section) {
    return section.querySelector("input:not([type=hidden]), select, textarea");
  }
  if (window.fetch && window.FormData && window.DOMParser) {
    document.addEventListener("click", function (event) {
      var button = event.target && event.target.closest ? event.target.closest("[data-ajout-enfant]") : null;
      if (!button || !button.form) { return; }
      event.preventDefault();
      var owner = button.form;
      var wanted = button.getAttribute("data-ajout-enfant");
      var body = new URLSearchParams();
      new FormData(owner).forEach(function (value, key) {
        if (typeof value === "string" && key !== "action" && key !== "nom_document") { body.append(key, value); }
      });
      body.append("action", button.value);
      var url = (button.getAttribute("formaction") || owner.getAttribute("action")).split("#")[0];
      button.disabled = true;
      fetch(url, {method: "POST", body: body, credentials: "same-origin",
                  headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"}})
        .then(function (response) {
          if (response.status >= 500) { throw new Error("server"); }
          return response.text();
        }).then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var section = page.getElementById(wanted);
          var paragraph = button.closest(".acc-ajout");
          if (!section || !paragraph) { throw new Error("missing"); }
          var fresh = document.importNode(section, true);
          var focusable = fresh.querySelectorAll("[autofocus]");
          for (var i = 0; i < focusable.length; i++) { focusable[i].removeAttribute("autofocus"); }
          paragraph.parentNode.insertBefore(fresh, paragraph);
          // The children count and the next button's target come from the server's page.
          var counters = owner.querySelectorAll("input[type=hidden][name$='nb_enfants']");
          for (var j = 0; j < counters.length; j++) {
            var other = page.querySelector("input[type=hidden][name='" + counters[j].name + "']");
            if (other) { counters[j].value = other.value; }
          }
          var next = page.querySelector("[data-ajout-enfant][value='" + button.value + "']");
          if (next) {
            button.setAttribute("data-ajout-enfant", next.getAttribute("data-ajout-enfant"));
            button.setAttribute("formaction", next.getAttribute("formaction"));
          }
          button.disabled = false;
          var field = firstField(fresh);
          if (field) { field.focus(); }
          if (status) { status.textContent = "Section ajoutée : " + (fresh.querySelector("summary") || {}).textContent + "."; }
        }).catch(function () {
          button.disabled = false;
          owner.action = button.getAttribute("formaction") || owner.action;
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = "action"; hidden.value = button.value;
          owner.appendChild(hidden);
          owner.submit();
        });
    });
  }

  // The person's view (another tab, same browser): after each update, send it the person's rendering of
  // the results (the <template data-vue-personne> of the panel). Nothing is stored.
  var channel = (panel && window.BroadcastChannel) ? new BroadcastChannel("simulateur-vue-personne") : null;
  var version = 0;
  function publish() {
    if (!channel) { return; }
    var template = panel.querySelector("template[data-vue-personne]");
    if (!template) { return; }
    version += 1;
    channel.postMessage({type: "resultats", html: template.innerHTML, version: version});
  }
  if (channel) {
    channel.onmessage = function (event) {
      if (event.data && event.data.type === "bonjour") { publish(); }
    };
  }

  if (!form || !panel || !window.fetch || !window.FormData) { return; }
  var endpoint = form.getAttribute("data-live");
  var timer = null;
  var sequence = 0;
  var controller = null;

  function refresh() {
    sequence += 1;
    var mine = sequence;
    if (controller && controller.abort) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    var body = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      // The name typed for the PDF never leaves with a live update.
      if (typeof value === "string" && key !== "nom_document") { body.append(key, value); }
    });
    container.setAttribute("aria-busy", "true");
    fetch(endpoint, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"},
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (response.status >= 500) { throw new Error("server"); }
      return response.text();
    }).then(function (html) {
      if (mine !== sequence) { return; }
      panel.innerHTML = html;
      var content = panel.querySelector("[data-precedent]");
      var hidden = form.querySelector("[data-precedent-champ]");
      if (content && hidden && content.getAttribute("data-precedent")) {
        hidden.value = content.getAttribute("data-precedent");
      }
      var message = content ? content.getAttribute("data-annonce") : "";
      status.textContent = message || (panel.querySelector(".acc-a-corriger") ?
        "Réponses à corriger : voir le panneau des droits." : "Résultats mis à jour.");
      container.removeAttribute("aria-busy");
      publish();
    }).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      if (mine !== sequence) { return; }
      container.removeAttribute("aria-busy");
      status.textContent = "Le calcul n'a pas pu être mis à jour : utilisez le bouton « Recalculer ».";
    });
  }

  function schedule(event) {
    var target = event.target;
    if (!target || !target.name || target.name === "nom_document" || target.name.indexOf("v.") === 0) { return; }
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, 400);
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
