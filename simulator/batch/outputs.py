"""`simulator batch`'s outputs: results (CSV or Parquet, written as they come), errors and summary files."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from simulator.batch.records import BatchError, ChunkResult

# Output columns: one row per household and benefit.
RESULT_COLUMNS = ("foyer", "ligne", "mois", "aide", "calculable", "eligible", "montant", "periodicite",
                  "montant_mensuel")
ERROR_COLUMNS = ("ligne", "foyer", "champ", "message")
SUMMARY_COLUMNS = ("aide", "libelle", "periodicite", "foyers_calcules", "foyers_eligibles", "montant_total",
                   "montant_mensuel_total")


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
