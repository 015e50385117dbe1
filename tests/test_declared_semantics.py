"""A benefit declared 0 means "not received yet": the stable amount is shown, the first months said as such.

The web questionnaire sends 0 for every benefit not ticked, the API leaves them out: both must show the
same amount (the household receiving what the rules grant), and where the benefits not received yet
change another benefit, that benefit says what it comes to in the first months — the amount of the
household with its 0-declarations applied, computed here by the engine's lower-level run.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from web_flow import answers_for, run_flow

from simulator.engine.first_months import message
from simulator.household import PRESTATIONS_DECLARABLES, Household
from simulator.results import round_amount
from simulator.web.forms.answers import PRESTATIONS_INDIVIDUELLES

COUPLE_TROIS_ENFANTS = {
    "mois": "2026-11",
    "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 38, "activite": "actif", "salaire_net": 2100.0,
         "handicap": False},
        {"id": "conjoint", "role": "conjoint", "age": 36, "activite": "inactif", "handicap": False,
         "statut_marital": "marie"},
        {"id": "enfant_1", "role": "enfant", "age": 2, "handicap": False, "garde_alternee": False},
        {"id": "enfant_2", "role": "enfant", "age": 6, "handicap": False, "garde_alternee": False,
         "scolarite": "primaire"},
        {"id": "enfant_3", "role": "enfant", "age": 11, "handicap": False, "garde_alternee": False,
         "scolarite": "college"},
    ],
    "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 1200.0, "depcom": "75118",
                 "parisien": True},
}
MERE_DEUX_ENFANTS = {
    "mois": "2026-11",
    "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 33, "activite": "actif", "salaire_net": 900.0,
         "handicap": False},
        {"id": "enfant_1", "role": "enfant", "age": 4, "handicap": False, "garde_alternee": False,
         "scolarite": "maternelle"},
        {"id": "enfant_2", "role": "enfant", "age": 8, "handicap": False, "garde_alternee": False,
         "scolarite": "primaire"},
    ],
    "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 750.0, "depcom": "75118",
                 "parisien": True},
}
HOUSEHOLDS = {"couple_trois_enfants": COUPLE_TROIS_ENFANTS, "mere_deux_enfants": MERE_DEUX_ENFANTS}


def with_zeros(data: dict) -> dict:
    """Every declarable benefit at 0, as the questionnaire sends them when none is ticked."""
    people = []
    for person in data["individus"]:
        keys = {"demandeur": PRESTATIONS_DECLARABLES, "conjoint": PRESTATIONS_INDIVIDUELLES}.get(person["role"], ())
        people.append({**person, **dict.fromkeys(keys, 0.0)})
    return {**data, "individus": people}


def ppa_as_declared(engine, data: dict) -> float:
    """The prime d'activité with the zeros applied in the past months (the lower-level run, no variants)."""
    household = Household.model_validate(data)
    run = engine.run([household])
    benefit = next(b for b in engine.catalog if b.id == "ppa")
    return round_amount(float(run.per_household("ppa", run.month)[0]), benefit.arrondi)



@pytest.mark.parametrize("name", sorted(HOUSEHOLDS))
def test_zero_declarations_show_the_stable_amount_and_the_first_months(engine, name):
    data = HOUSEHOLDS[name]
    left_out = engine.simulate(Household.model_validate(data)).aide("ppa")
    declared = engine.simulate(Household.model_validate(with_zeros(data))).aide("ppa")
    first_months = ppa_as_declared(engine, with_zeros(data))
    assert first_months != left_out.montant, "the zeros change the prime d'activité of this household"
    assert declared.montant == left_out.montant
    assert left_out.premiers_mois is None
    assert declared.premiers_mois is not None
    assert declared.premiers_mois.montant == first_months
    assert "af" in declared.premiers_mois.en_attente and "ppa" not in declared.premiers_mois.en_attente
    assert declared.premiers_mois.message == message(declared.premiers_mois.en_attente, first_months, "mensuelle")
    assert declared.premiers_mois.message.startswith("Les premiers mois, tant que ")
    assert "les allocations familiales" in declared.premiers_mois.message


def test_the_first_months_name_only_benefits_the_household_is_granted(engine):
    result = engine.simulate(Household.model_validate(with_zeros(MERE_DEUX_ENFANTS)))
    stable = engine.simulate(Household.model_validate(MERE_DEUX_ENFANTS))
    for aide in result.aides:
        if aide.premiers_mois is not None:
            for waiting in aide.premiers_mois.en_attente:
                granted = stable.aide(waiting)
                assert granted is not None and granted.eligible, (aide.id, waiting)


def test_a_batch_mixing_declarations_gives_each_household_its_own_amounts(engine):
    """Bug: in one run, a household that left a benefit out took, in the months before M that the
    rules compute, the array of another household's declaration (0), as if it declared it too."""
    alone = engine.simulate(Household.model_validate(COUPLE_TROIS_ENFANTS))
    declaring = Household.model_validate({**with_zeros(COUPLE_TROIS_ENFANTS)})
    mixed = engine.simulate_many([Household.model_validate(COUPLE_TROIS_ENFANTS), declaring])[0]
    assert mixed.aide("ppa").montant == alone.aide("ppa").montant
    assert [a.model_dump() for a in mixed.aides] == [a.model_dump() for a in alone.aides]


@pytest.mark.parametrize("name", sorted(HOUSEHOLDS))
def test_web_and_api_show_the_same_amount(client, engine, name):
    data = HOUSEHOLDS[name]
    _, html = run_flow(client, answers_for(Household.model_validate(data)))
    shown = {k: float(v) for k, v in re.findall(r'data-aide="([^"]+)" data-montant="([^"]+)"', html)}
    api = client.post("/api/v1/simulate", json=data).json()
    api_ppa = next(a for a in api["aides"] if a["id"] == "ppa")
    assert shown["ppa"] == api_ppa["montant"]
    declared = client.post("/api/v1/simulate", json=with_zeros(data)).json()
    declared_ppa = next(a for a in declared["aides"] if a["id"] == "ppa")
    assert declared_ppa["montant"] == api_ppa["montant"]
    assert declared_ppa["premiers_mois"]["montant"] == ppa_as_declared(engine, with_zeros(data))
    assert declared_ppa["premiers_mois"]["message"] in unescape(html)


def test_the_first_months_field_is_in_the_openapi_schema(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert "premiers_mois" in schema["AideResult"]["properties"]
    assert set(schema["PremiersMois"]["properties"]) == {"montant", "message", "en_attente"}
