"""The engine as a FastAPI dependency, so routers never reach for a global."""

from __future__ import annotations

from simulator.engine import Engine, get_engine


def engine() -> Engine:
    return get_engine()
