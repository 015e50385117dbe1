"""`simulator batch IN OUT`: a population file (JSON Lines or CSV) through the vectorised engine.

The input is read as a stream and cut into chunks of `chunk_size` households; each chunk is validated
(the `Household` model, its French messages) and computed in one call of `Engine.simulate_many` by an
executor: this process, local processes (`--workers N`) or Dask (`--dask ADDRESS` / `--dask local:N`).
At most a few chunks are in flight and results are written in input order as they come back, so memory
stays bounded whatever the file's size and the outputs are the same whatever the executor.

The CSV layout (one row per person, a household key) is described in docs/batch.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from simulator.amounts_text import euros
from simulator.batch.compute import Executor, compute_chunk, init_worker, run_in_process, run_in_processes
from simulator.batch.outputs import (
    ERROR_COLUMNS,
    RESULT_COLUMNS,
    SUMMARY_COLUMNS,
    CsvRows,
    ParquetRows,
    Summary,
    side_path,
)
from simulator.batch.progress import Progress, _duration
from simulator.batch.records import (
    BatchError,
    ChunkResult,
    Record,
    chunks,
    count_households,
    csv_columns,
    csv_rows,
    open_records,
)

__all__ = [
    "CHUNK_SIZE", "BatchError", "ChunkResult", "CsvRows", "Executor", "ParquetRows", "Progress", "Record", "Summary",
    "compute_chunk", "count_households", "csv_columns", "csv_rows", "executor_for", "init_worker", "render_summary",
    "run_batch", "run_in_process", "run_in_processes", "side_path",
]

CHUNK_SIZE = 500


# The run ------------------------------------------------------------------------------------------

def run_batch(source: Path, out: Path, executor: Executor, chunk_size: int = CHUNK_SIZE,
              progress_stream: IO[str] = sys.stderr) -> Summary:
    """Read, compute and write everything; the summary of what was written."""
    if out.suffix.lower() == ".parquet":
        writer: CsvRows | ParquetRows = ParquetRows(out)
    elif out.suffix.lower() == ".csv":
        writer = CsvRows(out, RESULT_COLUMNS)
    else:
        raise BatchError(f"Format de sortie inconnu pour {out.name} : .csv ou .parquet attendu.")
    stream, records = open_records(source)
    errors = CsvRows(side_path(out, "errors"), ERROR_COLUMNS)
    summary = Summary()
    progress = Progress(count_households(source), progress_stream)
    try:
        with stream:
            for result in executor(chunks(records, chunk_size)):
                writer.write(result.rows)
                errors.write(result.errors)
                summary.add(result)
                progress.update(result.households + result.failed)
    except UnicodeDecodeError as error:
        raise BatchError(f"{source} n'est pas encodé en UTF-8 ({error.reason}).") from error
    finally:
        progress.close()
        writer.close()
        errors.close()
    summary_writer = CsvRows(side_path(out, "summary"), SUMMARY_COLUMNS)
    summary_writer.write(summary.rows())
    summary_writer.close()
    return summary


def render_summary(summary: Summary, out: Path, seconds: float) -> str:
    lines = ["Aide                                         foyers éligibles   total (€ par mois)"]
    for _aide, label, _periodicite, _calcules, eligibles, _total, monthly in summary.rows():
        if eligibles:
            lines.append(f"{label[:44]:<44} {eligibles:>16}   {euros(monthly):>18}")
    rate = summary.households / seconds if seconds > 0 else 0.0
    failed = summary.failed
    lines.append("")
    lines.append(
        f"{summary.households} foyers calculés, {failed} foyers en erreur ({summary.errors} erreurs"
        f"{', voir ' + str(side_path(out, 'errors')) if summary.errors else ''}), en {_duration(seconds)} "
        f"({rate:.0f} foyers/s). Résultats : {out} ; synthèse : {side_path(out, 'summary')}.")
    return "\n".join(lines)


def executor_for(workers: int, dask: str | None) -> Executor:
    if dask:
        try:
            from simulator.batch.on_dask import run_on_dask
        except ImportError as error:
            raise BatchError("Dask n'est pas installé : pip install 'dask[distributed]'.") from error
        return run_on_dask(dask)
    if workers > 1:
        return run_in_processes(workers)
    return run_in_process
