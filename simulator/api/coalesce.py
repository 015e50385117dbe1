"""Concurrent single-household requests computed together, as one vectorised OpenFisca run.

An OpenFisca run costs nearly the same for one household as for twenty (the time is Python overhead
per formula, not per household). Under load, the households that arrive while a run is going on (or
within a few milliseconds of the first one) are therefore computed in the next run together, and
each request gets its own result: the cost per household falls as the load rises.

Nothing is kept: a household lives in the queue only until its run starts, and its result only
until its request takes it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from simulator.api.errors import EngineRefusal, ServiceBusy
from simulator.api.pool import SimulationPool
from simulator.household import Household
from simulator.results import SimulationResult

SimulateMany = Callable[[Sequence[Household]], list[SimulationResult]]


class Coalescer:
    def __init__(self, pool: SimulationPool, window: float, max_batch: int, max_queue: int) -> None:
        self.pool = pool
        self.window = window
        self.max_batch = max_batch
        self.max_queue = max_queue
        self._queue: list[tuple[Household, asyncio.Future[SimulationResult]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def simulate(self, simulate_many: SimulateMany, household: Household) -> SimulationResult:
        if len(self._queue) >= self.max_queue:
            raise ServiceBusy("Le simulateur est momentanément surchargé : réessayez dans quelques instants.",
                              self.pool.retry_after)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[SimulationResult] = loop.create_future()
        self._queue.append((household, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = loop.create_task(self._drain(simulate_many))
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout=self.pool.timeout)
        except TimeoutError:
            future.cancel()  # skipped if its run has not started yet
            raise ServiceBusy("Le calcul a pris trop de temps : réessayez dans quelques instants.",
                              self.pool.retry_after) from None

    async def _drain(self, simulate_many: SimulateMany) -> None:
        await asyncio.sleep(self.window)
        while self._queue:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch:]
            live = [(household, future) for household, future in batch if not future.done()]
            if live:
                await self._run(simulate_many, live)

    async def _run(self, simulate_many: SimulateMany,
                   live: list[tuple[Household, asyncio.Future[SimulationResult]]]) -> None:
        try:
            results = await self.pool.run(simulate_many, [household for household, _ in live])
        except EngineRefusal as error:
            if len(live) == 1:
                _settle(live[0][1], error=error)
                return
            for one in live:  # one household out of reach must not fail the others
                await self._run(simulate_many, [one])
            return
        except Exception as error:  # ServiceBusy and anything unexpected: every waiter hears it
            for _, future in live:
                _settle(future, error=error)
            return
        for (_, future), result in zip(live, results, strict=True):
            _settle(future, result=result)


def _settle(future: asyncio.Future[SimulationResult], result: SimulationResult | None = None,
            error: BaseException | None = None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]
