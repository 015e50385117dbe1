"""Caseworker mode without a browser: the results fragment (the endpoint the page's script calls), the
full-page fallback, children added and removed, what-if values equal simulator.services.variation's, comparison,
calculation detail, PDF recap, answers file out and back in, and bad uploads answered in French."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from html import unescape

import pytest
from fastapi.testclient import TestClient

from simulator.services import variation
from simulator.web.forms import one_page as cf
from simulator.web.forms.answers_file import FORMAT, MAX_UPLOAD, VERSION
from simulator.web.forms.household import state_to_household
from simulator.web.presentation import montant_text

# Parent alone with two children, part-time job, HLM tenant in Paris 20e (as scenarios/parent_isole_deux_enfants).
ANSWERS = {
    "couple": "non", "nb_enfants": "2",
    "d.age": "36", "d.activite": "actif", "d.handicap": "non", "d.salaire_net": "900",
    "e1.naissance_mois": "5", "e1.naissance_annee": "2022", "e1.scolarite": "maternelle", "e1.garde_alternee": "non",
    "e1.handicap": "non",
    "e2.naissance_mois": "5", "e2.naissance_annee": "2014", "e2.scolarite": "college", "e2.garde_alternee": "non",
    "e2.handicap": "non",
    "l.statut": "locataire_hlm", "l.loyer": "520", "l.charges": "80", "l.commune": "75020", "x.parisien": "oui",
    "mois": "2026-11",
}
AMOUNT = re.compile(r'<li class="acc-aide" id="r-[^"]+" data-aide="([^"]+)" (?:data-montant="([^"]+)")?')


@pytest.fixture(scope="module")
def client():
    from simulator.api.app import create_app

    with TestClient(create_app()) as test_client:
        yield test_client


def eligible_shown(html: str) -> dict[str, float | None]:
    return {aide: float(montant) if montant else None for aide, montant in AMOUNT.findall(html)}


def expected(engine, answers: dict[str, str]):
    household = state_to_household(cf.derive_lists(dict(answers)))
    return household, engine.simulate(household)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace("\u202f", " ").replace("\xa0", " ")


def test_page_has_every_section_results_beside_and_no_store(client):
    response = client.get("/accompagnement")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    for section in ("Le foyer", "La personne accompagnée", "Son conjoint", "Le logement"):
        assert section in html
    assert '<details class="acc-section"' in html
    assert 'aria-live="polite"' in html and 'id="resultats"' in html
    assert 'value="ajouter_enfant"' in html and 'value="recalculer"' in html
    assert 'data-live="/accompagnement/resultats"' in html
    assert "Indiquez au moins l'âge" in html


def test_fragment_amounts_equal_the_engine(client, engine):
    response = client.post("/accompagnement/resultats", data=ANSWERS)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert "<html" not in html  # a fragment, not a page
    _, result = expected(engine, ANSWERS)
    wanted = {a.id: a.montant for a in result.aides if a.calculable and a.eligible}
    assert wanted and eligible_shown(html) == wanted
    for aide in result.aides:
        if aide.calculable and aide.eligible and montant_text(aide):
            assert montant_text(aide) in unescape(html)


def test_fragment_says_what_changed_from_the_hidden_previous_amounts(client):
    first = client.post("/accompagnement/resultats", data=ANSWERS).text
    previous = unescape(re.search(r'data-precedent="([^"]*)"', first).group(1))
    assert "ppa=" in previous
    second = client.post("/accompagnement/resultats",
                         data={**ANSWERS, "d.salaire_net": "1400", "precedent": previous}).text
    assert "Ce qui a changé depuis le dernier calcul" in second
    changes = re.findall(r'<li class="acc-(hausse|baisse)">(.*?)</li>', second)
    assert changes
    assert any(re.search(r"[+−]\d", text_of(body)) for _, body in changes)
    same = client.post("/accompagnement/resultats", data={**ANSWERS, "precedent": previous}).text
    assert "Aucun montant n'a changé" in same
    # A tampered previous-amounts field only loses the message, never the results.
    junk = client.post("/accompagnement/resultats", data={**ANSWERS, "precedent": "x" * 9000 + ";rsa=abc"})
    assert junk.status_code == 200 and "À demander" in junk.text


def test_fragment_waits_for_an_age_and_reports_bad_fields(client):
    assert "Indiquez au moins l'âge" in client.post("/accompagnement/resultats", data={"couple": "non"}).text
    bad = client.post("/accompagnement/resultats", data={**ANSWERS, "d.salaire_net": "beaucoup"})
    assert bad.status_code == 422
    assert "Indiquez un montant en euros" in unescape(bad.text)
    assert 'href="#f-d-salaire_net"' in bad.text


def test_full_page_fallback_recalculer_and_children(client, engine):
    page = client.post("/accompagnement", data={**ANSWERS, "action": "recalculer"})
    assert page.status_code == 200
    _, result = expected(engine, ANSWERS)
    assert eligible_shown(page.text) == {a.id: a.montant for a in result.aides if a.calculable and a.eligible}
    added = client.post("/accompagnement", data={**ANSWERS, "action": "ajouter_enfant"}).text
    assert 'id="f-e3-naissance_mois"' in added and 'name="nb_enfants" value="3"' in added
    removed = client.post("/accompagnement", data={**ANSWERS, "action": "retirer_enfant:1"}).text
    assert 'name="nb_enfants" value="1"' in removed
    assert re.search(r'id="f-e1-naissance_annee" name="e1.naissance_annee" value="2014"', removed)  # moved up
    wrong = client.post("/accompagnement", data={**ANSWERS, "d.age": "trente", "action": "recalculer"})
    assert wrong.status_code == 422
    assert "Il y a un problème" in wrong.text and 'aria-invalid="true"' in wrong.text


def test_what_if_table_equals_simulator_variation(client, engine):
    response = client.post("/accompagnement/variation",
                           data={**ANSWERS, "v.individu": "demandeur", "v.ressource": "salaire_net", "v.max": "3600"})
    assert response.status_code == 200
    html = response.text
    assert 'role="img"' in html and "<title id=\"graphe-titre\">" in html and "<table" in html
    household, _ = expected(engine, ANSWERS)
    reference = variation.vary(engine, household, "demandeur", "salaire_net", 0.0, 3600.0, 37)
    rows = re.findall(r'data-valeur="([^"]+)" data-revenu="([^"]+)"', html)
    assert [(float(v), float(r)) for v, r in rows] == [(p.valeur, p.revenu_disponible) for p in reference.points]
    assert len(re.findall(r'class="acc-ligne-falaise"', html)) == len(reference.falaises)
    if reference.falaises:
        assert "le revenu disponible baisse de" in html
    bad = client.post("/accompagnement/variation", data={**ANSWERS, "v.max": "-5", "v.ressource": "loto"})
    assert bad.status_code == 422 and "Choisissez une ressource" in unescape(bad.text)


def test_compare_duplicates_then_shows_differences(client):
    first = client.post("/accompagnement/comparer", data=ANSWERS)
    assert first.status_code == 200
    assert 'name="a:d.salaire_net" value="900"' in first.text and 'name="b:d.salaire_net" value="900"' in first.text
    assert "Le total des aides ne change pas" in unescape(first.text)
    both = {f"a:{k}": v for k, v in ANSWERS.items()} | {f"b:{k}": v for k, v in ANSWERS.items()}
    both["b:d.salaire_net"] = "1600"
    second = client.post("/accompagnement/comparer", data={**both, "action": "comparer"})
    assert second.status_code == 200
    assert "Écart" in second.text and re.search(r"<strong>[+−]\d", second.text)
    more = client.post("/accompagnement/comparer", data={**both, "action": "b:ajouter_enfant"}).text
    assert 'id="f-b-e3-naissance_mois"' in more and 'id="f-a-e3-naissance_mois"' not in more


def test_detail_is_readable(client):
    response = client.post("/accompagnement/detail/ppa", data=ANSWERS)
    assert response.status_code == 200
    html = unescape(response.text)
    assert "Détail du calcul : Prime d'activité" in html
    assert "acc-noeud" in html and "€" in html
    assert client.post("/accompagnement/detail/inconnue", data=ANSWERS).status_code == 404


def test_pdf_recap_has_every_eligible_amount(client, engine, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.post("/accompagnement/pdf", data={**ANSWERS, "nom_document": "Mme Sentinelle Zyx"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert "Sentinelle" not in caplog.text
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent (poppler-utils)")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = re.sub(r"\s+", " ", text.decode().replace("\u202f", " ").replace("\xa0", " "))
    _, result = expected(engine, ANSWERS)
    for aide in result.aides:
        if aide.calculable and aide.eligible and montant_text(aide):
            assert re.sub(r"\s+", " ", montant_text(aide).replace("\u202f", " ").replace("\xa0", " ")) in text
    assert "Mme Sentinelle Zyx" in text and "Documents à apporter" in text


def test_answers_file_round_trip(client):
    response = client.post("/accompagnement/export", data=ANSWERS)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-disposition"].startswith('attachment; filename="reponses-simulateur-')
    data = json.loads(response.content)
    assert data["format"] == FORMAT and data["version"] == VERSION
    before = eligible_shown(client.post("/accompagnement/resultats", data=ANSWERS).text)
    loaded = client.post("/accompagnement/charger", files={"fichier": ("r.json", response.content, "application/json")})
    assert loaded.status_code == 200
    assert eligible_shown(loaded.text) == before
    assert 'name="d.salaire_net" value="900"' in loaded.text
    # The same file resumes the guided questionnaire at its check-your-answers page.
    assert 'action="/simulateur/charger"' in client.get("/").text
    guided = client.post("/simulateur/charger", files={"fichier": ("r.json", response.content, "application/json")})
    assert guided.status_code == 200 and 'data-page="recapitulatif"' in guided.text


def _valid_file(client) -> dict:
    return json.loads(client.post("/accompagnement/export", data=ANSWERS).content)


@pytest.mark.parametrize(("name", "status", "message"), [
    ("pas_json", 400, "n'est pas au format JSON"),
    ("vide", 400, "Le fichier est vide"),
    ("enorme", 400, "trop gros"),
    ("tableau", 422, "n'a pas la forme"),
    ("format", 422, "format inconnu"),
    ("version", 422, "version du simulateur"),
    ("age_texte", 422, "valeur invalide"),
    ("champ_inconnu", 422, "valeur invalide"),
    ("nan", 400, "n'est pas au format JSON"),
    ("profond", 400, "n'est pas au format JSON"),
    ("binaire", 400, "n'est pas au format JSON"),
])
def test_bad_upload_gets_a_french_error(client, name, status, message):
    good = _valid_file(client)
    bodies = {
        "pas_json": b"ceci n'est pas du JSON",
        "vide": b"",
        "enorme": b" " * (MAX_UPLOAD + 10) + b"{}",
        "tableau": b"[1, 2, 3]",
        "format": json.dumps({**good, "format": "autre"}).encode(),
        "version": json.dumps({**good, "version": 99}).encode(),
        "age_texte": json.dumps({**good, "individus": [{**good["individus"][0], "age": "trente"}]}).encode(),
        "champ_inconnu": json.dumps({**good, "pirate": True}).encode(),
        "nan": json.dumps(good).replace('"age": 36', '"age": NaN').encode(),
        "profond": b"[" * 50_000 + b"]" * 10,
        "binaire": bytes(range(256)) * 10,
    }
    response = client.post("/accompagnement/charger", files={"fichier": ("r.json", bodies[name], "application/json")})
    assert response.status_code == status, response.text[:500]
    html = unescape(response.text)
    assert message in html
    assert "Il y a un problème" in html and 'href="#f-fichier"' in html


def test_upload_without_a_file_or_not_multipart(client):
    missing = client.post("/accompagnement/charger", data={"x": "y"})
    assert missing.status_code == 400 and "Choisissez un fichier" in unescape(missing.text)
    raw = client.post("/accompagnement/charger", content=b"--abc\r\nbroken", headers={
        "Content-Type": "multipart/form-data; boundary=abc"})
    assert raw.status_code == 400
    wrong_field = client.post("/accompagnement/charger", files={"autre": ("r.json", b"{}", "application/json")})
    assert wrong_field.status_code == 400


def test_corrupted_etat_is_a_french_400(client):
    response = client.post("/accompagnement", data={"etat": "%%%pas-du-base64", "action": "recalculer"})
    assert response.status_code == 400
    assert "n'ont pas pu être lues" in unescape(response.text)
