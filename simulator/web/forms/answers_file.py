"""The answers file a person takes home and can load again (in caseworker mode or in the questionnaire):
JSON, the API's Household plus `format` and `version`.

A loaded file is untrusted: size-limited, parsed as JSON, checked against the Household model; every
problem is an `UploadError` with a French message for the page (400 unreadable, 422 wrong content).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from simulator.api.errors import french_message
from simulator.household import Household

FORMAT = "simulateur-de-droits/foyer"
VERSION = 1
MAX_UPLOAD = 100_000  # bytes: an answers file is about 2 KB


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
