from __future__ import annotations

from decimal import Decimal

import pytest

from infrafit.decisions import CATEGORIES, compare
from infrafit.engine.result import Result
from tests.decisions.conftest import ec2, run

QUOTA = {"aws.ec2.standard_vcpu": 2}


def options() -> list[Result]:
    # A: one t3.medium = 730 h × $0.0416 = $30.368; 2 vCPU <= quota 2 -> fits.
    a = run({"name": "medium", "quotas": QUOTA, "resources": {"vm": ec2("t3.medium")}})
    # B: two t3.micro = 2 × 730 × $0.0104 = $15.184; 4 vCPU > quota 2 -> quota_exceeded, does not fit.
    b = run({"name": "two-micro", "quotas": QUOTA, "resources": {"vm": ec2("t3.micro", 2)}})
    # C: one t3.small = 730 × $0.0208 = $15.184, plus SQS 3M requests: (3M - 1M free) × $0.40/M = $0.80.
    #    Total $15.984; fits.
    c = run(
        {
            "name": "small-and-queue",
            "quotas": QUOTA,
            "resources": {"vm": ec2("t3.small"), "queue": {"service": "aws.sqs", "usage": {"requests": "3M/month"}}},
        }
    )
    return [a, b, c]


def test_cheapest_fitting_skips_a_cheaper_plan_that_does_not_fit() -> None:
    a, b, c = options()
    assert a.total_monthly_cost == Decimal("30.368")
    assert b.total_monthly_cost == Decimal("15.184")
    assert c.total_monthly_cost == Decimal("15.984")
    result = compare([a, b, c])
    assert result.cheapest_fitting == "small-and-queue"
    assert result.cheapest_index == 2
    assert [p.fits for p in result.plans] == [True, False, True]
    assert [len(p.errors) for p in result.plans] == [0, 1, 0]
    assert result.plans[1].errors[0].code == "quota_exceeded"
    assert [p.limit_findings[0].code for p in result.plans[1:2]] == ["quota_exceeded"]
    # Against the cheapest that fits ($15.984): +$14.384, -$0.80, 0.
    assert [p.delta_vs_cheapest for p in result.plans] == [Decimal("14.384"), Decimal("-0.800"), Decimal(0)]
    assert result.plans[0].total_yearly_cost == Decimal("364.416")  # 30.368 × 12


def test_cost_by_category_lists_every_category() -> None:
    result = compare(options())
    c = result.plans[2]
    assert list(c.cost_by_category)[: len(CATEGORIES)] == list(CATEGORIES)
    assert c.cost_by_category["compute"] == Decimal("15.184")
    assert c.cost_by_category["requests"] == Decimal("0.80")
    assert c.cost_by_category["storage"] == 0
    assert result.categories == ["compute", "requests"]
    assert [u.pool for u in c.free_tier] == ["aws.sqs.requests"]


def test_ties_go_to_the_plan_given_first() -> None:
    one = run({"name": "first", "resources": {"vm": ec2("t3.small")}})
    two = run({"name": "second", "resources": {"vm": ec2("t3.micro", 2)}})  # 2 × $7.592 = $15.184, as t3.small
    assert one.total_monthly_cost == two.total_monthly_cost
    assert compare([one, two]).cheapest_fitting == "first"
    assert compare([two, one]).cheapest_fitting == "second"


def test_no_plan_fits() -> None:
    _, b, _ = options()
    result = compare([b, b])
    assert result.cheapest_fitting is None and result.cheapest is None
    assert all(p.delta_vs_cheapest is None for p in result.plans)


def test_repeated_names_get_unique_labels() -> None:
    a, _, _ = options()
    result = compare([a, a])
    assert [p.plan for p in result.plans] == ["medium", "medium"]
    assert [p.label for p in result.plans] == ["medium #1", "medium #2"]
    assert result.cheapest_fitting == "medium" and result.cheapest_index == 0


def test_compare_needs_a_plan() -> None:
    with pytest.raises(ValueError):
        compare([])
