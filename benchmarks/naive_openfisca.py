"""A naive, direct OpenFisca-France computation of a household, written independently of the engine.

Used by the tests (ground truth: the engine's amounts must equal these) and by the benchmark (the
baseline the engine's speed is compared with). Deliberately plain: every fact is repeated over each
month from January of N-2 to December of N, net resources are turned into gross ones by
iterating the full household simulation until OpenFisca's net equals the declared net, and past
benefits are left to OpenFisca's recursion (except those the person declared).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder

GROSS_OF = {"salaire_net": "salaire_de_base", "chomage_net": "chomage_brut", "retraite_nette": "retraite_brute"}
OTHER_RESOURCES = ("pensions_invalidite", "indemnites_journalieres", "pensions_alimentaires_percues",
                   "revenus_locatifs", "indemnites_stage", "revenus_stage_formation_pro")
PERSON_FACTS = ("activite", "handicap", "taux_incapacite", "inapte_travail", "garde_alternee", "scolarite",
                "ass_precondition_remplie")
DECLARABLE = ("rsa", "ppa", "aide_logement", "af", "cf", "asf", "paje_base", "aeeh", "aah", "aspa", "asi", "ass")


def _months(month: str) -> list[str]:
    """January of N-2 to December of N: yearly benefits read the whole calendar year."""
    year = int(month[:4])
    return [f"{y:04d}-{m:02d}" for y in range(year - 2, year + 1) for m in range(1, 13)]


def _birth(month: str, age: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    total = year * 12 + mon - 1 - age * 12 - (6 if age > 0 else 2)
    return date(total // 12, total % 12 + 1, 1).isoformat()


# A person may give averages of the last 3 and 12 months besides the current amount (API.md). Months
# fall in three periods: M and after ("now"), the 3 months before ("quarter"), the older ones ("year").
PERIOD_MONTH_OFFSET = {"now": 0, "quarter": -1, "year": -6}  # a month of each, to check the net there


def _months_before(month: str, other: str) -> int:
    return (int(month[:4]) - int(other[:4])) * 12 + int(month[5:7]) - int(other[5:7])


def _period_of(month: str, other: str) -> str:
    before = _months_before(month, other)
    return "now" if before <= 0 else "quarter" if before <= 3 else "year"


def _amounts(person: dict[str, Any], key: str) -> dict[str, float]:
    """What the person received per month in each period, from the current amount and the averages."""
    now = float(person.get(key) or 0.0)
    quarter = (person.get("revenus_3_derniers_mois") or {}).get(key)
    year = (person.get("revenus_12_derniers_mois") or {}).get(key)
    quarter = now if quarter is None else float(quarter)
    year = quarter if year is None else max(0.0, (12 * float(year) - 3 * quarter) / 9)
    return {"now": now, "quarter": quarter, "year": year}


def situation(tbs, data: dict[str, Any], gross: dict[tuple[str, str, str], float]) -> dict[str, Any]:
    month = data["mois"]
    months = _months(month)
    past = [m for m in months if m != month]
    people = data["individus"]
    logement = dict(data.get("logement") or {})
    individus: dict[str, Any] = {}
    famille: dict[str, Any] = {"parents": [], "enfants": []}
    menage: dict[str, Any] = {"personne_de_reference": [], "conjoint": [], "enfants": []}
    conjoint_statut = "marie"
    for person in people:
        if person["role"] == "conjoint":
            conjoint_statut = person.get("statut_marital", "marie")
    for person in people:
        pid = person["id"]
        entry: dict[str, Any] = {"date_naissance": {"ETERNITY": _birth(month, person["age"])}}
        for fact in PERSON_FACTS:
            if person.get(fact) is not None:
                entry[fact] = {m: person[fact] for m in months}
        for net, gross_name in GROSS_OF.items():
            if any(_amounts(person, net).values()):
                entry[gross_name] = {m: gross.get((pid, net, _period_of(month, m)), 0.0) for m in months}
        for key in OTHER_RESOURCES:
            amounts = _amounts(person, key)
            if any(amounts.values()):
                entry[key] = {m: amounts[_period_of(month, m)] for m in months}
        for key in DECLARABLE:
            if key in person and tbs.variables[key].entity.key == "individu":
                entry[key] = {m: person[key] for m in past}
            elif key in person:
                famille[key] = {m: person[key] for m in past}
        if person["role"] != "enfant" and any(p["role"] == "conjoint" for p in people):
            entry["statut_marital"] = {m: {"concubin": "celibataire"}.get(conjoint_statut, conjoint_statut)
                                       for m in months}
        for key, value in person.items():
            if key in tbs.variables and key not in entry and key not in ("age",) and key not in GROSS_OF:
                if key in DECLARABLE or key in ("id", "role", "statut_marital"):
                    continue
                entry[key] = {m: value for m in months}
        individus[pid] = entry
        if person["role"] == "enfant":
            famille["enfants"].append(pid)
            menage["enfants"].append(pid)
        else:
            famille["parents"].append(pid)
            menage["personne_de_reference" if person["role"] == "demandeur" else "conjoint"].append(pid)
    for key, value in logement.items():
        if key == "colocation":
            menage["coloc"] = {m: value for m in months}
        elif key in tbs.variables:
            menage[key] = {m: value for m in months}
    if str(logement.get("depcom", "")).startswith("751"):
        menage["zone_logement_social"] = {m: "paris_communes_limitrophes" for m in months}
    adults = [p["id"] for p in people if p["role"] != "enfant"]
    children = [p["id"] for p in people if p["role"] == "enfant"]
    demandeur = next(p["id"] for p in people if p["role"] == "demandeur")
    if len(adults) == 2 and conjoint_statut == "concubin":
        other = next(a for a in adults if a != demandeur)
        foyers = {"ff1": {"declarants": [demandeur], "personnes_a_charge": children},
                  "ff2": {"declarants": [other], "personnes_a_charge": []}}
    else:
        foyers = {"ff1": {"declarants": adults, "personnes_a_charge": children}}
    return {"individus": individus, "familles": {"f": famille}, "foyers_fiscaux": foyers, "menages": {"m": menage}}


def build(tbs, data: dict[str, Any], gross: dict[tuple[str, str, str], float]):
    simulation = SimulationBuilder().build_from_entities(tbs, situation(tbs, data, gross))
    # OpenFisca answers a recursion that loops back on itself (a "spiral") with default values. The
    # tax income of past years is read deep inside such recursions (CSG rates, housing aid); computed
    # first, at the top, it is right (the over-65 allowance, for one, was lost inside a spiral).
    year = int(data["mois"][:4])
    for past_year in (year - 2, year - 1):
        simulation.calculate("rfr", str(past_year))
    return simulation


def find_gross(tbs, data: dict[str, Any]) -> dict[tuple[str, str, str], float]:
    """Gross amounts per period, iterated over the full household simulation until OpenFisca's net equals
    the net the person gave, in a month of each period."""
    month = data["mois"]
    year, mon = int(month[:4]), int(month[5:7])
    declared = {(p["id"], net, period): amount for p in data["individus"] for net in GROSS_OF
                for period, amount in _amounts(p, net).items() if amount}
    gross = {key: value / (0.78 if key[1] == "salaire_net" else 1.0) for key, value in declared.items()}
    for _ in range(12):
        simulation = build(tbs, data, gross)
        ids = list(simulation.populations["individu"].ids)
        worst = 0.0
        for (pid, net, period), wanted in declared.items():
            index = year * 12 + mon - 1 + PERIOD_MONTH_OFFSET[period]
            checked = f"{index // 12:04d}-{index % 12 + 1:02d}"
            actual = float(simulation.calculate(net, checked)[ids.index(pid)])
            worst = max(worst, abs(actual - wanted))
            gross[(pid, net, period)] *= wanted / actual if actual > 0 else 1.0
        if worst < 0.02:
            break
    return gross


def compute(tbs, data: dict[str, Any], variables: dict[str, str],
            gross: dict[tuple[str, str, str], float] | None = None) -> dict[str, float]:
    """`variables` maps each OpenFisca variable to "mois" or "annee"; returns the household's values.

    With `gross` already found (`find_gross`), this is one simulation computing the variables: what the
    benchmark times as the naive path.
    """
    simulation = build(tbs, data, find_gross(tbs, data) if gross is None else gross)
    month = data["mois"]
    out: dict[str, float] = {}
    for name, kind in variables.items():
        values = np.asarray(simulation.calculate(name, month[:4] if kind == "annee" else month))
        entity = tbs.variables[name].entity.key
        out[name] = float(values.sum() if entity == "individu" else values[0])
    return out
