"""The person alone leaves with something (issue 14): the questionnaire's results offer print, the PDF
recap and the answers file without JavaScript; the recap of the family of five fits on 3 pages with the
claimable aids on page 1 and no row split; refusals that cannot concern a household are folded away."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from web_flow import answers_for, run_flow, scenario_answers, scenario_household  # noqa: E402

from simulator.french_dates import MOIS  # noqa: E402
from simulator.web.forms import one_page as cf  # noqa: E402
from simulator.web.presentation import montant_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FOUR = ("celibataire_smic_locataire_paris", "parent_isole_deux_enfants", "retraitee_petite_pension",
        "couple_trois_enfants_un_salaire")


def results_of(client, scenario: str) -> str:
    answers, _ = scenario_answers(ROOT / "scenarios" / f"{scenario}.yaml")
    return run_flow(client, answers)[1]


def etat_of(html: str) -> str:
    return unescape(re.search(r'name="etat" value="([^"]+)"', html).group(1))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def pdf_pages(content: bytes, tmp_path: Path) -> list[str]:
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("pdftotext absent (poppler-utils)")
    path = tmp_path / "recap.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [flat(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                                capture_output=True, check=True, text=True).stdout) for n in range(1, count + 1)]


def refused_cards(html: str) -> set[str]:
    """The refusals shown in the main list (not those folded under « ne concernent pas »)."""
    return set(re.findall(r'class="carte-aide carte-refusee" id="aide-[^"]+" data-aide="([^"]+)"', html))


def folded(html: str) -> set[str]:
    block = re.search(r'<details class="hors-situation">(.*?)</details>', html, re.S)
    return set(re.findall(r'data-aide="([^"]+)"', block.group(1))) if block else set()


def test_results_offer_print_pdf_and_answers_file_without_javascript(client):
    html = results_of(client, "celibataire_smic_locataire_paris")
    for action in ("/simulateur/pdf", "/simulateur/export"):
        form = re.search(rf'<form method="post" action="{action}"[^>]*>(.*?)</form>', html, re.S)
        assert form, action
        assert 'type="hidden" name="etat"' in form.group(1) and 'type="submit"' in form.group(1)
    assert "data-imprimer" in html and "Imprimer cette page" in html
    assert 'class="sans-impression"' in html  # refusals are left off the printed page


def test_results_pdf_and_answers_file(client, tmp_path):
    html = results_of(client, "celibataire_smic_locataire_paris")
    etat = etat_of(html)
    pdf = client.post("/simulateur/pdf", data={"etat": etat})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["cache-control"] == "no-store" and "set-cookie" not in pdf.headers
    assert pdf.headers["content-disposition"].startswith('attachment; filename="recapitulatif-droits-')
    text = " ".join(pdf_pages(pdf.content, tmp_path))
    for label in re.findall(r'<li class="carte-aide carte-eligible"[^>]*>\s*<h4 class="aide-titre">([^<]+)</h4>', html):
        assert flat(unescape(label)) in text
    answers = client.post("/simulateur/export", data={"etat": etat})
    assert answers.status_code == 200 and "set-cookie" not in answers.headers
    assert answers.headers["content-disposition"].startswith('attachment; filename="reponses-simulateur-')
    json.loads(answers.content)
    resumed = client.post("/simulateur/charger", files={"fichier": ("r.json", answers.content, "application/json")})
    assert resumed.status_code == 200 and 'data-page="recapitulatif"' in resumed.text
    # Unreadable answers: a French page, never a 500.
    assert client.post("/simulateur/pdf", data={"etat": "abîmé"}).status_code == 400
    assert client.post("/simulateur/export", data={"etat": "abîmé"}).status_code == 400


def test_family_of_five_pdf_fits_three_pages_without_split_rows(client, engine, tmp_path):
    household = scenario_household(ROOT / "scenarios" / "couple_trois_enfants_un_salaire.yaml")
    html = results_of(client, "couple_trois_enfants_un_salaire")
    pdf = client.post("/simulateur/pdf", data={"etat": etat_of(html)})
    assert pdf.status_code == 200
    pages = pdf_pages(pdf.content, tmp_path)
    assert len(pages) <= 3, len(pages)
    result = engine.simulate(household)
    eligible = [a for a in result.aides if a.calculable and a.eligible]
    assert eligible
    first = pages[0]
    assert "Les aides que vous pouvez demander" in first and "Documents à apporter" in " ".join(pages[:2])
    words = set(first.split())
    for aide in eligible:  # each row of the table: its name (a cell may wrap) and its amount on page 1
        assert set(flat(aide.label).split()) <= words, aide.label
        if montant_text(aide):
            assert flat(montant_text(aide)) in first, montant_text(aide)
    # The situation's table: each row's label and value on one page.
    from simulator.web.caseworker.page import state_from_household
    for _, rows in cf.facts(state_from_household(household)):
        for label, value in rows:
            assert any(flat(label) in page and flat(value) in page for page in pages), (label, value)
    # Lists are lists, not sentences run together with " ; ".
    assert not re.search(r"\. ; [A-Z]", " ".join(pages))


@pytest.mark.parametrize("scenario", FOUR)
def test_reference_households_see_no_absurd_refusal(client, scenario):
    html = results_of(client, scenario)
    household = scenario_household(ROOT / "scenarios" / f"{scenario}.yaml")
    shown = refused_cards(html)
    enfants = household.enfants
    if not enfants:
        assert not shown & {"paje_base", "asf", "aeeh", "af", "cf", "ars", "bourse_college", "bourse_lycee"}
        assert "pension alimentaire déclarée" not in unescape(html).split('class="hors-situation"')[0]
    if not any(household.age_of(e) < 3 for e in enfants):
        assert "paje_base" not in shown
    if all(household.age_of(a) > 25 for a in household.adultes):
        assert "contrat_engagement_jeune" not in shown
    if all(household.age_of(a) < 60 for a in household.adultes):
        assert "aspa" not in shown
    # What is folded is still there, under one line, never lost.
    assert not shown & folded(html)


def test_single_34_year_old_and_72_year_old(client):
    single = scenario_household(ROOT / "scenarios" / "celibataire_smic_locataire_paris.yaml")
    single.individus[0].age = 34
    html = run_flow(client, answers_for(single))[1]
    shown, hidden = refused_cards(html), folded(html)
    assert not shown & {"paje_base", "asf", "aeeh"} and {"paje_base", "asf", "aeeh"} <= hidden
    assert re.search(r"<summary>\d+ autres aides ne concernent pas votre situation", html)
    old = results_of(client, "retraitee_petite_pension")
    assert not refused_cards(old) & {"paje_base", "contrat_engagement_jeune"}
    assert {"paje_base", "contrat_engagement_jeune"} <= folded(old)


def test_wording_month_amounts_ars_and_school_hint(client, engine):
    html = unescape(results_of(client, "couple_trois_enfants_un_salaire"))
    household = scenario_household(ROOT / "scenarios" / "couple_trois_enfants_un_salaire.yaml")
    assert re.search(rf"pour ({'|'.join(MOIS)}) \d{{4}}\.", html)
    assert not re.search(r"pour le mois de \d\d/\d{4}", html)
    result = engine.simulate(household)
    ars = next(a for a in result.aides if a.id == "ars")
    if ars.eligible:
        assert "en une fois, versée fin août, pour la rentrée scolaire" in flat(html)
    # The recap writes amounts the French way: "1 900 € par mois", not "1900 € par mois".
    answers, _ = scenario_answers(ROOT / "scenarios" / "couple_trois_enfants_un_salaire.yaml")
    recap = client.post("/simulateur", data={"etat": etat_of(html), "page": "resultats",
                                             "action": "aller:recapitulatif"}).text
    assert "1\u202f900 € par mois" in recap and "1900 € par mois" not in recap
    question = client.get("/simulateur").text
    assert "Obligatoire à partir de 10 ans" not in question
    from simulator.registry import core_facts
    assert "Obligatoire" not in (core_facts()["scolarite"].aide or "")


def test_docs_page_has_landmark_and_heading(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "<main>" in page.text and "<h1" in page.text
