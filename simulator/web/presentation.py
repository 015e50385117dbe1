"""What the results page shows: benefits sorted into what to claim, what is refused and what we
cannot compute, grouped by theme, with amounts written the French way and where to go for help."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from simulator.amounts_text import PERIODES, euros
from simulator.household import Household
from simulator.results import AideResult, SimulationResult
from simulator.territory import PARIS_COMMUNE, is_paris

DATA = Path(__file__).resolve().parent / "data"
THEME_ORDER = ("logement", "famille", "revenus", "sante", "handicap", "energie", "education", "emploi",
               "ville_de_paris")


def montant_text(aide: AideResult) -> str | None:
    """The amount as the page writes it; an amount the household pays says so first."""
    if aide.type == "droit" or aide.montant is None:
        return None
    text = f"{euros(aide.montant)}\u00a0{PERIODES[aide.periodicite]}"
    return f"À payer\u00a0: {text}" if aide.sens == "paye" else text


@dataclass
class Groupe:
    theme: str
    label: str
    aides: list[AideResult] = field(default_factory=list)


def _group(aides: list[AideResult]) -> list[Groupe]:
    groups: dict[str, Groupe] = {}
    for aide in sorted(aides, key=lambda a: (THEME_ORDER.index(a.theme) if a.theme in THEME_ORDER else 99)):
        groups.setdefault(aide.theme, Groupe(aide.theme, aide.theme_label)).aides.append(aide)
    return list(groups.values())


@dataclass
class Resultats:
    eligibles: list[Groupe]
    refusees: list[Groupe]
    incalculables: list[Groupe]
    nombre_eligibles: int
    eps: dict | None


def sort_results(result: SimulationResult, household: Household) -> Resultats:
    eligibles = [a for a in result.aides if a.calculable and a.eligible]
    refusees = [a for a in result.aides if a.calculable and not a.eligible]
    incalculables = [a for a in result.aides if not a.calculable]
    return Resultats(_group(eligibles), _group(refusees), _group(incalculables), len(eligibles),
                     eps_for(household.logement.depcom))


@cache
def _eps_data() -> dict:
    return yaml.safe_load((DATA / "eps_paris.yaml").read_text(encoding="utf-8"))


def eps_for(depcom: str | None) -> dict | None:
    """The Espace parisien des solidarités of the arrondissement (None outside Paris)."""
    if not is_paris(depcom):
        return None
    data = _eps_data()
    entry = data["arrondissements"].get(depcom) if depcom != PARIS_COMMUNE else None
    return {
        "nom": entry["nom"] if entry else "Espace parisien des solidarités (EPS) de votre arrondissement",
        "adresse": entry.get("adresse") if entry else None,
        "lien": data["lien"],
        "telephone": data.get("telephone_ville"),
    }
