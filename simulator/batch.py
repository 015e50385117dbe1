"""`simulator batch IN OUT`: a population file (JSON Lines or CSV) through the vectorised engine.

The input is read as a stream and cut into chunks of `chunk_size` households; each chunk is validated
(the `Household` model, its French messages) and computed in one call of `Engine.simulate_many` by an
executor: this process, local processes (`--workers N`) or Dask (`--dask ADDRESS` / `--dask local:N`).
At most a few chunks are in flight and results are written in input order as they come back, so memory
stays bounded whatever the file's size and the outputs are the same whatever the executor.

The CSV layout (one row per person, a household key) is described in docs/batch.md.
"""

from __future__ import annotations

import csv
import json
import math
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

# Output columns: one row per household and benefit.
RESULT_COLUMNS = ("foyer", "ligne", "mois", "aide", "calculable", "eligible", "montant", "periodicite",
                  "montant_mensuel")
ERROR_COLUMNS = ("ligne", "foyer", "champ", "message")
SUMMARY_COLUMNS = ("aide", "libelle", "periodicite", "foyers_calcules", "foyers_eligibles", "montant_total",
                   "montant_mensuel_total")
CHUNK_SIZE = 500
KEY_COLUMN = "foyer"
LOGEMENT_PREFIX = "logement."
HISTORY_PREFIXES = ("revenus_3_derniers_mois.", "revenus_12_derniers_mois.")


class BatchError(Exception):
    """The run cannot start (unreadable file, unknown column, missing pyarrow): French message, exit 2."""


# Records ------------------------------------------------------------------------------------------

@dataclass
class Record:
    """One household as read: its key, its first line, the line of each person (CSV), its data.

    `errors` holds what reading already found wrong (a cell that cannot be read, a JSON syntax error):
    such a record is not validated further.
    """

    line: int
    key: str
    data: dict[str, Any] | None
    person_lines: list[int] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, champ, message)


@dataclass
class ChunkResult:
    rows: list[tuple]
    errors: list[tuple]
    labels: dict[str, tuple[str, str]]  # benefit id -> (label, periodicite)
    households: int = 0  # computed
    failed: int = 0  # households refused (invalid, or out of the engine's reach)


# Reading ------------------------------------------------------------------------------------------

def read_jsonl(stream: IO[str]) -> Iterator[Record]:
    """One household per line, the API's format; an optional "foyer" key names it (else its line number)."""
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            yield Record(number, str(number), None,
                         errors=[(number, "$", f"JSON invalide (caractère {error.pos + 1}) : {error.msg}.")])
            continue
        if not isinstance(data, dict):
            yield Record(number, str(number), None, errors=[(number, "$", "Un objet JSON est attendu.")])
            continue
        key = data.pop(KEY_COLUMN, None)
        yield Record(number, str(number) if key is None else str(key), data)


def _column_types() -> dict[str, str]:
    """Each person or housing column's type, from the household model and the registry of facts."""
    from simulator.household import PRESTATIONS_DECLARABLES, RESSOURCES
    from simulator.registry import core_facts, extension_facts

    kinds = {"bool": "bool", "choix": "str", "taux": "float", "montant": "float", "entier": "int", "commune": "str"}
    types = {"id": "str", "role": "str", "age": "int", "date_naissance": "str"}
    types.update({key: "float" for key in (*RESSOURCES, *PRESTATIONS_DECLARABLES)})
    for prefix in HISTORY_PREFIXES:
        types.update({prefix + key: "float" for key in RESSOURCES})
    types.update({LOGEMENT_PREFIX + "depcom": "str", LOGEMENT_PREFIX + "code_postal": "str"})
    for fact in (*core_facts().values(), *extension_facts().values()):
        if fact.type == "commune":
            continue
        name = fact.id if fact.entite == "individu" else LOGEMENT_PREFIX + fact.id
        types[name] = kinds[fact.type]
    return types


TRUE = {"true", "vrai", "oui", "1"}
FALSE = {"false", "faux", "non", "0"}
TYPE_MESSAGES = {"bool": "La valeur doit être true ou false (ou oui / non).", "int": "Un nombre entier est attendu.",
                 "float": "Un nombre est attendu."}


def _cell(text: str, kind: str) -> Any:
    """A cell's value in the JSON type the household model expects; ValueError if it cannot be read."""
    if kind == "str":
        return text
    if kind == "bool":
        lowered = text.lower()
        if lowered in TRUE or lowered in FALSE:
            return lowered in TRUE
        raise ValueError(text)
    number = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if kind == "int":
        value = float(number)
        if value != int(value):
            raise ValueError(text)
        return int(value)
    value = float(number)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _set(target: dict[str, Any], column: str, value: Any) -> None:
    for prefix in HISTORY_PREFIXES:
        if column.startswith(prefix):
            target.setdefault(prefix[:-1], {})[column[len(prefix):]] = value
            return
    target[column] = value


def read_csv(stream: IO[str]) -> Iterator[Record]:
    """One row per person; rows of a household follow each other and share its key (docs/batch.md)."""
    sample = stream.read(4096)
    stream.seek(0)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(stream, delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise BatchError("Le fichier CSV est vide : une ligne d'en-tête est attendue.")
    header = [name.strip().lstrip("\ufeff") for name in header]
    if KEY_COLUMN not in header:
        raise BatchError(f"Colonne « {KEY_COLUMN} » manquante : elle porte la clé de chaque foyer.")
    types = _column_types()
    unknown = [name for name in header if name not in types and name not in (KEY_COLUMN, "mois")]
    if unknown:
        raise BatchError(f"Colonnes inconnues : {', '.join(unknown)} (voir docs/batch.md).")
    seen: set[str] = set()
    current: Record | None = None
    line = 1
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            message = f"La ligne a {len(row)} cellules, l'en-tête en annonce {len(header)}."
            key = row[header.index(KEY_COLUMN)].strip() if len(row) > header.index(KEY_COLUMN) else ""
            if current is not None and key == current.key:
                current.errors.append((line, "$", message))
                continue
            if current is not None:
                yield current
            current = Record(line, key, None, errors=[(line, "$", message)])
            continue
        cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
        key = cells.pop(KEY_COLUMN)
        if current is None or key != current.key:
            if current is not None:
                yield current
            if key in seen:
                yield Record(line, key, None, errors=[(line, "$.foyer", (
                    f"Les lignes du foyer « {key} » doivent se suivre : ce foyer a déjà été lu plus haut."))])
                current = None
                continue
            if len(seen) < 1_000_000:  # keys of the last million households: bounded memory
                seen.add(key)
            current = Record(line, key, {"individus": []})
        if current.data is None:
            continue
        person_index = len(current.data["individus"])
        person: dict[str, Any] = {}
        for column, text in cells.items():
            if text == "":
                continue
            if column == "mois":
                target, name, path = current.data, "mois", "$.mois"
                kind = "str"
            elif column.startswith(LOGEMENT_PREFIX):
                target, name = current.data.setdefault("logement", {}), column[len(LOGEMENT_PREFIX):]
                path, kind = f"$.logement.{name}", types[column]
            else:
                target, name = person, column
                path, kind = f"$.individus[{person_index}].{column}", types[column]
            try:
                value = _cell(text, kind)
            except ValueError:
                current.errors.append((line, path, f"{TYPE_MESSAGES[kind]} (lu : « {text} »)"))
                continue
            if target is person:
                _set(person, name, value)
            elif name in target and target[name] != value:
                current.errors.append((line, path, (
                    f"Valeur différente de celle d'une ligne précédente du foyer ({target[name]!r} puis {value!r}).")))
            else:
                target[name] = value
        current.data["individus"].append(person)
        current.person_lines.append(line)
    if current is not None:
        yield current


def open_records(path: Path) -> tuple[IO[str], Iterator[Record]]:
    try:
        stream = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise BatchError(f"Impossible de lire {path} : {error.strerror or error}.") from error
    if path.suffix.lower() == ".csv":
        return stream, read_csv(stream)
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return stream, read_jsonl(stream)
    stream.close()
    raise BatchError(f"Format d'entrée inconnu pour {path.name} : .jsonl (JSON Lines) ou .csv attendu.")


def count_households(path: Path) -> int | None:
    """How many households the file holds (for the progress bar's time left), read as a stream."""
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            if path.suffix.lower() != ".csv":
                return sum(1 for text in stream if text.strip())
            sample = stream.read(4096)
            stream.seek(0)
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
            except csv.Error:
                delimiter = ","
            reader = csv.reader(stream, delimiter=delimiter)
            header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
            if KEY_COLUMN not in header:
                return None
            index = header.index(KEY_COLUMN)
            count, previous = 0, None
            for row in reader:
                if len(row) > index and any(cell.strip() for cell in row) and row[index].strip() != previous:
                    count, previous = count + 1, row[index].strip()
            return count
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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


# Writing ------------------------------------------------------------------------------------------

class CsvRows:
    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.stream = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.stream)
        self.writer.writerow(columns)

    def write(self, rows: list[tuple]) -> None:
        self.writer.writerows(("" if value is None else value for value in row) for row in rows)

    def close(self) -> None:
        self.stream.close()


class ParquetRows:
    """One row group per chunk: the file is written as the results come, never held whole."""

    def __init__(self, path: Path) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as error:
            raise BatchError("La sortie Parquet demande pyarrow : pip install 'simulateur-de-droits[parquet]' "
                             "(ou pip install pyarrow), ou choisissez une sortie .csv.") from error
        self.pa = pa
        self.schema = pa.schema([
            ("foyer", pa.string()), ("ligne", pa.int64()), ("mois", pa.string()), ("aide", pa.string()),
            ("calculable", pa.bool_()), ("eligible", pa.bool_()), ("montant", pa.float64()),
            ("periodicite", pa.string()), ("montant_mensuel", pa.float64()),
        ])
        self.writer = pq.ParquetWriter(str(path), self.schema)

    def write(self, rows: list[tuple]) -> None:
        if rows:
            columns = list(zip(*rows, strict=True))
            self.writer.write_table(self.pa.Table.from_arrays(
                [self.pa.array(values, type=f.type) for values, f in zip(columns, self.schema, strict=True)],
                schema=self.schema))

    def close(self) -> None:
        self.writer.close()


def side_path(out: Path, kind: str) -> Path:
    """resultats.csv -> resultats.summary.csv / resultats.errors.csv."""
    return out.with_name(f"{out.stem}.{kind}.csv")


@dataclass
class Summary:
    households: int = 0
    errors: int = 0
    failed: int = 0
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    calculated: dict[str, int] = field(default_factory=dict)
    eligible: dict[str, int] = field(default_factory=dict)
    total: dict[str, float] = field(default_factory=dict)
    monthly: dict[str, float] = field(default_factory=dict)

    def add(self, result: ChunkResult) -> None:
        self.households += result.households
        self.errors += len(result.errors)
        self.failed += result.failed
        for key, value in result.labels.items():
            self.labels.setdefault(key, value)
        for row in result.rows:
            aide, calculable, eligible, montant, monthly = row[3], row[4], row[5], row[6], row[8]
            self.calculated[aide] = self.calculated.get(aide, 0) + bool(calculable)
            self.eligible[aide] = self.eligible.get(aide, 0) + bool(eligible)
            if eligible and montant:
                self.total[aide] = self.total.get(aide, 0.0) + montant
                self.monthly[aide] = self.monthly.get(aide, 0.0) + monthly

    def rows(self) -> list[tuple]:
        return [(aide, label, periodicite, self.calculated.get(aide, 0), self.eligible.get(aide, 0),
                 round(self.total.get(aide, 0.0), 2), round(self.monthly.get(aide, 0.0), 2))
                for aide, (label, periodicite) in self.labels.items()]


# Progress -----------------------------------------------------------------------------------------

def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class Progress:
    """tqdm's bar (rate, time left) on a terminal; otherwise a plain line at most every `every` seconds."""

    def __init__(self, total: int | None, stream: IO[str] = sys.stderr, every: float = 10.0) -> None:
        self.total, self.stream, self.every = total, stream, every
        self.done = 0
        self.start = self.last = time.monotonic()
        self.bar = None
        if stream.isatty():
            try:
                from tqdm import tqdm
            except ImportError:
                return
            self.bar = tqdm(total=total, unit=" foyers", desc="Foyers", file=stream, smoothing=0.1)

    def update(self, count: int) -> None:
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        text = f"{self.done} foyers lus en {_duration(elapsed)} ({rate:.0f} foyers/s)"
        if self.total and rate > 0:
            text += f", {self.done * 100 // self.total} %, reste environ {_duration((self.total - self.done) / rate)}"
        return text

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


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
    from simulator.cli import format_amount

    lines = ["Aide                                         foyers éligibles   total (€ par mois)"]
    for _aide, label, _periodicite, _calcules, eligibles, _total, monthly in summary.rows():
        if eligibles:
            lines.append(f"{label[:44]:<44} {eligibles:>16}   {format_amount(monthly):>18}")
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
            from simulator.batch_dask import run_on_dask
        except ImportError as error:
            raise BatchError("Dask n'est pas installé : pip install 'dask[distributed]'.") from error
        return run_on_dask(dask)
    if workers > 1:
        return run_in_processes(workers)
    return run_in_process


# Writing a CSV input (tests, benchmarks, converting a JSON Lines file) -----------------------------

def csv_columns(households: Iterable[dict[str, Any]]) -> list[str]:
    """The CSV columns that the households' answers need, in a stable order."""
    person: dict[str, None] = dict.fromkeys(("id", "role"))
    logement: dict[str, None] = {}
    for data in households:
        for individu in data["individus"]:
            for key, value in individu.items():
                if isinstance(value, dict):
                    person.update(dict.fromkeys(f"{key}.{name}" for name in value))
                else:
                    person[key] = None
        logement.update(dict.fromkeys(LOGEMENT_PREFIX + key for key in data.get("logement", {})))
    return [KEY_COLUMN, "mois", *person, *logement]


def csv_rows(key: str, data: dict[str, Any], columns: list[str]) -> Iterator[list[str]]:
    """A household (API format) as CSV rows, one per person; household columns on its first row."""
    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    for index, individu in enumerate(data["individus"]):
        flat = {f"{k}.{n}": v for k, d in individu.items() if isinstance(d, dict) for n, v in d.items()}
        flat.update({k: v for k, v in individu.items() if not isinstance(v, dict)})
        if index == 0:
            flat["mois"] = data.get("mois")
            flat.update({LOGEMENT_PREFIX + k: v for k, v in data.get("logement", {}).items()})
        flat[KEY_COLUMN] = key
        yield [text(flat.get(column)) for column in columns]
