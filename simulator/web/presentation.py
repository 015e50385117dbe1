"""What the results page shows: benefits sorted into what to claim, what is refused and what we
cannot compute, grouped by theme, with amounts written the French way and where to go for help."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.amounts_text import PERIODES, euros
from simulator.catalog import Benefit, load_catalog
from simulator.household import Household
from simulator.results import AideResult, SimulationResult
from simulator.territories import territories, territories_of
from simulator.territory import applies_to

# National themes first, then the territories' themes in the extensions' order.
NATIONAL_THEME_ORDER = ("logement", "famille", "revenus", "sante", "handicap", "energie", "education", "emploi")


def theme_order() -> tuple[str, ...]:
    return (*NATIONAL_THEME_ORDER, *(t.theme.id for t in territories()))


def montant_text(aide: AideResult) -> str | None:
    """The amount as the page writes it; an amount the household pays says so first."""
    if aide.type == "droit" or aide.montant is None:
        return None
    text = f"{euros(aide.montant)}\u00a0{PERIODES[aide.periodicite]}"
    benefit = _benefit(aide.id)
    if benefit is not None and benefit.versement:
        text = f"{text}, {benefit.versement}"
    return f"À payer\u00a0: {text}" if aide.sens == "paye" else text


@dataclass
class Groupe:
    theme: str
    label: str
    aides: list[AideResult] = field(default_factory=list)


def _group(aides: list[AideResult]) -> list[Groupe]:
    groups: dict[str, Groupe] = {}
    order = theme_order()
    for aide in sorted(aides, key=lambda a: (order.index(a.theme) if a.theme in order else 99)):
        groups.setdefault(aide.theme, Groupe(aide.theme, aide.theme_label)).aides.append(aide)
    return list(groups.values())


@dataclass
class Resultats:
    eligibles: list[Groupe]
    refusees: list[Groupe]
    incalculables: list[Groupe]
    nombre_eligibles: int
    # Where to get help in person: the office of the first territory covering the commune that has one.
    accompagnement: dict | None
    # Refusals of aids that cannot concern this household (age, composition, territory): folded away.
    hors_situation: list[Groupe] = field(default_factory=list)

    @property
    def nombre_hors_situation(self) -> int:
        return sum(len(g.aides) for g in self.hors_situation)


def _benefit(aide_id: str) -> Benefit | None:
    return next((b for b in load_catalog() if b.id == aide_id), None)


def could_concern(aide: AideResult, household: Household) -> bool:
    """Whether a refused aid could concern this household at all, from its catalog entry's `concerne`
    (children, ages) and `territoires`: data, so that a new entry says it itself."""
    benefit = _benefit(aide.id)
    if benefit is None:
        return True
    depcom = household.logement.depcom
    if benefit.territoires and depcom is not None and not applies_to(benefit.territoires, depcom):
        return False
    if benefit.concerne is None:
        return True
    return benefit.concerne.admet([household.age_of(i) for i in household.adultes],
                                  [household.age_of(i) for i in household.enfants])


def sort_results(result: SimulationResult, household: Household) -> Resultats:
    eligibles = [a for a in result.aides if a.calculable and a.eligible]
    refusees = [a for a in result.aides if a.calculable and not a.eligible]
    incalculables = [a for a in result.aides if not a.calculable]
    concernees = [a for a in refusees if could_concern(a, household)]
    hors = [a for a in refusees if not could_concern(a, household)]
    return Resultats(_group(eligibles), _group(concernees), _group(incalculables), len(eligibles),
                     office_for(household.logement.depcom), _group(hors))


def office_for(depcom: str | None) -> dict | None:
    """The help office of the commune, as its territory's `territory.yaml` lists it (None outside any)."""
    return next((o for t in territories_of(depcom) if (o := t.office(depcom)) is not None), None)
