"""The catalog: one YAML entry per benefit (national ones here, local ones in their extension).

Data, not code: what a benefit is called, who pays it, how to apply, which facts it needs, and which
OpenFisca condition variables explain a refusal. See README.md in this folder for the format.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from simulator.paths import NATIONAL_CATALOG, extensions_dirs
from simulator.territories import territories, territories_in

# The national themes; a territory adds its own (its `territory.yaml`'s `theme`).
NATIONAL_THEME_LABELS: dict[str, str] = {
    "revenus": "Revenus",
    "logement": "Logement",
    "famille": "Famille",
    "sante": "Santé",
    "handicap": "Handicap",
    "energie": "Énergie",
    "education": "Études et scolarité",
    "emploi": "Emploi",
}


def theme_labels() -> dict[str, str]:
    """Every theme an entry may have: the national ones, then the loaded territories' ones."""
    return {**NATIONAL_THEME_LABELS, **{t.theme.id: t.theme.libelle for t in territories()}}


def theme_label(theme: str) -> str:
    return theme_labels()[theme]


class Ecart(BaseModel):
    """A figure compared with a ceiling: when it misses it by a small margin, `message` says by how much."""

    model_config = ConfigDict(extra="forbid")

    valeur: str  # OpenFisca variable: the figure (resources, tax...)
    plafond: str  # OpenFisca variable: the ceiling (or the minimum) it is compared with
    message: str  # used instead of the raison's message when the gap is small; may cite {ecart}


class Raison(BaseModel):
    model_config = ConfigDict(extra="forbid")

    si_faux: str
    message: str
    valeurs: list[str] = Field(default_factory=list)
    # Read only when this bool variable is true (several messages for one condition, by situation).
    seulement_si: str | None = None
    ecart: Ecart | None = None

    @property
    def noms(self) -> list[str]:
        """The variables whose values the messages may cite."""
        cited = [*self.valeurs, *((self.ecart.valeur, self.ecart.plafond) if self.ecart else ())]
        return list(dict.fromkeys(cited))


class Avertissement(BaseModel):
    """A notice shown with the result (granted or not) when a bool variable is true."""

    model_config = ConfigDict(extra="forbid")

    si_vrai: str
    message: str
    valeurs: list[str] = Field(default_factory=list)


class Demarches(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str | None = None
    ou: str | None = None
    lien: str | None = None
    pieces: list[str] = Field(default_factory=list)


class Concerne(BaseModel):
    """Which households an entry can concern at all, by composition and age. The results show the refusal
    of an entry only to a household it could concern; the others are folded away under one line (a single
    34-year-old is not told why she gets no PAJE). Absent: the entry can concern every household."""

    model_config = ConfigDict(extra="forbid")

    enfants_min: int = Field(default=0, ge=0)  # at least this many children in the household
    enfant_age_max: int | None = Field(default=None, ge=0)  # one child of at most this age
    age_min: int | None = Field(default=None, ge=0)  # one adult (demandeur or conjoint) of at least this age
    age_max: int | None = Field(default=None, ge=0)  # one adult of at most this age

    def admet(self, ages_adultes: list[int], ages_enfants: list[int]) -> bool:
        if len(ages_enfants) < self.enfants_min:
            return False
        if self.enfant_age_max is not None and not any(a <= self.enfant_age_max for a in ages_enfants):
            return False
        return any((self.age_min is None or a >= self.age_min) and (self.age_max is None or a <= self.age_max)
                   for a in ages_adultes)


class Benefit(BaseModel):
    """A catalog entry."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    description: str | None = None
    institution: str
    theme: str  # a national theme (NATIONAL_THEME_LABELS) or the theme of a loaded territory
    periode_calcul: Literal["mois", "annee"] = "mois"
    periodicite: Literal["mensuelle", "annuelle", "ponctuelle"] = "mensuelle"
    type: Literal["montant", "droit"] = "montant"
    # verse: paid to the household; paye: what the household pays (a participation), never income
    sens: Literal["verse", "paye"] = "verse"
    territoires: list[str] | None = None
    arrondi: Literal["euro", "centime"] = "centime"
    lien: str | None = None
    demarches: Demarches = Field(default_factory=Demarches)
    conditions_non_verifiees: list[str] = Field(default_factory=list)
    requiert: list[str] = Field(default_factory=list)
    # A fact required only in some households: fact -> name of a predicate of simulator.facts.CONDITIONS.
    requiert_si: dict[str, str] = Field(default_factory=dict)
    raisons: list[Raison] = Field(default_factory=list)
    raison_par_defaut: str | None = None
    avertissements: list[Avertissement] = Field(default_factory=list)
    reference: str | None = None
    concerne: Concerne | None = None
    # When an amount paid once is paid, after "… € en une fois": "versée fin août, pour la rentrée".
    versement: str | None = None


def load_entries(directory: Path) -> list[Benefit]:
    entries = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            entries.append(Benefit(**data))
        except Exception as error:  # a broken entry must stop start-up with its file named
            raise ValueError(f"Entrée de catalogue invalide : {path}: {error}") from error
    return entries


def load_catalog(extensions: tuple[Path, ...] | None = None) -> tuple[Benefit, ...]:
    """National entries, then each extension's `benefits/` folder, in a stable order."""
    return _load_catalog(tuple(extensions_dirs()) if extensions is None else extensions)


@cache
def _load_catalog(extensions: tuple[Path, ...]) -> tuple[Benefit, ...]:
    entries = load_entries(NATIONAL_CATALOG)
    local = {t.theme.id: t.theme.libelle for t in territories_in(extensions)}
    if clash := sorted(set(local) & set(NATIONAL_THEME_LABELS)):
        raise ValueError(f"Thème de territoire déjà national : {clash} ; choisissez un autre identifiant "
                         "dans territory.yaml (par exemple ville_de_lyon).")
    themes = {**NATIONAL_THEME_LABELS, **local}
    for directory in extensions:
        entries.extend(load_entries(directory / "benefits"))
    unknown = sorted({f"{e.id} ({e.theme})" for e in entries if e.theme not in themes})
    if unknown:
        raise ValueError(f"Thème inconnu dans le catalogue : {unknown}. Thèmes possibles : {sorted(themes)} "
                         "(un territoire déclare le sien dans son territory.yaml).")
    ids = [entry.id for entry in entries]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise ValueError(f"Identifiants en double dans le catalogue : {sorted(duplicated)}")
    return tuple(entries)

