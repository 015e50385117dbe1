"""Caseworker mode (`/accompagnement`): one page, live results, what-if, comparison, calculation detail,
exports. Nothing is kept: every request carries all the answers (form fields, or `etat` on the pages that
lead back to the form), and the previous amounts travel in a hidden field (`precedent`) so that the
server can say what changed without remembering anything.

The progressive script posts the form to `POST /accompagnement/resultats` (form-encoded, the same fields
as the page) and swaps in the HTML fragment it returns.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from simulator.household import RESSOURCES, Household
from simulator.results import SimulationResult
from simulator.web import common
from simulator.web.common import Calculations, Calculator, decode_state, encode_state, form_fields
from simulator.web.forms import one_page as cf
from simulator.web.forms.answers import GLOBAL, OUI, FormErrors
from simulator.web.forms.household import household_to_state, state_to_household
from simulator.web.presentation import PERIODES, euros, sort_results

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
MAX_PRECEDENT = 4000
PRECEDENT_ITEM = re.compile(r"^([a-z0-9_]{1,60})=(-?\d{1,9}(?:\.\d{1,2})?)$")
TITLE = "Mode accompagnement – Simulateur de droits"
DEFAULT_MAX = 3600.0  # about 2 SMIC net per month
DEFAULT_STEPS = 37    # 100 € steps from 0 to 3 600 €
MAX_VARIATION = 20_000.0


# --- What changed since the last calculation --------------------------------------------------------

def encode_previous(result: SimulationResult) -> str:
    """`id=amount;…` for every computed amount (the hidden field the next request sends back)."""
    return ";".join(f"{a.id}={a.montant:.2f}" for a in result.aides if a.montant is not None and a.calculable)


def decode_previous(text: str | None) -> dict[str, float]:
    """Amounts of the last calculation; anything unreadable is ignored (it only drives a message)."""
    found: dict[str, float] = {}
    for item in (text or "")[:MAX_PRECEDENT].split(";"):
        match = PRECEDENT_ITEM.match(item.strip())
        if match:
            found[match.group(1)] = float(match.group(2))
    return found


@dataclass
class Change:
    label: str
    text: str
    up: bool


def signed(value: float) -> str:
    return ("+" if value > 0 else "−") + euros(abs(value))


def changes(result: SimulationResult, previous: dict[str, float]) -> list[Change]:
    """Each amount that moved. An amount the household pays (sens="paye", e.g. the CSS participation) is a
    cost: paying less is good news and reads "à payer : 52 € de moins par mois", never as a lost aid."""
    if not previous:
        return []
    found = []
    for aide in result.aides:
        if aide.type != "montant":
            continue
        before = previous.get(aide.id, 0.0)
        now = aide.montant if aide.montant is not None else 0.0
        if abs(now - before) < 0.005:
            continue
        periode = PERIODES[aide.periodicite]
        if aide.sens == "paye":
            text = f"à payer : {euros(abs(now - before))}\u00a0€ de {'plus' if now > before else 'moins'} {periode}"
            found.append(Change(aide.label, text, now < before))
        else:
            found.append(Change(aide.label, f"{signed(now - before)}\u00a0{periode}", now > before))
    return found


def total_mensuel(result: SimulationResult) -> float:
    """Benefits received per month (amounts paid by the household are not benefits)."""
    return round(sum(a.montant_mensuel for a in result.aides if a.calculable and a.eligible), 2)


def monthly(amount: float, periodicite: str) -> float:
    return amount if periodicite == "mensuelle" else amount / 12 if periodicite == "annuelle" else 0.0


def paye_mensuel(result: SimulationResult) -> float:
    """What the household pays per month for the rights computed (e.g. the CSS participation)."""
    return round(sum(monthly(a.montant, a.periodicite) for a in result.aides
                     if a.sens == "paye" and a.type == "montant" and a.calculable and a.montant), 2)


def solde_precedent(result: SimulationResult, previous: dict[str, float]) -> float:
    """The same balance for the previous amounts (paid amounts count as costs)."""
    return round(sum((-1 if a.sens == "paye" else 1) * monthly(previous[a.id], a.periodicite)
                     for a in result.aides if a.type == "montant" and previous.get(a.id, 0.0) > 0), 2)


def revenu_disponible(result: SimulationResult, household: Household) -> dict[str, float]:
    """The household's disposable income per month: declared net resources + benefits − amounts paid.
    Taxes are not subtracted (as in the what-if)."""
    ressources = round(sum(sum(i.ressources().values()) for i in household.individus), 2)
    aides, paye = total_mensuel(result), paye_mensuel(result)
    return {"ressources": ressources, "aides": aides, "paye": paye, "disponible": round(ressources + aides - paye, 2)}


def reste_sur_100(avant: dict[str, float], apres: dict[str, float]) -> float | None:
    """Of each 100 € of extra (or lost) resources, how much the disposable income moves; None if the
    resources did not change."""
    delta = apres["ressources"] - avant["ressources"]
    if abs(delta) < 0.5:
        return None
    return round(100 * (apres["disponible"] - avant["disponible"]) / delta, 2)


def results_context(result: SimulationResult, household: Household, previous: dict[str, float]) -> dict[str, Any]:
    total = total_mensuel(result)
    paye = paye_mensuel(result)
    solde = round(total - paye, 2)
    ecart = None
    if previous:
        before = solde_precedent(result, previous)
        ecart = signed(solde - before) if abs(solde - before) >= 0.005 else None
    found = changes(result, previous)
    resultats = sort_results(result, household)
    annonce = (f"Résultats mis à jour : {resultats.nombre_eligibles} aide"
               f"{'s' if resultats.nombre_eligibles > 1 else ''} à demander, total {euros(total)} € par mois.")
    if paye:
        annonce += f" À payer : {euros(paye)} € par mois."
    if found:
        annonce += " " + " ; ".join(f"{c.label} : {c.text}" for c in found) + "."
    return {
        "resultats": resultats, "mois": result.mois, "total": total, "paye": paye, "solde": solde,
        "changements": found, "ecart_total": ecart, "revenu": revenu_disponible(result, household),
        "precedent": encode_previous(result), "premier_calcul": not previous, "annonce": annonce,
    }


# --- Requests -------------------------------------------------------------------------------------

def state_of(fields: dict[str, list[str]], prefix: str = "") -> dict[str, str]:
    """The answers: from the form's fields, or from `etat` (pages that lead back to the form)."""
    etat = (fields.get(prefix + "etat") or [""])[-1]
    if etat and not any(name.startswith(prefix + "d.") for name in fields):
        return cf.from_loaded(decode_state(etat))
    return cf.from_form(fields, prefix)


async def evaluate(calculations: Calculator, state: dict[str, str], previous: dict[str, float]) -> dict[str, Any]:
    """Results (or the errors that prevent them) for these answers, as template context."""
    if not cf.has_minimum(state):
        return {"attente": True, "precedent": ""}
    missing = cf.missing_ages(state)
    try:
        household = state_to_household(state)
    except FormErrors as error:
        for name, message in missing.errors.items():
            error.errors.setdefault(name, message)
        return {"erreurs_saisie": error_links(error.errors), "field_errors": error.errors, "precedent": ""}
    try:
        result = await calculations.simulate(household)
    except Exception as error:  # busy or refused: say it in French, keep the answers on the page
        log.warning("Calcul impossible en mode accompagnement (%s)", type(error).__name__)
        return {"erreur_calcul": getattr(error, "message", None) or
                "Le calcul n'a pas pu être fait. Réessayez dans quelques instants.", "precedent": ""}
    return {**results_context(result, household, previous), "household": household, "faits": cf.facts(state),
            "date": today()}


def error_links(errors: dict[str, str], prefix: str = "") -> list[tuple[str, str]]:
    return [(cf.field_id(prefix + (name if name != GLOBAL else "d.age")), message) for name, message in errors.items()]


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return common.render(request, name, {"errors": [], "title": TITLE, **context}, status)


async def render_page(request: Request, calculations: Calculator, state: dict[str, str],
                      previous: dict[str, float] | None = None,
                      status: int = 200, upload_error: str | None = None, show_errors: bool = True,
                      errors: list[tuple[str, str]] | None = None, focus: str = "") -> HTMLResponse:
    outcome = await evaluate(calculations, state, previous or {})
    field_errors = outcome.get("field_errors", {}) if show_errors else {}
    summary = list(errors or [])
    if upload_error:
        summary.insert(0, ("f-fichier", upload_error))
    if show_errors:
        summary += outcome.get("erreurs_saisie", [])
    if summary and status == 200:
        status = 422
    title = ("Erreur : " if summary else "") + TITLE
    return render(request, "accompagnement/page.html", {
        **outcome, "title": title, "errors": summary, "blocks": cf.blocks(state, field_errors),
        "state": state, "etat": encode_state(state), "avec_actions": True,
        "ressources": RESSOURCES, "upload_error": upload_error, "focus": focus,
    }, status)


@router.get("/accompagnement", response_class=HTMLResponse)
async def page(request: Request, calculations: Calculations) -> HTMLResponse:
    return await render_page(request, calculations, {**cf.DEFAULTS})


@router.post("/accompagnement", response_class=HTMLResponse)
async def submit(request: Request, calculations: Calculations) -> Response:
    return await guarded(request, _submit, calculations)


@router.post("/accompagnement/resultats", response_class=HTMLResponse)
async def fragment(request: Request, calculations: Calculations) -> HTMLResponse:
    """The results panel alone (HTML fragment) for the page's script: the endpoint to time."""
    fields = await form_fields(request)
    try:
        state = state_of(fields)
    except ValueError:
        state = {}
    outcome = await evaluate(calculations, state, decode_previous((fields.get("precedent") or [""])[-1]))
    status = 422 if outcome.get("erreurs_saisie") else 200
    return render(request, "accompagnement/_resultats.html", {**outcome, "avec_actions": True}, status)


async def guarded(request: Request, handler: Any, *args: Any) -> Response:
    """A person must never get a bare 500: log the kind of error, never the answers."""
    try:
        return await handler(request, *args)
    except ValueError:
        return render(request, "accompagnement/erreur.html", {
            "title": "Erreur : réponses illisibles – " + TITLE,
            "message": "Les réponses envoyées n'ont pas pu être lues. Rien n'est gardé : reprenez la saisie."}, 400)
    except Exception as error:
        log.error("Erreur du mode accompagnement (%s)", type(error).__name__)
        return render(request, "accompagnement/erreur.html", {
            "title": "Erreur – " + TITLE,
            "message": "Le simulateur a rencontré une erreur. Rien n'est gardé : revenez en arrière avec le "
                       "navigateur pour retrouver la saisie."}, 500)


async def _submit(request: Request, calculations: Calculator) -> Response:
    fields = await form_fields(request)
    state = state_of(fields)
    action = (fields.get("action") or ["recalculer"])[-1]
    previous = decode_previous((fields.get("precedent") or [""])[-1])
    if action == "ajouter_enfant":
        state = cf.add_child(state)
        return await render_page(request, calculations, state, previous, show_errors=False,
                                 focus=f"e{state.get('nb_enfants', '1')}")
    if action.startswith("retirer_enfant:"):
        number = action.removeprefix("retirer_enfant:")
        state = cf.remove_child(state, int(number) if number.isdigit() else 0)
        return await render_page(request, calculations, state, previous, show_errors=False)
    if action == "ajouter_conjoint":
        return await render_page(request, calculations, {**state, "couple": OUI}, previous, show_errors=False)
    return await render_page(request, calculations, state, previous)


def state_from_household(household: Household) -> dict[str, str]:
    return cf.from_loaded(household_to_state(household))


def today() -> str:
    return date.today().strftime("%d/%m/%Y")

