"""The territories' files (simulator/territories.py): Paris's territory.yaml gives what the core used to
hard-code (theme, heading, help offices, coverage, the OpenFisca zone), coverage by départements works,
and a broken file stops start-up with a French message naming it."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_flow import run_flow

from simulator.catalog import theme_label
from simulator.household import Household
from simulator.paths import ROOT
from simulator.situation import build_situation
from simulator.territories import Couverture, load_territory, territories, territories_of
from simulator.territory import applies_to, code_postal_prefixes
from simulator.web.forms.household import household_to_state
from simulator.web.presentation import office_for

PARIS_ANSWERS = {
    "couple": "non", "nb_enfants": "0", "d.age": "70", "d.activite": "retraite", "d.handicap": "non",
    "d.retraite_nette": "700", "l.statut": "locataire_vide", "l.loyer": "500", "l.commune": "75019",
    "x.parisien": "oui", "mois": "2026-11", "action": "recalculer",
}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture(scope="module")
def client():
    from simulator.api.app import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


def test_paris_is_read_from_its_territory_file():
    paris = next(t for t in territories() if t.id == "paris")
    assert (paris.nom, paris.theme.id, paris.theme.libelle) == ("Ville de Paris", "ville_de_paris", "Ville de Paris")
    assert theme_label("ville_de_paris") == "Ville de Paris" and theme_label("logement") == "Logement"
    assert paris.formulaires.titre == "Questions des aides de la Ville de Paris"
    assert paris.formulaires.note == "Seulement pour un logement à Paris."
    covered = ["75056", *(f"751{i:02d}" for i in range(1, 21))]
    assert all(paris.covers(code) for code in covered)
    assert not any(paris.covers(code) for code in ("75121", "92012", "69387", None))
    # Paris names its arrondissements, Île-de-France covers the whole département: the most local first.
    assert [t.id for t in territories_of("75119")] == ["paris", "ile_de_france"] and territories_of("69387") == []
    assert "75019" in code_postal_prefixes(paris.couverture) and "75116" in code_postal_prefixes(paris.couverture)


def test_paris_offices_are_as_before():
    assert office_for("75119") == {
        "nom": "Espace parisien des solidarités (EPS) du 19e arrondissement", "adresse": None,
        "lien": "https://www.paris.fr", "telephone": "3975", "theme": "ville_de_paris",
        "titre": "Être aidé près de chez vous, à Paris", "lieu": "Paris", "article": "L'", "site": "paris.fr",
        "recherche": "Espace parisien des solidarités",
        "telephone_texte": "numéro d'information de la Ville de Paris"}
    assert office_for("75101")["nom"] == "Espace parisien des solidarités (EPS) de Paris Centre (1er arrondissement)"
    assert office_for("75056")["nom"] == "Espace parisien des solidarités (EPS) de votre arrondissement"
    assert office_for("69387") is None and office_for(None) is None


def test_whole_city_code_concerns_its_arrondissements_aids():
    assert applies_to(["751"], "75056") and applies_to(["751", "75056"], "75119")
    assert applies_to(["75"], "75056") and applies_to(["75110"], "75056")
    assert not applies_to(["751"], "69123") and applies_to(["6938"], "69123")
    assert not applies_to(["751"], "92012") and applies_to(None, "92012") and not applies_to(["751"], None)


def test_arrondissements_get_the_social_housing_zone_of_paris():
    def zone(depcom: str):
        household = Household.model_validate({
            "mois": "2026-11", "individus": [{"id": "d", "role": "demandeur", "age": 40}],
            "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 500, "depcom": depcom}})
        return build_situation(household)["menages"]["menage"].get("zone_logement_social", {}).get("2026-11")

    assert zone("75119") == "paris_communes_limitrophes"
    assert zone("69387") is None


def test_paris_pages_show_heading_theme_and_office_as_before(client):
    home = text_of(client.get("/").text)
    assert "Les aides de la Ville de Paris, si vous habitez à Paris." in home
    page = client.post("/accompagnement", data=PARIS_ANSWERS)
    assert page.status_code == 200
    section = re.search(r'<details class="acc-section" id="s-local-paris" (open)?[^>]*>(.*?)</details>',
                        page.text, re.S)
    assert section and section.group(1) == "open"
    assert "Questions des aides de la Ville de Paris" in section.group(2)
    assert "Seulement pour un logement à Paris." in unescape(section.group(2))
    assert ("Accompagnement à Paris : Espace parisien des solidarités (EPS) du 19e arrondissement – 3975."
            in text_of(page.text))


def test_paris_results_page_keeps_its_help_box_and_theme(client):
    household = Household.model_validate({
        "mois": "2026-11",
        "individus": [{"id": "d", "role": "demandeur", "age": 70, "activite": "retraite", "retraite_nette": 700,
                       "handicap": False, "paris_complementaire_sante_payante": False,
                       "paris_pass_renouvellement": False}],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 500, "depcom": "75119",
                     "parisien": True}})
    _pages, results = run_flow(client, household_to_state(household))
    text = text_of(results)
    assert "Être aidé près de chez vous, à Paris" in text
    assert ("L'Espace parisien des solidarités (EPS) du 19e arrondissement peut vous aider à faire vos demandes, "
            "gratuitement. Son adresse et ses horaires sont sur paris.fr (cherchez « Espace parisien des "
            "solidarités »). Vous pouvez aussi appeler le 3975 (numéro d'information de la Ville de Paris).") in text
    assert "(CAF, MSA, caisse de retraite, Île-de-France Mobilités, Ville de Paris…)" in text  # every territory
    assert '<h3 class="titre-groupe" id="g-eligible-ville_de_paris">Ville de Paris</h3>' in results
    assert ("Pour être accompagné : Espace parisien des solidarités (EPS) du 19e arrondissement." in text)


def test_departements_coverage_for_a_region():
    region = Couverture(departements=("75", "77", "78", "91", "92", "93", "94", "95"))
    assert region.covers("93048") and region.covers("75119") and not region.covers("69387")
    assert code_postal_prefixes(region) == ("75", "77", "78", "91", "92", "93", "94", "95")


def test_broken_territory_file_is_refused_in_french(tmp_path: Path):
    folder = tmp_path / "lyon"
    folder.mkdir()
    (folder / "territory.yaml").write_text("id: lyon\nnom: Ville de Lyon\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"Fichier de territoire invalide : .*territory\.yaml"):
        load_territory(folder)
    text = (ROOT / "extensions" / "paris" / "territory.yaml").read_text(encoding="utf-8")
    (folder / "territory.yaml").write_text(text.replace('"75056", ', '"750X6", '), encoding="utf-8")
    with pytest.raises(ValueError, match="codes commune INSEE invalides"):
        load_territory(folder)
    (folder / "territory.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="doit être le nom du dossier"):
        load_territory(folder)
    assert load_territory(tmp_path) is None  # no territory.yaml: an extension without a territory
