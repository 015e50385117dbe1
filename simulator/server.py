"""Running the app: uvicorn with logs that carry no personal data.

Access log lines keep the method, the path without its query string, the status and nothing about the
client (no address, no body, no query string: a query string can carry answers).
"""

from __future__ import annotations

import contextlib
import logging
import logging.config
import os
import signal
import socket
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
    from simulator.engine import install_shortcuts

    install_shortcuts()  # before the app (or the forked workers' engine) is built
    if workers > 1:
        serve_forked(host, port, workers)
        return
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


def serve_forked(host: str, port: int, workers: int) -> None:
    """Build and warm the engine once, then fork the workers.

    Workers inherit the built tax-benefit system (copy-on-write) instead of each spending ~6 s and
    ~200 MB building their own, and start serving at once. A worker that dies is replaced.
    """
    from simulator.engine import get_engine

    logging.config.dictConfig(log_config())
    engine = get_engine()
    if os.environ.get("SIMULATOR_WARMUP", "1") != "0":
        engine.warm_up()
    os.environ["SIMULATOR_WARMUP"] = "0"  # the workers are warm already

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)

    def spawn() -> int:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            config = uvicorn.Config(APP, factory=True, log_config=log_config(), server_header=False,
                                    date_header=False)
            uvicorn.Server(config).run(sockets=[sock])
            os._exit(0)
        return pid

    children = {spawn() for _ in range(workers)}
    stopping = False

    def stop(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log = logging.getLogger("simulator.server")
    log.info("%d processus de calcul sur http://%s:%d", workers, host, port)
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        children.discard(pid)
        if not stopping:
            log.warning("Un processus de calcul s'est arrêté : il est remplacé.")
            children.add(spawn())
    sock.close()
