"""Running the app: uvicorn with logs that carry no personal data.

Access log lines keep the method, the path without its query string, the status and nothing about the
client (no address, no body, no query string: a query string can carry answers).
"""

from __future__ import annotations

import logging
from typing import Any

import uvicorn

APP = "simulator.api.app:create_app"


class PrivateAccessFilter(logging.Filter):
    """Rewrites uvicorn's access record as `METHOD /path STATUS`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            _client, method, path, _version, status = args
            record.msg = "%s %s %s"
            record.args = (method, str(path).split("?", 1)[0], status)
        return True


def log_config() -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"private": {"()": PrivateAccessFilter}},
        "formatters": {
            "default": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"},
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["private"],
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "simulator": {"handlers": ["default"], "level": "INFO", "propagate": False},
        },
    }


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    uvicorn.run(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config(),
        server_header=False,
        date_header=False,
    )
