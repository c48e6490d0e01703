"""CI gates as library functions, on the evaluated example plans, without a command line.

Costs worked out by hand (us-east-1, on-demand Linux, 730-hour month; every t3 size up to t3.large has 2 vCPUs):
- seed003-after: t3.large $0.0832/h = $60.736; 4 × t3.micro $0.0104/h = $30.368; 2 × t3.small (api-small) and
  2 × t3.small (workers) $0.0208/h = $30.368 each; rabbitmq and redis t3.small $15.184 each; postgresql and
  monitoring t3.medium $0.0416/h = $30.368 each: $242.944. 13 nodes = 26 vCPU > quota 16: one error finding.
- seed003-before: the same but workers 2 × t3.medium ($60.736) and monitoring t3.large ($60.736): $303.68;
  also 26 vCPU: one error. After -> before grows by $60.736, exactly 25% of $242.944.
- seed001: a $2,400 desktop over 36 months ($66.67) + 33.7 kWh at the KEPCO marginal tier ($6.19) + Gemini 2.5 Pro
  through an API key (30M × $1.25 + 3M × $10 per 1M = $67.50): $140.36 a month, no error.
- seed000: every line inside a free pool: $0.00, fits.
- seed004-cloudflare: each video needs 700 MB, a Worker isolate has 128 MB: the job cannot run.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from infrafit.decisions.changes import diff
from infrafit.decisions.comparison import compare
from infrafit.decisions.gates import (
    Increase,
    check_gates,
    compare_gates,
    diff_gates,
    parse_max_cost,
    parse_max_increase,
    simulate_gates,
)
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.plan.loader import load_plan


@cache
def example(stem: str) -> Result:
    return evaluate(load_plan(f"examples/{stem}.yaml"), replications=5)


AFTER, BEFORE = "seed003-after", "seed003-before"


def test_parse_max_cost() -> None:
    assert parse_max_cost(None) is None
    assert parse_max_cost("50USD") == parse_max_cost("50 USD") == parse_max_cost("50") == Decimal(50)
    assert parse_max_cost("12.5USD") == Decimal("12.5")
    with pytest.raises(ValueError):
        parse_max_cost("lots")


def test_parse_max_increase() -> None:
    assert parse_max_increase(None) is None
    assert parse_max_increase("10%") == Increase(kind="percent", amount=Decimal(10))
    assert parse_max_increase(" 2.5% ") == Increase(kind="percent", amount=Decimal("2.5"))
    for text in ("5USD", "5 USD", "$5", "5"):
        assert parse_max_increase(text) == Increase(kind="money", amount=Decimal(5)), text
    with pytest.raises(ValueError, match="give a percentage such as 10% or an amount such as 5USD"):
        parse_max_increase("a lot")


def test_check_gates_errors_and_ceiling() -> None:
    assert check_gates([example(AFTER)], fail_on_error=True, max_cost=None) == ["seed003-after: 1 error finding(s)"]
    assert check_gates([example(AFTER)], fail_on_error=False, max_cost=None) == []
    # seed000 costs $0 but its design has an error (the monitor runs on the stopped standby)
    assert check_gates([example("seed000-hybrid-free-tier")], fail_on_error=False, max_cost=Decimal(0)) == []
    seed001 = example("seed001-leaving-the-cloud")
    assert check_gates([seed001], fail_on_error=True, max_cost=Decimal(50)) == [
        "seed001-leaving-the-cloud: $140.36/month is above --max-cost $50.00"
    ]
    assert check_gates([seed001], fail_on_error=True, max_cost=Decimal(150)) == []
    # Every plan is gated, in order; $303.68 is above $250, $242.94 is not.
    assert check_gates([example(BEFORE), example(AFTER)], fail_on_error=True, max_cost=Decimal(250)) == [
        "seed003-before: 1 error finding(s)",
        "seed003-before: $303.68/month is above --max-cost $250.00",
        "seed003-after: 1 error finding(s)",
    ]


def test_compare_gates() -> None:
    neither_fits = compare([example(BEFORE), example(AFTER)])
    assert compare_gates(neither_fits, fail_on_error=True, max_cost=Decimal(250)) == [
        "no plan fits: seed003-before: 1 error(s); seed003-after: 1 error(s)",
        "seed003-before: $303.68/month is above --max-cost $250.00",
    ]
    assert compare_gates(neither_fits, fail_on_error=False, max_cost=None) == []
    # One plan fits (seed001, $140.36): no "no plan fits"; a ceiling still applies to every plan.
    one_fits = compare([example(AFTER), example("seed001-leaving-the-cloud")])
    assert compare_gates(one_fits, fail_on_error=True, max_cost=None) == []
    assert compare_gates(one_fits, fail_on_error=True, max_cost=Decimal(60)) == [
        "seed003-after: $242.94/month is above --max-cost $60.00",
        "seed001-leaving-the-cloud: $140.36/month is above --max-cost $60.00",
    ]


def test_diff_gates_count_the_plan_after_only() -> None:
    cut = diff(example(BEFORE), example(AFTER))  # -$60.736
    assert diff_gates(cut, fail_on_error=True, max_cost=None, max_increase=None) == [
        "seed003-after (after): 1 error finding(s)"
    ]
    assert diff_gates(cut, fail_on_error=False, max_cost=Decimal(250), max_increase=None) == []
    assert diff_gates(cut, fail_on_error=False, max_cost=Decimal(200), max_increase=None) == [
        "seed003-after (after): $242.94/month is above --max-cost $200.00"
    ]
    # A decrease passes any increase limit.
    assert (
        diff_gates(cut, fail_on_error=False, max_cost=None, max_increase=Increase(kind="percent", amount=Decimal(0)))
        == []
    )
    fixed = diff(example(AFTER), example("seed001-leaving-the-cloud"))
    assert diff_gates(fixed, fail_on_error=True, max_cost=None, max_increase=None) == []


def test_diff_gates_max_increase() -> None:
    grow = diff(example(AFTER), example(BEFORE))  # +$60.736, +25%

    def gate(increase: Increase) -> list[str]:
        return diff_gates(grow, fail_on_error=False, max_cost=None, max_increase=increase)

    assert gate(Increase(kind="percent", amount=Decimal(10))) == [
        "monthly cost grows by 25.0% (+$60.74), more than --max-increase 10%"
    ]
    assert gate(Increase(kind="percent", amount=Decimal("12.50"))) == [
        "monthly cost grows by 25.0% (+$60.74), more than --max-increase 12.5%"
    ]
    assert gate(Increase(kind="percent", amount=Decimal(25))) == []  # exactly at the limit passes
    assert gate(Increase(kind="money", amount=Decimal(5))) == [
        "monthly cost grows by $60.74, more than --max-increase $5.00"
    ]
    # The unrounded delta counts: $60.736 is above $60.73 and below $60.74.
    assert gate(Increase(kind="money", amount=Decimal("60.73"))) != []
    assert gate(Increase(kind="money", amount=Decimal("60.74"))) == []


def test_diff_gates_growth_from_nothing_fails_a_percentage() -> None:
    grow = diff(example("seed000-hybrid-free-tier"), example("seed001-leaving-the-cloud"))  # $0 -> $140.36
    assert diff_gates(
        grow, fail_on_error=True, max_cost=None, max_increase=Increase(kind="percent", amount=Decimal(1000))
    ) == ["monthly cost grows from $0.00 (+$140.36), more than --max-increase 1000%"]


def test_simulate_gates_name_the_jobs_that_cannot_run() -> None:
    assert simulate_gates([example("seed004-cloudflare"), example("seed004-gcp")]) == [
        "seed004-cloudflare: job analyze cannot run"
    ]
    assert simulate_gates([example("seed004-gcp"), example(AFTER)]) == []  # a plan without jobs passes
