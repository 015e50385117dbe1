"""Checks across the people of a household: what each field allows alone, but not with the others.

A 40-year-old "child" of a 31-year-old parent, a baby born after the simulated month, family benefits
declared by a household without children: each field is valid, the household is not, and the results
would be wrong. `Household` calls `check` once its fields are valid; every problem found is reported,
each at the JSON location of the field it concerns (("individus", 2, "age"), ("individus", 0, "aeeh")),
with a French message, so that the API's 422 names the field and the web forms show the message next
to it. A declared 0 means "not received" and is never refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, get_args

from pydantic import ValidationError
from pydantic_core import PydanticCustomError
from pydantic_core.core_schema import ErrorType

from simulator.dates import first_day_after
from simulator.french_dates import month_and_year
from simulator.registry import core_registry

if TYPE_CHECKING:  # no import at run time: `household` imports this module to call `check`
    from simulator.household import Household, Individu

AGE_MIN_ADULTE = 16  # a younger person is a child of the household, not the one who applies
ECART_MIN_PARENT_ENFANT = 12  # years between a child and each of its parents
AGE_MAX_PAJE = 3  # allocation de base de la PAJE: a child under 3
AGE_MAX_AEEH = 20  # AEEH: a child under 20
# Benefits paid for children: not possible without one.
PRESTATIONS_FAMILIALES = ("af", "cf", "asf", "paje_base", "aeeh")
# By role (`household.Role` is a StrEnum: its members are these strings).
MESSAGES_AGE_ADULTE = {
    "demandeur": "La personne qui demande doit avoir au moins {age} ans.",
    "conjoint": "Le conjoint doit avoir au moins {age} ans.",
}
_KNOWN_ERROR_TYPES = set(get_args(ErrorType))

Location = tuple[str | int, ...]


def _ans(age: int) -> str:
    return f"{age} an" if age in (0, 1) else f"{age} ans"


def _prestation(key: str) -> str:
    """"les allocations familiales", as a sentence says it (the registry's `nom`)."""
    return core_registry().prestations[key].nom


def _mois_en_clair(mois: str) -> str:
    return month_and_year(mois[5:7], mois[:4])


def _age_field(individu: Individu) -> str:
    """Where a person's age was given: the age, or else the date of birth."""
    return "age" if individu.age is not None else "date_naissance"


def _error(kind: str, message: str, loc: Location, value: Any, context: dict[str, Any] | None = None) -> dict:
    return {"type": PydanticCustomError(kind, message, context), "loc": loc, "input": value}


def problems(household: Household) -> list[dict]:
    """The household's inconsistencies, as pydantic line errors (type, loc, input), in the order of the people."""
    errors: list[dict] = []
    born_later: set[int] = set()
    after_month = first_day_after(household.mois)
    for index, individu in enumerate(household.individus):
        if individu.date_naissance is not None and individu.date_naissance >= after_month:
            born_later.add(index)
            errors.append(_error(
                "naissance_apres_mois",
                "La date de naissance doit être au plus tard dans le mois simulé ({mois}) : "
                "une personne née après n'existe pas encore ce mois-là.",
                ("individus", index, "date_naissance"), individu.date_naissance.isoformat(),
                {"mois": _mois_en_clair(household.mois)}))

    parents: list[tuple[str, int]] = []  # (who, age) of the demandeur and the conjoint
    for index, individu in enumerate(household.individus):
        if individu.role == "enfant" or index in born_later:
            continue
        age = household.age_of(individu)
        if age < AGE_MIN_ADULTE:  # on the simulated month (a date of birth is checked on today by Individu)
            field = _age_field(individu)
            errors.append(_error("age_adulte", MESSAGES_AGE_ADULTE[individu.role], ("individus", index, field),
                                 getattr(individu, field), {"age": AGE_MIN_ADULTE}))
        parents.append(("le demandeur" if individu.role == "demandeur" else "le conjoint", age))

    enfants = [(index, individu) for index, individu in enumerate(household.individus) if individu.role == "enfant"]
    ages_enfants: list[int] = []
    for number, (index, enfant) in enumerate(enfants, start=1):
        if index in born_later:
            continue
        age = household.age_of(enfant)
        ages_enfants.append(age)
        too_old_for = [(who, parent) for who, parent in parents if parent - age < ECART_MIN_PARENT_ENFANT]
        if too_old_for:
            named = " et ".join(f"{who} {_ans(parent)}" for who, parent in too_old_for)
            field = _age_field(enfant)
            errors.append(_error(
                "ecart_age_parent_enfant",
                "Un enfant doit avoir au moins {ecart} ans de moins que chacun de ses parents : "
                "l'enfant n° {numero} a {age}, {parents}.",
                ("individus", index, field), getattr(enfant, field),
                {"ecart": ECART_MIN_PARENT_ENFANT, "numero": number, "age": _ans(age), "parents": named}))

    for index, individu in enumerate(household.individus):
        declared = {key: amount for key, amount in individu.prestations_declarees().items() if amount > 0}
        if individu.role == "enfant":
            number = next(n for n, (i, _) in enumerate(enfants, start=1) if i == index)
            for key, amount in declared.items():
                errors.append(_error(
                    "prestation_sur_enfant",
                    "Vous indiquez que l'enfant n° {numero} reçoit {prestation} : une aide déjà reçue se déclare "
                    "sur le demandeur (ou son conjoint), pas sur un enfant.",
                    ("individus", index, key), amount, {"numero": number, "prestation": _prestation(key)}))
            continue
        for key in PRESTATIONS_FAMILIALES:
            if key not in declared:
                continue
            if not enfants:
                missing = "d'enfant à charge"
            elif key == "paje_base" and not any(age < AGE_MAX_PAJE for age in ages_enfants):
                missing = f"d'enfant de moins de {AGE_MAX_PAJE} ans"
            elif key == "aeeh" and not any(age < AGE_MAX_AEEH for age in ages_enfants):
                missing = f"d'enfant de moins de {AGE_MAX_AEEH} ans"
            else:
                continue
            errors.append(_error(
                "prestation_incoherente",
                "Vous indiquez recevoir {prestation} mais le foyer n'a pas {manque} : vérifiez ce montant.",
                ("individus", index, key), declared[key], {"prestation": _prestation(key), "manque": missing}))
    return errors


def check(household: Household) -> Household:
    """Raises a ValidationError listing every inconsistency, each at its field's location."""
    errors = problems(household)
    if errors:
        raise ValidationError.from_exception_data("Household", errors)
    return household


def name_the_person_too_young(individus: Any, handler: Callable[[Any], Any]) -> Any:
    """Validate the people; a person under the adult age is then named (the conjoint, not "the applicant
    and the conjoint") and the error placed on the age (or the date of birth) rather than the person."""
    try:
        return handler(individus)
    except ValidationError as error:
        lines = error.errors()
        if not any(_too_young(line) for line in lines):
            raise
        raise ValidationError.from_exception_data("Household", [_relocated(line) for line in lines]) from None


def _too_young(line: dict) -> bool:
    person = line.get("input")
    return (line["type"] == "age_adulte" and len(line["loc"]) == 1 and isinstance(person, dict)
            and person.get("role") in MESSAGES_AGE_ADULTE)


def _relocated(line: dict) -> dict:
    """The line error as raised again: the too-young person's one rewritten, the others unchanged."""
    if _too_young(line):
        person = line["input"]
        field = "age" if person.get("age") is not None else "date_naissance"
        return _error("age_adulte", MESSAGES_AGE_ADULTE[person["role"]], (*line["loc"], field),
                      person.get(field), {"age": AGE_MIN_ADULTE})
    if line["type"] in _KNOWN_ERROR_TYPES:
        known = {"type": line["type"], "loc": line["loc"], "input": line.get("input")}
        if "ctx" in line:
            known["ctx"] = line["ctx"]
        return known
    # Our own errors: the message is already written out, kept as it is (no context to fill in again).
    return {"type": PydanticCustomError(line["type"], line["msg"]), "loc": line["loc"], "input": line.get("input")}
