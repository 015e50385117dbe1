"""What routers receive from the app: the engine and the simulation pool, never reached as globals."""

from __future__ import annotations

from fastapi import Request

from simulator.api.coalesce import Coalescer
from simulator.api.pool import SimulationPool
from simulator.api.settings import Settings
from simulator.engine import Engine, get_engine


def engine() -> Engine:
    return get_engine()


def pool(request: Request) -> SimulationPool:
    return request.app.state.pool


def settings(request: Request) -> Settings:
    return request.app.state.settings


def coalescer(request: Request) -> Coalescer | None:
    """None when coalescing is off (SIMULATOR_COALESCE_MAX=1): each request runs on its own."""
    return request.app.state.coalescer
