"""Paris aids say why they are refused, with the figures (and by how much when the margin is small),
and say when an amount depends on the CASVP's reading of the règlement (AAH floor of a couple,
III 1.1 b/4): through the API, on the questionnaire's results, the caseworker panel and the PDF recap.

Real OpenFisca results, no mocks. Ceilings are read from the rules for the household (they are
revalued), so that each case stays "just over" or "far over" its ceiling.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape

import pytest
from web_flow import aah_household, answers_for, run_flow

from simulator.household import Household

MOIS = "2026-11"
PARIS = {"statut_occupation_logement": "locataire_vide", "loyer": 900.0, "depcom": "75119", "parisien": True}
PARIS_FACTS = {"paris_complementaire_sante_payante": False, "paris_pass_renouvellement": False}
NOTICE_ARTICLE = "(Titre III 1.1, article b/4)"


def plain(text: str) -> str:
    """Spaces as a reader sees them (the messages use no-break and narrow no-break spaces)."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def whole(value: float) -> str:
    """1440.0 -> "1 440", as the messages write resources and ceilings."""
    return f"{round(value):,}".replace(",", " ")


def person(**facts) -> dict:
    return {"id": "demandeur", "role": "demandeur", "age": 40, "activite": "actif", "handicap": False,
            **PARIS_FACTS, **facts}


def household(*individus: dict, **logement) -> dict:
    return {"mois": MOIS, "individus": list(individus), "logement": {**PARIS, **logement}}


def figure(engine, body: dict, variable: str) -> float:
    """What the rules compute for the demandeur's entity (a ceiling, the resources they count)."""
    data = Household.model_validate(body)
    return float(engine.run([data]).at_demandeur(variable, MOIS)[0])


def aide(client, body: dict, benefit: str) -> dict:
    response = client.post("/api/v1/simulate", json=body)
    assert response.status_code == 200, response.text
    return next(a for a in response.json()["aides"] if a["id"] == benefit)


def refusal(client, body: dict, benefit: str) -> str:
    result = aide(client, body, benefit)
    assert result["calculable"] and not result["eligible"], result
    assert len(result["raisons"]) == 1, result["raisons"]
    return plain(result["raisons"][0])


# Refusals with figures -----------------------------------------------------------------------------


def test_paris_logement_just_over_the_ceiling_says_by_how_much(client, engine):
    ceiling = figure(engine, household(person(salaire_net=1000.0)), "paris_logement_plafond")
    body = household(person(salaire_net=ceiling + 40))
    assert refusal(client, body, "paris_logement") == (
        f"Vos ressources, {whole(ceiling + 40)} € par mois, dépassent de 40 € par mois le plafond de "
        f"{whole(ceiling)} € (le SMIC net, arrondi à la dizaine supérieure).")


def test_paris_logement_far_over_the_ceiling_gives_both_figures_without_the_margin(client, engine):
    ceiling = figure(engine, household(person(salaire_net=1000.0)), "paris_logement_plafond")
    body = household(person(salaire_net=2 * ceiling))
    assert refusal(client, body, "paris_logement") == (
        f"Vos ressources, {whole(2 * ceiling)} € par mois, dépassent le plafond de {whole(ceiling)} € "
        "(le SMIC net, arrondi à la dizaine supérieure).")


def test_paris_logement_published_ceiling_is_called_published_not_the_smic(client, engine):
    """January 2024: the published 1,330 € applies (the SMIC rule would give 1,400 €); the message says so."""
    body = {**household(person(salaire_net=1400.0)), "mois": "2024-01"}
    data = Household.model_validate(body)
    ceiling = float(engine.run([data]).at_demandeur("paris_logement_plafond", "2024-01")[0])
    assert ceiling == 1330
    message = refusal(client, body, "paris_logement")
    assert message == ("Vos ressources, 1 400 € par mois, dépassent de 70 € par mois le plafond de 1 330 € "
                       "(plafond publié par la Ville de Paris pour cette période).")
    assert "SMIC" not in message


def test_paris_logement_ceiling_of_a_couple_with_a_child_is_not_called_the_smic(client, engine):
    body = household(person(salaire_net=1000.0), {"id": "conjoint", "role": "conjoint", "age": 40,
                                                   "activite": "actif", "salaire_net": 700.0, "handicap": False},
                     {"id": "enfant_1", "role": "enfant", "age": 5, "handicap": False, "garde_alternee": False,
                      "scolarite": "maternelle"})
    ceiling = figure(engine, body, "paris_logement_plafond")
    message = refusal(client, body, "paris_logement")
    assert message.startswith(f"Vos ressources, {whole(figure(engine, body, 'paris_base_ressources'))} € par mois, ")
    assert message.endswith(
        f"le plafond de {whole(ceiling)} € fixé par le Conseil de Paris pour un couple avec un enfant.")
    assert "SMIC" not in message


def test_paris_logement_effort_rate_shows_the_rate_and_the_minimum(client):
    body = household(person(salaire_net=1300.0), loyer=300.0)
    message = refusal(client, body, "paris_logement")
    assert re.fullmatch(
        r"Votre loyer, avec un forfait pour les charges et une fois déduite l'aide au logement, représente "
        r"\d{1,2}(,\d)? % de vos ressources : il faut au moins 30 %\.", message), message


def test_plfm_just_over_its_ceiling(client, engine):
    child = {"id": "enfant_1", "role": "enfant", "age": 8, "handicap": False, "garde_alternee": False,
             "scolarite": "primaire"}
    ceiling = figure(engine, household(person(salaire_net=1000.0), child), "paris_logement_plfm_plafond")
    body = household(person(salaire_net=ceiling + 50), child)
    assert refusal(client, body, "paris_logement_plfm") == (
        f"Vos revenus, {whole(ceiling + 50)} € par mois, dépassent de 50 € par mois le plafond de "
        f"{whole(ceiling)} € fixé par le Conseil de Paris.")


def test_paris_solidarite_just_over_its_ceiling(client, engine):
    retiree = {"age": 70, "activite": "retraite"}
    ceiling = figure(engine, household(person(**retiree, retraite_nette=900.0)), "paris_solidarite_plafond")
    body = household(person(**retiree, retraite_nette=ceiling + 60))
    assert refusal(client, body, "paris_solidarite") == (
        f"Vos ressources, {whole(ceiling + 60)} € par mois, dépassent de 60 € par mois le plafond de "
        f"{whole(ceiling)} € fixé par le Conseil de Paris pour votre situation.")


def test_paris_solidarite_far_over_its_ceiling(client, engine):
    retiree = {"age": 70, "activite": "retraite"}
    ceiling = figure(engine, household(person(**retiree, retraite_nette=900.0)), "paris_solidarite_plafond")
    body = household(person(**retiree, retraite_nette=3000.0))
    assert refusal(client, body, "paris_solidarite") == (
        f"Vos ressources, 3 000 € par mois, atteignent ou dépassent le plafond de {whole(ceiling)} € "
        "fixé par le Conseil de Paris pour votre situation.")


def test_paris_solidarite_below_the_payment_threshold_gives_the_amount_and_the_threshold(client, engine):
    retiree = {"age": 70, "activite": "retraite"}
    ceiling = figure(engine, household(person(**retiree, retraite_nette=900.0)), "paris_solidarite_plafond")
    body = household(person(**retiree, retraite_nette=ceiling - 1))
    message = refusal(client, body, "paris_solidarite")
    assert re.fullmatch(
        r"Le complément serait de (0|1)(,\d\d)? € par mois : il n'est versé que s'il dépasse 2 € par mois\. "
        r"Vos ressources sont comptées au moins au niveau du minimum vieillesse \(ou de l'AAH\)\.", message), message


@pytest.mark.parametrize(("benefit", "facts"), [
    ("paris_pass_seniors", {"age": 70, "activite": "retraite", "retraite_nette": 2500.0}),
    ("paris_pass_access", {"age": 45, "activite": "inactif", "handicap": True, "taux_incapacite": 0.8}),
])
def test_pass_paris_tax_over_the_ceiling_is_the_demandeurs(client, engine, benefit, facts):
    ceiling = figure(engine, household(person(**facts)), "paris_pass_plafond_impot")
    just_over = refusal(client, household(person(**facts, paris_impot_revenu=ceiling + 72)), benefit)
    assert just_over == (
        f"Votre impôt sur le revenu, {whole(ceiling + 72)} € (avant réductions d'impôt, sur votre dernier avis "
        f"d'imposition), dépasse de 72 € le plafond de {whole(ceiling)} € fixé par le Conseil de Paris.")
    far_over = refusal(client, household(person(**facts, paris_impot_revenu=5000.0)), benefit)
    assert far_over == (
        "Votre impôt sur le revenu, 5 000 € (avant réductions d'impôt, sur votre dernier avis d'imposition), "
        f"dépasse le plafond de {whole(ceiling)} € fixé par le Conseil de Paris.")


def test_complement_sante_refusal_gives_resources_and_ceiling(client, engine):
    retiree = {"age": 70, "activite": "retraite", "paris_complementaire_sante_payante": True}
    ceiling = figure(engine, household(person(**retiree, retraite_nette=900.0)), "paris_solidarite_plafond")
    message = refusal(client, household(person(**retiree, retraite_nette=3000.0)), "paris_complement_sante")
    assert message == (f"Vos ressources, 3 000 € par mois, dépassent le plafond de {whole(ceiling)} € fixé par le "
                       "Conseil de Paris pour votre situation (celui de Paris Solidarité).")


# The AAH floor of a couple (III 1.1 b/4): a notice, only where it changes the amount ------------------

COUPLE = aah_household(couple=True).model_dump(mode="json", exclude_none=True)
SINGLE = aah_household(couple=False).model_dump(mode="json", exclude_none=True)


def test_a_couple_with_the_aah_is_told_the_amount_depends_on_the_casvp_reading(client):
    solidarite = aide(client, COUPLE, "paris_solidarite")
    assert solidarite["eligible"]
    (notice,) = solidarite["avertissements"]
    notice = plain(notice)
    assert notice.startswith("Ce montant dépend de la lecture du règlement par le Centre d'action sociale de la "
                             "Ville de Paris (CASVP).")
    assert NOTICE_ARTICLE in notice and "« l'Allocation aux Adultes Handicapés servie à l'échelon national »" in notice
    # The other reading's amount is given, and it is lower than the one shown.
    other = float(re.search(r"Paris Solidarité serait de ([\d ]+,\d\d|[\d ]+) € par mois\.$", notice).group(1)
                  .replace(" ", "").replace(",", "."))
    assert 0 <= other < solidarite["montant"]
    others = [a["id"] for a in client.post("/api/v1/simulate", json=COUPLE).json()["aides"] if a["avertissements"]]
    assert others == ["paris_solidarite"]


def test_a_single_disabled_person_gets_no_notice(client):
    solidarite = aide(client, SINGLE, "paris_solidarite")
    assert solidarite["eligible"] and solidarite["avertissements"] == []


def test_the_notices_field_is_in_the_openapi_schema(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    field = schema["AideResult"]["properties"]["avertissements"]
    assert field["type"] == "array" and field["items"]["type"] == "string"
    assert "avertissements" not in schema["AideResult"].get("required", [])


def text_of(html: str) -> str:
    return plain(unescape(re.sub(r"<[^>]+>", " ", html)))


def _notice_in(html: str) -> bool:
    return NOTICE_ARTICLE in text_of(html)


def test_the_questionnaire_results_show_the_notice_for_the_couple_only(client):
    _, html = run_flow(client, answers_for(aah_household(couple=True)))
    card = text_of(html.split('id="aide-paris_solidarite"', 1)[1].split("</li>", 1)[0])
    assert "À savoir : Ce montant dépend de la lecture du règlement" in card and NOTICE_ARTICLE in card
    _, single = run_flow(client, answers_for(aah_household(couple=False)))
    assert 'id="aide-paris_solidarite"' in single and not _notice_in(single)


def test_the_caseworker_panel_and_pdf_show_the_notice(client):
    answers = answers_for(aah_household(couple=True))
    panel = client.post("/accompagnement/resultats", data=answers)
    assert panel.status_code == 200
    item = panel.text.split('id="r-paris_solidarite"', 1)[1].split("</li>", 1)[0]
    assert "À savoir : Ce montant dépend de la lecture du règlement" in text_of(item) and _notice_in(item)
    single = client.post("/accompagnement/resultats", data=answers_for(aah_household(couple=False)))
    assert 'id="r-paris_solidarite"' in single.text and not _notice_in(single.text)
    pdf = client.post("/accompagnement/pdf", data=answers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent (poppler-utils)")
    text = plain(subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True)
                 .stdout.decode())
    assert "À confirmer : voir « À savoir » plus bas." in text
    assert "À savoir : Ce montant dépend de la lecture du règlement" in text
    assert "article b/4" in text
