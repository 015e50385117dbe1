"""What the person takes home, and nothing the server keeps: a PDF recap (WeasyPrint) and a file of the
answers (JSON: the API's Household plus `format` and `version`) that can be loaded again, in caseworker
mode or in the questionnaire.

A loaded file is untrusted: size-limited, parsed as JSON, checked against the Household model; every
problem gets a French message on the page (400 unreadable, 422 wrong content), never a 500. The optional
name typed for the PDF goes into that PDF only: it is neither stored nor logged.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from simulator.household import Household
from simulator.web import accompagnement_form as cf
from simulator.web.accompagnement import (
    TITLE,
    error_links,
    evaluate,
    form_fields,
    guarded,
    render,
    render_page,
    state_from_household,
    state_of,
)
from simulator.web.household_form import FormErrors

log = logging.getLogger(__name__)
FORMAT = "simulateur-de-droits/foyer"
VERSION = 1
MAX_UPLOAD = 100_000  # bytes: an answers file is about 2 KB
MAX_NOM = 80
DOWNLOAD_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class UploadError(ValueError):
    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def answers_file(household: Household) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, **household.model_dump(mode="json", exclude_none=True)}


def read_answers(raw: bytes) -> Household:
    """The Household of an answers file; UploadError with a French message otherwise."""
    if len(raw) > MAX_UPLOAD:
        raise UploadError(f"Le fichier est trop gros : un fichier de réponses fait au plus {MAX_UPLOAD // 1000} ko.",
                          400)
    if not raw.strip():
        raise UploadError("Le fichier est vide. Choisissez le fichier de réponses enregistré (.json).", 400)
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError, RecursionError):
        raise UploadError("Ce fichier n'est pas un fichier de réponses du simulateur (il n'est pas au format JSON).",
                          400) from None
    if not isinstance(data, dict):
        raise UploadError("Ce fichier n'a pas la forme d'un fichier de réponses du simulateur.")
    if data.get("format") != FORMAT:
        raise UploadError("Ce fichier n'est pas un fichier de réponses du simulateur (format inconnu).")
    if data.get("version") != VERSION:
        raise UploadError("Ce fichier de réponses vient d'une version du simulateur que nous ne savons pas lire.")
    body = {k: v for k, v in data.items() if k not in ("format", "version")}
    try:
        return Household.model_validate(body)
    except ValidationError as error:
        from simulator.api.errors import french_message

        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise UploadError(f"Le fichier de réponses contient une valeur invalide ({where}) : "
                          f"{french_message(first)} Il a peut-être été modifié.") from None
    except (TypeError, ValueError, RecursionError):
        raise UploadError("Le fichier de réponses contient des valeurs invalides. "
                          "Il a peut-être été modifié.") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


async def read_upload(request: Request) -> Household:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_UPLOAD + 10_000:
        raise UploadError(f"Le fichier est trop gros : un fichier de réponses fait au plus {MAX_UPLOAD // 1000} ko.",
                          400)
    if "multipart/form-data" not in request.headers.get("content-type", ""):
        raise UploadError("Choisissez un fichier de réponses à charger.", 400)
    try:
        form = await request.form(max_files=1, max_fields=10)
    except Exception:  # a malformed multipart body
        raise UploadError("L'envoi du fichier n'a pas pu être lu. Réessayez.", 400) from None
    upload = form.get("fichier")
    if upload is None or isinstance(upload, str):
        raise UploadError("Choisissez un fichier de réponses à charger.", 400)
    raw = await upload.read(MAX_UPLOAD + 1)
    return read_answers(raw)


def download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type, headers={
        **DOWNLOAD_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'})


async def _household_or_page(request: Request) -> tuple[Any, dict[str, str], dict[str, list[str]]]:
    fields = await form_fields(request)
    state = state_of(fields)
    try:
        household = cf.household(state)
    except FormErrors as error:
        for name, message in cf.missing_ages(state).errors.items():
            error.errors.setdefault(name, message)
        return await render_page(request, state, status=422, errors=error_links(error.errors)), state, fields
    return household, state, fields


async def export_json(request: Request) -> Response:
    household, _, _ = await _household_or_page(request)
    if isinstance(household, Response):
        return household
    body = json.dumps(answers_file(household), ensure_ascii=False, indent=2).encode()
    return download(body, "application/json", f"reponses-simulateur-{date.today().isoformat()}.json")


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


async def export_pdf(request: Request) -> Response:
    from simulator.web.routes import templates

    household, state, fields = await _household_or_page(request)
    if isinstance(household, Response):
        return household
    outcome = await evaluate(request, state, {})
    nom = " ".join(((fields.get("nom_document") or [""])[-1]).split())[:MAX_NOM]
    html = templates.get_template("accompagnement/recap_pdf.html").render(
        {**outcome, "faits": cf.facts(state), "date": date.today().strftime("%d/%m/%Y"), "nom": nom})
    from starlette.concurrency import run_in_threadpool

    content = await run_in_threadpool(pdf_bytes, html)
    return download(content, "application/pdf", f"recapitulatif-droits-{date.today().isoformat()}.pdf")


async def load(request: Request) -> Response:
    try:
        household = await read_upload(request)
    except UploadError as error:
        return await render_page(request, {**cf.DEFAULTS}, status=error.status, upload_error=error.message)
    return await render_page(request, state_from_household(household))


async def load_in_questionnaire(request: Request) -> Response:
    """The questionnaire resumes at its check-your-answers page, every answer filled."""
    from simulator.web.household_form import household_to_state
    from simulator.web.routes import render_recap, web_catalog

    try:
        household = await read_upload(request)
    except UploadError as error:
        return render(request, "accompagnement/erreur.html", {
            "title": "Erreur : fichier non chargé – Simulateur de droits", "message": error.message,
            "questionnaire": True}, error.status)
    return render_recap(request, household_to_state(household), web_catalog())


def install(app: FastAPI) -> None:
    @app.post("/accompagnement/export", include_in_schema=False)
    async def export_route(request: Request) -> Response:
        return await guarded(request, export_json)

    @app.post("/accompagnement/pdf", include_in_schema=False)
    async def pdf_route(request: Request) -> Response:
        return await guarded(request, export_pdf)

    @app.post("/accompagnement/charger", response_class=HTMLResponse, include_in_schema=False)
    async def load_route(request: Request) -> Response:
        return await guarded(request, load)

    @app.post("/simulateur/charger", response_class=HTMLResponse, include_in_schema=False)
    async def load_questionnaire_route(request: Request) -> Response:
        return await guarded(request, load_in_questionnaire)


__all__ = ["install", "TITLE"]
