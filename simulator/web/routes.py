"""Web pages: the guided questionnaire, from the first question to the results.

Every page after the first is the answer to a POST that carries all the answers so far in one hidden
field (`etat`, base64 of JSON): nothing is stored on the server, no cookie is set, no answer goes into a
URL. The back link and the recap's "Modifier" links are buttons of such forms.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from simulator.catalog import Benefit, load_catalog
from simulator.web.household_form import FormErrors, state_to_household
from simulator.web.presentation import PERIODES, euros, montant_text, sort_results
from simulator.web.questionnaire import (
    CHAPITRES,
    PAGES_BY_ID,
    RECAP,
    RESULTATS,
    SANS_EFFET,
    Step,
    answers_without_effect,
    apply_submission,
    context,
    find_step,
    first_incomplete,
    prune,
    recap_rows,
    step_fields,
    steps,
    validate_step,
)

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(CHAPITRES=CHAPITRES, euros=euros, montant_text=montant_text, PERIODES=PERIODES)
HOME_TITLE = "Simulateur de droits – les aides sociales auxquelles vous avez peut-être droit"
MAX_ETAT = 20_000  # characters: far more than any household needs

SECURITY_HEADERS = {
    # Everything comes from this host: no third-party asset can see who uses the simulator.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    # Answers must not stay in a shared computer's cache.
    "Cache-Control": "no-store",
}


def encode_state(state: dict[str, str]) -> str:
    raw = json.dumps(state, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_state(text: str | None) -> dict[str, str]:
    """The answers carried by the form; ValueError if they were altered beyond reading."""
    if not text:
        return {}
    if len(text) > MAX_ETAT:
        raise ValueError("état trop long")
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("état illisible") from error
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError("état mal formé")
    return data


def web_catalog() -> tuple[Benefit, ...]:
    """The catalog the questionnaire asks for (the engine's own: same extensions folder)."""
    return load_catalog()


def _render(request: Request, name: str, context_: dict[str, Any], status: int = 200) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context_, status_code=status)
    response.headers.update(SECURITY_HEADERS)
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
    return _render(request, "question.html", {
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
    return _render(request, "recap.html", {
        "step": step, "sections": recap_rows(state, catalog), "etat": encode_state(state),
        "title": _title(step, bool(errors)), "errors": messages, "chapitre": step.page.chapitre,
        "position": _position(all_steps, step),
    }, status)


async def render_results(request: Request, state: dict[str, str], catalog: tuple[Benefit, ...]) -> HTMLResponse:
    incomplete = first_incomplete(state, catalog)
    if incomplete is not None:
        return render_step(request, incomplete, state, catalog, validate_step(incomplete, state, catalog), 422)
    try:
        household = state_to_household(prune(state, catalog))
    except FormErrors as error:
        return render_recap(request, state, catalog, error.errors, 422)
    from simulator.engine import get_engine

    engine = await run_in_threadpool(get_engine)
    result = await run_in_threadpool(engine.simulate, household)
    step = Step(PAGES_BY_ID[RESULTATS])
    all_steps = steps(state, catalog)
    return _render(request, "resultats.html", {
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


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="web-static")
    from simulator.web import accompagnement  # caseworker mode: /accompagnement

    accompagnement.install(app)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        return _render(request, "accueil.html", {"title": HOME_TITLE, "errors": []})

    @app.get("/simulateur", response_class=HTMLResponse, include_in_schema=False)
    def start(request: Request) -> HTMLResponse:
        catalog = web_catalog()
        return render_step(request, steps({}, catalog)[0], {}, catalog)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.post("/simulateur", response_class=HTMLResponse, include_in_schema=False)
    async def flow(request: Request) -> HTMLResponse:
        catalog = web_catalog()
        form = await request.form()
        fields: dict[str, list[str]] = {}
        for name, value in form.multi_items():
            if isinstance(value, str):
                fields.setdefault(name, []).append(value)
        try:
            state = decode_state((fields.get("etat") or [""])[-1])
        except ValueError:
            return _render(request, "erreur.html", {
                "title": "Vos réponses n'ont pas pu être lues – Simulateur de droits", "errors": [],
                "message": "Vos réponses n'ont pas pu être lues. Elles ne sont gardées nulle part : "
                           "il faut recommencer."}, 400)
        key = (fields.get("page") or [""])[-1]
        action = (fields.get("action") or ["continuer"])[-1]
        try:
            return await _dispatch(request, state, catalog, key, action, fields)
        except Exception as error:  # a person must never get a bare 500: log the kind, not the answers
            log.error("Erreur du questionnaire (%s)", type(error).__name__)
            return _render(request, "erreur.html", {
                "title": "Une erreur est survenue – Simulateur de droits", "errors": [],
                "message": "Le simulateur a rencontré une erreur. Vos réponses ne sont pas gardées : "
                           "vous pouvez revenir en arrière avec votre navigateur ou recommencer."}, 500)


async def _dispatch(request: Request, state: dict[str, str], catalog: tuple[Benefit, ...], key: str,
                    action: str, fields: dict[str, list[str]]) -> HTMLResponse:
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
            return _render(request, "accueil.html", {"title": HOME_TITLE, "errors": [], "etat": encode_state(state)})
        return render_step(request, previous, state, catalog)
    if action == "reprendre":
        return render_step(request, all_steps[0], state, catalog)
    if action == "resultats" or key in (RECAP, RESULTATS):
        return await render_results(request, state, catalog)
    step = find_step(state, catalog, key)
    if step is None:
        return render_step(request, first_incomplete(state, catalog) or all_steps[0], state, catalog)
    new_state = apply_submission(step, state, fields, catalog)
    errors = validate_step(step, new_state, catalog)
    if errors:
        return render_step(request, step, new_state, catalog, errors, 422)
    if "d.prestations" in new_state and step.page.kind != "extensions":  # the resources are all known
        from simulator.engine import get_engine

        engine = await run_in_threadpool(get_engine)
        new_state[SANS_EFFET] = await run_in_threadpool(answers_without_effect, new_state, catalog, engine)
    following = _next(new_state, catalog, step.key)
    if following.page.id == RECAP:
        new_state.pop("_recap", None)
    return render_step(request, following, new_state, catalog)
