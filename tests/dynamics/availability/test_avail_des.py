"""The vectorised failover simulator against a discrete-event run (SimPy) of the same model: a primary that
alternates up and down, writes a heartbeat every H while up (and once on boot), each readable J later; a monitor
that reads it every C, starts the standby when it is older than T and stops it when it is fresh again; each start
billed at least a minute. One long run, cut into months."""

from __future__ import annotations

import numpy as np
import pytest

from infrafit.dynamics.availability import Durations, Failover, simulate_months

MIN, HOUR, MONTH = 60.0, 3600.0, 730 * 3600.0


def des(model: Failover, months: int, seed: int) -> tuple[float, float, float]:
    """(standby hours, true failovers, false failovers) a month, averaged over one long run."""
    import simpy

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    s = {"up": True, "visible": 0.0, "on": None, "billed": 0.0, "true": 0, "false": 0}

    def write(stamp: float):  # type: ignore[no-untyped-def]
        yield env.timeout(model.write_delay)
        s["visible"] = max(s["visible"], stamp)

    def primary():  # type: ignore[no-untyped-def]
        while True:
            yield env.timeout(rng.exponential(model.up.mean))
            s["up"] = False
            yield env.timeout(rng.exponential(model.down.mean))
            s["up"] = True
            env.process(write(env.now))  # writes on boot

    def writer():  # type: ignore[no-untyped-def]
        yield env.timeout(rng.uniform(0, model.every))
        while True:
            if s["up"]:
                env.process(write(env.now))
            yield env.timeout(model.every)

    def monitor():  # type: ignore[no-untyped-def]
        yield env.timeout(rng.uniform(0, model.checked_every))
        while True:
            stale = env.now - s["visible"] > model.timeout
            if stale and s["on"] is None:
                s["on"] = env.now
                s["true" if not s["up"] else "false"] += 1
            elif not stale and s["on"] is not None:
                s["billed"] += max(env.now - s["on"], model.min_billed)
                s["on"] = None
            yield env.timeout(model.checked_every)

    for proc in (primary(), writer(), monitor()):
        env.process(proc)
    env.run(until=months * MONTH)
    return s["billed"] / 3600 / months, s["true"] / months, s["false"] / months


def test_standby_hours_agree_with_a_discrete_event_run() -> None:
    # Coarser heartbeats keep the event count low (H = 10 min, C = 5 min, T = 30 min): 13,140 events a month.
    model = Failover(
        up=Durations.exponential(16 * HOUR),
        down=Durations.exponential(4 * HOUR),
        every=10 * MIN,
        timeout=30 * MIN,
        checked_every=5 * MIN,
        write_delay=10.0,
    )
    hours, true, _ = des(model, 150, seed=1)
    fast = simulate_months(model, 4000, seed=1)
    # monthly sd ≈ 27 h (research B1), so the 150-month DES mean has a standard error of ≈ 2.2 h (1.7%)
    assert hours == pytest.approx(fast.standby_hours.mean(), rel=0.06)
    assert true == pytest.approx(fast.failovers.mean(), rel=0.05)


def test_false_failovers_agree_with_a_discrete_event_run() -> None:
    # Seed 000's flapping scheme (T = H, C = 1 min, J = 10 s): ~1,168 false starts a month at 80% uptime.
    # The model takes the writer's and the monitor's phases as unsynchronised. With H exactly 5 × C the two
    # clocks lock: a check lands in the stale window at every heartbeat or at none (all or nothing, the same
    # mean over phases). Here H = 300.7 s, so the checks drift across the heartbeat cycle as unsynchronised
    # clocks do, and the discrete-event run sees the per-heartbeat chance 10/60.
    model = Failover(
        up=Durations.exponential(16 * HOUR),
        down=Durations.exponential(4 * HOUR),
        every=300.7,
        timeout=300.7,
        checked_every=1 * MIN,
        write_delay=10.0,
    )
    hours, _, false = des(model, 12, seed=2)
    fast = simulate_months(model, 2000, seed=2)
    assert false == pytest.approx(fast.false_failovers.mean(), rel=0.04)
    assert hours == pytest.approx(fast.standby_hours.mean(), rel=0.08)
