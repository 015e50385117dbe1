"""`simulator batch` figures (issue 17): speed, Dask speed-up, memory of a large file.

    .venv/bin/python benchmarks/batch_benchmark.py [--small 1000] [--medium 10000] [--large 100000]
                                                   [--skip-large] [--workdir DIR]

Households come from the seeded generator of the tests (tests/random_households.py, seed = rank).
1. `--small` households computed in this process, engine built and warm beforehand (not timed): the
   engine alone (`simulate_many`) and the whole batch path (read, validate, compute, write). Also the
   1,000 scenario households of benchmarks/benchmark.py (`bench_batch`), today's 2.5 s reference.
2. `--medium` households by `simulator batch` in one local process and on `--dask local:2`: wall time of
   each command (engine builds included) and the speed-up; the outputs must be identical.
3. `--large` households by `simulator batch` in one process: finished or not, wall time, households per
   second, peak memory (the RSS of the process tree sampled every 0.2 s, summed over processes: the
   same as `/usr/bin/time -v`'s maximum RSS for one process).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from random_households import random_household  # noqa: E402

SIMULATOR = str(Path(sys.executable).parent / "simulator")


def write_households(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        for seed in range(count):
            stream.write(json.dumps(random_household(seed), ensure_ascii=False) + "\n")
    return path


class PeakMemory:
    """Peak of the summed RSS of a process and its descendants (Dask workers, pool processes)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.root = psutil.Process(pid)
        self.every = every
        self.peak = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.stop.is_set():
            try:
                processes = [self.root, *self.root.children(recursive=True)]
                total = 0
                for process in processes:
                    try:
                        total += process.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self.stop.wait(self.every)

    def close(self) -> int:
        self.stop.set()
        self.thread.join()
        return self.peak


def run_command(args: list[str]) -> dict:
    """Wall time, CPU time (the command and its waited descendants), peak summed RSS, summary line."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen([SIMULATOR, "batch", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    memory = PeakMemory(process.pid)
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    peak = memory.close()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"simulator batch {' '.join(args)} : code {process.returncode}\n{stderr[-2000:]}")
    return {"seconds": elapsed, "cpu_seconds": cpu, "peak_mb": peak / 2**20,
            "summary": stdout.strip().splitlines()[-1]}


def small(workdir: Path, count: int) -> dict:
    from benchmark import bench_batch

    from simulator.batch import run_batch, run_in_process
    from simulator.engine import get_engine
    from simulator.household import Household

    engine = get_engine()
    engine.warm_up()
    households = [Household.model_validate(random_household(seed)) for seed in range(count)]
    start, cpu = time.perf_counter(), time.process_time()
    engine.simulate_many(households)
    engine_seconds, engine_cpu = time.perf_counter() - start, time.process_time() - cpu
    source = write_households(workdir / f"small_{count}.jsonl", count)
    start, cpu = time.perf_counter(), time.process_time()
    summary = run_batch(source, workdir / f"small_{count}.csv", run_in_process, progress_stream=open("/dev/null", "w"))
    batch_seconds, batch_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert summary.households == count, summary.households
    return {"households": count, "engine_simulate_many_s": engine_seconds, "engine_cpu_s": engine_cpu,
            "batch_in_process_s": batch_seconds, "batch_cpu_s": batch_cpu,
            "scenarios_1000_simulate_many_s": bench_batch(engine)}


def medium(workdir: Path, count: int) -> dict:
    source = write_households(workdir / f"medium_{count}.jsonl", count)
    one = run_command([str(source), str(workdir / "medium_one.csv")])
    dask = run_command([str(source), str(workdir / "medium_dask.csv"), "--dask", "local:2"])
    identical = (workdir / "medium_one.csv").read_bytes() == (workdir / "medium_dask.csv").read_bytes()
    return {"households": count, "one_process": one, "dask_local_2": dask, "identical": identical,
            "speed_up": one["seconds"] / dask["seconds"]}


def large(workdir: Path, count: int, workers: list[str]) -> dict:
    source = write_households(workdir / f"large_{count}.jsonl", count)
    result = run_command([str(source), str(workdir / "large.csv"), *workers])
    result["households"] = count
    result["households_per_s"] = count / result["seconds"]
    result["output_mb"] = (workdir / "large.csv").stat().st_size / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--medium", type=int, default=10000)
    parser.add_argument("--large", type=int, default=100000)
    parser.add_argument("--large-options", default="", help="options of the large run, e.g. '--dask local:2'")
    parser.add_argument("--only", choices=("small", "medium", "large"), action="append")
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    only = set(args.only or ("small", "medium", "large"))
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(args.workdir or temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        # The load average says whether other work shared the machine (figures are not comparable then).
        results: dict = {"cpus": psutil.cpu_count(), "load_before": psutil.getloadavg()}
        if "small" in only:
            results["small"] = small(workdir, args.small)
            print(json.dumps(results["small"], indent=2), flush=True)
        if "medium" in only:
            results["medium"] = medium(workdir, args.medium)
            print(json.dumps(results["medium"], indent=2), flush=True)
        if "large" in only:
            results["large"] = large(workdir, args.large, args.large_options.split())
            print(json.dumps(results["large"], indent=2), flush=True)
        results["load_after"] = psutil.getloadavg()
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
