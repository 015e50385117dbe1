"""The application: API routers, web pages, local docs, and the guards every request passes through.

Stateless: nothing is stored between requests (no database, no session, no cookie); the only memory
is the engine (rules, parameters) and, when rate limiting is on, a token count per client address.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware

from simulator.api import catalog, docs, explain, health, simulate, variation
from simulator.api.coalesce import Coalescer
from simulator.api.errors import install_error_handlers
from simulator.api.middleware import BodyGuard, BusyPages, CatchAll, RateLimit, SecurityHeaders
from simulator.api.pool import SimulationPool
from simulator.api.settings import Settings
from simulator.engine import get_engine
from simulator.territories import territories
from simulator.web import common as web_common
from simulator.web.caseworker import routes as caseworker_routes
from simulator.web.questionnaire import routes as questionnaire_routes

DESCRIPTION = """Simulez les aides sociales nationales (OpenFisca-France){locales}.

API sans état : rien n'est conservé ni journalisé de ce que vous envoyez (ni corps de requête, ni
paramètres d'URL). Montants en euros par mois pour le mois simulé. Erreurs : JSON en français,
`{"erreur": "...", "details": [{"champ": "$.individus[0].age", "message": "...", "type": "..."}]}`.
Limites : corps de 1 Mo, 1 000 foyers par lot, 101 points par variation, temps de calcul borné (503 +
Retry-After au-delà). Guide : docs/api.md du dépôt."""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Build the engine and warm it up before serving (SIMULATOR_WARMUP=0 skips the warm-up)."""
    engine = await run_in_threadpool(get_engine)
    if os.environ.get("SIMULATOR_WARMUP", "1") != "0":
        await run_in_threadpool(engine.warm_up)
    yield
    app.state.pool.shutdown()


def description() -> str:
    """The OpenAPI description, naming the loaded territories ("… et locales (Ville de Paris)")."""
    names = [t.nom for t in territories()]
    locales = f" et locales ({', '.join(names)})" if names else ""
    return DESCRIPTION.replace("{locales}", locales)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="Simulateur de droits",
        description=description(),
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.pool = SimulationPool(settings)
    app.state.coalescer = None if settings.coalesce_max_batch <= 1 else Coalescer(
        app.state.pool, settings.coalesce_window, settings.coalesce_max_batch,
        max_queue=settings.max_waiting * settings.coalesce_max_batch)
    install_error_handlers(app)
    app.include_router(simulate.router)
    app.include_router(variation.router)
    app.include_router(explain.router)
    app.include_router(catalog.router)
    app.include_router(health.router)
    docs.install(app)
    app.include_router(web_common.router)
    app.include_router(questionnaire_routes.router)
    app.include_router(caseworker_routes.router)
    # Added innermost first: a request meets SecurityHeaders, CatchAll, BusyPages, CORS, RateLimit, BodyGuard.
    app.add_middleware(BodyGuard, settings=settings, routes=lambda: app.routes)
    app.add_middleware(RateLimit, settings=settings)
    app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
                       allow_methods=["GET", "POST"], allow_headers=["Content-Type"], max_age=600)
    app.add_middleware(BusyPages)
    app.add_middleware(CatchAll)
    app.add_middleware(SecurityHeaders, settings=settings)
    return app
