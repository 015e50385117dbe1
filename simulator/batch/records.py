"""`simulator batch`'s input: households read from a JSON Lines or CSV file, cut into chunks.

Also the reverse, a household (API format) written as CSV rows (tests, benchmarks, converting a JSON Lines
file). The CSV layout (one row per person, a household key) is described in docs/batch.md.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

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
