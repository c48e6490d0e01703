"""How fast the `selfhost:` section answers, and how it grows with the number of cloud services it maps.

Prints, for synthetic plans of 10 / 100 / 1,000 resources with a `selfhost:` block: the evaluation time (pricing
the cloud side, the machine's line, the mapping, the fit and the Compose file with its schema validation), the
time per resource, the Compose services written and peak memory; then the seed 001 example end to end.
Run: python benchmarks/bench_selfhost.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

TEMPLATES: list[dict[str, Any]] = [
    {"service": "gcp.cloud_run", "cpu": 1, "memory": "512MiB", "usage": {"requests": "30K/month", "duration": "2s"}},
    {"service": "gcp.pubsub", "usage": {"throughput": "1GB/month"}},
    {"service": "gcp.cloud_tasks", "usage": {"operations": "100K/month"}},
    {"service": "gcp.cloud_sql", "region": "us-central1", "type": "db-f1-micro", "usage": {"storage": "10GB"}},
    {"service": "gcp.cloud_storage", "region": "us-central1", "usage": {"storage": "50GB"}},
    {"service": "gcp.cloud_logging", "usage": {"logs": "5GB/month"}},
]
SELFHOST = {
    "machine": {"cpus": 4096, "memory": "64TiB", "price": "2400 USD", "power": "desktop-16c-tuned"},
    "electricity": {"tariff": "kepco-residential-low", "household_kwh": "300/month", "fx": "1400 KRW/USD"},
    "secrets": "encrypted",
}


def synthetic(n: int) -> dict[str, Any]:
    resources = {f"r{i:05d}": dict(TEMPLATES[i % len(TEMPLATES)]) for i in range(n)}
    return {"name": f"selfhost-{n}", "resources": resources, "selfhost": SELFHOST}


def measure(n: int, runs: int) -> tuple[float, float, int]:
    import yaml

    from infrafit.catalog.lookup import Catalog
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan

    plan = load_plan(f"selfhost-{n}.yaml", text=yaml.safe_dump(synthetic(n)))
    catalog = Catalog()
    evaluate(plan, catalog)  # warm the catalog and the schema
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = evaluate(plan, catalog)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    evaluate(plan, catalog)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    services = len(result.sections["selfhost"][0].compose["services"])
    return statistics.median(times), peak / 2**20, services


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer sizes and runs")
    args = parser.parse_args()
    sizes = [10, 100] if args.quick else [10, 100, 1000]
    runs = 3 if args.quick else 5
    print(f"{'resources':>10} {'evaluate':>10} {'per resource':>13} {'compose services':>17} {'peak MiB':>9}")
    for n in sizes:
        t, mib, services = measure(n, runs)
        print(f"{n:>10,} {t:>9.3f}s {t / n * 1e6:>11.0f}µs {services:>17,} {mib:>9.1f}")
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan

    t0 = time.perf_counter()
    evaluate(load_plan(ROOT / "examples" / "seed001-leaving-the-cloud.yaml"))
    print(f"seed001-leaving-the-cloud (both plans evaluated): {time.perf_counter() - t0:.3f}s")


if __name__ == "__main__":
    main()
