"""The guided questionnaire's pages: `GET /simulateur`, `POST /simulateur` (every step, the recap and the
results), `POST /simulateur/charger` (an answers file resumes at the recap).

Each POST carries all the answers so far in `etat` (see `web.common`); the page sent names the step
answered (`page`) and the button pressed (`action`). The results are computed in the app's simulation
pool, like the API's: a full pool gives the caseworker's French "busy" message, on an error page.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from simulator.api.errors import EngineRefusal, ServiceBusy
from simulator.catalog import Benefit, load_catalog
from simulator.household import Household
from simulator.web.caseworker import exports
from simulator.web.caseworker.page import state_from_household
from simulator.web.common import (
    HOME_TITLE,
    Calculations,
    Calculator,
    decode_state,
    encode_state,
    form_fields,
    render,
    templates,
)
from simulator.web.forms.answers import FormErrors
from simulator.web.forms.answers_file import UploadError, read_upload
from simulator.web.forms.household import household_to_state, state_to_household
from simulator.web.presentation import sort_results
from simulator.web.questionnaire.pages import CHAPITRES, PAGES_BY_ID, RECAP, RESULTATS, SANS_EFFET, Step, context
from simulator.web.questionnaire.steps import (
    answers_without_effect,
    apply_submission,
    find_step,
    first_incomplete,
    prune,
    recap_rows,
    step_fields,
    steps,
    validate_step,
)

log = logging.getLogger(__name__)
templates.env.globals.update(CHAPITRES=CHAPITRES)  # the progress bar of every questionnaire page
router = APIRouter(include_in_schema=False)


def web_catalog() -> tuple[Benefit, ...]:
    """The catalog the questionnaire asks for (the engine's own: same extensions folder)."""
    return load_catalog()


def calculation_failed(request: Request, error: ServiceBusy | EngineRefusal) -> HTMLResponse:
    """The pool is full or too slow (503, with Retry-After), or the engine refused the household (422)."""
    busy = isinstance(error, ServiceBusy)
    response = render(request, "erreur.html", {
        "title": "Le calcul n'a pas pu être fait – Simulateur de droits", "errors": [],
        "message": error.message}, 503 if busy else 422)
    if isinstance(error, ServiceBusy):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _title(step: Step, errors: bool) -> str:
    number = step.page.chapitre + 1
    prefix = "Erreur : " if errors else ""
    if step.titre == step.chapitre:
        return f"{prefix}{step.chapitre} – étape {number} sur {len(CHAPITRES)} – Simulateur de droits"
    return f"{prefix}{step.titre} – {step.chapitre}, étape {number} sur {len(CHAPITRES)} – Simulateur de droits"


def _error_list(fields: list, errors: dict[str, str]) -> list[tuple[str, str]]:
    """(anchor id, message) in page order; radios and checkboxes link to their first option."""
    ids: dict[str, str] = {}

    def walk(bound_fields: list) -> None:
        for bound in bound_fields:
            ids[bound.name] = bound.id if bound.field.kind not in ("radio", "checkboxes") else f"{bound.id}-1"
            for option in bound.options:
                walk(option.reveal)
    walk(fields)
    return [(ids.get(name, "contenu"), message) for name, message in errors.items()]


def render_step(request: Request, step: Step, state: dict[str, str], catalog: tuple[Benefit, ...],
                errors: dict[str, str] | None = None, status: int = 200) -> HTMLResponse:
    errors = errors or {}
    if step.page.id == RECAP:
        return render_recap(request, state, catalog, errors, status)
    fields = step_fields(step, context(state, catalog), errors)
    all_steps = steps(state, catalog)
    return render(request, "question.html", {
        "step": step, "fields": fields, "etat": encode_state(state), "title": _title(step, bool(errors)),
        "errors": _error_list(fields, errors), "chapitre": step.page.chapitre,
        "position": _position(all_steps, step), "depuis_recap": state.get("_recap") == "1",
    }, status)


def _position(all_steps: list[Step], step: Step) -> tuple[int, int]:
    keys = [s.key for s in all_steps]
    return (keys.index(step.key) + 1 if step.key in keys else 1, len(keys))


def render_recap(request: Request, state: dict[str, str], catalog: tuple[Benefit, ...],
                 errors: dict[str, str] | None = None, status: int = 200) -> HTMLResponse:
    state = {k: v for k, v in state.items() if k != "_recap"}
    all_steps = steps(state, catalog)
    step = next(s for s in all_steps if s.page.id == RECAP)
    messages = [("recap-" + name.replace(".", "-"), message) for name, message in (errors or {}).items()]
    return render(request, "recap.html", {
        "step": step, "sections": recap_rows(state, catalog), "etat": encode_state(state),
        "title": _title(step, bool(errors)), "errors": messages, "chapitre": step.page.chapitre,
        "position": _position(all_steps, step),
    }, status)


def _household_or_page(request: Request, state: dict[str, str],
                       catalog: tuple[Benefit, ...]) -> Household | HTMLResponse:
    """The answers as a household, or the page that asks what is still missing or wrong (422)."""
    incomplete = first_incomplete(state, catalog)
    if incomplete is not None:
        return render_step(request, incomplete, state, catalog, validate_step(incomplete, state, catalog), 422)
    try:
        return state_to_household(prune(state, catalog))
    except FormErrors as error:
        return render_recap(request, state, catalog, error.errors, 422)


async def render_results(request: Request, state: dict[str, str], catalog: tuple[Benefit, ...],
                         calculations: Calculator) -> HTMLResponse:
    household = _household_or_page(request, state, catalog)
    if isinstance(household, HTMLResponse):
        return household
    try:
        result = await calculations.simulate(household)
    except (ServiceBusy, EngineRefusal) as error:
        return calculation_failed(request, error)
    step = Step(PAGES_BY_ID[RESULTATS])
    all_steps = steps(state, catalog)
    return render(request, "resultats.html", {
        "step": step, "etat": encode_state(state), "title": _title(step, False), "errors": [],
        "chapitre": step.page.chapitre, "resultats": sort_results(result, household), "mois": result.mois,
        "position": _position(all_steps, step),
    })


def _previous(state: dict[str, str], catalog: tuple[Benefit, ...], key: str) -> Step | None:
    all_steps = steps(state, catalog)
    keys = [s.key for s in all_steps]
    if key not in keys:
        return None
    index = keys.index(key)
    return all_steps[index - 1] if index > 0 else None


def _next(state: dict[str, str], catalog: tuple[Benefit, ...], key: str) -> Step:
    """After a page: the next one, or back to the recap when the person came from it."""
    if state.get("_recap") == "1":
        return first_incomplete(state, catalog) or find_step(state, catalog, RECAP)  # type: ignore[return-value]
    all_steps = steps(state, catalog)
    keys = [s.key for s in all_steps]
    following = all_steps[keys.index(key) + 1] if key in keys else all_steps[0]
    if following.page.id == RECAP:
        return first_incomplete(state, catalog) or following
    return following


@router.get("/simulateur", response_class=HTMLResponse)
def start(request: Request) -> HTMLResponse:
    catalog = web_catalog()
    return render_step(request, steps({}, catalog)[0], {}, catalog)


def _unreadable(request: Request) -> HTMLResponse:
    """The answers carried in the page (`etat`) could not be read: say so in French, keep nothing."""
    return render(request, "erreur.html", {
        "title": "Vos réponses n'ont pas pu être lues – Simulateur de droits", "errors": [],
        "message": "Vos réponses n'ont pas pu être lues. Elles ne sont gardées nulle part : "
                   "il faut recommencer."}, 400)


@router.post("/simulateur", response_class=HTMLResponse)
async def flow(request: Request, calculations: Calculations) -> HTMLResponse:
    catalog = web_catalog()
    fields = await form_fields(request)
    try:
        state = decode_state((fields.get("etat") or [""])[-1])
    except ValueError:
        return _unreadable(request)
    key = (fields.get("page") or [""])[-1]
    action = (fields.get("action") or ["continuer"])[-1]
    try:
        return await _dispatch(request, state, catalog, key, action, fields, calculations)
    except Exception as error:  # a person must never get a bare 500: log the kind, not the answers
        log.error("Erreur du questionnaire (%s)", type(error).__name__)
        return render(request, "erreur.html", {
            "title": "Une erreur est survenue – Simulateur de droits", "errors": [],
            "message": "Le simulateur a rencontré une erreur. Vos réponses ne sont pas gardées : "
                       "vous pouvez revenir en arrière avec votre navigateur ou recommencer."}, 500)


async def _export(request: Request, calculations: Calculator, kind: str) -> Response:
    """The results page's downloads: the PDF recap or the answers file, from the answers it posts
    (`etat`), made by the caseworker exports; nothing is kept."""
    catalog = web_catalog()
    fields = await form_fields(request)
    try:
        state = decode_state((fields.get("etat") or [""])[-1])
    except ValueError:
        return _unreadable(request)
    try:
        household = _household_or_page(request, state, catalog)
        if isinstance(household, HTMLResponse):
            return household
        if kind == "json":
            return exports.answers_download(household)
        return await exports.recap_pdf(calculations, state_from_household(household))
    except Exception as error:  # never a bare 500: log the kind, not the answers
        log.error("Erreur d'export du questionnaire (%s)", type(error).__name__)
        return render(request, "erreur.html", {
            "title": "Une erreur est survenue – Simulateur de droits", "errors": [],
            "message": "Le document n'a pas pu être préparé. Vos réponses ne sont pas gardées : "
                       "revenez en arrière avec votre navigateur pour retrouver vos résultats."}, 500)


@router.post("/simulateur/pdf")
async def pdf_route(request: Request, calculations: Calculations) -> Response:
    return await _export(request, calculations, "pdf")


@router.post("/simulateur/export")
async def export_route(request: Request, calculations: Calculations) -> Response:
    return await _export(request, calculations, "json")


@router.post("/simulateur/charger", response_class=HTMLResponse)
async def load(request: Request) -> Response:
    """The questionnaire resumes at its check-your-answers page, every answer filled."""
    try:
        household = await read_upload(request)
    except UploadError as error:
        return render(request, "accompagnement/erreur.html", {
            "title": "Erreur : fichier non chargé – Simulateur de droits", "message": error.message,
            "questionnaire": True, "errors": []}, error.status)
    try:
        return render_recap(request, household_to_state(household), web_catalog())
    except Exception as error:  # never a bare 500: log the kind, not the answers
        log.error("Erreur au chargement d'un fichier de réponses (%s)", type(error).__name__)
        return render(request, "erreur.html", {
            "title": "Une erreur est survenue – Simulateur de droits", "errors": [],
            "message": "Le simulateur a rencontré une erreur. Vos réponses ne sont pas gardées : "
                       "vous pouvez revenir en arrière avec votre navigateur ou recommencer."}, 500)


async def _dispatch(request: Request, state: dict[str, str], catalog: tuple[Benefit, ...], key: str,
                    action: str, fields: dict[str, list[str]], calculations: Calculator) -> HTMLResponse:
    all_steps = steps(state, catalog)
    if action.startswith("aller:"):
        target = find_step(state, catalog, action.removeprefix("aller:"))
        if target is None or target.page.id == RESULTATS:
            return render_recap(request, state, catalog)
        if target.page.id == RECAP:
            return render_recap(request, state, catalog)
        return render_step(request, target, {**state, "_recap": "1"}, catalog)
    if action == "retour":
        if key == RESULTATS or (state.get("_recap") == "1" and key != RECAP):
            return render_recap(request, state, catalog)
        previous = _previous(state, catalog, key)
        if previous is None:
            return render(request, "accueil.html", {"title": HOME_TITLE, "errors": [], "etat": encode_state(state)})
        return render_step(request, previous, state, catalog)
    if action == "reprendre":
        return render_step(request, all_steps[0], state, catalog)
    if action == "resultats" or key in (RECAP, RESULTATS):
        return await render_results(request, state, catalog, calculations)
    step = find_step(state, catalog, key)
    if step is None:
        return render_step(request, first_incomplete(state, catalog) or all_steps[0], state, catalog)
    new_state = apply_submission(step, state, fields, catalog)
    errors = validate_step(step, new_state, catalog)
    if errors:
        return render_step(request, step, new_state, catalog, errors, 422)
    if "d.prestations" in new_state and step.page.kind != "extensions":  # the resources are all known
        try:
            new_state[SANS_EFFET] = await calculations.run(answers_without_effect, new_state, catalog,
                                                           calculations.engine)
        except (ServiceBusy, EngineRefusal) as error:
            return calculation_failed(request, error)
    following = _next(new_state, catalog, step.key)
    if following.page.id == RECAP:
        new_state.pop("_recap", None)
    return render_step(request, following, new_state, catalog)
