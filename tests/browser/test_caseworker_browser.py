"""Caseworker mode in Chromium: live results while typing (no click), the change shown, PDF recap with the
amounts of the page, answers file downloaded and loaded back to the same results, a corrupted file
refused in French, what-if / comparison / detail pages; axe-core finds nothing on any state; screenshots
at 1280 and 360 px in test-artifacts/screenshots/caseworker/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from browser_paths import AXE, SCREENSHOTS
from helpers import AXE_RUN, AXE_TAGS
from web_flow import aah_household, answers_for, api_body

from simulator.household import Household
from simulator.web.forms import one_page as cf
from simulator.web.forms.household import state_to_household

SHOTS = SCREENSHOTS / "caseworker"
TEXT = {"d.age": "36", "d.salaire_net": "900", "e1.naissance_annee": "2022", "e2.naissance_annee": "2014",
        "l.loyer": "520", "l.charges": "80", "l.commune": "75020"}
SELECTS = {"d.activite": "actif", "e1.naissance_mois": "5", "e2.naissance_mois": "5", "e1.scolarite": "maternelle",
           "e2.scolarite": "college",
           "l.statut": "locataire_hlm", "x.parisien": "oui"}


def field(name: str) -> str:
    return "#" + cf.field_id(name)


class Checker:
    def __init__(self, page, name: str, axe: bool = True) -> None:
        self.page, self.name, self.axe = page, name, axe
        self.violations: dict[str, list] = {}
        self.overflows: dict[str, int] = {}
        SHOTS.mkdir(parents=True, exist_ok=True)

    def state(self, label: str) -> None:
        page = self.page
        if self.axe:  # axe needs JavaScript; the pages without it are the same HTML
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(AXE_RUN, AXE_TAGS)
            if found:
                self.violations[label] = found
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(250)  # let the new width be laid out and painted
            page.screenshot(path=str(SHOTS / f"{self.name}-{label}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 320, "height": 900})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            self.overflows[label] = width
        page.set_viewport_size({"width": 1280, "height": 900})


def new_page(browser, javascript: bool = True):
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=True, locale="fr-FR",
                                  viewport={"width": 1280, "height": 900}, accept_downloads=True)
    return context.new_page()


def shown(page) -> dict[str, float]:
    return {e.get_attribute("data-aide"): float(e.get_attribute("data-montant"))
            for e in page.query_selector_all("#resultats .acc-aide[data-montant]")}


def shown_texts(page) -> list[str]:
    return [normal(e.inner_text()) for e in page.query_selector_all("#resultats .acc-aide-montant")]


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()


def fill_scenario(page) -> None:
    page.select_option(field("couple"), "non")
    page.click("button[value=ajouter_enfant]")  # JavaScript on or off, this is a full-page POST
    page.wait_for_selector(field("e1.naissance_mois"))
    page.click("button[value=ajouter_enfant]")
    page.wait_for_selector(field("e2.naissance_mois"))
    if not page.evaluate("document.getElementById('s-local-paris').open"):
        page.click("#s-local-paris > summary")  # the Paris questions, collapsed until a Paris commune is given
    for name, value in SELECTS.items():
        page.select_option(field(name), value)
    for name, value in TEXT.items():
        page.fill(field(name), value)


def api_amounts(live_server: str, answers: dict[str, str]) -> dict[str, float]:
    household: Household = state_to_household(cf.derive_lists({"couple": "non", "nb_enfants": "2", **answers}))
    body = api_body(household)
    result = httpx.post(f"{live_server}/api/v1/simulate", json=body, timeout=60).json()
    return {a["id"]: a["montant"] for a in result["aides"] if a["eligible"] and a["montant"] is not None}


def answers(salaire: str = "900") -> dict[str, str]:
    base = {**TEXT, **SELECTS, "d.handicap": "non", "d.salaire_net": salaire}
    for i in (1, 2):
        base |= {f"e{i}.handicap": "non", f"e{i}.garde_alternee": "non"}
    return base


def test_caseworker_live_results_exports_and_pages(browser, live_server, tmp_path: Path):
    page = new_page(browser)
    check = Checker(page, "js")
    page.goto(f"{live_server}/accompagnement")
    check.state("01-formulaire")

    fill_scenario(page)
    # Live: the results arrive without clicking "Recalculer".
    page.wait_for_selector("#resultats .acc-aide[data-montant]", timeout=30_000)
    page.wait_for_function("document.getElementById('acc-statut').textContent.includes('Résultats mis à jour')")
    page.wait_for_function("!document.getElementById('panneau-resultats').hasAttribute('aria-busy')")
    assert shown(page) == api_amounts(live_server, answers())
    check.state("02-resultats")

    # One fact changes: the change is shown, still without a click.
    page.fill(field("d.salaire_net"), "1400")
    page.wait_for_selector("#resultats .acc-changements", timeout=30_000)
    changes = normal(page.inner_text("#resultats .acc-changements"))
    assert re.search(r"[+−]\d[\d ,]* € par (mois|an)", changes), changes
    assert "mis à jour" in page.inner_text("#acc-statut")
    page.wait_for_function("!document.getElementById('panneau-resultats').hasAttribute('aria-busy')")
    assert shown(page) == api_amounts(live_server, answers("1400"))
    check.state("03-changement")
    amounts, texts = shown(page), shown_texts(page)

    # Browser printing gives the recap: no form, the results with the facts used.
    page.emulate_media(media="print")
    assert not page.is_visible("#saisie")
    assert page.is_visible(".acc-faits-impression") and page.is_visible("#resultats .acc-aide")
    page.emulate_media(media="screen")

    # PDF recap: valid, with each amount as written on the page.
    with page.expect_download() as download_info:
        page.click("button[formaction='/accompagnement/pdf']")
    pdf = tmp_path / "recap.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = normal(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode())
        for amount in texts:
            assert amount in text, (amount, text[:2000])

    # Answers file: downloaded, then loaded back to the same results.
    with page.expect_download() as download_info:
        page.click("button[formaction='/accompagnement/export']")
    saved = tmp_path / "reponses.json"
    download_info.value.save_as(saved)
    page.goto(f"{live_server}/accompagnement")
    page.set_input_files("#f-fichier", str(saved))
    with page.expect_navigation():
        page.click("form.acc-form-charger button[type=submit]")
    assert shown(page) == amounts
    assert page.input_value(field("d.salaire_net")) == "1400"

    # What if.
    with page.expect_navigation():
        page.click("button[formaction='/accompagnement/variation']")
    assert page.query_selector("svg.graphe[role=img]") is not None
    assert len(page.query_selector_all("table.acc-tableau tbody tr")) == 37
    check.state("04-et-si")
    with page.expect_navigation():
        page.click(".acc-retour button")
    assert shown(page) == amounts

    # Comparison: both columns filled with the same answers, then the second one changed.
    with page.expect_navigation():
        page.click("button[formaction='/accompagnement/comparer']")
    assert page.input_value("#f-b-d-salaire_net") == "1400"
    page.fill("#f-b-d-salaire_net", "2000")
    with page.expect_navigation():
        page.click("button[value=comparer] >> nth=0")
    assert "Écart" in page.inner_text("main")
    check.state("05-comparer")
    with page.expect_navigation():
        page.click(".acc-retour button")

    # Calculation detail of the first benefit.
    with page.expect_navigation():
        page.click("#resultats .acc-aide button[value=detail] >> nth=0")
    assert page.inner_text("h1").startswith("Détail du calcul")
    check.state("06-detail")

    # A wrong answer, full-page "Recalculer": error summary focused, field marked.
    with page.expect_navigation():
        page.click(".acc-retour button")
    page.fill(field("d.age"), "trente")
    with page.expect_navigation():
        page.click("button[value=recalculer] >> nth=0")
    assert page.get_attribute(field("d.age"), "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.hasAttribute('data-resume-erreurs')")
    check.state("07-erreur-saisie")

    # A corrupted answers file: a clear French error on the page.
    page.goto(f"{live_server}/accompagnement")
    page.set_input_files("#f-fichier", files=[{"name": "reponses.json", "mimeType": "application/json",
                                              "buffer": saved.read_bytes()[:-40] + b"###"}])
    with page.expect_navigation() as navigation:
        page.click("form.acc-form-charger button[type=submit]")
    assert navigation.value.status == 400
    assert "Il y a un problème" in page.inner_text("main")
    assert "n'est pas au format JSON" in page.inner_text(".resume-erreurs")
    assert page.evaluate("document.activeElement.hasAttribute('data-resume-erreurs')")
    check.state("08-erreur-fichier")

    assert check.violations == {}, check.violations
    assert check.overflows == {}, check.overflows
    assert page.context.cookies() == []
    page.context.close()


def test_caseworker_notice_is_shown_and_accessible(browser, live_server, tmp_path: Path):
    """The AAH couple (answers file loaded): Paris Solidarité carries « À savoir » (III 1.1 b/4), axe finds nothing."""
    answers_couple = answers_for(aah_household(couple=True))
    export = httpx.post(f"{live_server}/accompagnement/export", data=answers_couple, timeout=60)
    assert export.status_code == 200
    saved = tmp_path / "couple-aah.json"
    saved.write_bytes(export.content)
    page = new_page(browser)
    check = Checker(page, "avertissement")
    page.goto(f"{live_server}/accompagnement")
    page.set_input_files("#f-fichier", str(saved))
    with page.expect_navigation():
        page.click("form.acc-form-charger button[type=submit]")
    notice = normal(page.inner_text("#r-paris_solidarite .acc-a-savoir"))
    assert notice.startswith("À savoir") and "article b/4" in notice
    check.state("01-avertissement")
    assert check.violations == {}, check.violations
    assert check.overflows == {}, check.overflows
    page.context.close()


def test_caseworker_without_javascript(browser, live_server):
    page = new_page(browser, javascript=False)
    check = Checker(page, "sans-js", axe=False)
    page.goto(f"{live_server}/accompagnement")
    fill_scenario(page)
    assert page.query_selector("#resultats .acc-aide") is None  # nothing live without JavaScript
    with page.expect_navigation():
        page.click("button[value=recalculer] >> nth=0")
    assert shown(page) == api_amounts(live_server, answers())
    page.fill(field("d.salaire_net"), "1400")
    with page.expect_navigation():
        page.click("button[value=recalculer] >> nth=0")
    assert re.search(r"[+−]\d", page.inner_text("#resultats .acc-changements"))
    check.state("01-recalcule")
    page.fill(field("d.age"), "trente-six")
    with page.expect_navigation():
        page.click("button[value=recalculer] >> nth=0")
    assert page.get_attribute(field("d.age"), "aria-invalid") == "true"
    check.state("02-erreur-saisie")
    assert check.violations == {}, check.violations
    assert check.overflows == {}, check.overflows
    page.context.close()


@pytest.mark.parametrize("width", [320])
def test_keyboard_reaches_recalculer_first(browser, live_server, width):
    """Enter in any field recalculates (the form's first button), never adds or removes a child."""
    page = new_page(browser, javascript=False)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server}/accompagnement")
    page.click("button[value=ajouter_enfant]")
    page.select_option(field("e1.naissance_mois"), "3")
    page.fill(field("e1.naissance_annee"), "2023")
    page.fill(field("d.age"), "40")
    page.focus(field("d.age"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.query_selector(field("e1.naissance_annee")) is not None  # the child is still there
    assert page.query_selector("#resultats .acc-total") is not None
    page.context.close()


def test_back_from_the_tools_returns_to_the_live_form(browser, live_server):
    """Issue 14: Back from the what-if, comparison and detail pages showed ERR_CACHE_MISS (they are POSTs).
    With JavaScript they open in place: Back brings the caseworker page back with its answers and results,
    still following the form live; Forward opens the tool again. Axe on the page brought back."""
    page = new_page(browser)
    check = Checker(page, "retour-outils")
    page.goto(f"{live_server}/accompagnement")
    fill_scenario(page)
    page.wait_for_selector("#resultats .acc-aide[data-montant]", timeout=30_000)
    page.wait_for_function("!document.getElementById('panneau-resultats').hasAttribute('aria-busy')")
    amounts = shown(page)
    assert amounts == api_amounts(live_server, answers())
    tools = (("button[formaction='/accompagnement/variation']", "svg.graphe[role=img]"),
             ("button[formaction='/accompagnement/comparer']", "#f-b-d-salaire_net"),
             ("#resultats .acc-aide button[value=detail] >> nth=0", "main h1:has-text('Détail du calcul')"))
    for button, ready in tools:
        with page.expect_navigation():
            page.click(button)
        page.wait_for_selector(ready)
        page.go_back()
        page.wait_for_selector("#saisie")
        assert "ERR_" not in page.content()
        assert page.input_value(field("d.salaire_net")) == "900" and shown(page) == amounts, button
    check.state("01-retour")
    page.go_forward()
    page.wait_for_selector(tools[-1][1])
    page.go_back()
    page.wait_for_selector("#saisie")
    # The page brought back still follows the form: a new salary, new results, without a click.
    page.fill(field("d.salaire_net"), "1400")
    page.wait_for_selector("#resultats .acc-changements", timeout=30_000)
    page.wait_for_function("!document.getElementById('panneau-resultats').hasAttribute('aria-busy')")
    assert shown(page) == api_amounts(live_server, answers("1400"))
    assert check.violations == {}, check.violations
    assert page.context.cookies() == []
    page.context.close()
