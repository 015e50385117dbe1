"""What the person takes home from caseworker mode, and nothing the server keeps: a PDF recap
(WeasyPrint) and the answers file (`forms.answers_file`), and that file loaded back into the page.

A bad file gets a French message on the page (400 unreadable, 422 wrong content), never a 500. The
optional name typed for the PDF goes into that PDF only: it is neither stored nor logged.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from weasyprint import HTML

from simulator.web.caseworker.page import (
    error_links,
    evaluate,
    guarded,
    render_page,
    state_from_household,
    state_of,
)
from simulator.web.common import Calculations, Calculator, form_fields, templates
from simulator.web.forms import one_page as cf
from simulator.web.forms.answers import FormErrors
from simulator.web.forms.answers_file import UploadError, answers_file, read_upload
from simulator.web.forms.household import state_to_household

MAX_NOM = 80
DOWNLOAD_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
router = APIRouter(include_in_schema=False)


def download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type, headers={
        **DOWNLOAD_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'})


async def _household_or_page(request: Request, calculations: Calculator
                             ) -> tuple[Any, dict[str, str], dict[str, list[str]]]:
    fields = await form_fields(request)
    state = state_of(fields)
    try:
        household = state_to_household(state)
    except FormErrors as error:
        for name, message in cf.missing_ages(state).errors.items():
            error.errors.setdefault(name, message)
        page = await render_page(request, calculations, state, status=422, errors=error_links(error.errors))
        return page, state, fields
    return household, state, fields


def answers_download(household: Any) -> Response:
    """The answers file of a household, as a download (caseworker page and questionnaire results)."""
    body = json.dumps(answers_file(household), ensure_ascii=False, indent=2).encode()
    return download(body, "application/json", f"reponses-simulateur-{date.today().isoformat()}.json")


async def export_json(request: Request, calculations: Calculator) -> Response:
    household, _, _ = await _household_or_page(request, calculations)
    if isinstance(household, Response):
        return household
    return answers_download(household)


def pdf_bytes(html: str) -> bytes:
    return HTML(string=html).write_pdf()


async def export_pdf(request: Request, calculations: Calculator) -> Response:
    household, state, fields = await _household_or_page(request, calculations)
    if isinstance(household, Response):
        return household
    return await recap_pdf(calculations, state, (fields.get("nom_document") or [""])[-1])


async def recap_pdf(calculations: Calculator, state: dict[str, str], nom: str = "") -> Response:
    """The PDF recap of the caseworker page's answers (the questionnaire converts its own to them)."""
    outcome = await evaluate(calculations, state, {})
    if "resultats" not in outcome:
        raise RuntimeError("recap without results")
    nom = " ".join(nom.split())[:MAX_NOM]
    html = templates.get_template("accompagnement/recap_pdf.html").render(
        {**outcome, "faits": cf.facts(state), "date": date.today().strftime("%d/%m/%Y"), "nom": nom,
         "documents": documents(outcome["resultats"])})
    content = await run_in_threadpool(pdf_bytes, html)
    return download(content, "application/pdf", f"recapitulatif-droits-{date.today().isoformat()}.pdf")


def documents(resultats: Any) -> list[tuple[str, list[str]]]:
    """The documents to bring, each once, with the numbers (in the recap's table) of the aids asking for it."""
    found: dict[str, list[str]] = {}
    aides = [aide for groupe in resultats.eligibles for aide in groupe.aides]
    for number, aide in enumerate(aides, start=1):
        for piece in aide.demarches.pieces:
            found.setdefault(piece, []).append(str(number))
    return list(found.items())


async def load(request: Request, calculations: Calculator) -> Response:
    try:
        household = await read_upload(request)
    except UploadError as error:
        return await render_page(request, calculations, {**cf.DEFAULTS}, status=error.status,
                                 upload_error=error.message)
    return await render_page(request, calculations, state_from_household(household))


@router.post("/accompagnement/export")
async def export_route(request: Request, calculations: Calculations) -> Response:
    return await guarded(request, export_json, calculations)


@router.post("/accompagnement/pdf")
async def pdf_route(request: Request, calculations: Calculations) -> Response:
    return await guarded(request, export_pdf, calculations)


@router.post("/accompagnement/charger", response_class=HTMLResponse)
async def load_route(request: Request, calculations: Calculations) -> Response:
    return await guarded(request, load, calculations)
