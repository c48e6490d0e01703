"""compare, diff and the percentile gates on plans whose usage is a range, evaluated by the Monte Carlo engine.

Arithmetic on the in-memory toy queue ($0.50 per million operations beyond 2M free a month): with operations
uniform on 4M–40M every sample is past the free 2M, so the cost is linear, (ops - 2M) × $0.50 / 1M, uniform on
$1–$19: p5 = 1 + 0.05 × 18 = $1.90, p50 = $10.00, p95 = $18.10; the median input 22M costs $10.00. With 2,000
samples a tail percentile's standard error is sqrt(0.95 × 0.05 / 2000) × $18 = $0.09; tolerances are 4 of them.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.catalog.lookup import Catalog
from infrafit.cli import app
from infrafit.decisions import compare, diff
from infrafit.decisions.gates import check_gates
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.plan.loader import load_plan
from tests.catalog.test_in_memory import toy_provider
from tests.decisions.ranged import PLAN


def toy(name: str, operations: str, samples: int = 2000, seed: int = 0) -> Result:
    catalog = Catalog.from_data({"toy": toy_provider()})
    plan = load_plan(f"{name}.yaml", text=PLAN.format(name=name, operations=operations))
    return evaluate(plan, catalog, samples=samples, seed=seed)


def test_a_uniform_range_against_a_flat_plan() -> None:
    ranged, flat = toy("ranged", "4M-40M/month"), toy("flat", "14M/month")  # flat: 12M billable = $6.00
    d = ranged.cost_distribution
    assert d is not None and flat.cost_distribution is None
    assert (d.p5, d.p50, d.p95) == (
        pytest.approx(1.9, abs=0.36),
        pytest.approx(10.0, abs=0.5),
        pytest.approx(18.1, abs=0.36),
    )
    cmp = compare([ranged, flat])
    # P(ranged cheapest) = P(cost < $6) = (6 - 1) / 18 = 0.278; n = 2,000: standard error 0.010, ±0.04 is 4 of them.
    assert cmp.plans[0].cheapest_probability == pytest.approx(5 / 18, abs=0.04)
    assert cmp.cheapest_fitting == "flat"  # p50 $6.00 < about $10.00
    assert cmp.probability_note is None


def test_common_draws_compare_month_for_month() -> None:
    # The same range shifted up by 2M operations costs $1.00 more in every sample when the draws are common:
    # the first plan is the cheaper one in every sampled month, P = 1 exactly (independent draws would give ~0.53).
    cmp = compare([toy("low", "4M-40M/month"), toy("high", "6M-42M/month")])
    assert [p.cheapest_probability for p in cmp.plans] == [1.0, 0.0]


def test_different_sample_counts_are_said() -> None:
    cmp = compare([toy("a", "4M-40M/month", samples=500), toy("b", "4M-40M/month", samples=1000)])
    assert cmp.probability_note is not None and "sample counts differ (500, 1,000)" in cmp.probability_note


def test_diff_and_gates_at_a_percentile() -> None:
    before, after = toy("shop", "14M/month"), toy("shop", "4M-40M/month")
    d = diff(before, after)
    # Δp50 ≈ 10 - 6 = +$4.00, Δp95 ≈ 18.10 - 6 = +$12.10; the point total: $10.00 - $6.00 = +$4.00.
    assert d.delta_p50 == pytest.approx(4.0, abs=0.5) and d.delta_p95 == pytest.approx(12.1, abs=0.36)
    assert check_gates([after], max_cost=Decimal(15)) == []  # point: $10.00
    (reason,) = check_gates([after], max_cost=Decimal(15), at=95)
    assert re.fullmatch(r"shop: p95 \$1[78]\.\d\d/month is above --max-cost \$15\.00", reason), reason


SQS = """name: {name}
budget: 5USD
resources:
  q: {{service: aws.sqs, usage: {{requests: {requests}}}}}
"""


def test_cli_end_to_end(tmp_path: Path) -> None:
    # SQS (packaged catalog): $0.40 per million requests beyond 1M free a month. 2M–20M uniform: the cost is
    # uniform on $0.40–$7.60 (p95 = 0.40 + 0.95 × 7.20 = $7.24; point, at the median 11M: $4.00); 9M flat: $3.20.
    ranged, flat = tmp_path / "ranged.yaml", tmp_path / "flat.yaml"
    ranged.write_text(SQS.format(name="ranged", requests="2M-20M/month"))
    flat.write_text(SQS.format(name="flat", requests="9M/month"))
    runner = CliRunner()
    out = runner.invoke(app, ["compare", str(ranged), str(flat), "-f", "json"])
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["ranked_by"] == "p50" and data["cheapest_fitting"] == "flat"
    # P(ranged cheapest) = P(requests < 9M) = 7/18 = 0.389.
    assert data["plans"][0]["cheapest_probability"] == pytest.approx(7 / 18, abs=0.04)
    assert data["plans"][0]["cost_distribution"]["p95"] == pytest.approx(7.24, abs=0.2)
    # The gate at the point total passes ($4.00 < $6), at p95 it fails and says so.
    assert runner.invoke(app, ["check", str(ranged), "--max-cost", "6USD"]).exit_code == 0
    fail = runner.invoke(app, ["check", str(ranged), "--max-cost", "6USD", "--at", "p95"])
    assert fail.exit_code == 1 and "fail: ranged: p95 $7." in fail.stderr
    out = runner.invoke(app, ["diff", str(flat), str(ranged), "-f", "json", "--max-increase", "100%", "--at", "p95"])
    # p95 grows from $3.20 to about $7.24: +126%, more than 100%.
    assert out.exit_code == 1 and "p95 monthly cost grows by 12" in out.stderr
    assert json.loads(out.stdout)["delta_p95"] == pytest.approx(4.04, abs=0.2)


def test_compare_and_diff_take_samples_and_seed(tmp_path: Path) -> None:
    ranged, flat = tmp_path / "ranged.yaml", tmp_path / "flat.yaml"
    ranged.write_text(SQS.format(name="ranged", requests="2M-20M/month"))
    flat.write_text(SQS.format(name="flat", requests="9M/month"))
    runner = CliRunner()
    args = ["-f", "json", "--samples", "300", "--seed", "7"]
    data = json.loads(runner.invoke(app, ["compare", str(ranged), str(flat), *args]).stdout)
    assert (data["plans"][0]["cost_distribution"]["samples"], data["plans"][0]["cost_distribution"]["seed"]) == (300, 7)
    again = json.loads(runner.invoke(app, ["compare", str(ranged), str(flat), *args]).stdout)
    assert again == data  # same seed, same answer
    data = json.loads(runner.invoke(app, ["diff", str(flat), str(ranged), *args]).stdout)
    assert data["after"]["cost_distribution"]["samples"] == 300
    # --samples 0 prices the medians only: no ranges, and the reports keep their shape without them.
    data = json.loads(runner.invoke(app, ["compare", str(ranged), str(flat), "-f", "json", "--samples", "0"]).stdout)
    assert "ranked_by" not in data and data["cheapest_fitting"] == "flat"  # point: $4.00 against $3.20
