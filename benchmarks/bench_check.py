"""How fast `infrafit check` answers, end to end and by stage, and how it grows with plan size.

Prints:
1. cold start: wall time of the CLI on an example (median of runs);
2. end to end: `infrafit check PLAN --format json -o FILE` in a fresh interpreter on synthetic plans of
   1,000 / 10,000 / 100,000 resources: wall seconds, CPU seconds (user + system: steadier than wall on a shared
   machine) and peak resident memory, the command a user runs;
3. by stage, in this process, in CPU seconds: YAML read, validation, both as `load_plan` does them, evaluation,
   JSON report, the engine's time per resource (validate + evaluate) and the peak memory one evaluation allocates
   (tracemalloc).

Run: python benchmarks/bench_check.py [--quick] [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "examples" / "seed001-cloud.yaml", ROOT / "examples" / "seed000-hybrid-free-tier.yaml"]
"""Cold start on a plan of resources alone, and on one whose ``availability:`` section is simulated (NumPy)."""

# A mix of services with the usage each needs: compute, serverless, storage, queues, tiers.
TEMPLATES: list[dict[str, Any]] = [
    {
        "service": "gcp.cloud_run",
        "cpu": 1,
        "memory": "512MiB",
        "usage": {"requests": "2M/month", "duration": "180ms", "concurrency": 10},
    },
    {"service": "aws.ec2", "region": "us-east-1", "type": "t3.small", "disk": "20GB", "usage": {"uptime": "50%"}},
    {"service": "aws.lambda", "memory": "512MB", "usage": {"requests": "3M/month", "duration": "120ms"}},
    {"service": "aws.s3", "usage": {"storage": "80GB", "class_a": "100K/month", "class_b": "1M/month"}},
    {"service": "gcp.compute_engine", "region": "us-central1", "type": "e2-micro", "disk": "10GB"},
    {"service": "gcp.firestore", "usage": {"reads": "40K/day", "writes": "5K/day", "storage": "2GB"}},
    {"service": "cloudflare.r2", "usage": {"storage": "20GB", "class_a": "2M/month", "class_b": "5M/month"}},
    {"service": "aws.sqs", "usage": {"requests": "5M/month"}},
]


def synthetic(n: int) -> dict[str, Any]:
    resources = {f"r{i:05d}": dict(TEMPLATES[i % len(TEMPLATES)]) for i in range(n)}
    return {"name": f"synthetic-{n}", "quotas": {"aws.ec2.standard_vcpu": 10**6}, "resources": resources}


def synthetic_yaml(n: int) -> str:
    import yaml

    return yaml.safe_dump(synthetic(n), sort_keys=False)


def run_cli(args: list[str]) -> tuple[float, float, float]:
    """Run `python -m infrafit.cli ARGS`: (wall s, CPU s, peak RSS MiB) of that one process."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "infrafit.cli", *args], stdout=subprocess.DEVNULL, stderr=err, env=_ENV
        )
        _, status, usage = os.wait4(proc.pid, 0)  # the rusage of this child alone
        wall = time.perf_counter() - t0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):  # 0 fits, 1 does not: both are a full run
            err.seek(0)
            raise SystemExit(f"infrafit {' '.join(args)} exited {code}:\n{err.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


# As an installed command runs: with its modules' bytecode cached (pip compiles it when it installs a wheel). A
# shell that sets PYTHONDONTWRITEBYTECODE would otherwise compile every module from source on every run.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_bytecode() -> None:
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)


def cold_start(example: Path, runs: int) -> list[float]:
    return [run_cli(["check", str(example), "--format", "json"])[0] for _ in range(runs)]


def end_to_end(n: int, runs: int, folder: Path) -> tuple[float, float, float]:
    plan = folder / f"plan-{n}.yaml"
    plan.write_text(synthetic_yaml(n), encoding="utf-8")
    out = folder / f"report-{n}.json"
    results = [run_cli(["check", str(plan), "--format", "json", "-o", str(out)]) for _ in range(runs)]
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    return wall, cpu, max(r[2] for r in results)


def stages(n: int, trace: bool) -> dict[str, float]:
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan, parse_yaml, plan_from_data
    from infrafit.report import render

    clock = time.process_time  # CPU: on a shared machine wall time measures the neighbours too
    text = synthetic_yaml(n)
    t0 = clock()
    data, _ = parse_yaml(text)
    t1 = clock()
    plan_from_data(data)
    t2 = clock()
    plan = load_plan("synthetic.yaml", text=text)
    t3 = clock()
    result = evaluate(plan)
    t4 = clock()
    render("check", "json", [result])
    t5 = clock()
    peak = float("nan")
    if trace:
        tracemalloc.start()
        evaluate(plan_from_data(data))
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {"yaml": t1 - t0, "validate": t2 - t1, "load": t3 - t2, "evaluate": t4 - t3, "json": t5 - t4, "peak": peak}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs, sizes 1,000 and 10,000 only")
    parser.add_argument("--sizes", help="comma-separated plan sizes (default 1000,10000,100000)")
    args = parser.parse_args()
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else [1000, 10000]
        if args.quick
        else [1000, 10000, 100000]
    )
    runs = 3 if args.quick else 7

    compile_bytecode()
    for example in EXAMPLES:
        times = cold_start(example, runs)
        print(f"cold start: infrafit check {example.name} --format json")
        print(
            f"  median {statistics.median(times):.3f} s, min {min(times):.3f} s, max {max(times):.3f} s over {runs} runs"
        )
    print()

    print("end to end: infrafit check PLAN --format json -o FILE (fresh interpreter; median of runs)")
    print(f"{'resources':>10} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13} {'µs/resource':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            wall, cpu, rss = end_to_end(n, 1 if n >= 100_000 or args.quick else 7, Path(tmp))
            print(f"{n:>10,} {wall:>8.3f} {cpu:>8.3f} {rss:>13.1f} {wall / n * 1e6:>12.1f}")
    print()

    stages(50, trace=False)  # warm the catalog cache and imports
    print("by stage, in process (CPU seconds; load = YAML + validate as load_plan does it; peak = one evaluation)")
    print(
        f"{'resources':>10} {'YAML':>7} {'validate':>9} {'load':>7} {'evaluate':>9} {'JSON':>7}"
        f" {'µs/resource':>12} {'peak MiB':>9}"
    )
    for n in sizes:
        s = stages(n, trace=n <= 10_000 or not args.quick)
        per = (s["validate"] + s["evaluate"]) / n * 1e6
        print(
            f"{n:>10,} {s['yaml']:>7.3f} {s['validate']:>9.3f} {s['load']:>7.3f} {s['evaluate']:>9.3f}"
            f" {s['json']:>7.3f} {per:>12.1f} {s['peak']:>9.1f}"
        )


if __name__ == "__main__":
    main()
