"""Errors in the client's terms: 422 with the JSON path and a French message; never a 500 body with details."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

log = logging.getLogger(__name__)

FRENCH_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "extra_forbidden": "Champ inconnu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "int_from_float": "Un nombre entier est attendu.",
    "float_parsing": "Un nombre est attendu.",
    "float_type": "Un nombre est attendu.",
    "bool_parsing": "La valeur doit être true ou false.",
    "bool_type": "La valeur doit être true ou false.",
    "string_type": "Une chaîne de caractères est attendue.",
    "string_pattern_mismatch": "Le format n'est pas valide.",
    "string_too_long": "Le texte est trop long.",
    "string_too_short": "Le texte est trop court.",
    "enum": "Valeur non reconnue.",
    "literal_error": "Valeur non reconnue.",
    "list_type": "Une liste est attendue.",
    "too_short": "La liste est trop courte.",
    "too_long": "La liste est trop longue.",
    "dict_type": "Un objet JSON est attendu.",
    "model_type": "Un objet JSON est attendu.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "date_parsing": "Une date AAAA-MM-JJ est attendue.",
    "date_from_datetime_parsing": "Une date AAAA-MM-JJ est attendue.",
    "date_type": "Une date AAAA-MM-JJ est attendue.",
    "finite_number": "Un nombre fini est attendu.",
}


def french_message(error: dict) -> str:
    """Our own validators already speak French; pydantic's built-in errors are translated here."""
    kind = error.get("type", "")
    if kind in FRENCH_MESSAGES:
        message = FRENCH_MESSAGES[kind]
        if kind in ("enum", "literal_error") and "expected" in error.get("ctx", {}):
            message += f" Valeurs possibles : {error['ctx']['expected']}."
        return message
    message = error.get("msg", "Valeur invalide.")
    return message.removeprefix("Value error, ")


def validation_errors(errors: list[dict], skip_location_prefix: tuple[str, ...] = ("body",)) -> list[dict]:
    details = []
    for error in errors:
        location = [part for part in error.get("loc", ()) if part not in skip_location_prefix]
        path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in location)
        details.append({"champ": path, "message": french_message(error), "type": error.get("type")})
    return details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={
            "erreur": "Données invalides", "details": validation_errors(list(exc.errors()))})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Never log the request body: it carries a person's situation. The type is enough to start.
        log.error("Erreur interne (%s) sur %s %s", type(exc).__name__, request.method, request.url.path)
        return JSONResponse(status_code=500, content={"erreur": "Erreur interne du simulateur."})
