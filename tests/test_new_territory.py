"""A new territory is self-contained: `simulator new-aid` scaffolds it (territory.yaml included), the person
fills in its folder only, and the API, the questionnaire and the caseworker form show its aid under its
own theme label and section heading, with its help office; Paris keeps showing as before."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from scenario_files import ROOT
from web_flow import run_flow, submission

from simulator.cli import main
from simulator.engine import reset_engine
from simulator.household import Household
from simulator.web.forms.household import household_to_state

THEME_LABEL = "Aides de Ville-Test"
HEADING = "Questions des aides de Ville-Test"
QUESTION = "Habitez-vous Ville-Test depuis au moins un an ?"
OFFICE = "Maison des solidarités de Ville-Test"
COMMUNE = "69387"  # Lyon 7e arrondissement (postcode 69007)

RESIDENT_VARIABLE = '''

class villetest_resident(Variable):
    value_type = bool
    entity = Menage
    definition_period = MONTH
    label = "Habite Ville-Test depuis au moins un an"
'''

FACTS = {"faits": [{
    "id": "villetest_resident", "entite": "logement", "type": "bool", "territoires": [COMMUNE],
    "question": QUESTION, "libelle": "Habite Ville-Test depuis un an", "requis": "Répondez oui ou non.",
}]}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace("\u202f", " ").replace("\xa0", " ")


def core_files() -> set[Path]:
    return {p for p in ROOT.rglob("*") if ".venv" not in p.parts and "node_modules" not in p.parts
            and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts}


def fill_in(extension: Path) -> None:
    """What the person does after the scaffold, in the territory's folder only."""
    territory_file = extension / "territory.yaml"
    territory = yaml.safe_load(territory_file.read_text(encoding="utf-8"))
    assert "À compléter" in territory["nom"] and territory["couverture"] == {"communes": [], "departements": []}
    territory.update({
        "nom": "Ville-Test",
        "theme": {"id": territory["theme"]["id"], "libelle": THEME_LABEL},
        "couverture": {"communes": [COMMUNE], "departements": []},
        "formulaires": {"titre": HEADING, "note": "Seulement pour un logement à Ville-Test."},
        "accueil": "Les aides de Ville-Test, si vous habitez à Ville-Test.",
        "accompagnement": {
            "titre": "Être aidé près de chez vous, à Ville-Test", "lieu": "Ville-Test", "article": "La ",
            "nom_par_defaut": "Maison des solidarités", "source": "https://ville-test.example",
            "lien": "https://ville-test.example", "site": "ville-test.example",
            "lieux": {COMMUNE: {"nom": OFFICE, "adresse": "1 rue de l'Essai"}},
        },
    })
    territory_file.write_text(yaml.safe_dump(territory, allow_unicode=True), encoding="utf-8")
    entry_path = extension / "benefits" / "villetest_aide.yaml"
    entry = yaml.safe_load(entry_path.read_text(encoding="utf-8"))
    entry.update({"label": "Aide Ville-Test", "territoires": [COMMUNE],
                  "requiert": ["ressources", "villetest_resident"]})
    entry_path.write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    module = extension / "variables" / "villetest_aide.py"
    text = module.read_text(encoding="utf-8").replace("import MONTH, Famille, Variable",
                                                      "import MONTH, Famille, Menage, Variable")
    rule = 'return famille("villetest_aide_condition_ressources", period) * montant'
    assert rule in text
    text = text.replace(rule, rule + ' * famille.demandeur.menage("villetest_resident", period)')
    module.write_text(text + RESIDENT_VARIABLE, encoding="utf-8")
    (extension / "facts.yaml").write_text(yaml.safe_dump(FACTS, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def extensions(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("territoire") / "extensions"
    shutil.copytree(ROOT / "extensions" / "paris", root / "paris", ignore=shutil.ignore_patterns("__pycache__"))
    before = core_files()
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SIMULATOR_EXTENSIONS", str(root))
        assert main(["new-aid", "villetest", "villetest_aide", "--extensions-dir", str(root)]) == 0
        assert (root / "villetest" / "territory.yaml").exists()
        fill_in(root / "villetest")
        assert core_files() == before, "only the territory's folder changes"
        reset_engine()
        yield root
    reset_engine()


@pytest.fixture(scope="module")
def client(extensions: Path):
    from simulator.api.app import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


def household(depcom: str) -> dict:
    return {
        "mois": "2026-11",
        "individus": [{"id": "d", "role": "demandeur", "age": 30, "activite": "actif", "salaire_net": 900,
                       "handicap": False}],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 500, "depcom": depcom,
                     "villetest_resident": True},
    }


def test_the_api_lists_and_computes_the_aid_under_its_theme(client):
    listed = {a["id"]: a for a in client.get("/api/v1/aides").json()}
    assert listed["villetest_aide"]["theme"] == "villetest"
    result = client.post("/api/v1/simulate", json=household(COMMUNE)).json()
    aide = next(a for a in result["aides"] if a["id"] == "villetest_aide")
    assert aide["calculable"] is True and aide["eligible"] is True and aide["montant"] == 100
    assert aide["theme"] == "villetest" and aide["theme_label"] == THEME_LABEL
    elsewhere = client.post("/api/v1/simulate", json=household("75119")).json()
    assert "villetest_aide" not in {a["id"] for a in elsewhere["aides"]}
    assert "Ville-Test" in client.get("/openapi.json").json()["info"]["description"]


def test_the_questionnaire_asks_its_question_and_shows_its_theme_and_office(client):
    home = text_of(client.get("/").text)
    assert "Les aides de Ville-Test, si vous habitez à Ville-Test." in home
    assert "Les aides de la Ville de Paris, si vous habitez à Paris." in home
    answers = household_to_state(Household.model_validate(household(COMMUNE)))
    assert answers["x.villetest_resident"] == "oui"
    pages, results = run_flow(client, answers)
    assert "commune" in pages  # the page of the territory's questions
    text = text_of(results)
    groups = re.findall(r'<h3 class="titre-groupe" id="g-eligible-([^"]+)">([^<]+)</h3>', results)
    assert ("villetest", THEME_LABEL) in groups
    assert "Aide Ville-Test" in text
    assert "Être aidé près de chez vous, à Ville-Test" in text
    assert f"La {OFFICE} peut vous aider à faire vos demandes, gratuitement. Adresse : 1 rue de l'Essai." in text
    assert f"Pour être accompagné : {OFFICE}, 1 rue de l'Essai." in text  # under the aid of its theme
    assert "à Paris" not in text and "Ville de Paris" not in groups


def test_the_question_page_of_the_questionnaire_shows_the_territory_question(client):
    answers = household_to_state(Household.model_validate(household(COMMUNE)))
    response = client.get("/simulateur")
    for _ in range(30):
        if 'data-page="commune"' in response.text:
            break
        response = client.post("/simulateur", data=submission(response.text, answers))
    assert 'data-page="commune"' in response.text
    assert QUESTION in unescape(response.text)


def test_the_caseworker_form_has_a_section_per_territory(client):
    answers = {"couple": "non", "nb_enfants": "0", "d.age": "30", "d.activite": "actif", "d.handicap": "non",
               "d.salaire_net": "900", "l.statut": "locataire_vide", "l.loyer": "500", "l.commune": "69007",
               "x.villetest_resident": "oui", "mois": "2026-11", "action": "recalculer"}
    page = client.post("/accompagnement", data=answers)
    assert page.status_code == 200
    html = page.text
    section = re.search(r'<details class="acc-section" id="s-local-villetest" (open)?[^>]*>(.*?)</details>',
                        html, re.S)
    assert section and section.group(1) == "open"  # the commune is in the territory
    assert HEADING in section.group(2) and QUESTION in unescape(section.group(2))
    assert "Seulement pour un logement à Ville-Test." in unescape(section.group(2))
    assert 'data-codes-postaux="69007"' in html
    paris = re.search(r'<details class="acc-section" id="s-local-paris" (open)?[^>]*>(.*?)</details>', html, re.S)
    assert paris and paris.group(1) is None and "Questions des aides de la Ville de Paris" in paris.group(2)
    assert 'data-aide="villetest_aide" data-montant="100.0"' in html
    assert f"Accompagnement à Ville-Test : {OFFICE}, 1 rue de l'Essai." in text_of(html)
