"""Simulations off the event loop: a bounded thread pool, a queue limit and a time limit per request.

The engine is CPU-bound Python; running it on the event loop would freeze every other request. Here a
dedicated pool of `max_concurrent` threads runs simulations; at most `max_waiting` more wait for a
thread, beyond which the request is refused at once (503). A request whose answer is not ready within
`timeout` seconds gets a 503 with Retry-After; a simulation still waiting for a thread when its request
gave up is skipped, so abandoned work does not pile up. (A simulation already running cannot be
interrupted in a thread: it finishes and its result is dropped.)
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from simulator.api.errors import EngineRefusal, ServiceBusy
from simulator.api.settings import Settings

T = TypeVar("T")


class _Abandoned(Exception):
    pass


class SimulationPool:
    def __init__(self, settings: Settings) -> None:
        self.timeout = settings.timeout
        self.capacity = settings.max_concurrent + settings.max_waiting
        self.max_concurrent = settings.max_concurrent
        self.executor: ThreadPoolExecutor | None = None
        self.pending = 0
        self.lock = threading.Lock()

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.timeout / 2))

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """`function(*args)` in the pool; ValueError from the engine becomes a 422 (EngineRefusal)."""
        with self.lock:
            if self.pending >= self.capacity:
                raise ServiceBusy("Le simulateur est momentanément surchargé : réessayez dans quelques instants.",
                                  self.retry_after)
            self.pending += 1
        deadline = time.monotonic() + self.timeout

        def job() -> T:
            if time.monotonic() > deadline:
                raise _Abandoned
            return function(*args)

        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor(), job)
        future.add_done_callback(self._done)
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout=self.timeout)
        except TimeoutError:
            future.add_done_callback(_consume)
            raise ServiceBusy("Le calcul a pris trop de temps : réessayez dans quelques instants.",
                              self.retry_after) from None
        except ValueError as error:
            raise EngineRefusal(str(error)) from None

    def _executor(self) -> ThreadPoolExecutor:
        """Created on first use, and again after a shutdown (an app may go through several lifespans)."""
        with self.lock:
            if self.executor is None:
                self.executor = ThreadPoolExecutor(max_workers=self.max_concurrent, thread_name_prefix="simulation")
            return self.executor

    def _done(self, _future: object) -> None:
        with self.lock:
            self.pending -= 1

    def shutdown(self) -> None:
        with self.lock:
            executor, self.executor = self.executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _consume(future: asyncio.Future) -> None:
    """Read the outcome of an abandoned future so asyncio does not log 'exception never retrieved'."""
    if not future.cancelled():
        future.exception()
