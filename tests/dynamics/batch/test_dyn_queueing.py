"""M/M/c validation: Poisson arrivals, exponential service, c workers; mean wait against Erlang C."""

from __future__ import annotations

import math

import numpy as np
import pytest

from infrafit.dynamics import BatchJob, Duration, replicate, simulate

LAM, MU, C = 0.8, 0.25, 4  # offered load a = 3.2 erlangs, utilisation 0.8
T_975 = {29: 2.045, 19: 2.093}  # Student t, two-sided 95%


def erlang_c_wq(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of M/M/c, from the Erlang-B recursion."""
    a = lam / mu
    b = 1.0  # B(0) = 1
    for k in range(1, c + 1):
        b = a * b / (k + a * b)  # B(k) = a B(k-1) / (k + a B(k-1))
    p_wait = c * b / (c - a * (1 - b))  # Erlang C
    return p_wait / (c * mu - lam)


def test_erlang_c_reference_value() -> None:
    # By hand: B1 = 3.2/4.2 = .7619, B2 = 2.438/4.438 = .5494, B3 = 1.758/4.758 = .3695,
    # B4 = 1.1824/5.1824 = .2282; C = .9127 / (4 - 3.2 * .7718) = .5965; Wq = .5965 / (1 - .8) = 2.98 s.
    assert erlang_c_wq(LAM, MU, C) == pytest.approx(2.98, abs=0.01)


def _ci(values: list[float], t: float) -> tuple[float, float]:
    m = float(np.mean(values))
    half = t * float(np.std(values, ddof=1)) / math.sqrt(len(values))
    return m - half, m + half


def test_mmc_mean_wait_matches_erlang_c_fast() -> None:
    # 30 replications of 20,000 arrivals (~7 h each); the first 2,000 items (the empty-system start) are
    # discarded, and the 95% confidence interval of the per-replication means must contain Wq.
    job = BatchJob("mmc", 20_000, Duration.exponential(1 / MU), C, arrival_rate=LAM)
    runs = replicate(job, replications=30, seed=11)
    per_run = [float(r.waits[2000:].mean()) for r in runs]
    lo, hi = _ci(per_run, T_975[29])
    wq = erlang_c_wq(LAM, MU, C)
    assert lo <= wq <= hi, (lo, wq, hi)
    assert hi - lo < 0.1 * wq  # and the interval is tight enough to mean something


def test_mmc_mean_wait_matches_erlang_c_des() -> None:
    # The SimPy reference on its own seeds, shorter runs: 20 x 5,000 arrivals, 500 discarded.
    job = BatchJob("mmc", 5_000, Duration.exponential(1 / MU), C, arrival_rate=LAM)
    runs = replicate(job, replications=20, seed=5, method="des")
    per_run = [float(r.waits[500:].mean()) for r in runs]
    lo, hi = _ci(per_run, T_975[19])
    assert lo <= erlang_c_wq(LAM, MU, C) <= hi, (lo, hi)


def test_mmc_result_fields() -> None:
    job = BatchJob("mmc", 5_000, Duration.exponential(1 / MU), C, arrival_rate=LAM)
    r = simulate(job, replications=10, seed=3)
    assert r.mean_wait_s == pytest.approx(erlang_c_wq(LAM, MU, C), rel=0.25)  # includes the warm-up
    # Arrivals set the pace: 5,000 / 0.8 = 6,250 s, so ~2,880 items/h at p50.
    assert r.bottleneck == "arrivals"
    assert r.makespan_s_p50 == pytest.approx(5000 / LAM, rel=0.05)
    assert r.items_per_hour == pytest.approx(LAM * 3600, rel=0.05)
    # Busy time is the served work: 5,000 items x 4 s mean.
    assert r.worker_seconds == pytest.approx(5000 / MU, rel=0.03)


def test_mm1_against_closed_form() -> None:
    # c = 1: Wq = rho / (mu - lam) = 0.5 / (1 - 0.5) = 1 s.
    job = BatchJob("mm1", 20_000, Duration.exponential(1.0), 1, arrival_rate=0.5)
    per_run = [float(r.waits[2000:].mean()) for r in replicate(job, replications=30, seed=2)]
    lo, hi = _ci(per_run, T_975[29])
    assert erlang_c_wq(0.5, 1.0, 1) == pytest.approx(1.0)
    assert lo <= 1.0 <= hi, (lo, hi)
