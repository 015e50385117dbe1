"""Île-de-France Mobilités' Tarification Solidarité Transport (extensions/ile_de_france/) through the API: the
tier and the monthly saving of the done-when households, computed by OpenFisca-France and the extension (no
mocks); "pas de droit" with the reason above every threshold; nothing outside Île-de-France."""

from __future__ import annotations

import pytest

from simulator.household import FIRST_MONTH
from simulator.territories import territories_of

MOIS = "2026-11"
AIDE = "idf_solidarite_transport"
NAVIGO_MOIS = 90.80  # forfait Navigo Mois toutes zones au 1er janvier 2026 (VERIFICATION.md)


def logement(depcom: str, loyer: float = 500.0) -> dict:
    return {"statut_occupation_logement": "locataire_vide", "loyer": loyer, "depcom": depcom}


def couple_rsa_paris_19e() -> dict:
    """A couple without income nor children, renting in Paris 19e: the CAF pays them the RSA."""
    return {"mois": MOIS, "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 40, "activite": "inactif", "handicap": False},
        {"id": "conjoint", "role": "conjoint", "age": 38, "activite": "inactif", "handicap": False,
         "statut_marital": "marie"},
    ], "logement": {**logement("75119"), "parisien": True}}


def css_saint_denis() -> dict:
    """A person alone on 750 € of unemployment benefit (ARE): no RSA, CSS without participation."""
    return {"mois": MOIS, "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 45, "activite": "chomeur", "chomage_net": 750.0,
         "handicap": False, "ass_precondition_remplie": False},
    ], "logement": logement("93066")}


def ass_creteil() -> dict:
    """A job seeker at the end of his rights who worked 5 of the last 10 years (ASS), with an alimony of
    500 € that puts him above the CSS ceiling and out of the RSA: the ASS alone gives the 75 % reduction."""
    return {"mois": MOIS, "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 52, "activite": "chomeur", "handicap": False,
         "ass_precondition_remplie": True, "pensions_alimentaires_percues": 500.0},
    ], "logement": logement("94028")}


def salarie(depcom: str) -> dict:
    return {"mois": MOIS, "individus": [
        {"id": "demandeur", "role": "demandeur", "age": 40, "activite": "actif", "salaire_net": 2500.0,
         "handicap": False},
    ], "logement": logement(depcom, 900.0)}


def aides(client, body: dict) -> dict[str, dict]:
    response = client.post("/api/v1/simulate", json=body)
    assert response.status_code == 200, response.text
    return {aide["id"]: aide for aide in response.json()["aides"]}


def test_the_territory_covers_the_eight_departements_only():
    for depcom in ("75119", "77288", "78646", "91228", "92012", "93066", "94028", "95127"):
        assert "ile_de_france" in {t.id for t in territories_of(depcom)}, depcom
    assert "ile_de_france" not in {t.id for t in territories_of("69383")}
    assert {t.id for t in territories_of("75119")} == {"paris", "ile_de_france"}


def test_a_couple_on_rsa_in_paris_19e_travels_free(client, engine):
    aide = aides(client, couple_rsa_paris_19e())[AIDE]
    assert aide["calculable"] is True and aide["eligible"] is True
    assert aide["montant"] == pytest.approx(2 * NAVIGO_MOIS)  # both members of the RSA household
    notices = " ".join(aide.get("avertissements") or [])
    assert "Solidarité Gratuité" in notices and "3 mois" in notices


def test_a_person_with_the_css_in_saint_denis_gets_75_percent(client):
    aide = aides(client, css_saint_denis())[AIDE]
    assert aide["eligible"] is True
    assert aide["montant"] == pytest.approx(0.75 * NAVIGO_MOIS)
    notices = " ".join(aide.get("avertissements") or [])
    assert "Réduction Solidarité 75 %" in notices and "22,70" in notices


def test_a_job_seeker_on_ass_in_creteil_gets_75_percent(client):
    result = aides(client, ass_creteil())
    assert result["ass"]["montant"] > 0
    aide = result[AIDE]
    assert aide["eligible"] is True
    assert aide["montant"] == pytest.approx(0.75 * NAVIGO_MOIS)


def test_the_ame_declared_through_the_api_gives_50_percent(client):
    """An AME holder with a 1 400 € alimony: above the RSA and CSS ceilings, so the AME alone counts."""
    body = salarie("75118")
    body["individus"][0].update(activite="inactif", salaire_net=0.0, pensions_alimentaires_percues=1400.0,
                                idf_aide_medicale_etat=True)
    aide = aides(client, body)[AIDE]
    assert aide["eligible"] is True and aide["montant"] == pytest.approx(0.5 * NAVIGO_MOIS)
    assert "Réduction 50 %" in " ".join(aide.get("avertissements") or [])


def test_a_household_above_every_threshold_has_no_right_and_is_told_why(client):
    aide = aides(client, salarie("75115"))[AIDE]
    assert aide["calculable"] is True and aide["eligible"] is False and not aide["montant"]
    reasons = " ".join(aide["raisons"])
    assert "Pas de droit" in reasons
    assert "RSA" in reasons and "Complémentaire santé solidaire" in reasons and "ASS" in reasons


def test_a_household_outside_ile_de_france_is_not_offered_it(client):
    assert AIDE not in aides(client, salarie("69383"))
    body = css_saint_denis()
    body["logement"]["depcom"] = "69383"
    assert AIDE not in aides(client, body)


def test_the_aid_is_listed_under_its_theme(client):
    listed = {a["id"]: a for a in client.get("/api/v1/aides").json()}
    assert listed[AIDE]["theme"] == "ile_de_france_mobilites"


@pytest.mark.parametrize(("mois", "navigo"), [("2021-01", 75.20), ("2024-01", 86.40)])
def test_every_month_the_simulator_accepts_has_the_prices_of_its_time(client, mois, navigo):
    """The API accepts months from 2021-01: the extension's parameters cover them (a Navigo price starting in 2025
    made every earlier month a 500). Prices: 75,20 € frozen until 2022, 86,40 € in 2024 (IDFM, see the YAML)."""
    assert FIRST_MONTH >= "2021-01", "les paramètres d'Île-de-France commencent en 2020 : les faire remonter"
    aide = aides(client, {**couple_rsa_paris_19e(), "mois": mois})[AIDE]
    assert aide["calculable"] is True and aide["eligible"] is True
    assert aide["montant"] == pytest.approx(2 * navigo)
