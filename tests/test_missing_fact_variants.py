"""A missing yes/no or small-choice answer blocks only the benefits whose result it can change."""

from __future__ import annotations

from fastapi.testclient import TestClient
from pydantic import ValidationError
from random_households import random_household
from scenario_files import SCENARIOS, load_scenario

from simulator.engine import variant_budget
from simulator.engine.variants import MAX_VARIANTS, expand, missing_answers, with_answers
from simulator.household import Household
from simulator.registry import all_facts

PARIS_AIDS = ("paris_logement_familles", "paris_energie_familles", "paris_aspeh", "paris_solidarite")
RETRAITEE_SEULE = {
    "mois": "2026-11",
    "individus": [{"id": "demandeur", "role": "demandeur", "age": 74, "activite": "retraite",
                   "retraite_nette": 880.0}],
    "logement": {"statut_occupation_logement": "locataire_hlm", "loyer": 450.0, "depcom": "75120",
                 "parisien": True},
}


def _key(aide) -> tuple:
    return aide.calculable, aide.eligible, aide.montant


def _answered(data: dict, handicap: bool, taux: float | None = None) -> Household:
    person = {**data["individus"][0], "handicap": handicap, "paris_complementaire_sante_payante": False,
              "paris_pass_renouvellement": False}
    if taux is not None:
        person["taux_incapacite"] = taux
    return Household.model_validate({**data, "individus": [person]})


def test_a_retiree_living_alone_gets_the_paris_aids_without_the_handicap_question(engine):
    """Without children, the handicap question changes neither Paris Logement Familles, Paris Énergie
    Familles nor ASPEH. It does change Paris Solidarité: at 80 % OpenFisca grants her the AAH (it does
    not stop at retirement age), a resource that brings Paris Solidarité to 0 — so that one says so."""
    household = Household.model_validate(RETRAITEE_SEULE)
    result = engine.simulate(household)
    answered = engine.simulate_many([_answered(RETRAITEE_SEULE, False)] + [
        _answered(RETRAITEE_SEULE, True, taux) for taux in (0.4, 0.5, 0.8)])
    for benefit in PARIS_AIDS:
        aide = result.aide(benefit)
        keys = {_key(r.aide(benefit)) for r in answered}
        if benefit == "paris_solidarite":
            assert len(keys) > 1 and answered[-1].aide("aah").eligible
            assert not aide.calculable
            assert aide.raisons == ["Il manque la réponse à la question sur le handicap."]
            continue
        assert aide.calculable, (benefit, aide.raisons)
        assert keys == {_key(aide)}
    matter = engine.facts_that_matter(household)
    assert "paris_solidarite" in matter["handicap:demandeur"]
    assert not {"paris_logement_familles", "paris_energie_familles", "paris_aspeh"} & set(matter["handicap:demandeur"])


def test_a_retiree_living_alone_through_the_api(engine):
    from simulator.api.app import create_app
    from simulator.api.settings import Settings

    with TestClient(create_app(Settings())) as client:
        api = client.post("/api/v1/simulate", json=RETRAITEE_SEULE).json()
    expected = engine.simulate(_answered(RETRAITEE_SEULE, False))
    for aide in api["aides"]:
        if aide["id"] in PARIS_AIDS and aide["id"] != "paris_solidarite":
            assert aide["calculable"], aide
            assert (aide["eligible"], aide["montant"]) == (expected.aide(aide["id"]).eligible,
                                                           expected.aide(aide["id"]).montant)
            assert "Il manque la réponse à la question sur le handicap." not in aide["raisons"]


def test_a_question_that_changes_a_result_is_named(engine):
    """The handicap of a 40-year-old without income changes the AAH: non calculable, handicap named."""
    data = {"mois": "2026-11", "logement": {"statut_occupation_logement": "loge_gratuitement", "depcom": "93048"},
            "individus": [{"id": "demandeur", "role": "demandeur", "age": 40, "activite": "inactif"}]}
    aah = engine.simulate(Household.model_validate(data)).aide("aah")
    assert not aah.calculable
    assert aah.raisons == ["Il manque la réponse à la question sur le handicap."]


def _enumerable(entite: str) -> list[str]:
    """The registry's yes/no and choice facts of this entity without a default answer: those whose
    missing answer the engine decides by variants (national and extension facts alike)."""
    return [f.id for f in all_facts().values()
            if f.entite == entite and f.type in ("bool", "choix") and f.defaut is None]


def _removals(data: dict) -> list[dict]:
    """The household with one enumerable fact removed, for each one it answers (the list comes from the
    registry, so a new yes/no question is covered without editing this test)."""
    removed = []
    for index, person in enumerate(data["individus"]):
        for name in [*_enumerable("individu"), "taux_incapacite"]:
            if person.get(name) is None:
                continue
            copy = {**person}
            copy.pop(name)
            if name == "handicap":
                copy.pop("taux_incapacite", None)
            people = list(data["individus"])
            people[index] = copy
            removed.append({**data, "individus": people})
    for name in _enumerable("logement"):
        if data["logement"].get(name) is not None:
            logement = {k: v for k, v in data["logement"].items() if k != name}
            removed.append({**data, "logement": logement})
    return removed


def test_not_calculable_exactly_when_the_removed_answer_changes_the_result(engine):
    bases = [load_scenario(path) for path in SCENARIOS] + [random_household(seed) for seed in range(100)]
    cases: list[tuple[Household, list[Household]]] = []
    for base in bases:
        answered = {a.key for a in missing_answers(Household.model_validate(base))}
        for data in _removals(base):
            try:
                household = Household.model_validate(data)
            except ValidationError:
                continue  # an answer the model requires (the housing status): refused, never a variant
            if expand(household, variant_budget(household)).left_out:
                continue  # beyond the engine's budget (half with benefits declared at 0): requiert decides
            new = [a for a in missing_answers(household) if a.key not in answered]
            if len(new) != 1:
                continue  # not an enumerable fact for this person (a school level under 10)
            answer = new[0]
            cases.append((household, [with_answers(household, [answer], (i,)) for i in range(len(answer.options))]))
    assert len(cases) > 150
    flat = [h for household, filled in cases for h in (household, *filled)]
    results = iter(engine.simulate_many(flat))
    checked = 0
    for _, filled in cases:
        removed = next(results)
        variants = [next(results) for _ in filled]
        for aide in removed.aides:
            keys = {_key(v.aide(aide.id)) for v in variants}
            differs = len(keys) > 1 or not all(k[0] for k in keys)
            assert aide.calculable == (not differs), (aide.id, aide.raisons, keys)
            if aide.calculable:
                assert _key(aide) in keys
            checked += 1
    assert checked > 1000


def test_variants_are_bounded():
    data = {"mois": "2026-11", "logement": {"statut_occupation_logement": "loge_gratuitement", "depcom": "75118"},
            "individus": [{"id": "demandeur", "role": "demandeur", "age": 40},
                          {"id": "conjoint", "role": "conjoint", "age": 40},
                          *({"id": f"enfant_{i}", "role": "enfant", "age": 12} for i in range(1, 4))]}
    expansion = expand(Household.model_validate(data))
    assert len(expansion.households) <= MAX_VARIANTS
    assert expansion.left_out
