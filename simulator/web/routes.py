"""Web pages. A plain home page until the questionnaire lands."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

HOME = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simulateur de droits</title></head>
<body><main><h1>Simulateur de droits</h1>
<p>L'API est disponible : <a href="/docs">documentation</a>.</p></main></body></html>"""


def install(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        return HOME
