/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  var QUESTIONNAIRE = "/simulateur";

  // What a page gets once it is shown, first loaded or brought back by Back and Forward.
  function enhance() {
    // Error summary: move focus to it so screen readers announce it first.
    var summary = document.querySelector("[data-resume-erreurs]");
    if (summary) {
      summary.focus();
    }
    reveal();
    // Results page: a print button (without JavaScript, the browser's own print gives the same page).
    var printButton = document.querySelector("[data-imprimer]");
    if (printButton && window.print) {
      printButton.hidden = false;
    }
  }

  // Conditional reveal: the fields under an option are shown only when the option is chosen.
  // Without JavaScript they stay visible, and the server ignores them when the option is not chosen.
  function reveal() {
    var panels = document.querySelectorAll("[data-revele-par]");
    for (var i = 0; i < panels.length; i++) {
      var input = document.getElementById(panels[i].getAttribute("data-revele-par"));
      if (input) {
        panels[i].hidden = !input.checked;
      }
    }
  }
  document.addEventListener("change", function (event) {
    if (event.target && (event.target.type === "radio" || event.target.type === "checkbox")) {
      reveal();
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    // Error summary links: focus the field itself (not just scroll), as GOV.UK does.
    var link = target.closest ? target.closest("[data-resume-erreurs] a[href^='#']") : null;
    if (link) {
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        var group = field.closest("fieldset") || field.closest(".champ");
        if (group && group.scrollIntoView) { group.scrollIntoView(); }
        field.focus({preventScroll: true});
      }
      return;
    }
    if (target.closest && target.closest("[data-imprimer]")) {
      window.print();
    }
  });

  // Back and Forward. Each step of the questionnaire, and each caseworker tool (what-if, comparison, detail),
  // is a POST: the browser's Back would ask to send the form again (or show ERR_CACHE_MISS). With JavaScript,
  // such a page is fetched and shown in place, and each page shown is kept in this tab's history
  // (history.state: its HTML with what the person typed), which the browser forgets with the tab: nothing in
  // cookies, storage or the address. The pages left are also kept alive in memory while the tab lives, so that
  // the caseworker page comes back with its live results running. Without JavaScript, the browser re-posts
  // the answers and the server shows the same page again.
  var TOOLS = /^\/accompagnement\/(variation|comparer|detail\/[A-Za-z0-9_-]+)$/;
  var inPlace = !!(window.fetch && window.history && history.pushState && window.DOMParser);
  var kept = {};  // id of a history entry → the nodes of its page, as left
  var keptOrder = [];
  var shown = null;  // the state of the page on screen

  function newId() {
    return String(Date.now()) + "-" + Math.random().toString(36).slice(2);
  }

  function typedIntoPage() {
    // What the person typed becomes the page's own values, so that Back shows the page as they left it.
    var fields = document.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "radio" || field.type === "checkbox") {
        field.defaultChecked = field.checked;
      } else if (field.tagName === "SELECT") {
        for (var j = 0; j < field.options.length; j++) {
          field.options[j].defaultSelected = field.options[j].selected;
        }
      } else if (field.type !== "hidden" && field.type !== "file") {
        field.defaultValue = field.value;
      }
    }
    return {simulateur: true, id: shown ? shown.id : newId(), titre: document.title, corps: document.body.innerHTML};
  }

  function keep(id) {
    if (!kept[id]) { keptOrder.push(id); }  // a page left again keeps its place in the order
    kept[id] = Array.prototype.slice.call(document.body.childNodes);
    if (keptOrder.length > 20) { delete kept[keptOrder.shift()]; }
  }

  function show(state) {
    document.title = state.titre;
    if (kept[state.id]) {
      document.body.replaceChildren.apply(document.body, kept[state.id]);
    } else {
      document.body.innerHTML = state.corps;
    }
    shown = state;
    window.scrollTo(0, 0);
    var main = document.getElementById("contenu");
    if (main) { main.focus({preventScroll: true}); }
    enhance();
  }

  function postNatively(form, button) {
    if (button && button.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = button.name;
      carried.value = button.value;
      form.appendChild(carried);
    }
    if (button && button.hasAttribute("formaction")) { form.action = button.getAttribute("formaction"); }
    HTMLFormElement.prototype.submit.call(form);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    // Show that a long calculation is running (the results take a few seconds).
    if (button && button.id === "voir-resultats") {
      button.setAttribute("aria-disabled", "true");
      button.textContent = "Calcul en cours…";
    }
    var action = (button && button.hasAttribute("formaction")) ? button.getAttribute("formaction")
      : form.getAttribute("action");
    if (!inPlace || (action !== QUESTIONNAIRE && !TOOLS.test(action || "")) ||
        (form.method || "").toLowerCase() !== "post" || (button && button.hasAttribute("formtarget"))) {
      return;
    }
    event.preventDefault();
    var data = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { data.append(name, value); });
    if (button && button.name) { data.append(button.name, button.value); }
    var left = typedIntoPage();
    fetch(action, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) {
        if ((response.headers.get("content-type") || "").indexOf("text/html") !== 0) {
          throw new Error("réponse qui n'est pas une page");
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var state = {simulateur: true, enPlace: true, id: newId(), titre: page.title, corps: page.body.innerHTML};
        // The page is replaced first: the history entries change only once the new page is on screen.
        keep(left.id);
        show(state);
        history.replaceState(left, "");
        if (action === QUESTIONNAIRE) {
          history.pushState(state, "", QUESTIONNAIRE);
        } else {
          history.pushState(state, "");
        }
      })
      .catch(function () { postNatively(form, button); });
  });

  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.simulateur) {
      if (shown) { keep(shown.id); }
      show(event.state);
    }
  });

  // A page shown in place that the browser reloads, or brings back from another site: as last seen in this
  // tab (its address would give the questionnaire's first step, or an empty caseworker form). A page the
  // browser loaded itself is left as the server sent it, with its own scripts running.
  if (inPlace && history.state && history.state.enPlace) {
    show(history.state);
  } else {
    enhance();
  }
})();
