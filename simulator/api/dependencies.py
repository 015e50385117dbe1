"""What routers receive from the app: the engine and the simulation pool, never reached as globals."""

from __future__ import annotations

from fastapi import Request

from simulator.api.pool import SimulationPool
from simulator.engine import Engine, get_engine


def engine() -> Engine:
    return get_engine()


def pool(request: Request) -> SimulationPool:
    return request.app.state.pool
