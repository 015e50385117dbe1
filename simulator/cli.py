"""`simulator` command: simulate a household file, serve the app, scaffold a local aid."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml
from pydantic import ValidationError

from simulator.amounts_text import amount_text
from simulator.household import Household
from simulator.results import SimulationResult


def load_household(path: Path) -> Household:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Household.model_validate(data)


def render_table(result: SimulationResult) -> str:
    lines = [f"Droits estimés pour {result.mois}", ""]
    width = max(len(a.label) for a in result.aides) if result.aides else 10
    sections = (
        ("Vous pouvez demander", [a for a in result.aides if a.eligible]),
        ("Pas de droit d'après vos réponses", [a for a in result.aides if a.calculable and not a.eligible]),
        ("Non calculable", [a for a in result.aides if not a.calculable]),
    )
    for title, aides in sections:
        if not aides:
            continue
        lines.append(title)
        lines.append("-" * len(title))
        for aide in aides:
            if aide.eligible and aide.montant is not None:
                # The pages' wording; a terminal gets plain spaces (copied into a mail or a ticket).
                amount = amount_text(aide.montant, aide.periodicite).replace("\u00a0", " ")
            elif aide.eligible:
                amount = "droit ouvert"
            else:
                amount = " ; ".join(aide.raisons)
            lines.append(f"  {aide.label.ljust(width)}  {amount}")
            lines.extend(f"  {'':{width}}  À savoir : {notice}" for notice in aide.avertissements)
        lines.append("")
    return "\n".join(lines)


def cmd_simulate(args: argparse.Namespace) -> int:
    from simulator.engine import get_engine

    try:
        household = load_household(Path(args.file))
    except (OSError, yaml.YAMLError) as error:
        print(f"Impossible de lire {args.file} : {error}", file=sys.stderr)
        return 2
    except ValidationError as error:
        from simulator.api.errors import validation_errors

        for detail in validation_errors(list(error.errors()), ()):
            print(f"{detail['champ']} : {detail['message']}", file=sys.stderr)
        return 2
    result = get_engine().simulate(household)
    if args.json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(render_table(result))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from simulator.api.settings import InvalidSettings, Settings
    from simulator.server import serve

    try:
        Settings.from_env()  # a wrong SIMULATOR_* variable stops here, named, before any worker starts
    except InvalidSettings as error:
        print(str(error), file=sys.stderr)
        return 2
    serve(host=args.host, port=args.port, workers=args.workers)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    import time

    from simulator.batch import BatchError, executor_for, render_summary, run_batch

    if args.workers < 1 or args.chunk_size < 1:
        print("--workers et --chunk-size attendent un nombre au moins égal à 1.", file=sys.stderr)
        return 2
    start = time.perf_counter()
    out = Path(args.output)
    try:
        summary = run_batch(Path(args.input), out, executor_for(args.workers, args.dask), args.chunk_size)
    except BatchError as error:
        print(str(error), file=sys.stderr)
        return 2
    print(render_summary(summary, out, time.perf_counter() - start))
    return 1 if args.strict and summary.errors else 0


def cmd_new_aid(args: argparse.Namespace) -> int:
    from simulator.paths import extensions_root
    from simulator.scaffold import new_aid

    try:
        created = new_aid(args.territory, args.aid_id, Path(args.extensions_dir or extensions_root()))
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 2
    for path in created:
        print(f"créé : {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="simulator", description="Simulateur de droits sociaux")
    commands = parser.add_subparsers(dest="command", required=True)

    simulate = commands.add_parser("simulate", help="Simuler un foyer décrit dans un fichier YAML ou JSON")
    simulate.add_argument("file")
    simulate.add_argument("--json", action="store_true", help="Sortie JSON (format de l'API)")
    simulate.set_defaults(func=cmd_simulate)

    serve = commands.add_parser("serve", help="Démarrer l'API et le site web")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    batch = commands.add_parser(
        "batch", help="Calculer un fichier de foyers (JSON Lines ou CSV) : une ligne par foyer et par aide",
        description="Voir docs/batch.md : format CSV, fichiers produits, Dask.")
    batch.add_argument("input", help="Foyers : .jsonl (un foyer par ligne, format de l'API) ou .csv")
    batch.add_argument("output", help="Résultats : .csv, ou .parquet (pyarrow)")
    batch.add_argument("--workers", type=int, default=1,
                       help="Processus locaux (défaut 1 : dans ce processus)")
    batch.add_argument("--dask", default=None, metavar="ADRESSE",
                       help="Ordonnanceur Dask (tcp://hôte:8786), ou local:N pour un LocalCluster de N processus")
    batch.add_argument("--chunk-size", type=int, default=500, help="Foyers par lot envoyé au moteur (défaut 500)")
    batch.add_argument("--strict", action="store_true", help="Code de sortie 1 s'il y a eu des erreurs")
    batch.set_defaults(func=cmd_batch)

    new_aid = commands.add_parser("new-aid", help="Créer le squelette d'une aide locale")
    new_aid.add_argument("territory")
    new_aid.add_argument("aid_id")
    new_aid.add_argument("--extensions-dir", default=None)
    new_aid.set_defaults(func=cmd_new_aid)
    return parser


def main(argv: list[str] | None = None) -> int:
    from simulator.engine import install_shortcuts

    args = build_parser().parse_args(argv)
    install_shortcuts()  # the shortcuts through OpenFisca-Core, for every command that computes
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
