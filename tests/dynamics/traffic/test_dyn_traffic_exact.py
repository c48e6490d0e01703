"""The traffic simulator against closed forms (next-capabilities A1, A8, A9, A10). Seeds are explicit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.dynamics.distributions import Duration
from infrafit.dynamics.traffic import CacheLayer, CdnLayer, Clients, Periodic, poll_cycle, run, ttl_fetches
from infrafit.dynamics.traffic.model import _materialise
from infrafit.dynamics.traffic.streams import ttl_fetch_index

MONTH = 730 * 3600.0  # 2,628,000 s


def test_one_poller_behind_a_shorter_ttl_misses_every_time() -> None:
    # P = 60 s > T = 30 s: the copy has expired by each poll, so every poll fetches: 2,628,000 / 60 = 43,800.
    r = run(Clients(count=1, every=60), [CdnLayer(ttl=30)], month_s=MONTH, seed=3)
    assert r.client_requests == 43_800
    assert r.origin_requests == 43_800
    assert r.layers[0].hit_ratio == 0


def test_two_pollers_are_not_the_asymptotic_formula() -> None:
    # n = 2, P = 60, T = 30: T + P/(n+1) = 50 s would give 52,560; the fetch map locks into one fetch per period
    # (the second poller's request at f + ≥30 s serves until the first poller's next poll): 43,800 exactly.
    for seed in range(5):
        r = run(Clients(count=2, every=60), [CdnLayer(ttl=30)], month_s=MONTH, seed=seed)
        assert r.origin_requests == 43_800


def test_one_poller_faster_than_the_ttl() -> None:
    # P = 20 s < T = 30 s: each fetch serves ceil(30/20) = 2 polls, a fetch every 40 s: 2,628,000 / 40 = 65,700.
    r = run(Clients(count=1, every=20), [CdnLayer(ttl=30)], month_s=MONTH, seed=1)
    assert r.origin_requests == 65_700
    assert r.layers[0].hit_ratio == pytest.approx(0.5)


def test_a_hundred_pollers_match_the_simulated_mean_cycle() -> None:
    # n = 100, P = 60, T = 30: mean cycle 30.61 s (A9, 20 phase draws) -> 730·3600/30.61 = 85,854 ± 0.5%.
    expected = MONTH / 30.61
    counts = [
        run(Clients(count=100, every=60), [CdnLayer(ttl=30)], month_s=MONTH, seed=s).origin_requests for s in range(20)
    ]
    assert float(np.mean(counts)) == pytest.approx(expected, rel=0.005)


def test_a_thousand_pollers_approach_one_fetch_per_ttl() -> None:
    # n = 1,000: cycle T + P/(n+1) = 30.06 s -> 87,426 (A9: 87,426 ± 7).
    r = run(Clients(count=1000, every=60), [CdnLayer(ttl=30)], month_s=MONTH, seed=0)
    assert r.origin_requests == pytest.approx(MONTH / (30 + 60 / 1001), rel=0.001)


@pytest.mark.parametrize(("rate", "ttl"), [(0.05, 30.0), (1 / 60, 30.0), (2.0, 5.0)])
def test_poisson_arrivals_behind_a_ttl(rate: float, ttl: float) -> None:
    # Non-reset TTL, Poisson(λ): misses renew every T + 1/λ, so hit = λT / (1 + λT) (Fofack et al. 2014).
    # λ = 0.05, T = 30: 1.5 / 2.5 = 0.6; λ = 1/60: 0.5 / 1.5 = 0.3333; λ = 2, T = 5: 10/11.
    hits = [run(Clients(rate=rate), [CdnLayer(ttl=ttl)], month_s=MONTH, seed=s).layers[0].hit_ratio for s in range(5)]
    assert float(np.mean(hits)) == pytest.approx(rate * ttl / (1 + rate * ttl), rel=0.01)


def test_sliding_ttl_under_poisson_arrivals() -> None:
    # TTL refreshed by every read: a miss needs a gap of T or more: hit = 1 − e^(−λT); λ = 0.05, T = 30 -> 0.7769.
    r = run(Clients(rate=0.05), [CacheLayer(mode="sliding", ttl=30)], month_s=MONTH, seed=5)
    assert r.layers[0].hit_ratio == pytest.approx(1 - math.exp(-1.5), rel=0.01)


def test_swr_does_not_change_the_origin_rate() -> None:
    # A8: with async revalidation there is still one origin call per cycle of T + wait: 1/(T + 1/λ) per second.
    plain = run(Clients(rate=0.05), [CdnLayer(ttl=30)], month_s=MONTH, seed=2)
    swr = run(Clients(rate=0.05), [CdnLayer(ttl=30, swr=60)], month_s=MONTH, seed=2)
    assert swr.origin_requests == plain.origin_requests
    assert plain.origin_requests == pytest.approx(MONTH / (30 + 20), rel=0.01)


def test_a_single_poller_with_swr_always_sees_a_copy_one_period_old() -> None:
    # A10: P = 60, s-maxage 30, SWR 60: each poll gets the copy the previous poll revalidated: age exactly 60 s.
    r = run(Clients(count=1, every=60), [CdnLayer(ttl=30, swr=60)], month_s=MONTH, seed=0)
    assert r.age(0.5) == pytest.approx(60.0)
    assert r.age(0.95) == pytest.approx(60.0)
    plain = run(Clients(count=1, every=60), [CdnLayer(ttl=30)], month_s=MONTH, seed=0)
    assert plain.age(0.95) == 0.0


def test_write_through_data_age_is_the_inspection_paradox() -> None:
    # W ~ U(30, 48): mean age at a read E[W²] / (2 E[W]) = (39² + 18²/12) / (2·39) = (1521 + 27) / 78 = 19.846 s.
    r = run(
        Clients(rate=0.5),
        [CacheLayer(mode="write_through", write_every=Duration.uniform(30, 48))],
        month_s=MONTH,
        seed=4,
    )
    assert float(np.mean(r.ages)) == pytest.approx(19.846, rel=0.02)
    assert r.origin_requests == 0


def test_swr_dedupe_period() -> None:
    # A1: R = 10 s, D = 30 s, L = 0: ticks at 10, 20, 30 are de-duplicated (k·R > D first at k = 4): one request
    # every 40 s carrying 4 ticks. R = 60, D = 30, L = 0.2: one request every 60.2 s, nothing removed.
    assert poll_cycle(10, 30, 0) == (40, 4)
    assert poll_cycle(60, 30, 0.2) == (pytest.approx(60.2), 1)


def test_active_hours_make_daily_sessions_with_a_cold_cache() -> None:
    # One client, 8 h a day, every 60 s, T = 30: each poll fetches: 28,800/60 = 480 a day × 730/24 days = 14,600.
    r = run(Clients(count=1, every=60, active=8 / 24), [CdnLayer(ttl=30)], month_s=MONTH, seed=0)
    assert r.origin_requests == pytest.approx(480 * 730 / 24)


def test_regions_cache_separately() -> None:
    # Two pollers in two regions each miss on every poll (their own region's copy has expired): 2 × 43,800.
    r = run(Clients(count=2, every=60), [CdnLayer(ttl=30, locations=2)], month_s=MONTH, seed=0)
    assert r.origin_requests == 87_600


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 40),
    period=st.floats(1, 120),
    ttl=st.floats(0.5, 200),
    seed=st.integers(0, 2**16),
)
def test_the_phase_map_equals_the_request_by_request_map(n: int, period: float, ttl: float, seed: int) -> None:
    """The cycle-tiled map on phases gives the same fetches as walking every request of a three-day window."""
    rng = np.random.default_rng(seed)
    stream = Periodic(phases=np.sort(rng.uniform(0, period, n)), period=period, lo=0.0, hi=3 * 86400.0)
    explicit = _materialise(stream)
    walked = explicit[ttl_fetch_index(explicit, ttl)]
    mapped = ttl_fetches(stream, ttl).times
    assert len(mapped) == len(walked)
    assert np.allclose(mapped, walked, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 50), period=st.floats(1, 100), ttl=st.floats(0.5, 100), seed=st.integers(0, 999))
def test_invariants(n: int, period: float, ttl: float, seed: int) -> None:
    """Origin requests never exceed client requests, never fall below one per TTL-and-period, hit ratios in [0,1]."""
    r = run(Clients(count=n, every=period), [CdnLayer(ttl=ttl)], month_s=7 * 86400.0, seed=seed)
    assert 0 <= r.origin_requests <= r.client_requests
    assert r.origin_requests >= 7 * 86400.0 / (ttl + period) - 1
    assert all(0 <= layer.hit_ratio <= 1 for layer in r.layers)
