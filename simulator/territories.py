"""The territories: what each extension's `territory.yaml` says about the place its local aids serve.

Its name, its theme (the heading its aids are grouped under), the communes and départements it covers,
the heading of its questions in the forms, the home page's line, the help offices, and the OpenFisca
inputs its communes set. Core code reads these; adding a city touches only `extensions/<ville>/`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from simulator.paths import extensions_dirs

FILE_NAME = "territory.yaml"
_COMMUNE = re.compile(r"(?:[0-9]{5}|2[AB][0-9]{3})")
_DEPARTEMENT = re.compile(r"(?:[0-9]{2}|2[AB]|97[0-9])")
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Theme(_Strict):
    id: str  # the `theme` of the territory's catalog entries
    libelle: str  # "Ville de Paris": the heading its aids are grouped under

    @field_validator("id")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not _IDENTIFIER.fullmatch(value):
            raise ValueError("identifiant de thème en minuscules sans accent et tirets bas (ville_de_lyon)")
        return value


class Couverture(_Strict):
    """Where the territory's aids apply: INSEE commune codes and whole départements."""

    communes: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()

    @field_validator("communes")
    @classmethod
    def _communes(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        wrong = [v for v in values if not _COMMUNE.fullmatch(v)]
        if wrong:
            raise ValueError(f"codes commune INSEE invalides (5 caractères, par exemple 69387) : {wrong}")
        return values

    @field_validator("departements")
    @classmethod
    def _departements(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        wrong = [v for v in values if not _DEPARTEMENT.fullmatch(v)]
        if wrong:
            raise ValueError(f"numéros de département invalides (par exemple 69, 2A ou 974) : {wrong}")
        return values

    def covers(self, depcom: str | None) -> bool:
        if depcom is None:
            return False
        return depcom in self.communes or any(depcom.startswith(d) for d in self.departements)


class Formulaires(_Strict):
    titre: str  # the section heading over the territory's questions ("Questions des aides de …")
    note: str | None = None  # under it: for whom ("Seulement pour un logement à …")


class Lieu(_Strict):
    nom: str
    adresse: str | None = None


class Accompagnement(_Strict):
    """Where to get help in person: one office per commune code, a default one otherwise."""

    titre: str  # the results page's box heading ("Être aidé près de chez vous, à …")
    lieu: str  # "à {lieu}" in the caseworker page and its PDF
    article: str = ""  # written before the office's name in a sentence ("L'")
    nom_par_defaut: str  # for a covered commune without its own office
    source: str  # where the data comes from
    lien: str
    site: str  # the link's text ("paris.fr")
    recherche: str | None = None  # what to search for on the site
    telephone: str | None = None
    telephone_texte: str | None = None  # what the number is ("numéro d'information de la Ville de …")
    lieux: dict[str, Lieu] = Field(default_factory=dict)


class Territory(_Strict):
    id: str  # the extension folder's name
    nom: str  # "Ville de Paris": the institution, as the pages name it
    theme: Theme
    couverture: Couverture
    formulaires: Formulaires
    accueil: str  # the home page's line ("Les aides de la Ville de …, si vous habitez à …")
    # OpenFisca inputs of the ménage set in every covered commune (variable -> value).
    entrees_openfisca: dict[str, str | bool | int | float] = Field(default_factory=dict)
    accompagnement: Accompagnement | None = None

    def covers(self, depcom: str | None) -> bool:
        return self.couverture.covers(depcom)

    def office(self, depcom: str | None) -> dict[str, str | None] | None:
        """The help office of this commune as the pages show it (None outside the territory)."""
        help_ = self.accompagnement
        if help_ is None or not self.covers(depcom):
            return None
        entry = help_.lieux.get(depcom or "")
        return {
            "nom": entry.nom if entry else help_.nom_par_defaut,
            "adresse": entry.adresse if entry else None,
            "lien": help_.lien,
            "telephone": help_.telephone,
            "theme": self.theme.id,
            "titre": help_.titre,
            "lieu": help_.lieu,
            "article": help_.article,
            "site": help_.site,
            "recherche": help_.recherche,
            "telephone_texte": help_.telephone_texte,
        }


def load_territory(directory: Path) -> Territory | None:
    """The extension's territory.yaml (None when it has none), validated; errors name the file, in French."""
    path = directory / FILE_NAME
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        territory = Territory(**data)
    except (ValidationError, TypeError) as error:
        raise ValueError(f"Fichier de territoire invalide : {path}: {error}") from error
    if territory.id != directory.name:
        raise ValueError(f"Fichier de territoire invalide : {path}: l'identifiant « {territory.id} » doit être "
                         f"le nom du dossier de l'extension (« {directory.name} »).")
    return territory


@cache
def territories() -> tuple[Territory, ...]:
    """The territories of the loaded extensions (`simulator.paths.extensions_dirs`), in their order."""
    return territories_in(tuple(extensions_dirs()))


def territories_in(extensions: tuple[Path, ...]) -> tuple[Territory, ...]:
    """The territories of these extension folders; two territories may not declare one theme."""
    loaded = tuple(t for t in (load_territory(d) for d in extensions) if t is not None)
    seen: dict[str, str] = {}
    for territory in loaded:
        if territory.theme.id in seen:
            raise ValueError(f"Thème « {territory.theme.id} » déclaré par deux territoires : "
                             f"{seen[territory.theme.id]} et {territory.id}")
        seen[territory.theme.id] = territory.id
    return loaded


def territory(territory_id: str) -> Territory | None:
    return next((t for t in territories() if t.id == territory_id), None)


def territories_of(depcom: str | None) -> list[Territory]:
    """The territories covering this commune (Paris and a region, say), the most local first: one that
    names the commune before one that covers its whole département; [] outside any."""
    covering = [t for t in territories() if t.covers(depcom)]
    return sorted(covering, key=lambda t: depcom not in t.couverture.communes)


def theme_labels() -> dict[str, str]:
    """The loaded territories' themes and their labels."""
    return {t.theme.id: t.theme.libelle for t in territories()}
