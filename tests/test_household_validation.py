"""Every validation rule of the household model, with its French message."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from simulator.household import Household, last_covered_month


def base(**changes) -> dict:
    data = {
        "mois": "2026-11",
        "individus": [{"id": "demandeur", "role": "demandeur", "age": 34, "salaire_net": 1200.0}],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 700.0, "depcom": "75119"},
    }
    data.update(changes)
    return data


def person(**changes) -> dict:
    return base(individus=[{"id": "demandeur", "role": "demandeur", "age": 34, **changes}])


def errors(data: dict) -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        Household.model_validate(data)
    return caught.value.errors()


def messages(data: dict) -> str:
    return " ".join(e["msg"] for e in errors(data))


def test_valid_household():
    household = Household.model_validate(base())
    assert household.demandeur.salaire_net == 1200.0


@pytest.mark.parametrize(("data", "expected"), [
    (base(individus=[{"id": "a", "role": "conjoint", "age": 30}]), "exactement un demandeur"),
    (base(individus=[{"id": "a", "role": "demandeur", "age": 30}, {"id": "b", "role": "demandeur", "age": 30}]),
     "exactement un demandeur"),
    (base(individus=[{"id": "a", "role": "demandeur", "age": 30}, {"id": "b", "role": "conjoint", "age": 30},
                     {"id": "c", "role": "conjoint", "age": 30}]), "au plus un conjoint"),
    (base(individus=[{"id": "a", "role": "demandeur", "age": 30}]
          + [{"id": f"e{i}", "role": "enfant", "age": 5} for i in range(20)]), "au plus 20 personnes"),
    (base(individus=[{"id": "a", "role": "demandeur", "age": 30}, {"id": "a", "role": "enfant", "age": 3}]),
     "identifiant différent"),
    (person(age=-1), "entre 0 et 120"),
    (person(age=121), "entre 0 et 120"),
    (person(age=0), "au moins 16 ans"),
    (base(individus=[{"id": "a", "role": "demandeur", "age": 30}, {"id": "b", "role": "conjoint", "age": 9}]),
     "au moins 16 ans"),
    (base(individus=[{"id": "a", "role": "demandeur", "date_naissance": "2020-05-01"}]), "au moins 16 ans"),
    (base(individus=[{"id": "demandeur", "role": "demandeur"}]), "Indiquez l'âge"),
    (person(salaire_net=-1), "négatif"),
    (person(salaire_net=1_000_000), "inférieur à 1 000 000"),
    (person(salaire_net=math.inf), "nombre"),
    (person(salaire_net=math.nan), "nombre"),
    (person(aah=-5), "négatif"),
    (person(taux_incapacite=1.5), "entre 0 et 1"),
    (person(taux_incapacite=-0.1), "entre 0 et 1"),
    (person(revenus_3_derniers_mois={"salaire_net": -3}), "négatif"),
    (person(revenus_3_derniers_mois={"loto": 3}), "Ressource inconnue"),
    (person(champ_bizarre=3), "Champ inconnu"),
    (base(mois="2019-05"), "législation connue"),
    (base(mois="2099-01"), "législation connue"),
    (base(mois="2026-13"), "entre 01 et 12"),
    (base(logement={"depcom": "7511"}), "5 caractères"),
    (base(logement={"code_postal": "7501"}), "5 chiffres"),
    (base(logement={"code_postal": "75099"}), "code postal n'existe pas"),
    (base(logement={"code_postal": "75019", "depcom": "75118"}), "ne correspondent pas"),
])
def test_rule_rejects_with_french_message(data, expected):
    assert expected in messages(data)


@pytest.mark.parametrize(("field", "value"), [
    ("activite", "astronaute"), ("role", "cousin"), ("scolarite", "fac"), ("statut_marital", "fiance"),
])
def test_unknown_enum_values(field, value):
    data = person(**{field: value})
    assert errors(data)


def test_unknown_housing_status():
    assert errors(base(logement={"statut_occupation_logement": "chateau"}))


def test_code_postal_becomes_paris_arrondissement():
    household = Household.model_validate(base(logement={"code_postal": "75019"}))
    assert household.logement.depcom == "75119"
    household = Household.model_validate(base(logement={"code_postal": "75116"}))
    assert household.logement.depcom == "75116"


def test_month_bounds():
    Household.model_validate(base(mois="2021-01"))
    Household.model_validate(base(mois=last_covered_month()))


def test_full_width_digits_in_the_month_are_read_as_digits():
    """Phones' input methods type "2026-１１"; `\\d` let it through to OpenFisca, which failed in English."""
    assert Household.model_validate(base(mois="2026-１１")).mois == "2026-11"
    assert "entre 01 et 12" in messages(base(mois="2026-１３"))
    assert errors(base(mois="2026-٠١x"))[0]["loc"] == ("mois",)


def test_month_defaults_to_current():
    data = base()
    del data["mois"]
    assert Household.model_validate(data).mois >= "2026-01"


@pytest.mark.parametrize(("field", "value"), [
    ("salaire_net", True), ("salaire_net", "1250"), ("handicap", 0), ("handicap", "oui"),
    ("taux_incapacite", "0.8"), ("aah", False), ("age", True), ("age", "34"),
])
def test_types_are_strict(field, value):
    """A boolean is not an amount, nor a number a boolean: refused rather than silently converted."""
    assert errors(person(**{field: value}))


def test_integers_are_amounts():
    assert Household.model_validate(person(salaire_net=1250)).demandeur.salaire_net == 1250.0
