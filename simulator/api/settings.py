"""Limits and switches of the API, read from environment variables once per app.

Every limit has a default fit for a small public service; operators change them without code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return default if raw in (None, "") else float(raw)


MAX_BATCH = 1000  # households per /simulate/batch call (variation steps: simulator.variation)


@dataclass(frozen=True)
class Settings:
    # Request bodies: bytes and JSON nesting depth.
    max_body_bytes: int = 1_000_000
    max_json_depth: int = 16
    # Simulations: time limit per request (seconds), simulations running at once, requests waiting.
    timeout: float = 30.0
    max_concurrent: int = 2
    max_waiting: int = 64
    # Concurrent /simulate requests computed together: wait (seconds) before the first run, batch size.
    coalesce_window: float = 0.005
    coalesce_max_batch: int = 64
    # Rate limit per client address: requests per minute (0 = off) and burst size.
    rate_per_minute: float = 0.0
    rate_burst: int = 20
    # Who may embed the pages (CSP frame-ancestors) and call the API from a browser (CORS).
    frame_ancestors: str = "'self'"
    cors_origins: tuple[str, ...] = field(default=("*",))

    @classmethod
    def from_env(cls) -> Settings:
        origins = os.environ.get("SIMULATOR_CORS_ORIGINS", "*")
        return cls(
            max_body_bytes=_int("SIMULATOR_MAX_BODY_BYTES", 1_000_000),
            max_json_depth=_int("SIMULATOR_MAX_JSON_DEPTH", 16),
            timeout=_float("SIMULATOR_TIMEOUT", 30.0),
            max_concurrent=max(1, _int("SIMULATOR_MAX_CONCURRENT", 2)),
            max_waiting=max(0, _int("SIMULATOR_MAX_WAITING", 64)),
            coalesce_window=_float("SIMULATOR_COALESCE_MS", 5.0) / 1000,
            coalesce_max_batch=max(1, _int("SIMULATOR_COALESCE_MAX", 64)),
            rate_per_minute=_float("SIMULATOR_RATE_LIMIT", 0.0),
            rate_burst=max(1, _int("SIMULATOR_RATE_BURST", 20)),
            frame_ancestors=os.environ.get("SIMULATOR_FRAME_ANCESTORS", "'self'").strip() or "'self'",
            cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        )
