"""The cases of the audit of the Paris aids (issue 12), as API households: what the texts give.

Each case names its article; the expected figures are those of the règlement municipal (amounts of
the annexes) or formulas on OpenFisca-France's own parameters (SMIC, AAH, MVA), never typed ceilings.
The dates case (a 2018 period) is an OpenFisca YAML test: the API covers the months of its legislation.
"""

from __future__ import annotations

import math

import pytest

MOIS = "2026-11"
PARIS = {"depcom": "75119", "parisien": True}


def adult(role: str = "demandeur", **answers) -> dict:
    person = {"id": role, "role": role, "age": 45, "activite": "inactif", "handicap": False}
    if role == "conjoint":
        person["statut_marital"] = "marie"
    return {**person, **answers}


def child(i: int, age: int, **answers) -> dict:
    return {"id": f"enfant_{i}", "role": "enfant", "age": age, "handicap": False, "garde_alternee": False,
            "scolarite": "primaire" if age < 11 else "college" if age < 15 else "lycee" if age < 18 else "inconnue",
            **answers}


def household(individus: list[dict], mois: str = MOIS, **logement) -> dict:
    housing = {"statut_occupation_logement": "locataire_vide", "loyer": 700.0, **PARIS, **logement}
    return {"mois": mois, "individus": individus, "logement": housing}


def disabled(**answers) -> dict:
    defaults = {"handicap": True, "taux_incapacite": 0.5, "paris_titre_handicap": False, "paris_impot_revenu": 0,
                "paris_pass_renouvellement": False, "paris_complementaire_sante_payante": True}
    return adult(**{**defaults, **answers})


def smic_net_35h(tbs, mois: str) -> float:
    """What OpenFisca-France pays net to a full-time employee at the SMIC (35 hours a week)."""
    from openfisca_core.simulation_builder import SimulationBuilder

    smic = tbs.parameters(f"{mois}-01").marche_travail.salaire_minimum.smic
    gross = smic.smic_b_horaire * smic.nb_heures_travail_mensuel
    simulation = SimulationBuilder().build_from_entities(tbs, {
        "individus": {"salarie": {"salaire_de_base": {mois: gross}, "contrat_de_travail": {mois: "temps_plein"}}},
        "familles": {"f": {"parents": ["salarie"]}}, "foyers_fiscaux": {"ff": {"declarants": ["salarie"]}},
        "menages": {"m": {"personne_de_reference": ["salarie"]}}})
    return float(simulation.calculate("salaire_net", mois)[0])


CASES = {
    # 2 and 3: Paris Logement and PLFM ceilings, "le montant du SMIC mensuel net sur la base de
    # 35 heures hebdomadaires (arrondi à la dizaine supérieure)" (annexes II 2.1 b/2, IV 2.2 a/2).
    "smic_tenant_paris_logement": (household([adult(activite="actif", salaire_net="SMIC")], loyer=700.0),
                                   {"paris_logement": 84}),
    "lone_parent_1440_plfm": (household([adult(activite="actif", salaire_net=1440.0), child(1, 8)], loyer=900.0),
                              {"paris_logement_plfm": 150}),
    # Titre I/A art. 5: the invalidity pension is a personal resource.
    # (1 300 €: above the disabled ceiling indexed on the AAH, 1 218 € in 2026; at 1 200 € the rule gives 18 €.)
    "invalidity_pension_1300": (household([disabled(paris_titre_handicap=True, pensions_invalidite=1300.0)]),
                                {"paris_solidarite": 0, "paris_complement_sante": 0}),
    # Titre III/A art. 2: a 2nd-group invalidity pension attests disability; a rate alone does not.
    "second_group_pension_700": (household([disabled(paris_titre_handicap=True, pensions_invalidite=700.0)]),
                                 {"paris_pass_access": True, "paris_complement_sante": 468}),
    "rate_80_without_title": (household([disabled(taux_incapacite=0.8, activite="actif", salaire_net=2500.0)]),
                              {"paris_pass_access": False, "paris_solidarite": 0, "paris_complement_sante": 0}),
    # Titre III 1.2 b/3: the applicant's own resources, at most AAH + MVA.
    "aah_partner_earning_1500": (household([disabled(taux_incapacite=0.8, aah=1041.59),
                                            adult("conjoint", activite="actif", salaire_net=1500.0)], loyer=900.0),
                                 {"paris_complement_sante": 468}),
    "just_above_aah_mva_in_couple": (household([disabled(paris_titre_handicap=True, pensions_invalidite=1200.0),
                                                adult("conjoint")], loyer=900.0),
                                     {"paris_complement_sante": 0}),
    # CGI art. 6-3: a disabled child is à charge at any age; ASPEH 153 € (Titre IV 1.3, annexe IV 1.3).
    "disabled_adult_child": (household([adult(activite="actif", salaire_net=2000.0),
                                        child(1, 23, handicap=True, taux_incapacite=0.8)],
                                       loyer=1100.0),
                             {"paris_aspeh": 153}),
    # Titre IV 2.1 b/2: for owners, the co-ownership charges.
    "owners_two_children": (household([adult(activite="actif", salaire_net=1000.0),
                                       adult("conjoint", activite="actif", salaire_net=800.0),
                                       child(1, 5, scolarite="maternelle"), child(2, 8)],
                                      statut_occupation_logement="proprietaire", loyer=None,
                                      charges_locatives=200.0, depcom="75120"),
                            {"paris_logement_familles": 116}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_audit_case_gives_what_the_texts_give(client, engine, name):
    body, expected = CASES[name]
    for person in body["individus"]:
        if person.get("salaire_net") == "SMIC":
            person["salaire_net"] = round(smic_net_35h(engine.tbs, body["mois"]), 2)
    body["logement"] = {k: v for k, v in body["logement"].items() if v is not None}
    response = client.post("/api/v1/simulate", json=body)
    assert response.status_code == 200, response.text
    aides = {aide["id"]: aide for aide in response.json()["aides"]}
    for aide_id, value in expected.items():
        aide = aides[aide_id]
        assert aide["calculable"], (aide_id, aide["raisons"])
        got = aide["eligible"] if isinstance(value, bool) else aide["montant"]
        assert got == value, (aide_id, got, aide["raisons"])


def test_paris_logement_ceiling_is_the_net_smic_rounded_up_to_the_ten(engine):
    """November 2026: no number typed, the ceiling follows OpenFisca-France's SMIC."""
    run_tbs = engine.tbs
    expected = math.ceil(smic_net_35h(run_tbs, MOIS) / 10) * 10
    from openfisca_core.simulation_builder import SimulationBuilder

    simulation = SimulationBuilder().build_from_entities(run_tbs, {
        "individus": {"d": {}}, "familles": {"f": {"parents": ["d"]}},
        "foyers_fiscaux": {"ff": {"declarants": ["d"]}}, "menages": {"m": {"personne_de_reference": ["d"]}}})
    assert simulation.calculate("paris_logement_plafond", MOIS)[0] == expected
