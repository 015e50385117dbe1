"""The national entries added for issue 15 (ADA, RLS, aide au permis de France Travail, Départ 18:25,
APA à domicile): for each, one household with the right and one without, through the engine and
through the API, against a direct computation with stock OpenFisca-France (its own
`CountryTaxBenefitSystem`, no extension, a situation written by hand with `SimulationBuilder`).

The stock situations give OpenFisca the same facts as the household: the same birth dates, no income,
the housing status and commune. Only the ADA differs in how the facts are given: OpenFisca-France reads
two inputs of the family (`asile_demandeur`, `place_hebergement`), which extensions/france derives from
each parent's answers (`demandeur_asile`, `demandeur_asile_sans_hebergement`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from openfisca_core.simulation_builder import SimulationBuilder

from simulator.household import Household

MOIS = "2026-11"


@cache
def stock_tbs():
    from openfisca_france import CountryTaxBenefitSystem

    return CountryTaxBenefitSystem()


def stock(variable: str, individus: dict[str, dict[str, Any]], famille: dict[str, Any] | None = None,
          menage: dict[str, Any] | None = None, mois: str = MOIS) -> float:
    """`variable` for the first person's entity, computed by stock OpenFisca-France for `mois`."""
    ids = list(individus)
    parents = [i for i in ids if individus[i].pop("_enfant", False) is False]
    enfants = [i for i in ids if i not in parents]
    situation = {
        "individus": individus,
        "familles": {"f": {"parents": parents, "enfants": enfants, **(famille or {})}},
        "foyers_fiscaux": {"ff": {"declarants": parents, "personnes_a_charge": enfants}},
        "menages": {"m": {"personne_de_reference": parents[:1], "conjoint": parents[1:2], "enfants": enfants,
                          **(menage or {})}},
    }
    simulation = SimulationBuilder().build_from_entities(stock_tbs(), situation)
    return float(simulation.calculate(variable, mois)[0])


def person(naissance: str, **month_inputs: Any) -> dict[str, Any]:
    return {"date_naissance": {"ETERNITY": naissance}, **{k: {MOIS: v} for k, v in month_inputs.items()}}


def household(individus: list[dict[str, Any]], statut: str = "locataire_hlm", loyer: float | None = 450.0,
              depcom: str = "75119") -> dict[str, Any]:
    logement: dict[str, Any] = {"statut_occupation_logement": statut, "depcom": depcom}
    if loyer is not None:
        logement["loyer"] = loyer
    return {"mois": MOIS, "individus": individus, "logement": logement}


def adulte(role: str, naissance: str, activite: str, **facts: Any) -> dict[str, Any]:
    return {"id": role, "role": role, "date_naissance": naissance, "activite": activite, "handicap": False,
            **facts}


def through_engine(engine, data: dict[str, Any], aide_id: str) -> dict[str, Any]:
    result = engine.simulate(Household.model_validate(data)).model_dump()
    return next(a for a in result["aides"] if a["id"] == aide_id)


def through_api(client, data: dict[str, Any], aide_id: str) -> dict[str, Any]:
    response = client.post("/api/v1/simulate", json=data)
    assert response.status_code == 200, response.text
    return next(a for a in response.json()["aides"] if a["id"] == aide_id)


def check(engine, client, data: dict[str, Any], aide_id: str, expected: float) -> dict[str, Any]:
    """Engine and API agree with the stock figure (to the cent, or to the euro for a rounded entry)."""
    for aide in (through_engine(engine, data, aide_id), through_api(client, data, aide_id)):
        assert aide["calculable"], aide
        assert aide["montant"] == pytest.approx(expected, abs=0.5), aide
        assert aide["eligible"] == (expected > 0), aide
    return aide


# --- Allocation pour demandeur d'asile ----------------------------------------------------------------

def test_ada_single_asylum_seeker_without_housing(engine, client):
    expected = stock("ada", {"d": person("1994-03-10")},
                     famille={"asile_demandeur": {MOIS: True}, "place_hebergement": {MOIS: False}})
    assert expected == pytest.approx(30 * (6.80 + 7.40))  # CESEDA, annexe 7-1: 6,80 € + 7,40 € a day
    data = household([adulte("demandeur", "1994-03-10", "inactif", demandeur_asile=True,
                             demandeur_asile_sans_hebergement=True)], statut="sans_domicile", loyer=None)
    check(engine, client, data, "ada", expected)


def test_ada_couple_with_a_child_housed_by_the_ofii(engine, client):
    expected = stock("ada", {"d": person("1990-01-01"), "c": person("1992-01-01"),
                             "e": {**person("2020-06-01"), "_enfant": True}},
                     famille={"asile_demandeur": {MOIS: True}, "place_hebergement": {MOIS: True}})
    assert expected == pytest.approx(30 * (6.80 + 2 * 3.40))
    data = household([
        adulte("demandeur", "1990-01-01", "inactif", demandeur_asile=True, demandeur_asile_sans_hebergement=False),
        adulte("conjoint", "1992-01-01", "inactif", statut_marital="marie", demandeur_asile=True,
               demandeur_asile_sans_hebergement=False),
        {"id": "enfant_1", "role": "enfant", "date_naissance": "2020-06-01", "handicap": False,
         "garde_alternee": False},
    ], statut="locataire_foyer", loyer=0.0)
    check(engine, client, data, "ada", expected)


def test_no_ada_for_who_has_not_asked_for_asylum(engine, client):
    expected = stock("ada", {"d": person("1994-03-10")}, famille={"asile_demandeur": {MOIS: False}})
    assert expected == 0
    data = household([adulte("demandeur", "1994-03-10", "inactif", demandeur_asile=False)])
    aide = check(engine, client, data, "ada", expected)
    assert "demandé l'asile" in aide["raisons"][0]


def test_ada_unanswered_is_no_without_blocking_the_result(engine):
    """Asked of every adult, but unanswered means no (default): never 'non calculable'."""
    data = household([adulte("demandeur", "1994-03-10", "inactif")])
    aide = through_engine(engine, data, "ada")
    assert aide["calculable"] and not aide["eligible"]


# --- Réduction de loyer de solidarité ---------------------------------------------------------------

def rls_stock(statut: str) -> float:
    return stock("reduction_loyer_solidarite", {"d": person("1980-05-05", activite="inactif")},
                 menage={"statut_occupation_logement": {MOIS: statut}, "loyer": {MOIS: 450.0},
                         "depcom": {MOIS: "75119"}})


def test_rls_for_a_social_housing_tenant_without_income(engine, client):
    expected = rls_stock("locataire_hlm")
    assert expected > 0
    check(engine, client, household([adulte("demandeur", "1980-05-05", "inactif")]), "reduction_loyer_solidarite",
          expected)


def test_no_rls_in_the_private_rented_sector(engine, client):
    expected = rls_stock("locataire_vide")
    assert expected == 0
    aide = check(engine, client, household([adulte("demandeur", "1980-05-05", "inactif")], statut="locataire_vide"),
                 "reduction_loyer_solidarite", expected)
    assert "logement social" in aide["raisons"][0]


# --- Aide au permis de conduire de France Travail -----------------------------------------------------

def every_month(amount: float) -> dict[str, float]:
    """The same monthly amount from January 2023 to the simulated month (the engine's history)."""
    return {f"{year}-{month:02d}": amount for year in (2023, 2024, 2025, 2026) for month in range(1, 13)
            if f"{year}-{month:02d}" <= MOIS}


def test_driving_licence_aid_for_a_job_seeker_on_a_small_unemployment_allowance(engine, client):
    """900 € of ARE a month: above the RSA (which would exclude the aid), under 31 days of the minimum ARE."""
    individu = {**person("1995-02-02", activite="chomeur"), "chomage_net": every_month(900.0)}
    expected = stock("aide_permis_demandeur_emploi", {"d": individu})
    assert expected == 1200
    data = household([adulte("demandeur", "1995-02-02", "chomeur", ass_precondition_remplie=False,
                             chomage_net=900.0)])
    check(engine, client, data, "aide_permis_demandeur_emploi", expected)


def test_no_driving_licence_aid_for_a_retired_person(engine, client):
    expected = stock("aide_permis_demandeur_emploi", {"d": person("1955-02-02", activite="retraite")})
    assert expected == 0
    aide = check(engine, client, household([adulte("demandeur", "1955-02-02", "retraite")]),
                 "aide_permis_demandeur_emploi", expected)
    assert "cherchent un emploi" in aide["raisons"][0]


# --- Départ 18:25 --------------------------------------------------------------------------------------

def test_depart1825_for_a_young_adult_without_income(engine, client):
    expected = stock("depart1825_montant_maximum", {"d": person("2004-07-01", activite="inactif")})
    assert expected == 250
    check(engine, client, household([adulte("demandeur", "2004-07-01", "inactif")]),
          "depart1825_montant_maximum", expected)


def test_no_depart1825_at_thirty(engine, client):
    expected = stock("depart1825_montant_maximum", {"d": person("1996-07-01", activite="inactif")})
    assert expected == 0
    aide = check(engine, client, household([adulte("demandeur", "1996-07-01", "inactif")]),
                 "depart1825_montant_maximum", expected)
    assert "18 à 25 ans" in aide["raisons"][0]


# --- APA à domicile -----------------------------------------------------------------------------------

def apa_stock(gir: str, plan: float) -> float:
    return stock("apa_domicile", {"d": person("1948-01-15", activite="retraite", gir=gir,
                                              dependance_plan_aide_domicile=plan)})


def test_apa_for_a_gir_2_person_without_income(engine, client):
    expected = apa_stock("gir_2", 1200.0)
    assert expected == pytest.approx(1200.0)  # under the GIR 2 ceiling (1,306 × MTP), no participation
    data = household([adulte("demandeur", "1948-01-15", "retraite", gir="gir_2", dependance_plan_aide_domicile=1200.0)])
    check(engine, client, data, "apa_domicile", expected)


def test_apa_capped_at_the_gir_4_ceiling(engine, client):
    expected = apa_stock("gir_4", 2000.0)
    assert 0 < expected < 2000.0
    data = household([adulte("demandeur", "1948-01-15", "retraite", gir="gir_4", dependance_plan_aide_domicile=2000.0)])
    check(engine, client, data, "apa_domicile", expected)


def test_no_apa_in_gir_5(engine, client):
    expected = apa_stock("gir_5", 800.0)
    assert expected == 0
    data = household([adulte("demandeur", "1948-01-15", "retraite", gir="gir_5", dependance_plan_aide_domicile=800.0)])
    aide = check(engine, client, data, "apa_domicile", expected)
    assert "GIR 1, 2, 3 ou 4" in aide["raisons"][0]


def test_apa_needs_the_gir_of_a_person_of_60_but_not_of_a_younger_one(engine):
    aide = through_engine(engine, household([adulte("demandeur", "1948-01-15", "retraite")]), "apa_domicile")
    assert not aide["calculable"] and "GIR" in aide["raisons"][0]
    young = through_engine(engine, household([adulte("demandeur", "1980-01-15", "inactif")]), "apa_domicile")
    assert young["calculable"] and not young["eligible"]


# --- Pass'Sport (extensions/france corrects OpenFisca-France's 2022 values) --------------------------------

PASS_SPORT_2025 = 70.0  # saison 2025-2026 (extensions/france/parameters/pass_sport/montant.yaml, sources there)


def parent_isole(*naissances: str) -> dict[str, Any]:
    enfants = [{"id": f"enfant_{i}", "role": "enfant", "date_naissance": n, "handicap": False,
                "garde_alternee": False, "scolarite": "college"} for i, n in enumerate(naissances, 1)]
    return household([adulte("demandeur", "1985-02-01", "inactif"), *enfants], statut="locataire_vide",
                     loyer=700.0)


def test_pass_sport_for_a_teenager_of_a_family_receiving_the_ars_not_for_his_brother_of_eight(engine, client):
    """ARS profile from 14 since the 2025 season: the 15-year-old has it, the 8-year-old no longer (stock
    OpenFisca-France, at its 2022 values, gives both 50 €: 100 € for the family)."""
    data = parent_isole("2011-05-01", "2018-03-01")
    assert through_api(client, data, "ars")["montant"] > 0
    check(engine, client, data, "pass_sport", PASS_SPORT_2025)


def test_no_pass_sport_for_a_child_of_ten_in_2026(engine, client):
    aide = check(engine, client, parent_isole("2016-01-01"), "pass_sport", 0.0)
    assert "14 à 17 ans" in aide["raisons"][0]
