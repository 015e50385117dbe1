"""`simulator batch`: JSON Lines and CSV in, one row per household and benefit out, errors aside.

Real OpenFisca computations; the amounts must be those of the engine's single `simulate`.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from random_households import random_household

from simulator.batch import csv_columns, csv_rows, side_path
from simulator.cli import main
from simulator.engine import get_engine
from simulator.household import Household

SEEDS = range(100, 112)


def households(seeds=SEEDS) -> list[dict]:
    return [random_household(seed) for seed in seeds]


def write_jsonl(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    return path


def write_csv(path: Path, items: list[dict], keys: list[str] | None = None) -> Path:
    columns = csv_columns(items)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for index, item in enumerate(items):
            writer.writerows(csv_rows(keys[index] if keys else f"F{index + 1}", item, columns))
    return path


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def as_number(text: str) -> float | None:
    return None if text == "" else float(text)


def test_jsonl_and_csv_give_the_engines_single_results(tmp_path, capsys):
    items = households()
    jsonl = write_jsonl(tmp_path / "foyers.jsonl", items)
    table = write_csv(tmp_path / "foyers.csv", items)
    assert main(["batch", str(jsonl), str(tmp_path / "a.csv"), "--chunk-size", "5"]) == 0
    assert main(["batch", str(table), str(tmp_path / "b.csv"), "--chunk-size", "5"]) == 0
    from_jsonl, from_csv = read(tmp_path / "a.csv"), read(tmp_path / "b.csv")

    engine = get_engine()
    expected = []
    for index, item in enumerate(items):
        result = engine.simulate(Household.model_validate(item))
        expected += [(index, a.id, a.calculable, a.eligible, a.montant) for a in result.aides]
    assert len(expected) > len(items) * 5

    def key(rows: list[dict], ranks: dict[str, int]) -> list[tuple]:
        return [(ranks[r["foyer"]], r["aide"], r["calculable"] == "True", r["eligible"] == "True",
                 as_number(r["montant"])) for r in rows]

    assert key(from_jsonl, {str(n + 1): n for n in range(len(items))}) == expected
    assert key(from_csv, {f"F{n + 1}": n for n in range(len(items))}) == expected
    assert any(r["eligible"] == "True" and as_number(r["montant"]) for r in from_csv)
    # The CSV's line of each household: 1 header, then one row per person.
    first_lines, line = [], 2
    for item in items:
        first_lines.append(line)
        line += len(item["individus"])
    assert sorted({int(r["ligne"]) for r in from_csv}) == first_lines
    assert read(side_path(tmp_path / "b.csv", "errors")) == []

    summary = {r["aide"]: r for r in read(side_path(tmp_path / "b.csv", "summary"))}
    for aide in {e[1] for e in expected}:
        eligible = [e for e in expected if e[1] == aide and e[3]]
        assert int(summary[aide]["foyers_eligibles"]) == len(eligible)
        assert float(summary[aide]["montant_total"]) == pytest.approx(sum(e[4] or 0 for e in eligible), abs=0.02)
    assert f"{len(items)} foyers calculés, 0 foyers en erreur" in capsys.readouterr().out


def test_invalid_rows_are_reported_with_their_line_and_never_stop_the_run(tmp_path, capsys):
    items = households(range(200, 220))
    path = write_csv(tmp_path / "foyers.csv", items)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    starts, line = [], 2
    for item in items:
        starts.append(line)
        line += len(item["individus"])

    def corrupt(line_number: int, column: str, value: str) -> None:
        cells = next(csv.reader([lines[line_number - 1]]))
        cells[header.index(column)] = value
        lines[line_number - 1] = ",".join(cells)

    corrupt(starts[2], "age", "trente")  # not a number
    corrupt(starts[7], "activite", "astronaute")  # not a value of the list
    corrupt(starts[15], "logement.depcom", "99999")  # no such commune
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    out = tmp_path / "r.csv"
    assert main(["batch", str(path), str(out), "--chunk-size", "6"]) == 0
    rows = read(out)
    assert len({r["foyer"] for r in rows}) == len(items) - 3
    assert {r["foyer"] for r in rows}.isdisjoint({"F3", "F8", "F16"})
    errors = read(side_path(out, "errors"))
    assert [(int(e["ligne"]), e["foyer"]) for e in errors] == [(starts[2], "F3"), (starts[7], "F8"),
                                                                (starts[15], "F16")]
    assert errors[0]["champ"] == "$.individus[0].age" and "nombre entier" in errors[0]["message"]
    assert errors[1]["champ"] == "$.individus[0].activite" and "Valeur non reconnue" in errors[1]["message"]
    assert errors[2]["champ"] == "$.logement.depcom" and "n'existe pas" in errors[2]["message"]
    assert f"{len(items) - 3} foyers calculés, 3 foyers en erreur (3 erreurs" in capsys.readouterr().out

    assert main(["batch", str(path), str(out), "--strict"]) == 1


def test_jsonl_syntax_errors_and_household_keys(tmp_path):
    items = households(range(300, 303))
    items[0]["foyer"] = "dossier-42"
    path = tmp_path / "foyers.jsonl"
    text = json.dumps(items[0]) + "\n{pas du json\n\n" + json.dumps(items[1]) + "\n" + json.dumps(
        {**items[2], "individus": []}) + "\n"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "r.csv"
    assert main(["batch", str(path), str(out)]) == 0
    assert sorted({(r["foyer"], r["ligne"]) for r in read(out)}) == [("4", "4"), ("dossier-42", "1")]
    errors = read(side_path(out, "errors"))
    assert [(e["ligne"], e["champ"]) for e in errors] == [("2", "$"), ("5", "$.individus")]
    assert errors[0]["message"].startswith("JSON invalide")
    assert errors[1]["message"] == "La liste est trop courte."


def test_unknown_column_and_output_format_stop_before_computing(tmp_path, capsys):
    path = tmp_path / "foyers.csv"
    path.write_text("foyer,role,age,salaire\nA,demandeur,30,1000\n", encoding="utf-8")
    assert main(["batch", str(path), str(tmp_path / "r.csv")]) == 2
    assert "Colonnes inconnues : salaire" in capsys.readouterr().err
    assert main(["batch", str(path), str(tmp_path / "r.xlsx")]) == 2
    assert "Format de sortie inconnu" in capsys.readouterr().err


def test_parquet_output_or_a_french_error_without_pyarrow(tmp_path, capsys, monkeypatch):
    jsonl = write_jsonl(tmp_path / "foyers.jsonl", households(range(400, 404)))
    assert main(["batch", str(jsonl), str(tmp_path / "r.csv")]) == 0
    try:
        import pyarrow.parquet as pq
    except ImportError:
        pq = None
    if pq is not None:
        assert main(["batch", str(jsonl), str(tmp_path / "r.parquet"), "--chunk-size", "2"]) == 0
        table = pq.read_table(tmp_path / "r.parquet").to_pylist()
        expected = read(tmp_path / "r.csv")
        assert [(r["foyer"], r["aide"], r["montant"]) for r in table] == [
            (r["foyer"], r["aide"], as_number(r["montant"])) for r in expected]
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert main(["batch", str(jsonl), str(tmp_path / "s.parquet")]) == 2
    assert "La sortie Parquet demande pyarrow" in capsys.readouterr().err


def test_local_processes_and_dask_give_identical_outputs(tmp_path):
    """Same rows, same order, whatever runs the chunks (each worker builds its engine: ~10 s each)."""
    pytest.importorskip("dask.distributed")
    items = households(range(500, 508))
    table = write_csv(tmp_path / "foyers.csv", items)
    args = ["--chunk-size", "3"]
    assert main(["batch", str(table), str(tmp_path / "here.csv"), *args]) == 0
    assert main(["batch", str(table), str(tmp_path / "pool.csv"), "--workers", "2", *args]) == 0
    assert main(["batch", str(table), str(tmp_path / "dask.csv"), "--dask", "local:2", *args]) == 0
    here = (tmp_path / "here.csv").read_bytes()
    assert len(read(tmp_path / "here.csv")) > len(items) * 5
    assert (tmp_path / "pool.csv").read_bytes() == here
    assert (tmp_path / "dask.csv").read_bytes() == here
    for kind in ("summary", "errors"):
        theirs, ours = side_path(tmp_path / "dask.csv", kind), side_path(tmp_path / "here.csv", kind)
        assert theirs.read_bytes() == ours.read_bytes()
