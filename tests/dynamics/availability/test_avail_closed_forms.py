"""The failover simulator against closed forms where they are exact (B1-B4 of the research notes).

Seed 000's scheme throughout: the primary is up 80% of the time with 4-hour outages on average (exponential), so
E[D] = 240 min, E[U] = 240 × 0.8/0.2 = 960 min, a cycle 1,200 min: 730 × 60 / 1,200 = 36.5 outages a month.
Heartbeat every H = 5 min, timeout T = 5 min, checked every C = 1 min.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.dynamics.availability import (
    Durations,
    Failover,
    detection_mean,
    false_failover_probability,
    simulate_months,
)

MIN = 60.0
HOUR = 3600.0


def seed000(write_delay: float = 0.0, *, up: float = 16 * HOUR, down: float = 4 * HOUR, **kw: float) -> Failover:
    return Failover(
        up=Durations.exponential(up),
        down=Durations.exponential(down),
        every=5 * MIN,
        timeout=5 * MIN,
        checked_every=1 * MIN,
        write_delay=write_delay,
        **kw,
    )


def test_detection_delay_mean_and_p95() -> None:
    # δ = T − A + V, A ~ U(0, 5), V ~ U(0, 1) min: E[δ] = 5 − 2.5 + 0.5 = 3.0 min.
    # δ is 0..5 (uniform) plus 0..1 (uniform), a trapezoid: P(δ > x) = (6 − x)² / (2·5·1) on [5, 6],
    # so the p95 solves (6 − x)² = 0.5: x = 6 − √0.5 = 5.2929 min.
    stats = simulate_months(seed000(), 3000, seed=11)
    assert detection_mean(5, 5, 1) == 3.0
    assert stats.detection_minutes.mean() == pytest.approx(3.0, abs=0.01)
    assert np.percentile(stats.detection_minutes, 95) == pytest.approx(6 - math.sqrt(0.5), abs=0.02)
    assert stats.detection_minutes.max() <= 6.0


def test_standby_hours_closed_form_b3() -> None:
    # Per outage the standby runs (D − δ) + U(0, C) when D > δ (failback: the next check after the primary's
    # boot heartbeat). For exponential D (mean μ = 240 min):
    #   E[1{D>δ}] = E[e^(−δ/μ)] = e^(−T/μ) · (μ/H)(e^(H/μ) − 1) · (μ/C)(1 − e^(−C/μ))
    #             = 0.979381 × 1.010491 × 0.997921 = 0.987598
    #   E[running] = 0.987598 × (μ + C/2) = 0.987598 × 240.5 = 237.517 min per outage
    # × 36.5 outages = 8,669.4 min = 144.49 h a month (the research note's 144.8 h is within 0.3%).
    mu, t, h, c = 240.0, 5.0, 5.0, 1.0
    fail = math.exp(-t / mu) * (mu / h) * (math.exp(h / mu) - 1) * (mu / c) * (1 - math.exp(-c / mu))
    closed = 36.5 * fail * (mu + c / 2) / 60
    assert closed == pytest.approx(144.49, abs=0.01)
    stats = simulate_months(seed000(), 4000, seed=3)
    assert stats.standby_hours.mean() == pytest.approx(closed, rel=0.01)
    assert stats.standby_hours.mean() == pytest.approx(144.8, rel=0.01)
    assert stats.failovers.mean() == pytest.approx(36.5 * fail, rel=0.01)  # 36.05 true failovers
    assert stats.false_failovers.sum() == 0  # no write delay: a heartbeat is never late


def test_alternating_renewal_share() -> None:
    # With instant detection and failback the standby runs exactly while the primary is down:
    # share E[D]/(E[U] + E[D]) = 4/(16 + 4) = 20% of 730 h = 146 h; detection here is ≤ 2 s, negligible.
    model = Failover(
        up=Durations.exponential(16 * HOUR),
        down=Durations.exponential(4 * HOUR),
        every=1.0,
        timeout=1.0,
        checked_every=1.0,
        write_delay=0.0,
        min_billed=0.0,
    )
    stats = simulate_months(model, 4000, seed=5)
    assert stats.standby_hours.mean() == pytest.approx(146.0, rel=0.01)
    assert stats.up_hours.mean() == pytest.approx(584.0, rel=0.005)


def test_false_failovers_b4() -> None:
    # T = H, J = 10 s, C = 60 s: each heartbeat is stale for H + J − T = 10 s, a check lands there with
    # probability 10/60; 730 × 60 / 5 = 8,760 heartbeats a month → 1,460 false failovers for a primary up all
    # month. Each runs the standby until the next check (60 s), billed 1 minute: 1,460 min = 24.33 h.
    assert false_failover_probability(300, 300, 60, 10) == pytest.approx(1 / 6)
    always_up = seed000(10.0, up=1e12, down=1.0)
    stats = simulate_months(always_up, 400, seed=8)
    assert stats.false_failovers.mean() == pytest.approx(1460, rel=0.01)
    assert stats.standby_hours.mean() == pytest.approx(1460 / 60, rel=0.01)
    # At 80% uptime the primary writes 80% of the heartbeats: 1,168 false failovers.
    assert simulate_months(seed000(10.0), 2000, seed=8).false_failovers.mean() == pytest.approx(1168, rel=0.01)


def test_one_minute_minimum_per_start() -> None:
    # Outages of exactly 4 min against a 1 min detection: the standby runs 3 min + U(0, 1) min, never less
    # than a minute; with outages of 70 s and detection under 60 s it runs 10..70 s, billed at least 60 s.
    model = Failover(
        up=Durations.empirical((HOUR,)),
        down=Durations.empirical((70.0,)),
        every=10.0,
        timeout=10.0,
        checked_every=60.0,
        write_delay=0.0,
        min_billed=60.0,
    )
    stats = simulate_months(model, 200, seed=1)
    per_start = stats.standby_hours.sum() * 3600 / stats.failovers.sum()
    assert per_start >= 60.0


def test_seeds_repeat_exactly() -> None:
    a, b = simulate_months(seed000(10.0), 300, seed=42), simulate_months(seed000(10.0), 300, seed=42)
    assert np.array_equal(a.standby_hours, b.standby_hours)
    assert not np.array_equal(a.standby_hours, simulate_months(seed000(10.0), 300, seed=43).standby_hours)


@settings(max_examples=25, deadline=None)
@given(
    uptime=st.floats(0.5, 0.99),
    outage_h=st.floats(0.05, 24),
    every=st.sampled_from([30.0, 60.0, 300.0]),
    factor=st.floats(0.5, 4),
    check=st.sampled_from([10.0, 60.0]),
    delay=st.floats(0, 30),
)
def test_invariants(uptime: float, outage_h: float, every: float, factor: float, check: float, delay: float) -> None:
    down = outage_h * HOUR
    model = Failover(
        up=Durations.exponential(down * uptime / (1 - uptime)),
        down=Durations.exponential(down),
        every=every,
        timeout=every * factor,
        checked_every=check,
        write_delay=delay,
    )
    stats = simulate_months(model, 50, seed=0)
    month_h = 730.0
    assert (stats.standby_hours >= 0).all()
    assert (stats.unserved_minutes >= 0).all()
    assert (stats.up_hours <= month_h + 1e-9).all()
    # nobody answers only while the primary is down
    assert (stats.unserved_minutes / 60 <= month_h - stats.up_hours + 1e-6).all()
    assert (stats.failovers <= stats.outages + 1).all()
    assert (stats.detection_minutes >= 0).all()
