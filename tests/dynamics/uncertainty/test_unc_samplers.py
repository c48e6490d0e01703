"""The four shapes of a guess: quantiles in closed form, samples that agree with them, reproducible draws."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrafit.dynamics.uncertainty import Choice, LogNormal, Triangular, Uniform


def test_uniform_quantiles_are_linear() -> None:
    u = Uniform(a=2.0, b=6.0)
    # q-quantile of U(2, 6) = 2 + 4q: p5 2.2, p50 4, p95 5.8
    assert (u.quantile(0.05), u.quantile(0.5), u.quantile(0.95)) == pytest.approx((2.2, 4.0, 5.8))


def test_lognormal_median_and_p95_are_recovered_from_samples() -> None:
    d = LogNormal(median=3e6, p95=8e6)
    x = d.sample(np.random.default_rng(1), 200_000)
    # the sample median's standard error is ~ sigma*median*sqrt(pi/2n) = 0.596*3e6*0.0028 = 5e3 (0.17%)
    assert np.median(x) == pytest.approx(3e6, rel=0.01)
    assert np.percentile(x, 95) == pytest.approx(8e6, rel=0.02)
    assert d.quantile(0.5) == pytest.approx(3e6) and d.quantile(0.95) == pytest.approx(8e6)


def test_triangular_quantiles_match_the_closed_form() -> None:
    t = Triangular(a=0.0, mode=0.0, c=1.0)
    # right triangle on [0, 1] with its peak at 0: F(x) = 1 - (1 - x)^2, so q = 1 - sqrt(1 - p); p50 = 1 - sqrt(.5)
    assert t.quantile(0.5) == pytest.approx(1 - math.sqrt(0.5))
    x = t.sample(np.random.default_rng(2), 100_000)
    assert np.median(x) == pytest.approx(1 - math.sqrt(0.5), abs=0.01)


def test_choice_draws_each_scenario_in_proportion() -> None:
    c = Choice(values=(1e6, 5e6), weights=(0.7, 0.3))
    x = c.sample(np.random.default_rng(3), 100_000)
    # share of 5M: 0.3 ± 5 standard errors (sqrt(.21/1e5) = 0.00145)
    assert (x == 5e6).mean() == pytest.approx(0.3, abs=0.0075)
    assert c.quantile(0.5) == 1e6 and c.quantile(0.95) == 5e6


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        Uniform(a=3, b=2)
    with pytest.raises(ValueError):
        LogNormal(median=5, p95=2)
    with pytest.raises(ValueError):
        Choice(values=(1, 2), weights=(0.5, 0.4))


@given(st.floats(0, 1e9), st.floats(0, 1e9), st.integers(0, 2**32 - 1))
def test_uniform_samples_stay_in_range_and_repeat_by_seed(a: float, width: float, seed: int) -> None:
    u = Uniform(a=a, b=a + width)
    x = u.sample(np.random.default_rng(seed), 50)
    assert np.all(x >= a) and np.all(x <= a + width)
    assert np.array_equal(x, u.sample(np.random.default_rng(seed), 50))
