"""The right to apply for social housing is judged on the ordinary HLM ceilings (PLUS), not the very
social ones (PLAI): through the API, with OpenFisca's own computation of the household's tax income.

The ceilings quoted are those of the arrêté du 29 juillet 1987 modifié, annexe I, for 2026 (arrêté du
19 décembre 2025): 26 920 € for a single person in Paris. See extensions/france.
"""

from __future__ import annotations

from typing import Any

import pytest

from simulator.amounts_text import euros
from simulator.engine import build_tax_benefit_system
from simulator.household import Household
from simulator.overrides import replace_variables
from simulator.paths import NATIONAL_CORRECTIONS, extensions_dirs, national_corrections_dirs

PLAFOND_PLUS_PERSONNE_SEULE_PARIS_2026 = 26920  # arrêté du 29 juillet 1987, annexe I, au 1er janvier 2026


def personne_seule_paris_19e(salaire_net: float) -> dict[str, Any]:
    return {
        "mois": "2026-11",
        "individus": [{"id": "demandeur", "role": "demandeur", "age": 35, "activite": "actif",
                       "salaire_net": salaire_net, "handicap": False}],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 700.0, "depcom": "75119",
                     "parisien": True},
    }


def aide(result: dict[str, Any], aide_id: str) -> dict[str, Any]:
    return next(a for a in result["aides"] if a["id"] == aide_id)


def noeuds(noeud: dict[str, Any]) -> list[dict[str, Any]]:
    return [noeud, *(n for enfant in noeud["enfants"] for n in noeuds(enfant))]


def test_a_single_person_on_1300_net_in_paris_may_apply_for_social_housing(client):
    household = personne_seule_paris_19e(1300.0)
    logement = aide(client.post("/api/v1/simulate", json=household).json(), "logement_social_eligible")
    assert logement["calculable"] and logement["eligible"], logement

    detail = client.post("/api/v1/explain/logement_social_eligible", json=household).json()
    plafonds = [n for n in noeuds(detail["arbre"]) if n["variable"] == "logement_social_plafond_ressources"]
    assert plafonds and plafonds[0]["valeur"] == PLAFOND_PLUS_PERSONNE_SEULE_PARIS_2026


def test_a_higher_earner_is_refused_with_the_figures(client, engine):
    household = personne_seule_paris_19e(2600.0)
    rfr_2024 = float(engine.run([Household.model_validate(household)]).raw("rfr", "2024")[0])
    assert rfr_2024 > PLAFOND_PLUS_PERSONNE_SEULE_PARIS_2026, "the household must be above the ceiling"

    logement = aide(client.post("/api/v1/simulate", json=household).json(), "logement_social_eligible")
    assert logement["calculable"] and not logement["eligible"]
    assert logement["raisons"] == [
        f"Le revenu fiscal de référence de votre foyer, {euros(round(rfr_2024))}\u00a0€ (revenus de 2024), dépasse le"
        f" plafond de {euros(PLAFOND_PLUS_PERSONNE_SEULE_PARIS_2026)}\u00a0€ pour une personne seule à Paris ou dans"
        " une commune limitrophe de Paris."
    ]


def test_the_very_social_tier_is_its_own_entry(client):
    result = client.post("/api/v1/simulate", json=personne_seule_paris_19e(2600.0)).json()
    tres_social = aide(result, "logement_tres_social_eligible")
    assert tres_social["calculable"] and not tres_social["eligible"]
    assert "logements très sociaux" in tres_social["raisons"][0]
    assert aide(result, "logement_social_eligible")["raisons"] != tres_social["raisons"]


def test_national_corrections_are_loaded_but_are_not_a_territory():
    """No territory folder (SIMULATOR_EXTENSIONS elsewhere): the national catalog still finds its variables."""
    assert national_corrections_dirs() == [NATIONAL_CORRECTIONS]
    assert NATIONAL_CORRECTIONS not in extensions_dirs()
    tbs = build_tax_benefit_system([])
    assert "logement_tres_social_eligible" in tbs.variables
    assert tbs.variables["logement_social_eligible"].label.endswith("(plafonds PLUS)")


def test_replacing_openfisca_variables_names_what_it_replaces():
    from openfisca_france import CountryTaxBenefitSystem

    tbs = CountryTaxBenefitSystem()
    assert sorted(replace_variables(tbs, NATIONAL_CORRECTIONS)) == [
        "asile_demandeur", "logement_social_eligible", "logement_social_plafond_ressources", "pass_sport",
        "place_hebergement", "zone_logement_social"]


@pytest.mark.parametrize("annee", [2021, 2022, 2023, 2024, 2025, 2026])
def test_our_plus_ceilings_agree_with_those_openfisca_france_ships(engine, annee):
    """OpenFisca-France 176 has the PLUS ceilings (`plu`) but does not use them: ours carry where each was
    checked; where both exist they must agree (a disagreement means one of them needs checking)."""
    parameters = engine.tbs.get_parameters_at_instant(f"{annee}-01-01")
    ours = parameters.plafonds_logement_social.plus
    openfisca = parameters.prestations_sociales.aides_logement.logement_social.plu
    for zone in ("paris_communes_limitrophes", "ile_de_france", "autres_regions"):
        for categorie in range(1, 7):
            assert (ours.par_categorie_de_menage[f"categorie_{categorie}"][zone]
                    == openfisca.par_categorie_de_menage[f"categorie_{categorie}"][zone]), (annee, categorie, zone)
        assert ours.par_personne_supplementaire[zone] == openfisca.par_personne_supplementaire[zone], (annee, zone)
