"""How fast `infrafit check` answers, and how the engine grows with plan size.

Prints: cold-start wall time of the CLI on an example (median of runs), then for synthetic plans of
100 / 1,000 / 10,000 resources the time to read the plan from YAML text (parse + validate), to validate
already-parsed data, to evaluate it, the engine time per resource and peak memory of one evaluation. Run: python benchmarks/bench_check.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "seed000-hybrid-free-tier.yaml"

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


def cold_start(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "infrafit.cli", "check", str(EXAMPLE), "--format", "json"],
            check=False,
            capture_output=True,
        )
        times.append(time.perf_counter() - t0)
    return times


def engine(n: int) -> tuple[float, float, float, float]:
    import yaml

    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan, plan_from_data

    data = synthetic(n)
    text = yaml.safe_dump(data, sort_keys=False)
    t_yaml = time.perf_counter()
    load_plan("synthetic.yaml", text=text)
    yaml_s = time.perf_counter() - t_yaml
    t0 = time.perf_counter()
    plan = plan_from_data(data)
    t1 = time.perf_counter()
    evaluate(plan)
    t2 = time.perf_counter()
    tracemalloc.start()
    evaluate(plan_from_data(data))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return yaml_s, t1 - t0, t2 - t1, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs, no 10,000")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    times = cold_start(runs)
    print(f"cold start: infrafit check {EXAMPLE.name} --format json")
    print(f"  median {statistics.median(times):.3f} s, min {min(times):.3f} s, max {max(times):.3f} s over {runs} runs")
    print()
    engine(50)  # warm the catalog cache and imports
    print(
        f"{'resources':>10} {'YAML+validate s':>16} {'validate s':>11} {'evaluate s':>11} {'µs/resource':>12} {'peak MiB':>9}"
    )
    sizes = [100, 1000] if args.quick else [100, 1000, 10000]
    for n in sizes:
        yaml_s, validate, evaluate_s, peak = engine(n)
        per = (validate + evaluate_s) / n * 1e6
        print(f"{n:>10,} {yaml_s:>16.3f} {validate:>11.3f} {evaluate_s:>11.3f} {per:>12.1f} {peak:>9.1f}")


if __name__ == "__main__":
    main()
