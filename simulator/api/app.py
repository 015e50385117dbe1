"""The application: API routers, web pages, and the error handlers that keep 500s away from clients."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from simulator.api import catalog, health, simulate
from simulator.api.errors import install_error_handlers
from simulator.engine import get_engine


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Build the engine and warm it up before serving (SIMULATOR_WARMUP=0 skips the warm-up)."""
    engine = await run_in_threadpool(get_engine)
    if os.environ.get("SIMULATOR_WARMUP", "1") != "0":
        await run_in_threadpool(engine.warm_up)
    yield


def create_app() -> FastAPI:
    app = FastAPI(
        title="Simulateur de droits",
        description="Simulez les aides sociales nationales (OpenFisca-France) et de la Ville de Paris.",
        version="1.0.0",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(simulate.router)
    app.include_router(catalog.router)
    app.include_router(health.router)
    from simulator.web import routes as web_routes

    web_routes.install(app)
    return app
