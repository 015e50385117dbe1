"""The household: what a person answers, validated once, with messages in French.

Every entry point (API JSON, web form, scenario YAML, exported file) builds a `Household`; nothing
downstream validates again. Field names reuse OpenFisca-France's input variables where one exists.
Amounts are euros per month for the simulated month; unless the person says otherwise they are taken
to have been the same over the previous months and years (stable situation).
"""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from simulator.consistency import AGE_MIN_ADULTE, check, name_the_person_too_young
from simulator.dates import Month, age_on, current_month, first_day
from simulator.registry import core_facts, core_registry, extension_facts
from simulator.territory import (
    communes_du_code_postal,
    depcom_from_code_postal,
    is_known_depcom,
    is_valid_code_postal,
    is_valid_depcom,
    normalize_code,
)

# People per household: room for the largest families and multi-generation homes, while bounding a
# request's cost (each person is a row in every one of the 36 history months simulated, times the
# households before births, the variation steps and the batch size: see simulator.api.cost).
MAX_INDIVIDUS = 20
MAX_MONTANT = 1_000_000.0
FIRST_MONTH = "2021-01"
MONTHS_AHEAD = 12


def last_covered_month() -> str:
    """The last month we accept: legislation known up to today, carried forward a year at most."""
    return str(Month.parse(current_month()).shift(MONTHS_AHEAD))


def _check_montant(value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not math.isfinite(value):
        raise PydanticCustomError("montant", "Le montant doit être un nombre.")
    if value < 0:
        raise PydanticCustomError("montant", "Le montant ne peut pas être négatif.")
    if value >= MAX_MONTANT:
        raise PydanticCustomError("montant", "Le montant doit être inférieur à 1 000 000 €.")
    return float(value)


# Strict: a JSON `true` or `"1250"` is refused, not read as 1.0 or 1250 (integers are amounts too).
Montant = Annotated[float | None, Field(default=None, strict=True, description="Euros par mois")]


class Role(StrEnum):
    demandeur = "demandeur"
    conjoint = "conjoint"
    enfant = "enfant"


def _enum(fact_id: str, name: str) -> type[StrEnum]:
    """The allowed values of a `choix` fact of the registry, as an enumeration (one source of truth)."""
    return StrEnum(name, [(v.valeur, v.valeur) for v in core_facts()[fact_id].valeurs])  # type: ignore[return-value]


Activite = _enum("activite", "Activite")
Scolarite = _enum("scolarite", "Scolarite")
StatutMarital = _enum("statut_marital", "StatutMarital")
StatutOccupationLogement = _enum("statut_occupation_logement", "StatutOccupationLogement")
ENUMS: dict[str, type[StrEnum]] = {
    "activite": Activite, "scolarite": Scolarite, "statut_marital": StatutMarital,
    "statut_occupation_logement": StatutOccupationLogement,
}
# The other choices of the registry (the GIR...), which no code names.
ENUMS.update({f.id: _enum(f.id, f.id.title().replace("_", "")) for f in core_facts().values()
              if f.type == "choix" and f.id not in ENUMS})

LOCATAIRES = {StatutOccupationLogement(value) for value in core_facts()["loyer"].si["statut_occupation_logement"]}

# Monthly resources a person may declare (net amounts), and benefits already received (0 = not received
# yet): keys are OpenFisca variables, labels in the registry (simulator/facts.yaml).
RESSOURCES: dict[str, str] = core_registry().ressources
PRESTATIONS_DECLARABLES: dict[str, str] = {key: p.libelle for key, p in core_registry().prestations.items()}


def _fact_fields(entite: str) -> dict[str, Any]:
    """The household model's fields for the registry's facts of this entity (all optional)."""
    fields: dict[str, Any] = {}
    for fact in core_facts().values():
        if fact.entite != entite or fact.type == "commune":
            continue
        description = fact.question_for()
        if fact.type == "choix":
            enum = ENUMS.get(fact.id) or _enum(fact.id, fact.id.title().replace("_", ""))
            annotation: Any = enum | None
            field = Field(default=None, description=description)
        elif fact.type == "montant":
            annotation, field = Montant, Field(default=None, strict=True, description=f"{description} (€ par mois)")
        elif fact.type == "taux":
            annotation, field = float | None, Field(default=None, strict=True, description=f"{description} (de 0 à 1)")
        elif fact.type == "entier":
            annotation, field = int | None, Field(default=None, strict=True, description=description)
        else:
            annotation, field = bool | None, Field(default=None, strict=True, description=description)
        fields[fact.id] = (annotation, field)
    return fields


def _amount_fields(labels: dict[str, str], suffix: str = "") -> dict[str, Any]:
    return {key: (Montant, Field(default=None, strict=True, description=f"{label}{suffix} (€ par mois)"))
            for key, label in labels.items()}


class _Personne(BaseModel):
    """One person of the household. Extension facts (e.g. Paris ones) arrive as extra keys."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$",
                    description="Identifiant unique dans le foyer", examples=["demandeur"])
    role: Role
    age: int | None = Field(default=None, strict=True, description="Âge en années (0 à 120)")
    date_naissance: date | None = None
    # Strict amounts like every other one (no `true`, no "1250"), one per known resource at most.
    revenus_3_derniers_mois: dict[str, Annotated[float, Field(strict=True)]] | None = Field(
        default=None, max_length=len(RESSOURCES),
        description="Moyenne mensuelle de chaque ressource sur les 3 derniers mois, si elle différait",
    )
    revenus_12_derniers_mois: dict[str, Annotated[float, Field(strict=True)]] | None = Field(
        default=None, max_length=len(RESSOURCES),
        description="Moyenne mensuelle de chaque ressource sur les 12 derniers mois, si elle différait",
    )

    @field_validator("age")
    @classmethod
    def _age(cls, value: int | None) -> int | None:
        if value is not None and not 0 <= value <= 120:
            raise PydanticCustomError("age", "L'âge doit être compris entre 0 et 120 ans.")
        return value

    @field_validator("date_naissance")
    @classmethod
    def _date_naissance(cls, value: date | None) -> date | None:
        if value is not None and not (date(1900, 1, 1) <= value <= date.today()):
            raise PydanticCustomError(
                "date_naissance", "La date de naissance doit être passée et postérieure à 1900.")
        return value

    @field_validator("taux_incapacite", check_fields=False)
    @classmethod
    def _taux(cls, value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and 0 <= value <= 1):
            raise PydanticCustomError(
                "taux", "Le taux d'incapacité doit être compris entre 0 et 1 (par exemple 0,8 pour 80 %).")
        return value

    @field_validator(*RESSOURCES, *PRESTATIONS_DECLARABLES, check_fields=False)
    @classmethod
    def _montant(cls, value: float | None) -> float | None:
        return _check_montant(value)

    @field_validator("revenus_3_derniers_mois", "revenus_12_derniers_mois")
    @classmethod
    def _historique(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return None
        for key, amount in value.items():
            if key not in RESSOURCES:
                raise PydanticCustomError(
                    "ressource_inconnue", "Ressource inconnue : {key}.", {"key": key})
            _check_montant(amount)
        return value

    @model_validator(mode="after")
    def _coherence(self) -> _Personne:
        if self.age is None and self.date_naissance is None:
            raise PydanticCustomError("age_manquant", "Indiquez l'âge (ou la date de naissance).")
        if self.role != Role.enfant:
            age = self.age if self.age is not None else age_on(self.date_naissance, date.today())  # type: ignore[arg-type]
            if age < AGE_MIN_ADULTE:
                raise PydanticCustomError(
                    "age_adulte", "La personne qui demande (et son conjoint) doit avoir au moins {age} ans.",
                    {"age": AGE_MIN_ADULTE})
        _check_extra_answers(self.model_extra or {}, "individu")
        return self

    def ressources(self) -> dict[str, float]:
        return {key: getattr(self, key) for key in RESSOURCES if getattr(self, key) is not None}

    def prestations_declarees(self) -> dict[str, float]:
        return {key: getattr(self, key) for key in PRESTATIONS_DECLARABLES if getattr(self, key) is not None}


Individu = create_model(
    "Individu", __base__=_Personne, __doc__=_Personne.__doc__,
    **_fact_fields("individu"), **_amount_fields(RESSOURCES, " nette"),
    **_amount_fields(PRESTATIONS_DECLARABLES, " déjà reçue : 0 si pas encore reçue"),
)


class _LogementBase(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    depcom: str | None = Field(default=None, description="Code INSEE de la commune (Paris : 75101 à 75120)",
                               examples=["75119"])
    code_postal: str | None = Field(default=None, description="Code postal (converti en code commune ; s'il est "
                                    "celui de plusieurs communes, donner aussi depcom)",
                                    examples=["75019"])


class Logement(create_model("_LogementFaits", __base__=_LogementBase, **_fact_fields("logement"))):  # type: ignore[misc]

    @field_validator("loyer", "charges_locatives", check_fields=False)
    @classmethod
    def _montant(cls, value: float | None) -> float | None:
        return _check_montant(value)

    @field_validator("depcom")
    @classmethod
    def _depcom(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = normalize_code(value)
        if not is_valid_depcom(value):
            raise PydanticCustomError(
                "depcom", "Le code commune doit avoir 5 caractères (par exemple 75119 pour Paris 19e).")
        if not is_known_depcom(value):
            raise PydanticCustomError(
                "depcom_inconnu",
                "Ce code commune n'existe pas : vérifiez-le (code Insee de 5 caractères, par exemple 75119 "
                "pour Paris 19e ; il diffère souvent du code postal).")
        return value

    @field_validator("code_postal")
    @classmethod
    def _code_postal(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Checked here, not in _commune, so that the error points at logement.code_postal.
        if value is None:
            return None
        value = normalize_code(value)
        if not is_valid_code_postal(value):
            raise PydanticCustomError(
                "code_postal", "Le code postal doit avoir 5 chiffres (par exemple 75019 pour Paris 19e).")
        communes = communes_du_code_postal(value)
        if not communes:
            raise PydanticCustomError(
                "code_postal_inconnu",
                "Ce code postal n'existe pas : vérifiez-le (5 chiffres, par exemple 75019 pour Paris 19e).")
        if "depcom" not in info.data:
            return value  # the commune code itself is wrong: its own error says so
        depcom = info.data["depcom"]
        liste = ", ".join(f"{c.nom} ({c.depcom})" for c in communes)
        if depcom is None and len(communes) > 1:
            raise PydanticCustomError(
                "code_postal_partage",
                "Le code postal {code_postal} correspond à plusieurs communes : {communes}. "
                "Indiquez la commune (champ depcom : son code Insee, entre parenthèses).",
                {"code_postal": value, "communes": liste})
        if depcom is not None and depcom not in {c.depcom for c in communes}:
            raise PydanticCustomError(
                "commune_incoherente",
                "Le code postal {code_postal} et le code commune {depcom} ne correspondent pas : "
                "ce code postal correspond à : {communes}.",
                {"code_postal": value, "depcom": depcom, "communes": liste})
        return value

    @model_validator(mode="after")
    def _commune(self) -> Logement:
        if self.code_postal is not None and self.depcom is None:
            self.depcom = depcom_from_code_postal(self.code_postal)  # one commune: checked by _code_postal
        _check_extra_answers(self.model_extra or {}, "logement")
        return self

    @property
    def locataire(self) -> bool:
        return self.statut_occupation_logement in LOCATAIRES


class Household(BaseModel):
    """A household for one month: the body of `POST /api/v1/simulate`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "mois": "2026-11",
                    "individus": [
                        {"id": "demandeur", "role": "demandeur", "age": 34, "activite": "actif",
                         "salaire_net": 1250.0},
                        {"id": "enfant_1", "role": "enfant", "age": 7},
                    ],
                    "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 820.0,
                                 "charges_locatives": 60.0, "depcom": "75119", "parisien": True},
                }
            ]
        },
    )

    # [0-9], not \d: \d takes any Unicode digit ("2026-１１" from a phone's input method), which OpenFisca
    # then refuses; such digits are normalised first (`_mois_digits`).
    mois: str = Field(default_factory=current_month, pattern=r"^[0-9]{4}-[0-9]{2}$",
                      description="Mois simulé (AAAA-MM)", examples=["2026-11"])
    # Bounded at the schema, so that pydantic stops at person MAX_INDIVIDUS + 1 instead of validating
    # (and listing errors for) 330,000 of them.
    individus: list[Individu] = Field(min_length=1, max_length=MAX_INDIVIDUS)
    logement: Logement = Field(default_factory=Logement)

    @field_validator("mois", mode="before")
    @classmethod
    def _mois_digits(cls, value: Any) -> Any:
        return normalize_code(value) if isinstance(value, str) else value

    @field_validator("mois")
    @classmethod
    def _mois(cls, value: str) -> str:
        month = int(value[5:7])
        if not 1 <= month <= 12:
            raise PydanticCustomError("mois", "Le mois doit être compris entre 01 et 12.")
        if value < FIRST_MONTH or value > last_covered_month():
            raise PydanticCustomError(
                "mois_hors_legislation",
                "La législation connue couvre les mois de {first} à {last}.",
                {"first": FIRST_MONTH, "last": last_covered_month()},
            )
        return value

    @field_validator("individus")
    @classmethod
    def _individus(cls, individus: list[Individu]) -> list[Individu]:
        if len(individus) > MAX_INDIVIDUS:
            raise PydanticCustomError("trop_de_personnes", "Un foyer compte au plus 20 personnes.")
        roles = [individu.role for individu in individus]
        if roles.count(Role.demandeur) != 1:
            raise PydanticCustomError("demandeur", "Le foyer doit avoir exactement un demandeur.")
        if roles.count(Role.conjoint) > 1:
            raise PydanticCustomError("conjoint", "Le foyer a au plus un conjoint.")
        ids = [individu.id for individu in individus]
        if len(set(ids)) != len(ids):
            raise PydanticCustomError("ids", "Chaque personne doit avoir un identifiant différent.")
        return individus

    @field_validator("individus", mode="wrap")
    @classmethod
    def _nommer_trop_jeune(cls, individus: Any, handler: Any) -> list[Individu]:
        if isinstance(individus, list) and len(individus) > MAX_INDIVIDUS:  # before validating any of them
            raise PydanticCustomError("trop_de_personnes", "Un foyer compte au plus {max} personnes.",
                                      {"max": MAX_INDIVIDUS})
        return name_the_person_too_young(individus, handler)

    @model_validator(mode="after")
    def _coherence_du_foyer(self) -> Household:
        return check(self)

    @property
    def demandeur(self) -> Individu:
        return next(i for i in self.individus if i.role == Role.demandeur)

    @property
    def conjoint(self) -> Individu | None:
        return next((i for i in self.individus if i.role == Role.conjoint), None)

    @property
    def enfants(self) -> list[Individu]:
        return [i for i in self.individus if i.role == Role.enfant]

    @property
    def adultes(self) -> list[Individu]:
        return [i for i in self.individus if i.role != Role.enfant]

    def age_of(self, individu: Individu) -> int:
        if individu.age is not None:
            return individu.age
        assert individu.date_naissance is not None
        return age_on(individu.date_naissance, first_day(self.mois))


def _check_extra_answers(extra: dict[str, Any], section: Literal["individu", "logement"]) -> None:
    """Answers to the facts extensions declare (their facts.yaml): known name, right type."""
    questions = extension_facts()
    for key, value in extra.items():
        question = questions.get(key)
        if question is None or question.entite != section:
            raise PydanticCustomError("champ_inconnu", "Champ inconnu : {key}.", {"key": key})
        if value is None:
            continue
        if question.type == "bool":
            if not isinstance(value, bool):
                raise PydanticCustomError(
                    "booleen", "{key} doit valoir true ou false.", {"key": key})
        elif question.type in ("montant", "entier"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise PydanticCustomError("nombre", "{key} doit être un nombre.", {"key": key})
            if question.type == "entier" and (value != int(value) or not 0 <= value <= 100):
                raise PydanticCustomError(
                    "entier", "{key} doit être un nombre entier de 0 à 100.", {"key": key})
            _check_montant(float(value))
