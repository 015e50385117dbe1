"""Speed of the engine against a naive direct OpenFisca-France computation, in one run.

    .venv/bin/python benchmarks/benchmark.py [--repeat 10] [--naive-repeat 3] [--server] [--markdown FILE]

For every scenario: the engine's warm time for the whole catalog (national and Paris), the naive
path's warm time for the same variables (one OpenFisca simulation with 36 months of facts, past
benefits left to OpenFisca's recursion, stock OpenFisca-Core without the engine's memoised period
arithmetic; the gross amounts found beforehand and not timed), the ratio,
and a check that every amount agrees within 1 € (the run fails otherwise). Then a what-if curve of 50
points, a batch of 1,000 households, process start to first answer, memory per process, and with
`--server` a live server under 20 concurrent clients and the caseworker's field-to-results time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import naive_openfisca  # noqa: E402

from simulator.engine import Engine, install_shortcuts  # noqa: E402
from simulator.engine.openfisca.speedups import stock_openfisca  # noqa: E402
from simulator.household import Household  # noqa: E402
from simulator.results import round_amount  # noqa: E402
from simulator.services.variation import vary  # noqa: E402

TOLERANCE = 1.0  # euros


def timed(function, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def scenarios() -> list[tuple[str, dict]]:
    paths = sorted((ROOT / "scenarios").glob("*.yaml"))
    return [(p.stem, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in paths]


def bench_households(engine: Engine, repeat: int, naive_repeat: int) -> tuple[list[dict], list[str]]:
    rows, failures = [], []
    catalog = {b.id: b for b in engine.catalog}
    for name, data in scenarios():
        household = Household.model_validate(data)
        engine.simulate(household)  # warm for this household's month and tables
        engine_times, result = timed(lambda h=household: engine.simulate(h), repeat)
        computed = [a for a in result.aides if a.calculable and a.type == "montant"]
        variables = {a.id: catalog[a.id].periode_calcul for a in computed}
        with stock_openfisca():
            gross = naive_openfisca.find_gross(engine.tbs, data)
            naive_openfisca.compute(engine.tbs, data, variables, gross)  # warm
            naive_times, reference = timed(
                lambda d=data, v=variables, g=gross: naive_openfisca.compute(engine.tbs, d, v, g), naive_repeat)
        worst = 0.0
        for aide in computed:
            expected = round_amount(reference[aide.id], catalog[aide.id].arrondi)
            gap = abs(aide.montant - expected)
            worst = max(worst, gap)
            if gap > TOLERANCE:
                failures.append(f"{name}: {aide.id} moteur {aide.montant} / OpenFisca direct {expected}")
        rows.append({
            "scenario": name,
            "engine_p50_ms": statistics.median(engine_times) * 1000,
            "engine_p95_ms": percentile(engine_times, 95) * 1000,
            "naive_p50_ms": statistics.median(naive_times) * 1000,
            "ratio": statistics.median(naive_times) / statistics.median(engine_times),
            "max_gap_eur": worst,
        })
        print(f"  {name:40s} moteur {rows[-1]['engine_p50_ms']:7.0f} ms   direct {rows[-1]['naive_p50_ms']:7.0f} ms"
              f"   ×{rows[-1]['ratio']:4.1f}   écart max {worst:.2f} €", flush=True)
    return rows, failures


def bench_variation(engine: Engine, repeat: int) -> list[float]:
    household = Household.model_validate(dict(scenarios())["parent_isole_deux_enfants"])
    run = lambda: vary(engine, household, "demandeur", "salaire_net", 0, 3600, 50)  # noqa: E731
    run()
    return timed(run, repeat)[0]


def bench_batch(engine: Engine, size: int = 1000) -> float:
    households = [Household.model_validate(data) for _, data in scenarios()]
    batch = [households[i % len(households)] for i in range(size)]
    start = time.perf_counter()
    results = engine.simulate_many(batch)
    elapsed = time.perf_counter() - start
    assert len(results) == size
    return elapsed


def bench_start() -> tuple[float, float]:
    """A new process: import, build the system, answer one household. Seconds and peak RSS (MB)."""
    scenario = str(ROOT / "scenarios" / "parent_isole_deux_enfants.yaml")
    code = (
        "import time, resource, yaml; t = time.perf_counter();"
        "from simulator.engine import Engine, install_shortcuts; from simulator.household import Household;"
        "install_shortcuts();"
        f"h = Household.model_validate(yaml.safe_load(open({scenario!r})));"
        "Engine().simulate(h);"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    start = time.perf_counter()
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    wall = time.perf_counter() - start
    _inner, rss = output.stdout.split()
    return wall, float(rss)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_server(workers: int) -> dict:
    """Start `simulator serve`, run the bounded load test and time the caseworker's live recalculation."""
    port = free_port()
    env = dict(os.environ, SIMULATOR_RATE_LIMIT="0")
    server = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        import httpx

        started = time.perf_counter()
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > 120:
                raise RuntimeError("le serveur n'a pas démarré")
            time.sleep(0.2)
        figures = {"start_to_ready_s": time.perf_counter() - started}
        load = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "load_test.py"), "--url", url, "--clients", "20",
             "--duration", "60"],
            capture_output=True, text=True, cwd=ROOT)
        try:
            report = json.loads(load.stdout)
            figures["load"] = {key: report.get(key) for key in ("households_per_s", "latency_s", "errors")}
        except json.JSONDecodeError:
            figures["load"] = load.stderr[-500:]
        figures["live_recalculation"] = caseworker_latency(url)
        return figures
    finally:
        server.terminate()
        server.wait(timeout=30)


def caseworker_latency(url: str, repeat: int = 30) -> dict:
    """Time from a changed field to updated results: the fragment the caseworker page swaps in."""
    import httpx

    from simulator.web.forms.household import household_to_state

    # The page's form fields for a scenario, as its script posts them when a field changes.
    household = Household.model_validate(dict(scenarios())["parent_isole_deux_enfants"])
    fields = household_to_state(household)
    times = []
    with httpx.Client(timeout=30) as client:
        for index in range(repeat + 3):
            form = dict(fields, **{"d.salaire_net": str(900 + 10 * index)})  # a field edited
            start = time.perf_counter()
            response = client.post(f"{url}/accompagnement/resultats", data=form)
            response.raise_for_status()
            if index >= 3:
                times.append(time.perf_counter() - start)
    return {"p50_ms": statistics.median(times) * 1000, "p95_ms": percentile(times, 95) * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--naive-repeat", type=int, default=3)
    parser.add_argument("--server", action="store_true", help="also measure a live server (70 s more)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--markdown", type=Path, default=None, help="append the figures to this file")
    args = parser.parse_args()

    print(f"{date.today()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cœurs · "
          f"Python {platform.python_version()} · openfisca-france {version('openfisca-france')} · "
          f"openfisca-core {version('openfisca-core')}")
    start = time.perf_counter()
    install_shortcuts()
    engine = Engine()
    build = time.perf_counter() - start
    start = time.perf_counter()
    engine.warm_up()
    warm_up = time.perf_counter() - start
    print(f"Système socio-fiscal + extensions : {build:.1f} s ; préchauffage : {warm_up:.1f} s")

    print("Un foyer, tout le catalogue, à chaud :")
    rows, failures = bench_households(engine, args.repeat, args.naive_repeat)
    engine_p50 = statistics.median([r["engine_p50_ms"] for r in rows])
    ratio = statistics.median([r["ratio"] for r in rows])
    print(f"  médiane des scénarios : moteur {engine_p50:.0f} ms, rapport ×{ratio:.1f}, "
          f"écart max {max(r['max_gap_eur'] for r in rows):.2f} €")

    variation = bench_variation(engine, 5)
    print(f"Courbe « et si » de 50 points : médiane {statistics.median(variation):.2f} s")
    batch = bench_batch(engine)
    print(f"Lot de 1 000 foyers : {batch:.1f} s ({batch:.3f} ms par foyer ×1000)")
    start_time, rss = bench_start()
    print(f"Démarrage d'un processus jusqu'à la première réponse : {start_time:.1f} s ; mémoire max {rss:.0f} Mo")
    rss_here = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Mémoire max de ce processus (moteur chaud, lot de 1 000 compris) : {rss_here:.0f} Mo")

    server = bench_server(args.workers) if args.server else None
    if server:
        print(f"Serveur ({args.workers} processus) prêt en {server['start_to_ready_s']:.1f} s")
        print(f"Charge, 20 clients pendant 60 s : {server['load']}")
        live = server["live_recalculation"]
        print(f"Champ modifié → résultats à jour : p50 {live['p50_ms']:.0f} ms, p95 {live['p95_ms']:.0f} ms")

    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as out:
            out.write(f"\n### Mesure du {date.today()} ({os.cpu_count()} cœurs)\n\n")
            out.write("| scénario | moteur p50 (ms) | direct p50 (ms) | rapport | écart max (€) |\n")
            out.write("|---|---|---|---|---|\n")
            for r in rows:
                out.write(f"| {r['scenario']} | {r['engine_p50_ms']:.0f} | {r['naive_p50_ms']:.0f} | "
                          f"×{r['ratio']:.1f} | {r['max_gap_eur']:.2f} |\n")
            out.write(f"\nMédiane moteur {engine_p50:.0f} ms, rapport médian ×{ratio:.1f}; courbe de 50 points "
                      f"{statistics.median(variation):.2f} s; lot de 1 000 foyers {batch:.1f} s; démarrage "
                      f"{start_time:.1f} s, {rss:.0f} Mo.\n")
            if server:
                out.write(f"\nServeur : {json.dumps(server, ensure_ascii=False)}\n")

    if failures:
        print("ÉCARTS AU-DELÀ DE 1 € :", *failures, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
