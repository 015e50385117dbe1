"""Caseworker mode's other pages: what-if (one resource varies), two situations side by side, and the
detail of one benefit's calculation. Each is a POST carrying the answers; nothing is stored."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from simulator.engine import Engine
from simulator.household import RESSOURCES
from simulator.services import explain as explain_logic
from simulator.services import variation as variation_logic
from simulator.web.caseworker import charts
from simulator.web.caseworker.page import (
    DEFAULT_MAX,
    DEFAULT_STEPS,
    MAX_VARIATION,
    TITLE,
    error_links,
    evaluate,
    guarded,
    render,
    render_page,
    reste_sur_100,
    signed,
    state_of,
)
from simulator.web.common import Calculations, Calculator, encode_state, form_fields
from simulator.web.forms import one_page as cf
from simulator.web.forms.answers import OUI, FormErrors, parse_montant
from simulator.web.forms.household import state_to_household
from simulator.web.presentation import euros

router = APIRouter(include_in_schema=False)


# --- What if ------------------------------------------------------------------------------------------

def variation_params(fields: dict[str, list[str]], state: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The what-if settings sent (person, resource, maximum), with French messages for bad ones."""
    def get(name: str, default: str) -> str:
        return ((fields.get(name) or [default])[-1] or default).strip()

    params = {"individu": get("v.individu", "demandeur"), "ressource": get("v.ressource", "salaire_net"),
              "max": get("v.max", str(int(DEFAULT_MAX)))}
    problems = []
    if params["individu"] not in ("demandeur", "conjoint") or (
            params["individu"] == "conjoint" and state.get("couple") != OUI):
        problems.append("Choisissez la personne accompagnée, ou son conjoint si le foyer est un couple.")
        params["individu"] = "demandeur"
    if params["ressource"] not in RESSOURCES:
        problems.append("Choisissez une ressource dans la liste.")
        params["ressource"] = "salaire_net"
    try:
        maximum = parse_montant(params["max"])
        if not 100 <= maximum <= MAX_VARIATION:
            raise ValueError
    except ValueError:
        problems.append(f"Le montant maximum doit être compris entre 100 et {euros(MAX_VARIATION)} €.")
        params["max"] = str(int(DEFAULT_MAX))
    return params, problems


def net(p: variation_logic.VariationPoint) -> float:
    return p.revenu_net if p.revenu_net is not None else p.revenu_disponible


def kept_per_100(before: variation_logic.VariationPoint, after: variation_logic.VariationPoint) -> float | None:
    """Of 100 € more of the varied resource between two steps, what the disposable income gains."""
    width = after.valeur - before.valeur
    return round(100 * (net(after) - net(before)) / width, 2) if width > 0 else None


def table_rows(variation: variation_logic.Variation, ids: list[str]) -> list[dict[str, Any]]:
    cliff_steps = {f.a for f in variation.falaises}
    points = variation.points
    return [{"valeur": p.valeur, "aides": [p.aides.get(i, 0.0) for i in ids], "total": p.total_aides,
             "revenu": p.revenu_disponible, "paye": p.total_paye, "net": net(p),
             "reste": kept_per_100(p, points[k + 1]) if k + 1 < len(points) else None,
             "falaise": p.valeur in cliff_steps} for k, p in enumerate(points)]


def kept_now(variation: variation_logic.Variation, current: float) -> dict[str, float] | None:
    """The step that starts at or just below today's amount: what is left of 100 € more from there."""
    points = variation.points
    for before, after in zip(points, points[1:], strict=False):
        if before.valeur <= current < after.valeur:
            return {"de": before.valeur, "a": after.valeur, "reste": kept_per_100(before, after) or 0.0,
                    "net": net(before)}
    return None


def cliff_texts(variation: variation_logic.Variation, labels: dict[str, str], ressource: str) -> list[str]:
    texts = []
    for falaise in variation.falaises:
        falling = ", ".join(labels.get(k, k) for k in falaise.aides_en_baisse)
        text = (f"De {euros(falaise.de)} € à {euros(falaise.a)} € de {RESSOURCES[ressource].lower()} par mois, "
                f"le revenu disponible baisse de {euros(falaise.perte)} € par mois "
                f"({euros(falaise.revenu_avant)} € puis {euros(falaise.revenu_apres)} €)")
        texts.append(text + (f" : {falling} diminue{'nt' if len(falaise.aides_en_baisse) > 1 else ''}."
                             if falling else "."))
    return texts


async def what_if(request: Request, calculations: Calculator) -> Response:
    fields = await form_fields(request)
    state = state_of(fields)
    params, problems = variation_params(fields, state)
    context: dict[str, Any] = {"state": state, "etat": encode_state(state), "params": params,
                               "ressources": RESSOURCES, "couple": state.get("couple") == OUI}
    errors = [("f-v-max", p) for p in problems]
    try:
        household = state_to_household(state)
    except FormErrors as error:
        for name, message in cf.missing_ages(state).errors.items():
            error.errors.setdefault(name, message)
        return await render_page(request, calculations, state, status=422,
                                 errors=[("f-d-age", "Pour l'essai « et si… », complétez d'abord la saisie.")]
                                 + error_links(error.errors))
    engine = calculations.engine
    individu = params["individu"]
    variation = await calculations.run(variation_logic.vary, engine, household, individu, params["ressource"],
                               0.0, parse_montant(params["max"]), DEFAULT_STEPS)
    labels = {b.id: b.label for b in engine.catalog}
    ids = [i for i in labels if any(p.aides.get(i, 0.0) > 0 for p in variation.points)]
    current = getattr(next(i for i in household.individus if i.id == individu), params["ressource"]) or 0.0
    context.update({
        "variation": variation, "ids": ids, "labels": labels, "rows": table_rows(variation, ids),
        "svg": charts.svg(variation, labels, ids, current=current), "falaises": cliff_texts(variation, labels,
                                                                                            params["ressource"]),
        "courant": current, "errors": errors, "reste_maintenant": kept_now(variation, current),
        "avec_paye": any(p.total_paye for p in variation.points), "legende": charts.legend(labels, ids)[2:],
        "title": ("Erreur : " if errors else "") + "Et si… – " + TITLE,
    })
    return render(request, "accompagnement/variation.html", context, 422 if errors else 200)


# --- Two situations side by side -------------------------------------------------------------------------

async def compare(request: Request, calculations: Calculator) -> Response:
    fields = await form_fields(request)
    action = (fields.get("action") or [""])[-1]
    if any(name.startswith("a:") for name in fields):
        state_a, state_b = state_of(fields, "a:"), state_of(fields, "b:")
    else:  # from the main page: the second situation starts as a copy of the first
        state_a = state_of(fields)
        state_b = dict(state_a)
    focus = ""
    for prefix, label in (("a:", "a"), ("b:", "b")):
        current = state_a if label == "a" else state_b
        if action == prefix + "ajouter_enfant":
            current = cf.add_child(current)
            focus = f"{prefix}e{current.get('nb_enfants', '1')}"
        elif action.startswith(prefix + "retirer_enfant:"):
            number = action.removeprefix(prefix + "retirer_enfant:")
            current = cf.remove_child(current, int(number) if number.isdigit() else 0)
        if label == "a":
            state_a = current
        else:
            state_b = current
    show_errors = action in ("", "comparer")
    a = await evaluate(calculations, state_a, {})
    b = await evaluate(calculations, state_b, {})
    errors = []
    if show_errors:
        errors = error_links(a.get("field_errors", {}), "a:") + error_links(b.get("field_errors", {}), "b:")
    rows = []
    if "resultats" in a and "resultats" in b:
        rows = comparison_rows(a, b)
    return render(request, "accompagnement/comparer.html", {
        "a": a, "b": b, "rows": rows, "focus": focus,
        "blocks_a": cf.blocks(state_a, a.get("field_errors", {}) if show_errors else {}, "a:"),
        "blocks_b": cf.blocks(state_b, b.get("field_errors", {}) if show_errors else {}, "b:"),
        "etat": encode_state(state_a), "errors": errors, "a_state": state_a, "b_state": state_b,
        "title": ("Erreur : " if errors else "") + "Comparer deux situations – " + TITLE,
        "ecart_total": signed(b["solde"] - a["solde"]) if "solde" in a and "solde" in b
        and abs(b["solde"] - a["solde"]) >= 0.005 else None,
        **disposable_comparison(a, b),
    }, 422 if errors else 200)


def disposable_comparison(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Disposable income before and after (revenus nets + aides − ce qui est payé), its change, and what is
    left of each 100 € of extra resources."""
    if "revenu" not in a or "revenu" not in b:
        return {}
    before, after = a["revenu"], b["revenu"]
    delta = round(after["disponible"] - before["disponible"], 2)
    return {"revenu_a": before, "revenu_b": after, "ecart_revenu": signed(delta) if abs(delta) >= 0.005 else None,
            "reste_100": reste_sur_100(before, after),
            "gagne_plus": after["ressources"] > before["ressources"]}


def comparison_rows(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Per benefit computed in either situation: both amounts and the difference."""
    def amounts(outcome: dict[str, Any]) -> dict[str, Any]:
        found = {}
        for kind in ("eligibles", "refusees", "incalculables"):
            for groupe in getattr(outcome["resultats"], kind):
                for aide in groupe.aides:
                    found[aide.id] = aide
        return found

    left, right = amounts(a), amounts(b)
    rows = []
    for aide_id, aide in {**left, **right}.items():
        x, y = left.get(aide_id), right.get(aide_id)
        if not ((x and x.eligible) or (y and y.eligible)):
            continue
        ax = x.montant if x and x.montant is not None else None
        by = y.montant if y and y.montant is not None else None
        diff = (by or 0.0) - (ax or 0.0)
        paye = aide.sens == "paye"
        if abs(diff) < 0.005:
            ecart = None
        elif paye:  # a cost: paying less is not a lost aid
            ecart = f"à payer : {euros(abs(diff))}\u00a0€ de {'plus' if diff > 0 else 'moins'}"
        else:
            ecart = signed(diff)
        rows.append({"id": aide_id, "label": aide.label, "periodicite": aide.periodicite, "type": aide.type,
                     "a": ax, "b": by, "a_ok": bool(x and x.eligible), "b_ok": bool(y and y.eligible),
                     "ecart": ecart, "paye": paye, "diff": round(diff, 2)})
    return rows


# --- Calculation detail ----------------------------------------------------------------------------------

def _unit_euros(engine: Engine, name: str, nature: str, value: Any) -> bool:
    if nature != "variable" or isinstance(value, bool):
        return False
    variable = engine.tbs.variables.get(name)
    if variable is None or variable.value_type is not float:
        return False
    return not any(word in name for word in ("taux", "nb_", "nombre", "age", "coef", "part", "ratio"))


def plain_value(value: Any, euro: bool) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, int | float):
        text = euros(float(value))
        return f"{text} €" if euro else text
    if isinstance(value, dict):
        return " ; ".join(f"{k.replace('_', ' ')} : {plain_value(v, euro)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(plain_value(v, euro) for v in value)
    return str(value).replace("_", " ")


def french_period(period: str) -> str:
    """'2026-11' -> '11/2026'; 'month:2026-01:3' -> '3 mois depuis 01/2026'; a year stays as it is."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if match:
        return f"{match.group(2)}/{match.group(1)}"
    match = re.fullmatch(r"month:(\d{4})-(\d{2}):(\d+)", period)
    if match:
        return f"{match.group(3)} mois depuis {match.group(2)}/{match.group(1)}"
    return period


def readable(engine: Engine, node: explain_logic.Noeud) -> dict[str, Any]:
    return {
        "label": node.label or node.variable.replace("_", " "), "variable": node.variable, "nature": node.nature,
        "periode": french_period(node.periode),
        "valeur": plain_value(node.valeur, _unit_euros(engine, node.variable, node.nature, node.valeur)),
        "reference": node.reference if node.reference and node.reference.startswith("https://") else None,
        "enfants": [readable(engine, child) for child in node.enfants], "masques": node.enfants_masques,
    }


async def detail(request: Request, calculations: Calculator, aide_id: str) -> Response:
    fields = await form_fields(request)
    state = state_of(fields)
    engine = calculations.engine
    if not any(b.id == aide_id for b in engine.catalog):
        return render(request, "accompagnement/erreur.html", {
            "title": "Erreur : aide inconnue – " + TITLE, "message": "Cette aide n'existe pas dans le simulateur.",
            "etat": encode_state(state)}, 404)
    try:
        household = state_to_household(state)
    except FormErrors as error:
        return await render_page(request, calculations, state, status=422, errors=error_links(error.errors))
    explication = await calculations.run(explain_logic.explain, engine, household, aide_id)
    outcome = await evaluate(calculations, state, {})
    aide = None
    for kind in ("eligibles", "refusees", "incalculables"):
        for groupe in getattr(outcome["resultats"], kind, []) if "resultats" in outcome else []:
            aide = next((x for x in groupe.aides if x.id == aide_id), aide)
    return render(request, "accompagnement/detail.html", {
        "title": f"Détail du calcul : {explication.label} – " + TITLE, "explication": explication,
        "arbre": readable(engine, explication.arbre), "aide": aide, "etat": encode_state(state)})


@router.post("/accompagnement/variation", response_class=HTMLResponse)
async def variation_page(request: Request, calculations: Calculations) -> Response:
    return await guarded(request, what_if, calculations)


@router.post("/accompagnement/comparer", response_class=HTMLResponse)
async def compare_page(request: Request, calculations: Calculations) -> Response:
    return await guarded(request, compare, calculations)


@router.post("/accompagnement/detail/{aide_id}", response_class=HTMLResponse)
async def detail_page(request: Request, calculations: Calculations, aide_id: str) -> Response:
    return await guarded(request, detail, calculations, aide_id[:60])


# --- The person's view -------------------------------------------------------------------------------

async def person_view(request: Request, calculations: Calculator) -> Response:
    """The results of the moment in large type and plain French, for the person (opened in a new tab by the
    caseworker); with JavaScript it then follows the caseworker's page through a BroadcastChannel."""
    fields = await form_fields(request)
    state = state_of(fields)
    outcome = await evaluate(calculations, state, {})
    return render(request, "accompagnement/personne.html", {
        **outcome, "title": "Vos droits estimés – Simulateur de droits", "live": False})


@router.post("/accompagnement/personne", response_class=HTMLResponse)
async def person_page(request: Request, calculations: Calculations) -> Response:
    return await guarded(request, person_view, calculations)
