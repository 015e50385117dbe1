"""The questionnaire's results in Chromium (issue 14): print, PDF and answers file, with JavaScript and
without; the folded refusals and the API documentation page axe-clean."""

from __future__ import annotations

import json
from pathlib import Path

from browser_paths import AXE
from helpers import AXE_RUN, AXE_TAGS, Visit
from web_flow import scenario_answers

ROOT = Path(__file__).resolve().parents[2]


def new_visit(browser, live_server, screenshots_dir, name: str, javascript: bool = True) -> Visit:
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=True, locale="fr-FR",
                                  viewport={"width": 1280, "height": 900}, accept_downloads=True)
    return Visit(context.new_page(), name, screenshots_dir, AXE if javascript else None, live_server)


def axe(page) -> list:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, AXE_TAGS)


def test_results_print_and_folded_refusals(browser, live_server, screenshots_dir):
    answers, _ = scenario_answers(ROOT / "scenarios" / "celibataire_smic_locataire_paris.yaml")
    visit = new_visit(browser, live_server, screenshots_dir, "resultats-personne")
    visit.run(answers)
    page = visit.page
    assert visit.key == "resultats" and visit.violations == {}, visit.violations
    assert page.is_visible("[data-imprimer]")
    page.click("details.hors-situation > summary")
    assert page.is_visible("details.hors-situation li")
    assert axe(page) == []
    page.emulate_media(media="print")
    assert page.is_visible(".carte-eligible") and not page.is_visible("#pas-droit")
    assert not page.is_visible("form.formulaire-export")
    page.emulate_media(media="screen")
    with page.expect_download() as pdf:
        page.click("form[action='/simulateur/pdf'] button")
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert visit.foreign_requests == []
    page.context.close()


def test_results_exports_without_javascript(browser, live_server, screenshots_dir):
    answers, _ = scenario_answers(ROOT / "scenarios" / "couple_trois_enfants_un_salaire.yaml")
    visit = new_visit(browser, live_server, screenshots_dir, "resultats-sans-js", javascript=False)
    visit.run(answers)
    page = visit.page
    assert visit.key == "resultats"
    assert not page.is_visible("[data-imprimer]")  # printing is the browser's own, without a script
    with page.expect_download() as pdf:
        page.click("form[action='/simulateur/pdf'] button")
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    assert "etat" not in pdf.value.url and "?" not in pdf.value.url
    with page.expect_download() as answers_file:
        page.click("form[action='/simulateur/export'] button")
    assert "individus" in json.dumps(json.loads(Path(answers_file.value.path()).read_text()))
    assert page.context.cookies() == []
    page.context.close()


def test_api_docs_page_is_axe_clean(browser, live_server):
    context = browser.new_context(bypass_csp=True, locale="fr-FR")
    page = context.new_page()
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server + "/docs")
        # The page's own landmarks (the three violations the issue found: no main, no level-one heading,
        # content outside landmarks), then whatever Swagger UI has rendered by then.
        page.wait_for_selector("main h1", timeout=30000)
        page.wait_for_timeout(2000)
        assert axe(page) == []
    context.close()
