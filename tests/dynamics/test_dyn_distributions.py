"""Duration shapes: parameters mean what the docstring says."""

from __future__ import annotations

import math

import numpy as np
import pytest

from infrafit.dynamics import Duration


def test_lognormal_median_and_p95() -> None:
    d = Duration.lognormal(240, 300)
    x = d.sample(np.random.default_rng(0), 200_000)
    assert np.median(x) == pytest.approx(240, rel=0.01)
    assert np.quantile(x, 0.95) == pytest.approx(300, rel=0.01)
    # sigma = ln(300 / 240) / 1.6449 = 0.13566; mean = 240 * exp(sigma^2 / 2) = 242.22
    assert d.mean() == pytest.approx(240 * math.exp((math.log(1.25) / 1.6448536) ** 2 / 2))
    assert x.mean() == pytest.approx(d.mean(), rel=0.005)


@pytest.mark.parametrize(
    ("d", "mean"),
    [(Duration.fixed(7), 7.0), (Duration.uniform(180, 300), 240.0), (Duration.exponential(4), 4.0)],
)
def test_means(d: Duration, mean: float) -> None:
    assert d.mean() == mean
    assert d.sample(np.random.default_rng(1), 100_000).mean() == pytest.approx(mean, rel=0.01)


def test_uniform_bounds() -> None:
    x = Duration("uniform", 180, 300).sample(np.random.default_rng(2), 10_000)
    assert x.min() >= 180 and x.max() <= 300


@pytest.mark.parametrize(
    "args",
    [
        ("fixed", -1.0, None),
        ("uniform", 5.0, 1.0),
        ("uniform", 1.0, None),
        ("lognormal", 10.0, 5.0),
        ("lognormal", 0.0, 5.0),
        ("exponential", 0.0, None),
        ("gamma", 1.0, None),
        ("fixed", math.nan, None),
    ],
)
def test_invalid(args: tuple[str, float, float | None]) -> None:
    with pytest.raises(ValueError):
        Duration(*args)  # type: ignore[arg-type]
