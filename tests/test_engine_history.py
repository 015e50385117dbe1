"""The situation's history: net -> gross consistency, declared and computed past benefits."""

from __future__ import annotations

import numpy as np
import pytest
from openfisca_core.simulation_builder import SimulationBuilder

from simulator.household import Household
from simulator.situation import build_situation


def single(salaire: float | None = None, **extra) -> Household:
    person = {"id": "demandeur", "role": "demandeur", "age": 30, "activite": "actif", "handicap": False}
    if salaire is not None:
        person["salaire_net"] = salaire
    person.update(extra)
    return Household.model_validate({
        "mois": "2026-11",
        "individus": [person],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 700.0, "depcom": "75119"},
    })


def test_housing_aid_falls_as_net_salary_rises(engine):
    low = engine.simulate(single(800)).aide("aide_logement").montant
    high = engine.simulate(single(1400)).aide("aide_logement").montant
    assert low > high + 100


def test_net_salary_alone_is_the_trap_we_avoid(engine):
    """Sent as salaire_net, both salaries get the same (maximum) housing aid: salaire_imposable stays 0."""
    amounts = []
    for salary in (800, 1400):
        situation = build_situation(single(salary), derived=None, benefit_entities=engine.benefit_entities)
        simulation = SimulationBuilder().build_from_entities(engine.tbs, situation)
        assert float(simulation.calculate("salaire_imposable", "2026-11")[0]) == 0
        amounts.append(float(simulation.calculate("aide_logement", "2026-11")[0]))
    assert amounts[0] == amounts[1]
    engine_amount = engine.simulate(single(1400)).aide("aide_logement").montant
    assert engine_amount < amounts[1] - 100


@pytest.mark.parametrize(("key", "amount", "activite", "age", "contributions"), [
    ("salaire_net", 1250.0, "actif", 30, True),
    ("salaire_net", 3500.0, "actif", 30, True),
    ("chomage_net", 1100.0, "chomeur", 45, False),  # below the exemption threshold
    ("chomage_net", 2600.0, "chomeur", 45, True),
    ("retraite_nette", 780.0, "retraite", 72, False),  # exempt (tax income of N-2)
    ("retraite_nette", 1300.0, "retraite", 67, True),  # reduced rate: 3.8 % CSG, all deductible
    ("retraite_nette", 1800.0, "retraite", 72, True),  # CSG at a reduced or intermediate rate
    ("retraite_nette", 4200.0, "retraite", 72, True),  # full rate
])
def test_openfisca_net_equals_declared_net(engine, key, amount, activite, age, contributions):
    household = single(age=age, activite=activite, **{key: amount})
    run = engine.run([household])
    gross = {"salaire_net": "salaire_de_base", "chomage_net": "chomage_brut", "retraite_nette": "retraite_brute"}[key]
    taxable = {"salaire_net": "salaire_imposable", "chomage_net": "chomage_imposable",
               "retraite_nette": "retraite_imposable"}[key]
    # The month simulated is computed by OpenFisca from the gross amount (not the declared net copied).
    assert float(run.raw(key, "2026-11")[0]) == pytest.approx(amount, abs=0.5)
    assert (float(run.raw(gross, "2026-11")[0]) > amount + 5) is contributions
    assert float(run.raw(taxable, "2026-11")[0]) > amount * 0.9
    # A stable income: the months before carry the same amount.
    assert float(run.raw(key, "2026-08")[0]) == pytest.approx(amount, abs=1)


def test_declared_benefits_fill_the_past_months(engine):
    household = Household.model_validate({
        "mois": "2026-11",
        "individus": [{"id": "demandeur", "role": "demandeur", "age": 50, "activite": "inactif",
                       "handicap": True, "taux_incapacite": 0.8, "aah": 1016.0, "rsa": 0.0}],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 600.0, "depcom": "75110"},
    })
    run = engine.run([household])
    for month in ("2026-10", "2026-08", "2025-11"):
        assert float(run.raw("aah", month)[0]) == 1016.0
        assert float(run.raw("rsa", month)[0]) == 0.0
    # The current month is computed by the rules, not copied from the answer.
    assert float(run.raw("aah", "2026-11")[0]) != 1016.0


def test_undeclared_past_benefits_are_computed_not_zeroed(engine):
    """Couple with three children on one salary: past family and housing benefits count in the PPA base."""
    data = {
        "mois": "2026-11",
        "individus": [
            {"id": "demandeur", "role": "demandeur", "age": 40, "activite": "actif", "salaire_net": 1900.0,
             "handicap": False},
            {"id": "conjoint", "role": "conjoint", "age": 38, "activite": "inactif", "handicap": False},
            {"id": "e1", "role": "enfant", "age": 14, "scolarite": "college"}, {"id": "e2", "role": "enfant", "age": 9},
            {"id": "e3", "role": "enfant", "age": 5},
        ],
        # Every question a rule needs answered: the prime d'activité changes with a disability (AAH).
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 1350.0, "depcom": "75118",
                     "parisien": True},
    }
    computed_past = engine.simulate(Household.model_validate(data)).aide("ppa").montant
    zeroed = dict(data, individus=[dict(data["individus"][0], af=0.0, cf=0.0, aide_logement=0.0),
                                   *data["individus"][1:]])
    zeroed_ppa = engine.simulate(Household.model_validate(zeroed)).aide("ppa")
    assert computed_past > 0
    # Declared 0 = "not received yet": the amount is the stable one, the first months are said apart.
    assert zeroed_ppa.montant == computed_past
    assert zeroed_ppa.premiers_mois is not None and zeroed_ppa.premiers_mois.montant > computed_past + 200
    run = engine.run([Household.model_validate(data)])
    assert float(np.asarray(run.raw("af", "2026-09"))[0]) > 0


def test_resource_averages_sit_before_the_month_simulated():
    """Current amount for M and the months after; the 3-month average on M-3..M-1; then the 12-month one."""
    from simulator.situation import Month, history_months, resource_history

    household = single(2000.0, revenus_3_derniers_mois={"salaire_net": 1000.0},
                       revenus_12_derniers_mois={"salaire_net": 1250.0})
    month = Month.parse("2026-11")
    amounts = {str(m): v for m, v in resource_history(
        household.demandeur, "salaire_net", history_months(month), month).items()}
    assert amounts["2026-11"] == amounts["2026-12"] == 2000.0
    assert amounts["2026-10"] == amounts["2026-08"] == 1000.0
    assert amounts["2026-07"] == amounts["2025-11"] == pytest.approx((12 * 1250 - 3 * 1000) / 9)


NEWBORN_FAMILY = {  # drawn by tests/random_households.py (seed 1): the naive path and the engine differed
    "mois": "2026-11",
    "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 31, "activite": "inactif", "handicap": False},
        {"id": "conjoint", "role": "conjoint", "age": 81, "activite": "retraite", "handicap": False,
         "retraite_nette": 2200.0, "statut_marital": "marie"},
        {"id": "enfant_1", "role": "enfant", "age": 0, "handicap": False},
        {"id": "enfant_2", "role": "enfant", "age": 9, "handicap": False},
    ],
    "logement": {"statut_occupation_logement": "locataire_vide", "depcom": "13055", "loyer": 1200.0,
                 "charges_locatives": 50.0},
}


def test_households_before_a_birth_within_the_history():
    from simulator.engine.births import source_rank, with_households_before_births
    from simulator.situation import Month

    household = Household.model_validate(NEWBORN_FAMILY)
    everyone, regimes = with_households_before_births([household])
    assert len(everyone) == 2
    assert [i.id for i in everyone[1].individus] == ["demandeur", "conjoint", "enfant_2"]
    (birth, before), = regimes[0]
    assert birth == Month(2026, 9) and before == 1 and regimes[1] == []
    assert source_rank(0, regimes[0], Month(2026, 8)) == 1
    assert source_rank(0, regimes[0], Month(2026, 9)) == 0


def test_a_newborn_brings_no_family_benefits_before_its_birth(engine):
    import naive_openfisca

    household = Household.model_validate(NEWBORN_FAMILY)
    run = engine.run([household])
    assert float(run.per_household("af", "2025-11")[0]) == 0  # one child then: no family allowance
    assert float(run.per_household("af", "2026-10")[0]) > 100
    result = engine.simulate(household)
    participation = result.aide("css_participation_forfaitaire").montant
    reference = naive_openfisca.compute(engine.tbs, NEWBORN_FAMILY, {"css_participation_forfaitaire": "mois"})
    assert participation == pytest.approx(reference["css_participation_forfaitaire"], abs=0.5)
    assert participation > 0
