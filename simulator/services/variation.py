"""What if one resource changed: every benefit and the disposable income along a range of amounts.

Plain functions, no HTTP: the API's `POST /api/v1/variation` and the caseworker's "what if" chart both
call `vary`. The N households of a variation are computed in one vectorised run (`simulate_many`).

Disposable income (`revenu_disponible`) is defined plainly, per month:
    the household's declared net resources (every `RESSOURCES` field of every person: salaire_net,
    chomage_net, retraite_nette…, with the varied one at its step value)
  + the monthly amount of every benefit the simulator computes (`montant_mensuel`; amounts the household
    pays, such as the CSS participation, are left out: an annual benefit
    counts for a twelfth, a one-off benefit and a yes/no right count for 0, an uncomputable one for 0).
`revenu_net` also subtracts what the household pays (`total_paye`, e.g. the CSS participation): the
disposable income the caseworker's what-if plots (revenus nets + aides − ce qui est payé).
Taxes are not subtracted, and benefits the person said they already receive are not added on top of
the computed ones (they are inputs of the rules, not extra income).

A "cliff" (`falaise`) is a step where the varied resource grows and the disposable income falls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, Field

from simulator.household import RESSOURCES, Household
from simulator.results import SimulationResult

MIN_STEPS = 2
MAX_STEPS = 101
CENT = 0.005


class SimulatesMany(Protocol):
    def simulate_many(self, households: Sequence[Household]) -> list[SimulationResult]: ...


class VariationPoint(BaseModel):
    valeur: float = Field(description="Montant mensuel de la ressource à cette étape (euros)", examples=[1000.0])
    aides: dict[str, float] = Field(
        description="Montant mensuel de chaque aide (id OpenFisca -> euros par mois ; annuelle / 12)",
        examples=[{"rsa": 120.5, "ppa": 210.3}])
    total_aides: float = Field(description="Somme des montants mensuels des aides", examples=[330.8])
    ressources: float = Field(description="Ressources nettes déclarées du foyer à cette étape", examples=[1000.0])
    revenu_disponible: float = Field(description="ressources + total_aides (euros par mois)", examples=[1330.8])
    total_paye: float = Field(default=0.0, description="Montants mensuels payés par le foyer (ex. participation "
                              "CSS ; annuel / 12)", examples=[0.0])
    revenu_net: float | None = Field(default=None, description="Revenu disponible après ce qui est payé : "
                                     "ressources + total_aides − total_paye (euros par mois)", examples=[1330.8])


class Falaise(BaseModel):
    de: float = Field(description="Valeur de la ressource avant le saut", examples=[1500.0])
    a: float = Field(description="Valeur de la ressource après le saut", examples=[1600.0])
    revenu_avant: float
    revenu_apres: float
    perte: float = Field(description="Baisse du revenu disponible (euros par mois, positive)", examples=[42.1])
    aides_en_baisse: list[str] = Field(description="Aides dont le montant baisse sur ce pas", examples=[["ppa"]])


class Variation(BaseModel):
    mois: str
    individu: str
    ressource: str
    points: list[VariationPoint]
    falaises: list[Falaise]


class VariationError(ValueError):
    """The variation asked for does not fit this household (unknown person, resource, or bad range)."""


def steps_between(minimum: float, maximum: float, steps: int) -> list[float]:
    if not MIN_STEPS <= steps <= MAX_STEPS:
        raise VariationError(f"Le nombre d'étapes doit être compris entre {MIN_STEPS} et {MAX_STEPS}.")
    if not 0 <= minimum < maximum:
        raise VariationError("Il faut 0 ≤ min < max.")
    width = (maximum - minimum) / (steps - 1)
    return [round(minimum + i * width, 2) for i in range(steps)]


def household_at(household: Household, individu_id: str, ressource: str, value: float) -> Household:
    """The household with one person's resource set to `value`, as a stable situation.

    A 3- or 12-month average given for that resource is dropped: the variation asks "what if this had
    been the amount all along".
    """
    individus = []
    for individu in household.individus:
        if individu.id == individu_id:
            changes: dict = {ressource: value}
            for field in ("revenus_3_derniers_mois", "revenus_12_derniers_mois"):
                averages = getattr(individu, field)
                if averages and ressource in averages:
                    changes[field] = {k: v for k, v in averages.items() if k != ressource} or None
            individu = individu.model_copy(update=changes)
        individus.append(individu)
    return household.model_copy(update={"individus": individus})


def declared_resources(household: Household) -> float:
    return sum(sum(individu.ressources().values()) for individu in household.individus)


def point(value: float, household: Household, result: SimulationResult) -> VariationPoint:
    aides = {aide.id: round(aide.montant_mensuel, 2) for aide in result.aides
             if aide.type == "montant" and aide.sens == "verse"}
    total = round(sum(aides.values()), 2)
    paid = round(sum(a.montant if a.periodicite == "mensuelle" else a.montant / 12 for a in result.aides
                     if a.type == "montant" and a.sens == "paye" and a.montant
                     and a.periodicite in ("mensuelle", "annuelle")), 2)
    resources = round(declared_resources(household), 2)
    return VariationPoint(valeur=value, aides=aides, total_aides=total, ressources=resources,
                          revenu_disponible=round(resources + total, 2), total_paye=paid,
                          revenu_net=round(resources + total - paid, 2))


def cliffs(points: Sequence[VariationPoint]) -> list[Falaise]:
    """Steps where earning more leaves the household with less."""
    found = []
    for before, after in zip(points, points[1:], strict=False):
        if after.valeur > before.valeur and after.revenu_disponible < before.revenu_disponible - CENT:
            falling = [k for k, v in after.aides.items() if v < before.aides.get(k, 0.0) - CENT]
            found.append(Falaise(
                de=before.valeur, a=after.valeur, revenu_avant=before.revenu_disponible,
                revenu_apres=after.revenu_disponible,
                perte=round(before.revenu_disponible - after.revenu_disponible, 2), aides_en_baisse=falling))
    return found


def vary(engine: SimulatesMany, household: Household, individu_id: str, ressource: str,
         minimum: float, maximum: float, steps: int) -> Variation:
    if ressource not in RESSOURCES:
        raise VariationError(f"Ressource inconnue : {ressource}. Possibles : {', '.join(RESSOURCES)}.")
    if individu_id not in {individu.id for individu in household.individus}:
        raise VariationError(f"Personne inconnue dans le foyer : {individu_id}.")
    values = steps_between(minimum, maximum, steps)
    households = [household_at(household, individu_id, ressource, v) for v in values]
    results = engine.simulate_many(households)
    points = [point(v, h, r) for v, h, r in zip(values, households, results, strict=True)]
    return Variation(mois=household.mois, individu=individu_id, ressource=ressource, points=points,
                     falaises=cliffs(points))
