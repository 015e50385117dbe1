"""The questionnaire in a real browser: amounts equal the API's, axe finds nothing, keyboard only and
JavaScript off both reach the results, no request leaves the app's host, screenshots of every page."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import httpx
import pytest
from browser_paths import AXE
from helpers import Visit
from web_flow import (
    aah_household,
    answers_for,
    api_body,
    assert_same_situation,
    household_from_results,
    scenario_answers,
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = {
    "celibataire_smic_locataire_paris": 10,
    "parent_isole_deux_enfants": 14,
    "retraitee_petite_pension": 10,
}


def new_visit(browser, live_server, screenshots_dir, name: str, javascript: bool = True, axe: bool = True,
              screenshots: bool = True) -> Visit:
    # axe is injected as an inline script: the pages' Content-Security-Policy would refuse it.
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=True, locale="fr-FR",
                                  viewport={"width": 1280, "height": 900})
    return Visit(context.new_page(), name, screenshots_dir if screenshots else None, AXE if axe else None,
                 live_server)


def shown_amounts(html: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r'data-aide="([^"]+)" data-montant="([^"]+)"', html)}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_flow_amounts_accessibility_and_privacy(browser, live_server, screenshots_dir, scenario):
    answers, household = scenario_answers(ROOT / "scenarios" / f"{scenario}.yaml")
    visit = new_visit(browser, live_server, screenshots_dir, scenario)
    visit.run(answers)
    html = visit.page.content()
    assert visit.key == "resultats"
    assert len(visit.pages) <= SCENARIOS[scenario], visit.pages
    built = household_from_results(html)
    assert_same_situation(built, household)
    api = httpx.post(f"{live_server}/api/v1/simulate", json=api_body(built), timeout=60).json()
    expected = {a["id"]: a["montant"] for a in api["aides"] if a["montant"] is not None}
    assert shown_amounts(html) == expected
    text = unescape(visit.page.inner_text("main"))
    for aide in api["aides"]:
        if aide["eligible"]:
            assert aide["label"] in text
    assert visit.violations == {}, visit.violations
    assert visit.overflows == {}, visit.overflows
    assert visit.foreign_requests == []
    assert visit.page.context.cookies() == []
    visit.page.context.close()


def test_a_notice_on_a_result_is_shown_and_accessible(browser, live_server, screenshots_dir):
    """The AAH couple's Paris Solidarité carries « À savoir » (III 1.1 b/4): visible, and axe finds nothing."""
    visit = new_visit(browser, live_server, screenshots_dir, "avertissement")
    visit.run(answers_for(aah_household(couple=True)))
    assert visit.key == "resultats"
    notice = visit.page.inner_text("#aide-paris_solidarite .aide-a-savoir")
    assert notice.startswith("À savoir") and "article b/4" in notice
    assert visit.page.is_visible("#aide-paris_solidarite .aide-a-savoir")
    assert visit.violations == {}, visit.violations
    assert visit.overflows == {}, visit.overflows
    visit.page.context.close()


def test_error_page_is_accessible_and_focused(browser, live_server, screenshots_dir):
    visit = new_visit(browser, live_server, screenshots_dir, "erreurs")
    visit.page.goto(f"{live_server}/simulateur")
    visit.arrived()
    visit.page.fill("#f-d-age", "trente")
    visit.submit("form.formulaire button[value=continuer]")
    visit.arrived("vous-erreurs")
    assert visit.page.title().startswith("Erreur : ")
    assert visit.page.evaluate("document.activeElement.hasAttribute('data-resume-erreurs')")
    assert visit.page.get_attribute("#f-d-age", "aria-invalid") == "true"
    visit.page.click(".resume-erreurs a >> nth=0")
    assert visit.page.evaluate("document.activeElement.id") == "f-d-age"
    # The amounts page with a wrong amount, French decimal comma accepted elsewhere.
    visit.page.fill("#f-d-age", "34")
    visit.page.check("#f-d-activite-1")
    visit.page.check("#f-d-handicap-2")
    visit.submit("form.formulaire button[value=continuer]")
    assert visit.key == "foyer"
    visit.page.fill("#f-nb_enfants", "deux")
    visit.submit("form.formulaire button[value=continuer]")
    visit.arrived("foyer-erreurs")
    assert visit.violations == {}, visit.violations
    assert visit.foreign_requests == []
    visit.page.context.close()


def test_keyboard_only_reaches_the_results(browser, live_server, screenshots_dir):
    answers, _ = scenario_answers(ROOT / "scenarios" / "parent_isole_deux_enfants.yaml")
    visit = new_visit(browser, live_server, screenshots_dir, "clavier", axe=False, screenshots=False)
    visit.keyboard_run(answers)
    assert visit.key == "resultats"
    assert "Les aides que vous pouvez demander" in visit.page.inner_text("main")
    visit.page.context.close()


def test_without_javascript_reaches_the_results(browser, live_server, screenshots_dir):
    answers, household = scenario_answers(ROOT / "scenarios" / "celibataire_smic_locataire_paris.yaml")
    visit = new_visit(browser, live_server, screenshots_dir, "sans-js", javascript=False, axe=False)
    visit.run(answers)
    assert visit.key == "resultats"
    built = household_from_results(visit.page.content())
    api = httpx.post(f"{live_server}/api/v1/simulate", json=api_body(built), timeout=60).json()
    assert shown_amounts(visit.page.content()) == {
        a["id"]: a["montant"] for a in api["aides"] if a["montant"] is not None}
    assert visit.foreign_requests == []
    visit.page.context.close()


FIELD_VALUES = """() => Array.from(document.querySelectorAll('form.formulaire input')).filter(
  e => e.type !== 'hidden' && (e.type === 'text' ? e.value : e.checked)).map(e => [e.name, e.value])"""


def test_back_and_forward_show_each_step_with_its_answers(browser, live_server, screenshots_dir):
    """Issue 14: every step is a POST, so the browser's Back showed « Confirm Form Resubmission » or
    ERR_CACHE_MISS. With JavaScript, Back shows the previous step as the person left it (answers typed
    included, axe-clean, focus in the page), Forward the next; the flow then reaches the same results."""
    answers, household = scenario_answers(ROOT / "scenarios" / "parent_isole_deux_enfants.yaml")
    visit = new_visit(browser, live_server, screenshots_dir, "retour-navigateur", screenshots=False)
    page = visit.page
    page.goto(live_server + "/")
    visit.submit("text=Commencer")
    seen: list[tuple[str, list]] = []
    for _ in range(3):
        visit.fill_page(answers)
        seen.append((visit.key, page.evaluate(FIELD_VALUES)))
        visit.submit("form.formulaire button[value=continuer]")
    third = visit.key
    for key, values in reversed(seen):
        page.go_back()
        page.wait_for_function("k => document.querySelector('main').dataset.page === k", arg=key)
        assert page.evaluate(FIELD_VALUES) == values, key
        assert "ERR_" not in page.content() and "Confirm" not in page.content()
        assert page.evaluate("document.activeElement.id") == "contenu"
        visit.arrived(f"retour-{key}")
    for key in [k for k, _ in seen[1:]] + [third]:
        page.go_forward()
        page.wait_for_function("k => document.querySelector('main').dataset.page === k", arg=key)
    # Back once more, change nothing, go on: the results are those of the answers.
    page.go_back()
    page.wait_for_function("k => document.querySelector('main').dataset.page === k", arg=seen[-1][0])
    visit.submit("form.formulaire button[value=continuer]")
    for _ in range(30):
        if visit.key == "resultats":
            break
        if visit.key == "recapitulatif":
            visit.submit("#voir-resultats")
            continue
        visit.fill_page(answers)
        visit.submit("form.formulaire button[value=continuer]")
    assert visit.key == "resultats"
    html = page.content()
    built = household_from_results(html)
    assert_same_situation(built, household)
    api = httpx.post(f"{live_server}/api/v1/simulate", json=api_body(built), timeout=60).json()
    assert shown_amounts(html) == {a["id"]: a["montant"] for a in api["aides"] if a["montant"] is not None}
    assert visit.violations == {}, visit.violations
    assert visit.foreign_requests == [] and page.context.cookies() == []
    page.context.close()
