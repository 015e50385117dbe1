/* The person's view ("vue personne"): follows the caseworker's page open in the same browser. The
   caseworker's page sends its rendered person view through a BroadcastChannel after each update; nothing
   goes through the server or any storage. Without JavaScript, this page shows the results of the moment. */
(function () {
  "use strict";
  var content = document.querySelector("[data-vp-contenu]");
  var status = document.querySelector("[data-vp-statut]");
  if (!content || !window.BroadcastChannel) { return; }
  var channel = new BroadcastChannel("simulateur-vue-personne");
  channel.onmessage = function (event) {
    var data = event.data || {};
    if (data.type !== "resultats" || typeof data.html !== "string") { return; }
    content.innerHTML = data.html;
    content.setAttribute("data-vp-version", String(data.version || ""));
    if (status) {
      var now = new Date();
      status.textContent = "Mis à jour à " + now.getHours() + " h " + ("0" + now.getMinutes()).slice(-2) + ".";
    }
  };
  if (status) { status.textContent = "Cette page suit la saisie de votre interlocuteur."; }
  channel.postMessage({type: "bonjour"});
})();
