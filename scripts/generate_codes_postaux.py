"""Regenerate simulator/data/codes_postaux.json from the npm package @etalab/decoupage-administratif.

    python scripts/generate_codes_postaux.py              # installs the package in a temporary folder (npm)
    python scripts/generate_codes_postaux.py --package-dir /path/to/node_modules/@etalab/decoupage-administratif

The package (data: Licence Ouverte, code: MIT) is built by Etalab from INSEE's Code officiel géographique
(the communes and their INSEE codes) and La Poste's "base officielle des codes postaux" (the postcodes of
each commune). Only the build needs npm: the generated file is committed and read with the standard library.

Kept: current communes and the municipal arrondissements of Paris, Lyon and Marseille. A postcode of
these three cities points to its arrondissement (75019 -> 75119), not to the whole city (75056), which stays
a valid commune code. Communes déléguées and associées (former communes) are left out: OpenFisca-France
reads the code of the current commune.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
OUTPUT = Path(__file__).resolve().parent.parent / "simulator" / "data" / "codes_postaux.json"
KEPT_TYPES = ("commune-actuelle", "arrondissement-municipal")


def build(communes: list[dict], version: str) -> dict:
    kept = [c for c in communes if c["type"] in KEPT_TYPES]
    with_arrondissements = {c["commune"] for c in kept if c["type"] == "arrondissement-municipal"}
    names = {c["code"]: c["nom"] for c in sorted(kept, key=lambda c: c["code"])}
    if len(names) != len(kept):
        raise SystemExit("Un code INSEE apparaît deux fois dans les données.")
    by_postcode: dict[str, list[str]] = defaultdict(list)
    for commune in kept:
        if commune["code"] in with_arrondissements:
            continue  # 75056, 69123, 13055: their postcodes belong to their arrondissements
        for postcode in commune.get("codesPostaux", []):
            by_postcode[postcode].append(commune["code"])
    return {
        "source": f"npm {PACKAGE}@{version} (https://github.com/datagouv/decoupage-administratif) : "
                  "Code officiel géographique de l'INSEE et base officielle des codes postaux de La Poste "
                  "(https://www.data.gouv.fr/fr/datasets/base-officielle-des-codes-postaux/)",
        "licence": "Licence Ouverte / Open Licence 2.0 (données) ; MIT (paquet npm)",
        "generated": date.today().isoformat(),
        "generator": "scripts/generate_codes_postaux.py",
        "format": "communes: code INSEE -> nom (codes valides du champ depcom) ; "
                  "codes_postaux: code postal -> codes INSEE des communes qu'il dessert",
        "communes": names,
        "codes_postaux": {cp: sorted(set(codes)) for cp, codes in sorted(by_postcode.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package-dir", type=Path, help=f"an installed {PACKAGE} (else npm installs it)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package_dir = args.package_dir
        if package_dir is None:
            subprocess.run(["npm", "install", "--no-save", "--silent", "--no-audit", "--no-fund",
                            f"{PACKAGE}@{VERSION}"], cwd=tmp, check=True)
            package_dir = Path(tmp) / "node_modules" / PACKAGE
        version = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["version"]
        communes = json.loads((package_dir / "data" / "communes.json").read_text(encoding="utf-8"))
        data = build(communes, version)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(f"{args.output}: {len(data['communes'])} communes, {len(data['codes_postaux'])} codes postaux, "
          f"{len(text.encode()) // 1024} Kio")


if __name__ == "__main__":
    main()
