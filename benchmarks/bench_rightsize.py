"""How fast `infrafit rightsize` reads a real Prometheus: 1,000 containers × 14 days at a 75 s step.

Backfills a local Prometheus (Debian's `prometheus`/`promtool`) once with synthetic cAdvisor and kube-state-metrics
series (cached under /tmp; the backfill is not timed), starts it on a loopback port, then times right-sizing over
1, 7 and 14 days of history: wall time, queries sent, points read, throughput and peak memory (RSS). The issue's
bar: 1,000 containers × 14 days in under 60 s. Run: python benchmarks/bench_rightsize.py [--quick]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.kube.prom import Dataset, backfill, counter, need_prometheus, serve  # noqa: E402

from infrafit.kube.prometheus import PrometheusSource  # noqa: E402
from infrafit.kube.rightsize import RightsizeSettings, rightsize  # noqa: E402

STEP = 75
MI = 2**20


def build(containers: int, days: int, namespaces: int, end: int) -> Dataset:
    """One pod per container, spread over namespaces; CPU and memory scraped every 75 s, inventory hourly."""
    rng = np.random.default_rng(7)
    data = Dataset()
    start = end - days * 86400
    times = np.arange(start, end + 1, STEP, dtype=np.int64)
    hourly = np.arange(start, end + 1, 3600, dtype=np.int64)
    for i in range(containers):
        ns, app = f"ns{i % namespaces:02d}", f"app{i:04d}"
        pod = f"{app}-5d4b8-{i:05d}"
        labels = {"namespace": ns, "pod": pod, "container": app}
        rates = rng.gamma(2.0, 0.05 + 0.001 * (i % 50), size=times.shape)
        data.add("container_cpu_usage_seconds_total", labels, times, np.round(counter(times, rates), 3))
        data.add(
            "container_memory_working_set_bytes", labels, times, np.round(rng.normal(300, 20, size=times.shape)) * MI
        )
        data.add(
            "kube_pod_owner",
            {"namespace": ns, "pod": pod, "owner_kind": "ReplicaSet", "owner_name": f"{app}-5d4b8"},
            hourly,
            1.0,
        )
        data.add(
            "kube_replicaset_owner",
            {"namespace": ns, "replicaset": f"{app}-5d4b8", "owner_kind": "Deployment", "owner_name": app},
            hourly,
            1.0,
        )
        for res, value in (("cpu", 0.5), ("memory", 512.0 * MI)):
            data.add("kube_pod_container_resource_requests", {**labels, "resource": res}, hourly, value)
    return data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="100 containers × 2 days")
    ap.add_argument("--containers", type=int, default=1000)
    ap.add_argument("--days", type=int, default=14)
    ap.add_argument("--namespaces", type=int, default=10)
    args = ap.parse_args()
    if args.quick:
        args.containers, args.days = 100, 2
    prometheus, promtool = need_prometheus()
    end = 1_750_000_000 // 7200 * 7200 - STEP  # fixed, so the cached data stays valid
    cache = Path(f"/tmp/infrafit-bench-rightsize-{args.containers}x{args.days}d-{args.namespaces}ns")
    tsdb = cache / "tsdb"
    if not (cache / "done").exists():
        shutil.rmtree(cache, ignore_errors=True)
        t0 = time.perf_counter()
        files = build(args.containers, args.days, args.namespaces, end).write_blocks(cache / "openmetrics")
        t1 = time.perf_counter()
        backfill(files, tsdb, promtool)
        shutil.rmtree(cache / "openmetrics")
        (cache / "done").write_text("ok\n")
        print(f"backfill (not timed below): generate {t1 - t0:.1f} s, promtool {time.perf_counter() - t1:.1f} s")
    with serve(tsdb, prometheus) as url:
        print(
            f"{args.containers:,} containers in {args.namespaces} namespaces, {args.days} days, step {STEP}s, Prometheus 2.42 on loopback"
        )
        print(
            f"{'history':>8} {'points/series':>14} {'queries':>8} {'seconds':>8} {'CPU points':>12} {'points/s':>11} {'recs':>5}"
        )
        for days in sorted({1, min(7, args.days), args.days}):
            source = PrometheusSource(url, rate_window=2 * STEP)
            settings = RightsizeSettings(
                history=f"{days}d", step=f"{STEP}s", end=time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(end))
            )
            t0 = time.perf_counter()
            result = rightsize(source, settings)
            took = time.perf_counter() - t0
            points = result.window.points
            read = args.containers * points  # CPU points; memory peaks come in hour blocks (24 a day per container)
            print(
                f"{days:>7}d {points:>14,} {source.queries:>8} {took:>8.1f} {read:>12,} {read / took:>11,.0f} {len(result.recommendations):>5}"
            )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process (RSS): {rss:,.0f} MiB")
        bar = "under" if took < 60 else "OVER"
        print(
            f"{args.days} days: {took:.1f} s, {bar} the 60 s bar; {source.queries} queries for {args.containers:,} containers"
        )


if __name__ == "__main__":
    main()
