"""Cost ranges against closed forms, on an in-memory catalog: a linear price over a uniform range gives a uniform
cost, a free allowance at the range's midpoint is exceeded half the time, percentiles converge like 1/sqrt(n)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from infrafit.catalog.lookup import Catalog
from infrafit.engine.evaluate import evaluate
from infrafit.plan.loader import load_plan

SOURCE = {"source": "https://example.com/pricing", "as_of": "2026-01-15"}


def toy(free: int = 0) -> Catalog:
    """A queue at $0.50 per million operations, with ``free`` operations free a month."""
    service: dict[str, Any] = {
        "name": "Toy Queue",
        "category": "requests",
        "usage": ["operations"],
        "meters": {
            "operations": {
                "label": "Queue operations",
                "unit": "operation",
                "category": "requests",
                "from_usage": "operations",
                "price": {"usd": "0.50", "per": 1_000_000, **SOURCE},
            }
        },
        "free": [{"pool": "toy.queue.ops", "meters": ["operations"], "amount": free, "unit": "operation", **SOURCE}],
    }
    return Catalog.from_data(
        {"toy": {"provider": "toy", "name": "Toy", "as_of": "2026-01-15", "services": {"queue": service}}}
    )


def plan(operations: str, budget: str = "") -> str:
    return f"name: toy\n{budget}resources:\n  q:\n    service: toy.queue\n    usage: {{operations: {operations}}}\n"


@pytest.fixture(autouse=True)
def _no_packaged_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFRAFIT_CATALOG_DIR", str(tmp_path))


def test_a_linear_price_over_a_uniform_range_gives_a_uniform_cost() -> None:
    n = 20_000
    result = evaluate(load_plan("t.yaml", text=plan("2M-6M/month")), toy(), samples=n, seed=1)
    d = result.cost_distribution
    assert d is not None and d.samples == n
    # cost = ops × $0.50/1M, ops ~ U(2M, 6M) -> cost ~ U($1, $3): p5 = 1 + 2 × .05 = 1.10, p50 2.00, p95 2.90,
    # mean 2.00. Standard error of a p-quantile: sqrt(p(1-p)/n) / density = sqrt(.0475/2e4) / 0.5 = 0.0031 (p5, p95),
    # 0.0071 (p50); of the mean: (2/sqrt(12))/sqrt(n) = 0.0041. Bound: 5 standard errors.
    assert d.p5 == pytest.approx(1.10, abs=0.016)
    assert d.p50 == pytest.approx(2.00, abs=0.036)
    assert d.p95 == pytest.approx(2.90, abs=0.016)
    assert d.mean == pytest.approx(2.00, abs=0.021)
    # the headline is the plan at its median: 4M × $0.50/1M = $2.00
    assert float(result.total_monthly_cost) == 2.00
    (row,) = d.sensitivity
    # p5/p95 of the input: 2.2M and 5.8M operations -> $1.10 and $2.90
    assert (row.cost_at_low, row.cost_at_high) == (pytest.approx(1.10), pytest.approx(2.90))
    assert (row.low_text, row.high_text) == ("2.2M/month", "5.8M/month")


def test_a_free_allowance_at_the_range_midpoint_is_exceeded_half_the_time() -> None:
    n = 20_000
    d = evaluate(
        load_plan("t.yaml", text=plan("1M-3M/month", "budget: 0 USD\n")), toy(free=2_000_000), samples=n
    ).cost_distribution
    assert d is not None
    # P(ops > 2M) for ops ~ U(1M, 3M) = 1/2; standard error sqrt(.25/n) = 0.0035, bound 5 of them
    assert d.pool_inside_probability["toy.queue.ops"] == pytest.approx(0.5, abs=0.018)
    assert d.budget_exceeded_probability == pytest.approx(0.5, abs=0.018)
    assert d.finding_probability["budget_exceeded"] == d.budget_exceeded_probability
    # below the allowance nothing is paid: the cost's p5 is $0; at p95 ops = 2.9M, 0.9M billed = $0.45
    assert d.p5 == 0 and d.p95 == pytest.approx(0.45, abs=0.01)


def test_percentiles_converge_as_samples_grow() -> None:
    catalog = toy()
    loaded = load_plan("t.yaml", text=plan("2M-6M/month"))

    def error(n: int) -> float:
        """Mean absolute error of p50 (exact $2.00) over 12 seeds."""
        got = [evaluate(loaded, catalog, samples=n, seed=s).cost_distribution for s in range(12)]
        return float(np.mean([abs(d.p50 - 2.0) for d in got if d is not None]))

    # 16× the samples: error / sqrt(16) = / 4 expected; allow for the noise of 12 seeds (> / 2)
    assert error(8_000) < error(500) / 2


def test_the_same_seed_draws_the_same_month() -> None:
    loaded, catalog = load_plan("t.yaml", text=plan("{lognormal: {median: 3M/month, p95: 8M/month}}")), toy(1_000_000)
    a = evaluate(loaded, catalog, samples=500, seed=7).cost_distribution
    b = evaluate(loaded, catalog, samples=500, seed=7).cost_distribution
    c = evaluate(loaded, catalog, samples=500, seed=8).cost_distribution
    assert a is not None and b is not None and c is not None
    assert np.array_equal(a.totals, b.totals) and not np.array_equal(a.totals, c.totals)


def test_a_plan_without_ranges_has_no_distribution_and_samples_0_turns_it_off() -> None:
    assert evaluate(load_plan("t.yaml", text=plan("3M/month")), toy()).cost_distribution is None
    assert evaluate(load_plan("t.yaml", text=plan("2M-6M/month")), toy(), samples=0).cost_distribution is None


def test_lognormal_usage_gives_a_lognormal_cost() -> None:
    # a linear price keeps the shape: cost median = 3M × $0.5/1M = $1.50, p95 = 8M × $0.5/1M = $4.00
    d = evaluate(
        load_plan("t.yaml", text=plan("{lognormal: {median: 3M/month, p95: 8M/month}}")), toy(), samples=40_000
    ).cost_distribution
    assert d is not None
    assert d.p50 == pytest.approx(1.50, rel=0.02) and d.p95 == pytest.approx(4.00, rel=0.03)


def test_a_range_of_job_items_reruns_the_section_and_its_percentiles_follow_the_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One input that only raises the cost: the cost's p5 and p95 are the cost at the input's p5 and p95. The
    jobs section is re-run over the range and its lines interpolated between runs, so this holds to sampling
    error: p5 of 2,000 draws of U(2000, 3000) items is within ~5 items (0.0049 × 1,000), at ~$0.004 an item."""
    monkeypatch.delenv("INFRAFIT_CATALOG_DIR")  # the packaged catalog: seed 004's batch on AWS
    text = Path("examples/seed004-aws.yaml").read_text().replace("items: 2376", "items: 2000-3000")
    d = evaluate(load_plan("s.yaml", text=text), samples=2000).cost_distribution
    assert d is not None
    (row,) = d.sensitivity
    assert row.input == "jobs.analyze.items" and (row.low_text, row.high_text) == ("2,050", "2,950")
    assert d.p5 == pytest.approx(row.cost_at_low, abs=0.10)
    assert d.p95 == pytest.approx(row.cost_at_high, abs=0.10)
    assert row.cost_at_high > row.cost_at_low


def test_a_drawn_value_the_plan_cannot_take_is_a_located_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from infrafit.errors import InputError

    monkeypatch.delenv("INFRAFIT_CATALOG_DIR")
    text = "name: h\nmonth: 2026-02\nresources:\n  vm:\n    service: gcp.compute_engine\n    type: e2-small\n"
    text += "    usage: {hours: 600-700}\n"
    # the median, 650 h, fits February's 672 h; draws above 672 h do not
    with pytest.raises(InputError) as err:
        evaluate(load_plan("h.yaml", text=text), samples=200)
    (problem,) = err.value.problems
    assert "more than the month's 672" in problem.message and problem.line == 7


def test_a_range_of_traffic_clients_reruns_the_traffic_section(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFRAFIT_CATALOG_DIR")
    text = Path("examples/seed002-dashboard-cache.yaml").read_text()
    assert "    clients: 100 " in text
    result = evaluate(load_plan("s.yaml", text=text.replace("    clients: 100 ", "    clients: 50-150 ")), samples=300)
    d = result.cost_distribution
    assert d is not None and [r.input for r in d.sensitivity] == ["traffic.dashboard.clients"]
    # the free plans refuse usage beyond their caps: every draw is $0 and hits the Redis command cap
    assert d.p5 == d.p95 == 0 and d.finding_probability["limit_exceeded"] == 1.0


def test_a_platform_limit_fires_in_the_share_of_draws_that_cross_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lambda runs at most 15 minutes (the packaged catalog's limit): with durations uniform over 10-20 min, half
    the draws cross it. Line checks run on 64 of the draws: standard error sqrt(.25/64) = 0.0625, bound 3 of them."""
    monkeypatch.delenv("INFRAFIT_CATALOG_DIR")
    text = "name: l\nresources:\n  fn:\n    service: aws.lambda\n    memory: 1024MB\n"
    text += "    usage: {requests: 1000/month, duration: 10min-20min}\n"
    d = evaluate(load_plan("l.yaml", text=text), samples=2000).cost_distribution
    assert d is not None
    assert d.finding_probability["limit_exceeded"] == pytest.approx(0.5, abs=0.19)

