"""`simulator batch --dask`: the chunks on a Dask cluster (an existing scheduler, or a LocalCluster).

Dask does the scheduling, the retries and the data movement; each worker builds its engine once, when
it starts (`EngineWarmup`, a worker plugin), and reuses it for every chunk it is given. At most two
chunks per worker thread are in flight; results are handed back in input order.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

from dask.distributed import Client, LocalCluster, WorkerPlugin, as_completed

from simulator.batch.compute import Executor, compute_chunk, init_worker
from simulator.batch.records import BatchError, ChunkResult, Record


class EngineWarmup(WorkerPlugin):
    """Builds and warms the worker process's engine (`get_engine`) before its first task."""

    name = "simulateur-de-droits-engine"

    async def setup(self, worker: Any) -> None:
        # In a thread: the worker's event loop keeps answering the scheduler's heartbeats meanwhile.
        await asyncio.to_thread(init_worker)


def dask_client(address: str) -> Client:
    """A client of the scheduler at `address`, or of a new LocalCluster of N processes for "local:N"."""
    if address.startswith("local:"):
        try:
            workers = int(address.removeprefix("local:"))
        except ValueError as error:
            raise BatchError("--dask local:N attend un nombre de processus (par exemple local:2).") from error
        if workers < 1:
            raise BatchError("--dask local:N attend au moins un processus.")
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster)
    try:
        return Client(address, timeout="30s")
    except OSError as error:
        raise BatchError(f"Ordonnanceur Dask injoignable à {address} : {error}") from error


def run_on_dask(address: str, retries: int = 2) -> Executor:
    def run(chunk_iter: Iterator[list[Record]]) -> Iterator[ChunkResult]:
        client = dask_client(address)
        run_id = uuid.uuid4().hex[:8]
        try:
            client.register_plugin(EngineWarmup())
            in_flight = 2 * max(1, sum(client.nthreads().values()))
            futures = as_completed()
            ready: dict[int, ChunkResult] = {}
            index_of: dict[str, int] = {}
            next_index = submitted = 0

            def submit_more() -> None:
                nonlocal submitted
                while submitted - next_index < in_flight:
                    chunk = next(chunk_iter, None)
                    if chunk is None:
                        return
                    future = client.submit(compute_chunk, chunk, key=f"lot-{run_id}-{submitted}", retries=retries,
                                           pure=False)
                    index_of[future.key] = submitted
                    futures.add(future)
                    submitted += 1

            submit_more()
            for future in futures:
                ready[index_of.pop(future.key)] = future.result()
                future.release()
                while next_index in ready:
                    yield ready.pop(next_index)
                    next_index += 1
                submit_more()
        finally:
            cluster = client.cluster if address.startswith("local:") else None
            client.close()
            if cluster is not None:
                cluster.close()
    return run
