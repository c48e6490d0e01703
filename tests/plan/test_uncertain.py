"""Uncertain values in a plan: every form, every place a quantity goes, medians in the fields, located errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infrafit.errors import InputError
from infrafit.plan.loader import load_plan
from infrafit.plan.uncertain import uncertain_inputs, with_values
from infrafit.units import Rate

BASE = """
name: ranges
resources:
  api:
    service: gcp.cloud_run
    count: {count}
    usage:
      requests: {requests}
      duration: 200ms
  vm:
    service: gcp.compute_engine
    type: e2-micro
    usage: {{uptime: 70%-90%}}
"""


def plan(requests: str = "2M-5M/month", count: str = "1") -> str:
    return BASE.format(requests=requests, count=count)


@pytest.mark.parametrize(
    ("written", "median", "p5", "p95"),
    [
        # uniform 2M..5M: median 3.5M, p5 = 2M + 0.05 × 3M, p95 = 2M + 0.95 × 3M
        ("2M-5M/month", 3_500_000, 2_150_000, 4_850_000),
        ("2-5M/month", 3_500_000, 2_150_000, 4_850_000),
        ("{lognormal: {median: 3M/month, p95: 8M/month}}", 3_000_000, 3e6 * 3e6 / 8e6, 8_000_000),
        # triangular 1..2..5: F(2) = 1/4; p50 = 5 - sqrt(0.5 × 4 × 3) = 2.5505
        ("{triangular: {low: 1M/month, mode: 2M/month, high: 5M/month}}", 5e6 - (0.5 * 4 * 3) ** 0.5 * 1e6, None, None),
        ('{choice: {"1M/month": 70%, "5M/month": 30%}}', 1_000_000, 1_000_000, 5_000_000),
    ],
)
def test_every_form_is_read_with_its_median_in_the_field(
    written: str, median: float, p5: float | None, p95: float | None
) -> None:
    p = load_plan("r.yaml", text=plan(written))
    (api_requests,) = [u for path, u in uncertain_inputs(p).items() if path[-1] == "requests"]
    requests = p.resources["api"].usage["requests"]
    assert isinstance(requests, Rate) and requests.period == "month"
    assert float(requests.amount) == pytest.approx(median)
    if p5 is not None:
        assert api_requests.quantile(0.05) == pytest.approx(p5)
    if p95 is not None:
        assert api_requests.quantile(0.95) == pytest.approx(p95)


def test_ranges_in_count_uptime_items_and_clients() -> None:
    text = (
        plan(count="1-3")
        + """
jobs:
  batch: {items: 2000-3000, runs_on: api, duration: 1s}
"""
    )
    p = load_plan("r.yaml", text=text)
    found = uncertain_inputs(p)
    assert list(found) == [
        ("resources", "api", "count"),
        ("resources", "api", "usage", "requests"),
        ("resources", "vm", "usage", "uptime"),
        ("jobs", "batch", "items"),
    ]
    assert p.resources["api"].count == 2 and p.jobs["batch"].items == 2500
    assert p.resources["vm"].usage["uptime"] == Decimal("0.8")
    # whole numbers: each of 1, 2, 3 equally likely once rounded
    assert found[("resources", "api", "count")].quantile(0.05) == 1


def test_with_values_sets_each_input_and_leaves_the_plan_alone() -> None:
    p = load_plan("r.yaml", text=plan(count="1-3"))
    q = with_values(p, {("resources", "api", "count"): 3, ("resources", "vm", "usage", "uptime"): Decimal("0.75")})
    assert (q.resources["api"].count, q.resources["vm"].usage["uptime"]) == (3, Decimal("0.75"))
    assert (p.resources["api"].count, p.resources["vm"].usage["uptime"]) == (2, Decimal("0.8"))
    assert q.resources["api"].usage["requests"] == p.resources["api"].usage["requests"]


@pytest.mark.parametrize(
    ("requests", "message"),
    [
        ("5M-2M/month", "low above high"),
        ("{lognormal: {median: 3M/month}}", "lognormal needs median and p95"),
        ("2M/day-5M/month", "unit mismatch"),
        ("2M-5GB", "is not a rate"),
        ('{choice: {"1M/month": 70%, "5M/month": 20%}}', "weights sum to 90%, not 100%"),
        ("{triangular: {low: 1M/month, mode: 9M/month, high: 5M/month}}", "low <= mode <= high"),
    ],
)
def test_unreadable_ranges_are_located_with_the_forms(requests: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        load_plan("r.yaml", text=plan(requests))
    (problem,) = err.value.problems
    assert message in str(problem.message)
    assert "an uncertain value is a range such as 2M-5M/month" in problem.message
    assert (problem.line, problem.column) == (8, 7)  # the `requests:` key


def test_a_count_range_outside_its_bounds_is_refused_at_its_key() -> None:
    with pytest.raises(InputError) as err:
        load_plan("r.yaml", text=plan(count="1-2000000"))
    (problem,) = err.value.problems
    assert "count is a whole number" in problem.message and problem.line == 6


def test_an_uptime_range_above_100_percent_is_refused() -> None:
    with pytest.raises(InputError) as err:
        load_plan("r.yaml", text=plan().replace("70%-90%", "70%-120%"))
    assert "uptime is at most 100%" in err.value.problems[0].message


def test_a_plan_without_ranges_is_read_and_priced_without_numpy() -> None:
    """Supporting ranges costs a plan without them no start-up time: NumPy comes with the first range."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom infrafit.plan.loader import load_plan\n"
        "from infrafit.engine.evaluate import evaluate\n"
        "evaluate(load_plan('r.yaml', text='name: a\\nresources:\\n  q: {service: aws.sqs, usage: {messages: 1M/month}}\\n'))\n"
        "print('numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_plan_schema_takes_ranges_where_the_plan_does() -> None:
    import json

    import jsonschema
    import yaml

    from infrafit.plan.schema import plan_json_schema

    schema = json.loads(plan_json_schema())
    for count in ("2", "1-3", "{choice: {1: 50%, 3: 50%}}", "{triangular: {low: 1, mode: 2, high: 5}}"):
        text = f"name: a\nresources:\n  x: {{service: aws.sqs, count: {count}}}\n"
        jsonschema.validate(yaml.safe_load(text), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load("name: a\nresources:\n  x: {service: aws.sqs, count: {normal: 3}}\n"), schema)
