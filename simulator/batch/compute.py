"""Computing a chunk (in whatever process runs it) and the local executors: this process, or local processes."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator

from simulator.batch.records import ChunkResult, Record

# Computing (in whatever process runs the chunk) --------------------------------------------------

def _error_line(record: Record, location: tuple) -> int:
    """The CSV row of the person an error is about, else the household's first line."""
    if len(location) >= 2 and location[0] == "individus" and isinstance(location[1], int) \
            and location[1] < len(record.person_lines):
        return record.person_lines[location[1]]
    return record.line


def compute_chunk(records: list[Record]) -> ChunkResult:
    """Validate and compute one chunk with this process's engine (built on first use, then reused)."""
    from pydantic import ValidationError

    from simulator.api.errors import validation_errors
    from simulator.engine import get_engine
    from simulator.household import Household

    errors: list[tuple] = []
    valid: list[tuple[Record, Household]] = []
    for record in records:
        if record.errors or record.data is None:
            errors.extend((line, record.key, champ, message) for line, champ, message in record.errors)
            continue
        try:
            valid.append((record, Household.model_validate(record.data)))
        except ValidationError as error:
            raw = list(error.errors())
            for detail, problem in zip(validation_errors(raw, ()), raw, strict=True):
                line = _error_line(record, tuple(problem.get("loc", ())))
                errors.append((line, record.key, detail["champ"], detail["message"]))
    engine = get_engine()
    households = [household for _, household in valid]
    try:
        results = engine.simulate_many(households)
    except Exception:  # one household out of the engine's reach: find it, compute the others
        results = []
        for record, household in valid:
            try:
                results.append(engine.simulate(household))
            except Exception as error:  # noqa: BLE001 - reported with its line, the run goes on
                results.append(None)
                errors.append((record.line, record.key, "$", f"Calcul impossible pour ce foyer : {error}"))
    rows: list[tuple] = []
    labels: dict[str, tuple[str, str]] = {}
    for (record, household), result in zip(valid, results, strict=True):
        if result is None:
            continue
        for aide in result.aides:
            labels.setdefault(aide.id, (aide.label, aide.periodicite))
            rows.append((record.key, record.line, household.mois, aide.id, aide.calculable, aide.eligible,
                         aide.montant, aide.periodicite, round(aide.montant_mensuel, 2)))
    errors.sort(key=lambda error: error[0])
    computed = len(results) - sum(r is None for r in results)
    return ChunkResult(rows, errors, labels, computed, len(records) - computed)


_warm = False


def init_worker() -> None:
    """Build and warm this process's engine once, before its first chunk (later calls: nothing to do)."""
    global _warm
    from simulator.engine import get_engine

    if not _warm:
        get_engine().warm_up()
        _warm = True


# Executors: each yields the chunk results in input order -------------------------------------------

Executor = Callable[[Iterator[list[Record]]], Iterator[ChunkResult]]


def run_in_process(chunk_iter: Iterator[list[Record]]) -> Iterator[ChunkResult]:
    init_worker()
    for chunk in chunk_iter:
        yield compute_chunk(chunk)


def run_in_processes(workers: int) -> Executor:
    def run(chunk_iter: Iterator[list[Record]]) -> Iterator[ChunkResult]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker) as pool:
            pending: deque = deque()
            for chunk in chunk_iter:
                pending.append(pool.submit(compute_chunk, chunk))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    return run
