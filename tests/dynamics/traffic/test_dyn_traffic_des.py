"""A discrete-event (SimPy) run of the same model agrees with the vectorised fetch map: pollers with fixed phases,
each request to a shared TTL cache with stale-while-revalidate; every fetch counted. Seeds are explicit."""

from __future__ import annotations

import numpy as np
import pytest

from infrafit.dynamics.traffic import CdnLayer, Clients, run

DAY = 86400.0


def simpy_fetches(phases: np.ndarray, period: float, ttl: float, horizon: float) -> tuple[int, int, list[float]]:
    """(requests, origin fetches, ages served) of pollers against one cache, event by event."""
    simpy = pytest.importorskip("simpy")
    env = simpy.Environment()
    cache = {"filled": -np.inf, "prev": -np.inf}
    tally = {"requests": 0, "fetches": 0}
    ages: list[float] = []

    def client(phase: float):  # type: ignore[no-untyped-def]
        yield env.timeout(phase)
        while env.now < horizon:
            tally["requests"] += 1
            if env.now >= cache["filled"] + ttl:  # expired: this request revalidates (stale copy served)
                tally["fetches"] += 1
                age = env.now - cache["filled"] if np.isfinite(cache["filled"]) else 0.0
                cache["filled"] = env.now
            else:
                age = env.now - cache["filled"]
            ages.append(age)
            yield env.timeout(period)

    for phase in phases:
        env.process(client(float(phase)))
    env.run(until=horizon)
    return tally["requests"], tally["fetches"], ages


@pytest.mark.parametrize(("n", "period", "ttl"), [(1, 60.0, 30.0), (7, 60.0, 30.0), (25, 10.0, 30.0), (3, 20.0, 30.0)])
def test_simpy_agrees_with_the_fetch_map(n: int, period: float, ttl: float) -> None:
    seed = 42
    horizon = 2 * DAY
    fast = run(Clients(count=n, every=period), [CdnLayer(ttl=ttl, swr=1e9)], month_s=horizon, seed=seed)
    phases = np.random.default_rng(seed).uniform(0, 1, n) * period  # the same phases run() draws
    requests, fetches, ages = simpy_fetches(phases, period, ttl, horizon)
    assert fast.client_requests == requests
    # run() starts the month warm (the map began before it); the event run starts empty: at most one fetch apart.
    assert abs(fast.origin_requests - fetches) <= 1
    assert float(np.mean(fast.ages)) == pytest.approx(float(np.mean(ages)), rel=0.02)
