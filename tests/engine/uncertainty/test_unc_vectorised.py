"""The vectorised pricer agrees with the scalar Decimal pricer to the cent, sample by sample: on plans over the
packaged catalog (free pools, instance hours, tiers) and on random plans over an in-memory catalog with tiers, a
billing unit, a daily allowance and a hard cap."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infrafit.catalog.lookup import Catalog
from infrafit.engine.evaluate import evaluate
from infrafit.engine.uncertainty.montecarlo import draw
from infrafit.plan.loader import load_plan
from infrafit.plan.model import Plan
from infrafit.plan.uncertain import uncertain_inputs, with_values

ROOT = Path(__file__).resolve().parents[3]
SOURCE = {"source": "https://example.com/pricing", "as_of": "2026-01-15"}


def agree(plan: Plan, catalog: Catalog | None, samples: int, seed: int, every: int) -> None:
    """Price ``samples`` draws at once, then every ``every``-th draw alone with the scalar pricer."""
    d = evaluate(plan, catalog, samples=samples, seed=seed).cost_distribution
    assert d is not None
    inputs = uncertain_inputs(plan)
    values = draw(inputs, samples, seed)
    for i in range(0, samples, every):
        concrete = with_values(plan, {p: inputs[p].value(float(values[p][i])) for p in inputs})
        scalar = evaluate(concrete, catalog, samples=0).total_monthly_cost
        assert abs(float(scalar) - d.totals[i]) < 0.005, (i, scalar, d.totals[i])


def test_the_benchmark_plan_agrees_to_the_cent() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_ranges import plan_text

    agree(load_plan("b.yaml", text=plan_text(10)), None, 120, 5, 9)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "examples").glob("ranges-*.yaml")))
def test_the_examples_with_ranges_agree_to_the_cent(name: str) -> None:
    agree(load_plan(ROOT / "examples" / name), None, 60, 2, 11)


def test_a_ranged_count_on_a_model_priced_sample_by_sample_agrees_to_the_cent() -> None:
    """Cloud Run's compute is not multilinear in its copies, so each distinct count is priced on its own."""
    text = (
        "name: c\nresources:\n  web:\n    service: gcp.cloud_run\n    count: 1-5\n    cpu: 1\n    memory: 512MiB\n"
        "    usage: {requests: 3M/month, duration: 300ms}\n"
    )
    agree(load_plan("c.yaml", text=text), None, 40, 3, 4)


def rich() -> Catalog:
    """Storage billed in tiers (first 50 GB $0.10, then $0.05) and reads billed per started 10,000 with 5,000 free
    a day; a free plan's writes hard-capped at 1M a month."""
    services: dict[str, Any] = {
        "store": {
            "name": "Toy Store",
            "category": "storage",
            "usage": ["storage", "reads", "writes"],
            "meters": {
                "storage": {
                    "label": "Storage",
                    "unit": "GB-month",
                    "category": "storage",
                    "from_usage": "storage",
                    "price": {"tiers": [{"up_to": 50, "usd": "0.10"}, {"usd": "0.05"}], "per": 1, **SOURCE},
                },
                "reads": {
                    "label": "Reads",
                    "unit": "read",
                    "category": "requests",
                    "from_usage": "reads",
                    "billing_unit": 10_000,
                    "price": {"usd": "0.36", "per": 1_000_000, **SOURCE},
                },
                "writes": {
                    "label": "Writes",
                    "unit": "write",
                    "category": "requests",
                    "from_usage": "writes",
                    "price": {"usd": "1.00", "per": 1_000_000, **SOURCE},
                },
            },
            "free": [
                {"pool": "toy.reads", "meters": ["reads"], "amount": 5000, "unit": "read", "period": "day", **SOURCE},
                {
                    "pool": "toy.writes",
                    "meters": ["writes"],
                    "amount": 1_000_000,
                    "unit": "write",
                    "hard": True,
                    **SOURCE,
                },
            ],
        }
    }
    return Catalog.from_data({"toy": {"provider": "toy", "name": "Toy", "as_of": "2026-01-15", "services": services}})


ranges = st.tuples(st.integers(0, 400), st.integers(0, 400)).map(lambda t: (min(t), max(t)))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(storage=ranges, reads=ranges, writes=ranges, copies=st.integers(1, 3), seed=st.integers(0, 1000))
def test_random_plans_agree_to_the_cent(
    storage: tuple[int, int],
    reads: tuple[int, int],
    writes: tuple[int, int],
    copies: int,
    seed: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INFRAFIT_CATALOG_DIR", str(tmp_path))
    lines = ["name: toy", "resources:"]
    for i in range(copies):  # several resources climb the same tiers and draw the same pools, in plan order
        lines += [
            f"  s{i}:",
            "    service: toy.store",
            "    usage:",
            f"      storage: {storage[0]}GB-{storage[1]}GB",
            f"      reads: {{lognormal: {{median: {reads[0] + 1}K/day, p95: {reads[1] + 1}K/day}}}}",
            f"      writes: {{triangular: {{low: {writes[0]}K/month, mode: {writes[0]}K/month, high: {writes[1] * 10}K/month}}}}",
        ]
    agree(load_plan("t.yaml", text="\n".join(lines) + "\n"), rich(), 40, seed, 7)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "examples").glob("*.yaml")))
def test_every_example_priced_as_one_row_matches_its_report(name: str) -> None:
    """The vectorised pricer over each example's lines (the sections' lines included), one row at the medians:
    the same total as the scalar pricer, and the same use of every free pool."""
    import numpy as np

    from infrafit.engine.evaluate import evaluate_point
    from infrafit.engine.uncertainty.montecarlo import _Group, price_rows

    plan = load_plan(ROOT / "examples" / name)
    catalog = Catalog(plan.overrides)
    point, outcomes = evaluate_point(plan, catalog)
    rows = price_rows(plan, catalog, {}, {}, [_Group(rows=np.arange(1), outcomes=outcomes)], 1)
    assert abs(rows.priced.totals[0] - float(point.total_monthly_cost)) < 0.005
    for pool in point.free_tier:
        draw_ = rows.priced.pools[pool.pool]
        assert draw_.used[0] == pytest.approx(float(pool.used), rel=1e-9, abs=1e-9)
        assert draw_.allowance[0] == pytest.approx(float(pool.allowance))
