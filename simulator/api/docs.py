"""The API documentation page (/docs), served with local assets only: no CDN, no third-party request.

Swagger UI comes from the `swagger-ui-bundle` package (its files are served under /docs/static). The
page holds no inline script (the CSP forbids them): its start-up script is /docs/static/init.js.
Without that package, a plain HTML list of the operations is served instead.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

INIT_JS = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout",
    validatorUrl: null, tryItOutEnabled: false
  });
});
"""

SWAGGER_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — documentation de l'API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><main><h1 style="font-family:sans-serif;font-size:1.5rem;margin:1rem 20px 0">{title} — documentation de l'API</h1>
<h2 style="font-family:sans-serif;font-size:1.2rem;margin:1rem 20px 0">Points d'accès</h2>
<div id="swagger-ui"></div></main>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script src="/docs/static/init.js"></script></body></html>"""


def swagger_assets() -> Path | None:
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    path = Path(str(swagger_ui_path))
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def plain_page(app: FastAPI) -> str:
    """Every operation with its summary and description: readable without any script."""
    schema = app.openapi()
    items = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            summary = html.escape(operation.get("summary", ""))
            description = html.escape(operation.get("description", ""))
            items.append(f"<li><code>{html.escape(method.upper())} {html.escape(path)}</code> — "
                         f"{summary}<p>{description}</p></li>")
    return (f"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{html.escape(app.title)}"
            f"</title></head><body><main><h1>{html.escape(app.title)} — API</h1>"
            f"<p>Schéma OpenAPI complet : <a href=\"/openapi.json\">/openapi.json</a>.</p>"
            f"<ul>{''.join(items)}</ul></main></body></html>")


def install(app: FastAPI) -> None:
    assets = swagger_assets()

    @app.get("/docs/static/init.js", include_in_schema=False)
    def init_js() -> Response:
        return Response(INIT_JS, media_type="text/javascript")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> str:
        if assets is None:
            return plain_page(app)
        return SWAGGER_PAGE.format(title=html.escape(app.title))

    if assets is not None:  # after init.js, which the mount would otherwise shadow
        app.mount("/docs/static", StaticFiles(directory=str(assets)), name="docs-static")
