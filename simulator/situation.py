"""Household -> OpenFisca situation for one month, with the past months and years the rules read.

The person answers for today; the rules read the past (RSA and prime d'activité the last 3 months,
housing aid the last 12 months and year N-2, several rules N-1). Every fact is therefore repeated over
the months from January of N-2 to December of N (stable situation), with the 3- and 12-month
averages the person gave when their income changed.

Declared *net* resources are turned into the gross amounts OpenFisca derives everything else from
(`salaire_de_base`, `chomage_brut`, `retraite_brute`), so that taxable income — which housing aid and
AAH read — is consistent with the net amount (see `simulator.engine.net_to_gross`).

Benefits the person says they receive are set for every month but M (0 when "not received"); the
engine lays the fixed point of the stable situation under them for the other benefits (see engine.run).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from simulator.dates import Month
from simulator.household import (
    RESSOURCES,
    Household,
    Individu,
    Role,
    StatutMarital,
)
from simulator.registry import all_facts
from simulator.territories import territories_of

# Net resources, the gross OpenFisca input they are derived from, and the taxable amount the rules read.
NET_TO_GROSS = {
    "salaire_net": "salaire_de_base",
    "chomage_net": "chomage_brut",
    "retraite_nette": "retraite_brute",
}
TAXABLE = {
    "salaire_net": "salaire_imposable",
    "chomage_net": "chomage_imposable",
    "retraite_nette": "retraite_imposable",
}


def fact_inputs(entite: str) -> dict[str, str]:
    """Registry fact -> the OpenFisca input it feeds, repeated over every month (stable situation)."""
    return {f.id: f.variable for f in all_facts().values() if f.entite == entite and f.variable}


# (person id, net variable) -> OpenFisca variable -> month -> amount
Derived = dict[tuple[str, str], dict[str, dict[Month, float]]]


@lru_cache(maxsize=256)
def history_months(month: Month) -> tuple[Month, ...]:
    """From January of year N-2 to December of year N, oldest first.

    The months after the simulated one matter to yearly benefits (rentrée scolaire, chèque énergie,
    prime de Noël), computed over the calendar year: the stable situation holds for them too.
    """
    start = Month(month.year - 2, 1)
    return tuple(start.shift(i) for i in range(36))


def resource_history(
    individu: Individu, key: str, months: tuple[Month, ...], simulated: Month
) -> dict[Month, float]:
    """Current amount for M (`simulated`) and after; 3-month average over M-3..M-1; 12-month over M-12..M-1.

    The months M-12..M-4 take what makes the 12-month average right; the years before repeat it.
    """
    current = getattr(individu, key) or 0.0
    avg3 = (individu.revenus_3_derniers_mois or {}).get(key)
    avg12 = (individu.revenus_12_derniers_mois or {}).get(key)
    if not (current or avg3 or avg12):
        return {}
    recent = current if avg3 is None else avg3
    if avg12 is None:
        older = recent if avg3 is not None else current
    else:
        older = max(0.0, (12 * avg12 - 3 * recent) / 9)
    amounts: dict[Month, float] = {}
    for month in months:
        age = (simulated.year - month.year) * 12 + simulated.month - month.month
        amounts[month] = current if age <= 0 else recent if age <= 3 else older
    return amounts


def birth_date(household: Household, individu: Individu) -> date:
    if individu.date_naissance is not None:
        return individu.date_naissance
    month = Month.parse(household.mois)
    assert individu.age is not None
    # Mid-year of age, so that age in months is not at a boundary; a baby is 2 months old.
    born = month.shift(-(individu.age * 12) - (6 if individu.age > 0 else 2))
    return born.first_day


def build_situation(
    household: Household,
    derived: Derived | None = None,
    benefit_entities: dict[str, str] | None = None,
) -> dict[str, Any]:
    """OpenFisca situation JSON for `household.mois` and its history.

    `derived[(person id, net variable)]` gives, month by month, the gross input derived from a net
    amount, and for past months the net and taxable amounts themselves (so that OpenFisca does not
    re-derive them month after month); without it, the net amount is sent as is (only for tests of the
    trap it causes). `benefit_entities` maps each declarable benefit to its OpenFisca entity key.
    """
    month = Month.parse(household.mois)
    months = history_months(month)
    past = [m for m in months if m != month]  # every month but the simulated one
    benefit_entities = benefit_entities or {}
    person_facts, housing_facts = fact_inputs("individu"), fact_inputs("logement")

    individus: dict[str, dict[str, Any]] = {}
    famille_benefits: dict[str, float] = {}
    for individu in household.individus:
        person: dict[str, Any] = {"date_naissance": {"ETERNITY": birth_date(household, individu).isoformat()}}
        answers = {**dict(individu), **(individu.model_extra or {})}
        for fact, variable in person_facts.items():
            value = answers.get(fact)
            if value is not None:
                value = value.value if hasattr(value, "value") else value
                person[variable] = {str(m): value for m in months}
        if individu.role == Role.conjoint or (
            individu.role == Role.demandeur and household.conjoint is not None
        ):
            person["statut_marital"] = {str(m): _statut_marital(household) for m in months}
        for key in RESSOURCES:
            if derived is not None and key in NET_TO_GROSS:
                series = derived.get((individu.id, key))
                if series is None:  # none of it: zero, without OpenFisca deriving zeros month by month
                    series = {key: dict.fromkeys(past, 0.0), TAXABLE[key]: dict.fromkeys(past, 0.0)}
                for variable, values in series.items():
                    person[variable] = {str(m): round(v, 2) for m, v in values.items()}
                continue
            amounts = resource_history(individu, key, months, month)
            if any(amounts.values()):
                person[key] = {str(m): v for m, v in amounts.items()}
        for key, amount in individu.prestations_declarees().items():
            if benefit_entities.get(key, "individu") == "individu":
                person[key] = {str(m): amount for m in past}
            else:
                famille_benefits[key] = famille_benefits.get(key, 0.0) + amount
        individus[individu.id] = person

    parents = [i.id for i in household.adultes]
    enfants = [i.id for i in household.enfants]
    famille: dict[str, Any] = {"parents": parents, "enfants": enfants}
    menage: dict[str, Any] = {"personne_de_reference": [household.demandeur.id], "enfants": enfants}
    if household.conjoint is not None:
        menage["conjoint"] = [household.conjoint.id]
    for key, amount in famille_benefits.items():
        target = famille if benefit_entities.get(key) == "famille" else menage
        target[key] = {str(m): amount for m in past}

    logement = household.logement
    answers = {**dict(logement), **(logement.model_extra or {})}
    for fact, variable in housing_facts.items():
        value = answers.get(fact)
        if value is None:
            continue
        value = value.value if hasattr(value, "value") else value
        menage[variable] = {str(m): value for m in months}
    for territory in territories_of(logement.depcom):
        # Inputs a territory sets in its communes (its territory.yaml's `entrees_openfisca`).
        for variable, value in territory.entrees_openfisca.items():
            menage[variable] = {str(m): value for m in months}

    return {
        "individus": individus,
        "familles": {"famille": famille},
        "foyers_fiscaux": _foyers_fiscaux(household),
        "menages": {"menage": menage},
    }


def _statut_marital(household: Household) -> str:
    conjoint = household.conjoint
    statut = conjoint.statut_marital if conjoint else None
    if statut is None or statut == StatutMarital.marie:
        return "marie"
    return "pacse" if statut == StatutMarital.pacse else "celibataire"


def _foyers_fiscaux(household: Household) -> dict[str, Any]:
    """Married or PACS partners file one tax return; partners in union libre file one each."""
    enfants = [i.id for i in household.enfants]
    conjoint = household.conjoint
    demandeur = household.demandeur.id
    if conjoint is None:
        return {"foyer_fiscal": {"declarants": [demandeur], "personnes_a_charge": enfants}}
    if conjoint.statut_marital == StatutMarital.concubin:
        return {
            "foyer_fiscal": {"declarants": [demandeur], "personnes_a_charge": enfants},
            "foyer_fiscal_conjoint": {"declarants": [conjoint.id], "personnes_a_charge": []},
        }
    return {"foyer_fiscal": {"declarants": [demandeur, conjoint.id], "personnes_a_charge": enfants}}
