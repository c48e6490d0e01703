"""How fast the traffic simulator runs a month, and how it grows with the number of clients.

Prints, for the issue's case (1,000 clients polling every 10 s through three layers: browser dedupe, a CDN with
s-maxage 30 s and stale-while-revalidate 60 s, a 5-minute server cache: ~263M client requests), the wall time
(median of runs), client requests per second of wall time, and peak memory; then the same for 10 to 100,000
clients, and for open (Poisson) arrivals. Run: python benchmarks/bench_traffic.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

from infrafit.dynamics.traffic import CacheLayer, CdnLayer, Clients, run

MONTH = 730 * 3600.0
LAYERS = [CdnLayer(ttl=30, swr=60), CacheLayer(mode="aside", ttl=300)]


def timed(clients: Clients, repeat: int) -> tuple[float, float, int, float]:
    """(median seconds, client requests, origin requests, peak MiB)."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(clients, LAYERS, month_s=MONTH, seed=1)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    run(clients, LAYERS, month_s=MONTH, seed=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result is not None
    return statistics.median(times), result.client_requests, int(result.origin_requests), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    run(Clients(count=10, every=10, dedupe=2), LAYERS, month_s=MONTH)  # warm imports
    seconds, requests, origin, peak = timed(Clients(count=1000, every=10, dedupe=2), repeat)
    verdict = "ok" if seconds < 0.5 else "SLOW"
    print(
        f"issue case: 1,000 clients every 10 s, 3 layers, one month: {seconds * 1000:,.0f} ms ({verdict}, target < 500 ms)"
    )
    print(
        f"  {requests:,.0f} client requests -> {origin:,} origin requests; {requests / seconds / 1e6:,.0f}M requests/s of wall time; peak {peak:,.1f} MiB"
    )
    print("growth with clients (every 10 s):")
    print(f"  {'clients':>8} {'ms':>8} {'client requests':>17} {'origin':>8} {'peak MiB':>9}")
    for n in (10, 100, 1_000, 10_000, 100_000):
        seconds, requests, origin, peak = timed(Clients(count=n, every=10, dedupe=2), max(1, repeat // 2))
        print(f"  {n:>8,} {seconds * 1000:>8,.0f} {requests:>17,.0f} {origin:>8,} {peak:>9,.1f}")
    print("open arrivals (Poisson):")
    for rate in (1.0, 100.0, 1000.0):
        seconds, requests, origin, peak = timed(Clients(rate=rate), max(1, repeat // 2))
        print(
            f"  {rate:>8,.0f}/s {seconds * 1000:>8,.0f} ms {requests:>15,.0f} requests {origin:>8,} origin {peak:>7,.1f} MiB"
        )


if __name__ == "__main__":
    main()
