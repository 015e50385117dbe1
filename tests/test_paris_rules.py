"""The Paris rules as the règlement municipal writes them, through the API and the questionnaire.

Disability is attested by the titles of Titre III/A art. 2 (asked in the facts registry), not by a rate
alone; an owner without a loan is asked the charges Titre IV 2.1 b/2 counts.
"""

from __future__ import annotations

from web_flow import answers_for, household_from_results, run_flow

from simulator.household import Household

MOIS = "2026-11"


def pensionne(titre: bool | None, pension: float = 700.0) -> dict:
    demandeur = {"id": "demandeur", "role": "demandeur", "age": 50, "activite": "inactif", "handicap": True,
                 "taux_incapacite": 0.5, "pensions_invalidite": pension, "paris_impot_revenu": 0,
                 "paris_complementaire_sante_payante": False, "paris_pass_renouvellement": False}
    if titre is not None:
        demandeur["paris_titre_handicap"] = titre
    return {"mois": MOIS, "individus": [demandeur],
            "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 700.0, "depcom": "75119",
                         "parisien": True}}


def aides(client, body: dict) -> dict[str, dict]:
    response = client.post("/api/v1/simulate", json=body)
    assert response.status_code == 200, response.text
    return {aide["id"]: aide for aide in response.json()["aides"]}


def test_a_second_group_invalidity_pension_attests_disability(client):
    granted = aides(client, pensionne(True))
    assert granted["paris_pass_access"]["eligible"] is True
    assert granted["paris_solidarite"]["eligible"] is True
    refused = aides(client, pensionne(False))
    assert refused["paris_pass_access"]["eligible"] is False
    assert refused["paris_pass_access"]["calculable"] is True
    assert "titres du règlement" in " ".join(refused["paris_pass_access"]["raisons"])


def test_an_unanswered_title_is_not_taken_as_none(client):
    """Without the answer, both are tried: the Pass Paris Access' depends on it, so it is not calculable."""
    result = aides(client, pensionne(None))
    assert result["paris_pass_access"]["calculable"] is False
    assert "titres de handicap" in " ".join(result["paris_pass_access"]["raisons"])


def test_a_title_answer_that_is_not_yes_or_no_is_a_french_422(client):
    response = client.post("/api/v1/simulate", json=pensionne("pension"))
    assert response.status_code == 422
    assert "paris_titre_handicap" in response.text
    assert "doit valoir true ou false" in response.text


def test_the_questionnaire_asks_the_titles_of_a_disabled_person(client):
    household = Household.model_validate(pensionne(True))
    answers = answers_for(household)
    assert answers["x.paris_titre_handicap"] == "oui"
    _, html = run_flow(client, answers)  # a field not shown is not sent: the answer comes back only if asked
    assert household_from_results(html).individus[0].model_extra["paris_titre_handicap"] is True


def test_the_questionnaire_does_not_ask_the_titles_without_a_disability(client):
    data = pensionne(False)
    data["individus"][0].update(handicap=False, taux_incapacite=None)
    _, html = run_flow(client, answers_for(Household.model_validate(data)))
    assert "paris_titre_handicap" not in (household_from_results(html).individus[0].model_extra or {})


def proprietaires() -> dict:
    return {
        "mois": MOIS,
        "individus": [
            {"id": "demandeur", "role": "demandeur", "age": 40, "activite": "actif", "salaire_net": 1000.0,
             "handicap": False},
            {"id": "conjoint", "role": "conjoint", "age": 40, "activite": "actif", "salaire_net": 800.0,
             "handicap": False, "statut_marital": "marie"},
            {"id": "enfant_1", "role": "enfant", "age": 5, "handicap": False, "garde_alternee": False,
             "scolarite": "maternelle"},
            {"id": "enfant_2", "role": "enfant", "age": 8, "handicap": False, "garde_alternee": False,
             "scolarite": "primaire"},
        ],
        "logement": {"statut_occupation_logement": "proprietaire", "charges_locatives": 200.0,
                     "depcom": "75120", "parisien": True},
    }


def test_owners_without_a_loan_are_asked_their_charges(client, engine):
    """Titre IV 2.1 b/2: for owners, the gross housing cost is the co-ownership charges."""
    household = Household.model_validate(proprietaires())
    _, html = run_flow(client, answers_for(household))
    built = household_from_results(html)
    assert built.logement.charges_locatives == 200.0
    assert engine.simulate(built).aide("paris_logement_familles").montant == 116
    assert aides(client, proprietaires())["paris_logement_familles"]["montant"] == 116


def couple_partenaire_pensionne(titre: bool | None) -> dict:
    """A couple where only the PARTNER is disabled, living on a 2nd-group invalidity pension (700 €)."""
    demandeur = {"id": "demandeur", "role": "demandeur", "age": 45, "activite": "inactif", "handicap": False,
                 "paris_impot_revenu": 0, "paris_complementaire_sante_payante": False,
                 "paris_pass_renouvellement": False}
    conjoint = {"id": "conjoint", "role": "conjoint", "age": 50, "activite": "inactif", "handicap": True,
                "taux_incapacite": 0.5, "pensions_invalidite": 700.0, "statut_marital": "marie"}
    if titre is not None:
        conjoint["paris_titre_handicap"] = titre
    return {"mois": MOIS, "individus": [demandeur, conjoint],
            "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 700.0, "depcom": "75119",
                         "parisien": True}}


def test_the_partners_invalidity_pension_attests_disability(client):
    """Titre III/A art. 2: « pension d'invalidité … 2e ou 3e groupe » attests the disability of either
    partner; Paris Solidarité (Titre III 1.1 a/1) is open to a couple one of whom is disabled."""
    granted = aides(client, couple_partenaire_pensionne(True))
    assert granted["paris_solidarite"]["eligible"] is True
    assert granted["paris_solidarite"]["montant"] > 0
    refused = aides(client, couple_partenaire_pensionne(False))
    assert refused["paris_solidarite"]["eligible"] is False


def test_the_questionnaire_asks_the_titles_of_a_disabled_partner(client):
    household = Household.model_validate(couple_partenaire_pensionne(True))
    answers = answers_for(household)
    keys = [k for k in answers if k.endswith("paris_titre_handicap")]
    assert keys, answers
    pages, html = run_flow(client, answers)
    built = household_from_results(html)
    conjoint = next(p for p in built.individus if p.role == "conjoint")
    assert (conjoint.model_extra or {}).get("paris_titre_handicap") is True, pages
    demandeur = next(p for p in built.individus if p.role == "demandeur")
    assert "paris_titre_handicap" not in (demandeur.model_extra or {})  # not disabled: not asked
    result = aides(client, built.model_dump(mode="json", exclude_none=True))
    assert result["paris_solidarite"]["eligible"] is True


def test_the_caseworker_page_asks_the_partner_too(client):
    """The caseworker form has the partner's own titles question (field x.c.…), read into the partner."""
    answers = answers_for(Household.model_validate(couple_partenaire_pensionne(True)))
    assert answers.get("x.c.paris_titre_handicap") == "oui" and "x.paris_titre_handicap" not in answers
    page = client.post("/accompagnement", data=answers)
    assert page.status_code == 200
    assert 'name="x.c.paris_titre_handicap"' in page.text
    assert "votre conjoint a-t-il l&#39;un de ces titres" in page.text
    panels = {titre: client.post("/accompagnement/resultats", data={**answers, "x.c.paris_titre_handicap": titre})
              for titre in ("oui", "non")}
    expected = aides(client, couple_partenaire_pensionne(True))["paris_solidarite"]["montant"]
    assert f'id="r-paris_solidarite" data-aide="paris_solidarite" data-montant="{expected}"' in panels["oui"].text
    assert 'id="r-paris_solidarite"' not in panels["non"].text  # refused: not among the aids to claim
