"""Load test of the API: N concurrent clients posting households for a fixed time, loopback only.

    python benchmarks/load_test.py --clients 20 --duration 60 --url http://127.0.0.1:8000

Each client sends `POST /api/v1/simulate` (or `/simulate/batch` with --batch N) in a loop, with
households drawn from a few shapes and varying salaries. At the end: requests, throughput, latency
p50 / p90 / p99 / max of successful requests, and the count of each error status (a 503 is the
server refusing work beyond its limits, with Retry-After; a timeout or connection error is counted
apart). It stops by itself: no new request after --duration, in-flight ones are awaited at most
--grace seconds then cancelled. Not run in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from collections import Counter
from ipaddress import ip_address
from urllib.parse import urlsplit

import httpx

SHAPES = [
    lambda salary: {"individus": [
        {"id": "demandeur", "role": "demandeur", "age": 34, "activite": "actif", "salaire_net": salary},
        {"id": "enfant_1", "role": "enfant", "age": 7}],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 820.0, "depcom": "75119"}},
    lambda salary: {"individus": [
        {"id": "demandeur", "role": "demandeur", "age": 45, "activite": "actif", "salaire_net": salary},
        {"id": "conjoint", "role": "conjoint", "age": 43, "activite": "chomeur", "chomage_net": 900.0},
        {"id": "enfant_1", "role": "enfant", "age": 12}, {"id": "enfant_2", "role": "enfant", "age": 4}],
        "logement": {"statut_occupation_logement": "locataire_hlm", "loyer": 610.0, "depcom": "75120"}},
    lambda salary: {"individus": [
        {"id": "demandeur", "role": "demandeur", "age": 68, "activite": "retraite", "retraite_nette": salary / 2}],
        "logement": {"statut_occupation_logement": "locataire_vide", "loyer": 540.0, "depcom": "75111"}},
    lambda salary: {"individus": [
        {"id": "demandeur", "role": "demandeur", "age": 24, "activite": "actif", "salaire_net": salary}],
        "logement": {"statut_occupation_logement": "locataire_meuble", "loyer": 700.0, "depcom": "75011"}},
]


def household(rng: random.Random, month: str) -> dict:
    salary = round(rng.uniform(0, 2500), 2)
    return {"mois": month, **rng.choice(SHAPES)(salary)}


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"Refusé : {url} n'est pas une adresse locale (127.0.0.1, ::1, localhost).")


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()

    def record(self, status: str, seconds: float) -> None:
        self.statuses[status] += 1
        if status == "200":
            self.latencies.append(seconds)


async def client_loop(index: int, client: httpx.AsyncClient, args: argparse.Namespace, stop_at: float,
                      stats: Stats) -> None:
    rng = random.Random(args.seed + index)
    path = "/api/v1/simulate/batch" if args.batch else "/api/v1/simulate"
    while time.monotonic() < stop_at:
        body = {"foyers": [household(rng, args.month) for _ in range(args.batch)]} if args.batch \
            else household(rng, args.month)
        started = time.monotonic()
        try:
            response = await client.post(path, content=json.dumps(body), headers={"content-type": "application/json"})
            status = str(response.status_code)
            if response.status_code == 503:
                retry = float(response.headers.get("retry-after", "1"))
                stats.record(status, time.monotonic() - started)
                await asyncio.sleep(min(retry, max(0.0, stop_at - time.monotonic())))
                continue
        except httpx.TimeoutException:
            status = "timeout"
        except httpx.HTTPError as error:
            status = type(error).__name__
        stats.record(status, time.monotonic() - started)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def main_async(args: argparse.Namespace) -> dict:
    stats = Stats()
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=args.url, timeout=args.timeout, limits=limits) as client:
        health = await client.get("/api/v1/health")
        health.raise_for_status()
        started = time.monotonic()
        stop_at = started + args.duration
        tasks = [asyncio.create_task(client_loop(i, client, args, stop_at, stats)) for i in range(args.clients)]
        done, pending = await asyncio.wait(tasks, timeout=args.duration + args.grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        elapsed = time.monotonic() - started
    ok = stats.latencies
    total = sum(stats.statuses.values())
    households = len(ok) * (args.batch or 1)
    return {
        "clients": args.clients, "duration_s": round(elapsed, 1), "batch": args.batch or None,
        "requests": total, "ok": len(ok), "errors": {k: v for k, v in stats.statuses.items() if k != "200"},
        "cancelled_in_flight": len(pending),
        "throughput_rps": round(len(ok) / elapsed, 2), "households_per_s": round(households / elapsed, 2),
        "latency_s": {"p50": round(percentile(ok, 0.50), 3), "p90": round(percentile(ok, 0.90), 3),
                      "p99": round(percentile(ok, 0.99), 3), "max": round(max(ok), 3) if ok else None,
                      "mean": round(statistics.fmean(ok), 3) if ok else None},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="secondes d'envoi")
    parser.add_argument("--grace", type=float, default=30.0, help="secondes d'attente des requêtes en cours")
    parser.add_argument("--timeout", type=float, default=120.0, help="délai d'une requête (s)")
    parser.add_argument("--batch", type=int, default=0, help="foyers par requête /simulate/batch (0 : /simulate)")
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    check_loopback(args.url)
    if not 1 <= args.clients <= 500 or args.duration <= 0 or not 0 <= args.batch <= 1000:
        parser.error("--clients 1..500, --duration > 0, --batch 0..1000")
    report = asyncio.run(main_async(args))
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
