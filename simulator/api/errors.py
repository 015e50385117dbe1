"""Errors in the client's terms: French JSON bodies, the JSON path of each bad field, never a 500 with details.

Every error body has the same shape: `{"erreur": "...", "details": [{"champ", "message", "type"}]}`
(`details` only for 422). Nothing here logs a request body, a query string or a client address: a
body carries a person's situation.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

# Error details in one 422 body: a body of 330,000 empty people once listed 990,000 of them (59.8 MB).
# The first ones are enough to correct a request; one more line says how many were left out.
MAX_DETAILS = 50

FRENCH_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "extra_forbidden": "Champ inconnu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "int_from_float": "Un nombre entier est attendu.",
    "int_parsing_size": "Le nombre est trop grand.",
    "float_parsing": "Un nombre est attendu.",
    "float_type": "Un nombre est attendu.",
    "finite_number": "Un nombre fini est attendu.",
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
    "date_from_datetime_inexact": "Une date AAAA-MM-JJ est attendue.",
    "date_type": "Une date AAAA-MM-JJ est attendue.",
    "greater_than": "La valeur est trop petite.",
    "greater_than_equal": "La valeur est trop petite.",
    "less_than": "La valeur est trop grande.",
    "less_than_equal": "La valeur est trop grande.",
}

HTTP_MESSAGES = {
    400: "Requête invalide.",
    404: "Adresse inconnue.",
    405: "Méthode non autorisée sur cette adresse.",
    406: "Format de réponse non disponible : seul application/json est servi.",
    413: "Requête trop volumineuse.",
    415: "Le corps de la requête doit être du JSON (Content-Type: application/json).",
    422: "Données invalides",
    429: "Trop de requêtes : réessayez dans quelques instants.",
    503: "Le simulateur est momentanément surchargé : réessayez dans quelques instants.",
}


# The same statuses on a web page (outside /api): a French page, never `{"detail": "Not Found"}`.
WEB_MESSAGES = {
    400: "La demande envoyée n'a pas pu être lue. Rien n'est gardé : reprenez la saisie depuis l'accueil.",
    404: "Cette page n'existe pas. Vérifiez l'adresse, ou repartez de l'accueil du simulateur.",
    405: "Cette page ne s'ouvre pas de cette façon. Repartez de l'accueil du simulateur.",
    413: "Les réponses envoyées sont trop volumineuses pour être lues. Rien n'est gardé : reprenez la saisie.",
}
WEB_TITLE = "Erreur – Simulateur de droits"


def error_page(status: int, message: str | None = None) -> bytes:
    """The French error page (templates/erreur.html) of a web path; needs no request."""
    from simulator.web.common import templates  # the web package imports the API's modules: not at load

    text = message or WEB_MESSAGES.get(status) or HTTP_MESSAGES.get(status, "Erreur.")
    return templates.get_template("erreur.html").render(title=WEB_TITLE, errors=[], message=text).encode()


def error_page_response(status: int, message: str | None = None,
                        headers: dict[str, str] | None = None) -> Response:
    return Response(error_page(status, message), status_code=status, media_type="text/html; charset=utf-8",
                    headers={**(headers or {}), "Cache-Control": "no-store"})


class FormRefused(StarletteHTTPException, ValueError):
    """A web form Starlette would not parse (too many fields or files, a part too large): a French 413
    page. A ValueError too, so that pages which answer unreadable input with their own 400 page do so."""

    def __init__(self) -> None:
        super().__init__(413, "Le formulaire envoyé compte trop de champs ou des champs trop longs pour être "
                              "lu. Rien n'est gardé : reprenez la saisie.")


class ErreurChamp(BaseModel):
    champ: str = Field(description="Chemin JSON du champ en cause", examples=["$.foyers[3].individus[0].age"])
    message: str = Field(examples=["L'âge doit être compris entre 0 et 120 ans."])
    type: str | None = Field(default=None, description="Code de l'erreur, stable", examples=["age"])


class Erreur(BaseModel):
    erreur: str = Field(examples=["Données invalides"])
    details: list[ErreurChamp] = Field(default_factory=list)


def error_body(status: int, message: str | None = None, details: list[dict] | None = None) -> dict:
    """Every error body of the API, from the handlers here and from the guards of `middleware`."""
    return {"erreur": message or HTTP_MESSAGES.get(status, "Erreur."), "details": details or []}


def error_response(status: int, message: str | None = None, details: list[dict] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content=error_body(status, message, details), headers=headers)


# What every route may answer besides its success, for the OpenAPI document.
COMMON_RESPONSES: dict[int | str, dict] = {
    400: {"model": Erreur, "description": "Requête mal formée (en-tête Content-Length invalide…)"},
    413: {"model": Erreur, "description": "Corps de requête de plus de 1 Mo"},
    415: {"model": Erreur, "description": "Corps de requête qui n'est pas du JSON"},
    422: {"model": Erreur, "description": "Données invalides : chemin JSON et message de chaque champ en cause"},
    429: {"model": Erreur, "description": "Trop de requêtes depuis cette adresse (si la limite est activée)"},
    503: {"model": Erreur, "description": "Service surchargé ou calcul trop long : réessayer après Retry-After"},
}


def french_message(error: dict) -> str:
    """Our own validators already speak French; pydantic's built-in errors are translated here."""
    kind = error.get("type", "")
    if kind in FRENCH_MESSAGES:
        message = FRENCH_MESSAGES[kind]
        context = error.get("ctx") or {}
        if kind in ("enum", "literal_error") and "expected" in context:
            message += f" Valeurs possibles : {context['expected']}."
        if kind == "too_long" and "max_length" in context:
            message = f"La liste est trop longue (au plus {context['max_length']} éléments)."
        if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            bound = next((context[k] for k in ("gt", "ge", "lt", "le") if k in context), None)
            symbol = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<", "less_than_equal": "≤"}[kind]
            if bound is not None:
                message = f"La valeur doit être {symbol} {bound}."
        return message
    message = error.get("msg", "Valeur invalide.")
    return message.removeprefix("Value error, ")


def json_path(location: list | tuple) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in location)


def validation_errors(errors: list[dict], skip_location_prefix: tuple[str, ...] = ("body",)) -> list[dict]:
    details = []
    for error in errors:
        location = list(error.get("loc", ()))
        while location and location[0] in skip_location_prefix:
            location.pop(0)
        if location and location[0] in ("query", "path"):
            location = location[1:]
        message = french_message(error)
        context = error.get("ctx") or {}
        if error.get("type") == "champ_inconnu" and isinstance(context.get("key"), str):
            location.append(context["key"])  # the unknown key itself, not the object holding it
        if error.get("type") == "json_invalid":  # FastAPI gives the character position, not a JSON path
            position = location[0] if location and isinstance(location[0], int) else None
            location = []
            if position is not None:
                message += f" (erreur au caractère {position})"
        details.append({"champ": json_path(location), "message": message, "type": error.get("type")})
    return details


def capped_details(errors: list[dict]) -> list[dict]:
    """The first MAX_DETAILS errors translated, then one line counting the others (never listed)."""
    details = validation_errors(errors[:MAX_DETAILS])
    if len(errors) > MAX_DETAILS:
        left = len(errors) - MAX_DETAILS
        details.append({"champ": "$", "type": "erreurs_non_detaillees",
                        "message": f"{left} autre{'s' if left > 1 else ''} erreur{'s' if left > 1 else ''} "
                                   f"non détaillée{'s' if left > 1 else ''} : corrigez d'abord les "
                                   f"{MAX_DETAILS} premières."})
    return details


class CostTooHigh(Exception):
    """A request whose estimated cost passes the budget (simulator.api.cost): a 422 naming the field."""

    def __init__(self, message: str, field: str = "$") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class EngineRefusal(Exception):
    """The engine could not compute this household (out of the simulator's reach): a 422, not a 500."""

    def __init__(self, message: str, field: str = "$") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


BUSY_STATE = "service_busy"  # key of the request's state where a web page's calculation notes a ServiceBusy


class ServiceBusy(Exception):
    """No simulation slot in time, or the calculation ran past the time limit: 503 with Retry-After."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # exc.errors() may carry the offending input ("input"): it is dropped here, never logged.
        return error_response(422, HTTP_MESSAGES[422], capped_details(list(exc.errors())))

    @app.exception_handler(CostTooHigh)
    async def _too_costly(request: Request, exc: CostTooHigh) -> JSONResponse:
        return error_response(422, "Demande trop coûteuse",
                              [{"champ": exc.field, "message": exc.message, "type": "cout_trop_eleve"}])

    @app.exception_handler(EngineRefusal)
    async def _refused(request: Request, exc: EngineRefusal) -> JSONResponse:
        return error_response(422, "Cas hors de portée du simulateur",
                              [{"champ": exc.field, "message": exc.message, "type": "hors_portee"}])

    @app.exception_handler(ServiceBusy)
    async def _busy(request: Request, exc: ServiceBusy) -> JSONResponse:
        return error_response(503, exc.message, headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if not is_api(request.url.path):
            if exc.status_code < 400:
                return await http_exception_handler(request, exc)
            # Our own French detail (FormRefused), else the status's French page text.
            french = isinstance(exc, FormRefused)
            return error_page_response(exc.status_code, exc.detail if french else None, headers)
        ours = isinstance(exc.detail, str) and exc.status_code == 404 and exc.detail != "Not Found"
        detail = exc.detail if ours else HTTP_MESSAGES.get(exc.status_code, "Erreur.")
        return error_response(exc.status_code, detail, headers=headers)


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/") or path == "/openapi.json"
