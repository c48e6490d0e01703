"""Benchmark cost ranges: generated 10/50/200-resource plans with ranges, priced at 500/2,000/10,000 samples.

Two figures per size: ``infrafit check --format json`` end to end (a fresh process: start-up, loading, the point
evaluation, the Monte Carlo, the sensitivity sweep, the report) and the Monte Carlo stage alone (in process:
draws, per-line quantities, the vectorised pricing, probabilities and sensitivity), with samples/s, peak memory
(tracemalloc, in a separate run) and growth. Target: 2,000 samples of a 50-resource plan in under 2 s end to end.

Every resource of the generated plans has one or two ranged inputs in the four forms (a range, a lognormal, a
triangular, a choice), over services with free pools, tiers and instance hours, so pools are drawn in plan order
and the free allowances make the cost non-linear.

Run: ``.venv/bin/python benchmarks/bench_ranges.py``.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

TARGET_S = 2.0
KINDS = [
    (
        "gcp.cloud_run",
        {"requests": "1M-4M/month", "duration": "{lognormal: {median: 150ms, p95: 600ms}}"},
    ),
    ("aws.lambda", {"requests": "{triangular: {low: 1M/month, mode: 2M/month, high: 8M/month}}", "duration": "100ms"}),
    ("aws.s3", {"storage": "20GB-200GB", "class_a": "{choice: {100K/month: 70%, 1M/month: 30%}}"}),
    ("gcp.compute_engine", {"uptime": "20%-60%"}),
    ("aws.sqs", {"messages": "500K-3M/month"}),
]


def plan_text(resources: int) -> str:
    lines = [f"name: ranges-{resources}", "budget: 500 USD", "resources:"]
    for i in range(resources):
        service, usage = KINDS[i % len(KINDS)]
        lines += [f"  r{i}:", f"    service: {service}"]
        if service == "gcp.compute_engine":
            lines.append("    type: e2-small")
        lines.append("    usage:")
        lines += [
            f"      {key}: {value}"
            for key, value in usage.items()
        ]
    return "\n".join(lines) + "\n"


def end_to_end(path: Path, samples: int) -> float:
    cli = Path(sys.executable).with_name("infrafit")
    t0 = time.perf_counter()
    subprocess.run(
        [str(cli), "check", str(path), "--format", "json", "--samples", str(samples), "--no-fail-on-error"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def stage(path: Path, samples: int) -> tuple[float, float]:
    """(seconds, peak MB) of the Monte Carlo stage alone, after the point evaluation."""
    from infrafit.catalog.lookup import Catalog
    from infrafit.engine.evaluate import evaluate_point
    from infrafit.engine.uncertainty.montecarlo import cost_distribution
    from infrafit.plan.loader import load_plan
    from infrafit.plan.uncertain import uncertain_inputs

    plan = load_plan(path)
    catalog = Catalog(plan.overrides)
    point, outcomes = evaluate_point(plan, catalog)
    inputs = uncertain_inputs(plan)
    gc.collect()
    t0 = time.perf_counter()
    cost_distribution(plan, catalog, point, outcomes, inputs, samples=samples, seed=0)
    took = time.perf_counter() - t0
    tracemalloc.start()
    cost_distribution(plan, catalog, point, outcomes, inputs, samples=samples, seed=0)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return took, peak


def main() -> None:
    print(f"{'resources':>9} {'samples':>8} {'end to end s':>13} {'MC stage s':>11} {'samples/s':>10} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        stage(_write(Path(tmp), 10), 100)  # warm imports and caches
        for resources in (10, 50, 200):
            path = _write(Path(tmp), resources)
            previous = None
            for samples in (500, 2_000, 10_000):
                wall = end_to_end(path, samples)
                took, peak = stage(path, samples)
                growth = f" ×{took / previous:.2f}" if previous else ""
                previous = took
                ok = ""
                if resources == 50 and samples == 2_000:
                    ok = "  (target < 2 s end to end) " + ("✓" if wall < TARGET_S else "✗ over target")
                print(
                    f"{resources:>9} {samples:>8,} {wall:>13.3f} {took:>11.3f} {samples / took:>10,.0f} "
                    f"{peak:>8.1f}{growth}{ok}"
                )


def _write(folder: Path, resources: int) -> Path:
    path = folder / f"ranges-{resources}.yaml"
    path.write_text(plan_text(resources))
    return path


if __name__ == "__main__":
    main()
