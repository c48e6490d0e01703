"""Properties over many deterministic jobs (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.dynamics import BatchJob, Duration, Limiter, simulate

DUR = st.sampled_from([0.1, 1.0, 3.0, 240.0, 299.5])


def makespan(items: int, concurrency: int, d: float, limiters: tuple[Limiter, ...] = ()) -> float:
    job = BatchJob("p", items, Duration.fixed(d), concurrency, limiters)
    return simulate(job, replications=1).makespan_s_p50


@settings(max_examples=60, deadline=None)
@given(items=st.integers(0, 3000), concurrency=st.integers(1, 400), d=DUR)
def test_waves_formula(items: int, concurrency: int, d: float) -> None:
    assert makespan(items, concurrency, d) == pytest.approx(math.ceil(items / concurrency) * d, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(items=st.integers(0, 2000), more=st.integers(1, 500), concurrency=st.integers(1, 200), d=DUR)
def test_more_items_never_finish_sooner(items: int, more: int, concurrency: int, d: float) -> None:
    assert makespan(items + more, concurrency, d) >= makespan(items, concurrency, d)


@settings(max_examples=60, deadline=None)
@given(items=st.integers(0, 2000), concurrency=st.integers(1, 200), more=st.integers(1, 200), d=DUR)
def test_more_workers_never_finish_later(items: int, concurrency: int, more: int, d: float) -> None:
    assert makespan(items, concurrency + more, d) <= makespan(items, concurrency, d)


@settings(max_examples=40, deadline=None)
@given(
    items=st.integers(0, 600),
    more=st.integers(1, 200),
    concurrency=st.integers(1, 100),
    d=DUR,
    per_minute=st.integers(1, 100),
    per_hour=st.integers(100, 2000),
)
def test_more_items_never_finish_sooner_under_limits(
    items: int, more: int, concurrency: int, d: float, per_minute: int, per_hour: int
) -> None:
    # FIFO: appended items cannot change when the earlier ones start, so the last end only moves later.
    lim = (Limiter("api", per_minute=per_minute, per_hour=per_hour),)
    assert makespan(items + more, concurrency, d, lim) >= makespan(items, concurrency, d, lim)
