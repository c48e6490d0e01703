"""Benchmark the failover simulator: wall time, simulated months per second, peak memory, growth with size.

The model is seed 000's: a primary up 80% of the time with 4-hour outages (exponential), heartbeats every 5 min,
a 5-min timeout, checks every minute, a 10 s write delay (so ~1,168 false failovers a month are drawn too).
Target: 10,000 simulated months in under 1 s.

Run: ``.venv/bin/python benchmarks/bench_availability.py``. Time is measured without tracemalloc; memory in a
separate traced run.
"""

from __future__ import annotations

import gc
import time
import tracemalloc

from infrafit.dynamics.availability import Durations, Failover, simulate_months

MODEL = Failover(
    up=Durations.exponential(16 * 3600.0),
    down=Durations.exponential(4 * 3600.0),
    every=300.0,
    timeout=300.0,
    checked_every=60.0,
    write_delay=10.0,
)
TARGET_S = 1.0


def main() -> None:
    simulate_months(MODEL, 100, seed=0)  # warm NumPy up
    print(f"{'months':>8} {'seconds':>8} {'months/s':>10} {'peak MB':>8} {'mean h':>7}")
    for months in (1_000, 10_000, 40_000):
        gc.collect()
        t0 = time.perf_counter()
        stats = simulate_months(MODEL, months, seed=1)
        took = time.perf_counter() - t0
        gc.collect()
        tracemalloc.start()
        simulate_months(MODEL, months, seed=1)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        flag = "  (target < 1 s)" if months == 10_000 else ""
        ok = "" if months != 10_000 else (" ✓" if took < TARGET_S else " ✗ over target")
        print(
            f"{months:>8,} {took:>8.3f} {months / took:>10,.0f} {peak:>8.1f} {stats.standby_hours.mean():>7.1f}{flag}{ok}"
        )


if __name__ == "__main__":
    main()
