from __future__ import annotations

from decimal import Decimal

from infrafit.decisions import diff
from infrafit.decisions.changes import percent
from infrafit.engine.result import Result
from tests.decisions.conftest import ec2, run

GIB = Decimal(2**30)
QUOTA = {"aws.ec2.standard_vcpu": 4}


def before_after() -> tuple[Result, Result]:
    # Before: web 2 × t3.medium = 2 × 730 × $0.0416 = $60.736; cache t3.micro = 730 × $0.0104 = $7.592.
    #         Total $68.328. vCPU 2×2 + 2 = 6 > quota 4 -> quota_exceeded. Memory 2 × 4 GiB + 1 GiB = 9 GiB.
    before = run({"name": "shop", "quotas": QUOTA, "resources": {"web": ec2("t3.medium", 2), "cache": ec2("t3.micro")}})
    # After: web 2 × t3.small = 2 × 730 × $0.0208 = $30.368; files: S3 80 GiB (AWS GB) × $0.023 = $1.84.
    #        Total $32.208. vCPU 4 <= 4 fits. Memory 2 × 2 GiB = 4 GiB.
    after = run(
        {
            "name": "shop",
            "quotas": QUOTA,
            "resources": {"web": ec2("t3.small", 2), "files": {"service": "aws.s3", "usage": {"storage": "80GiB"}}},
        }
    )
    return before, after


def test_totals_and_percentages() -> None:
    before, after = before_after()
    d = diff(before, after)
    assert before.total_monthly_cost == Decimal("68.328")
    assert after.total_monthly_cost == Decimal("32.208")
    assert d.delta_monthly_cost == Decimal("-36.120")  # 32.208 - 68.328
    assert d.delta_yearly_cost == Decimal("-433.440")  # -36.12 × 12
    # -36.12 / 68.328 × 100 = -52.862...%
    assert d.delta_percent is not None
    assert round(d.delta_percent, 3) == Decimal("-52.863")


def test_resources_added_removed_changed() -> None:
    d = diff(*before_after())
    by_name = {r.name: r for r in d.resources}
    assert [r.name for r in d.resources] == ["web", "cache", "files"]  # before's order, then what after adds
    web, cache, files = by_name["web"], by_name["cache"], by_name["files"]
    assert (web.status, cache.status, files.status) == ("changed", "removed", "added")
    assert {(c.field, c.before, c.after) for c in web.changes} == {
        ("type", "t3.medium", "t3.small"),
        ("memory_bytes", 4 * GIB, 2 * GIB),  # per copy; 2 vCPU per copy did not change
    }
    assert web.delta_monthly_cost == Decimal("-30.368")  # 30.368 - 60.736
    assert web.delta_percent == Decimal(-50)
    assert web.delta_yearly_cost == Decimal("-364.416")
    assert cache.delta_monthly_cost == Decimal("-7.592")
    assert files.delta_monthly_cost == Decimal("1.84") and files.delta_percent is None
    assert [line.meter for line in web.lines] == ["instance"]
    assert (web.lines[0].quantity_before, web.lines[0].quantity_after) == (Decimal(1460), Decimal(1460))
    # Largest change first: web -30.37, cache -7.59, files +1.84.
    assert [r.name for r in d.changed] == ["web", "cache", "files"]
    assert (d.count("changed"), d.count("added"), d.count("removed"), d.count("unchanged")) == (1, 1, 1, 0)


def test_vcpu_memory_and_quotas() -> None:
    d = diff(*before_after())
    assert d.vcpu == (Decimal(6), Decimal(4))
    assert d.memory_bytes == (9 * GIB, 4 * GIB)
    [q] = d.quotas
    assert (q.key, q.region, q.used_before, q.used_after, q.limit_after) == (
        "aws.ec2.standard_vcpu",
        "us-east-1",
        Decimal(6),
        Decimal(4),
        Decimal(4),
    )
    assert q.over_before and not q.over_after


def test_findings_that_appear_and_disappear() -> None:
    d = diff(*before_after())
    assert [c.finding.code for c in d.disappeared if c.finding.severity == "error"] == ["quota_exceeded"]
    assert not [c for c in d.appeared if c.finding.severity == "error"]
    keys = [c.key[:3] for c in d.disappeared]
    assert ("quota_exceeded", "", "aws.ec2.standard_vcpu@us-east-1") in keys


def test_a_finding_whose_numbers_change_is_kept_not_new() -> None:
    # 3 × t3.small = 6 vCPU, then 4 × t3.small = 8 vCPU, both over a quota of 4: same finding, other numbers.
    a = run({"name": "x", "quotas": QUOTA, "resources": {"web": ec2("t3.small", 3)}})
    b = run({"name": "x", "quotas": QUOTA, "resources": {"web": ec2("t3.small", 4)}})
    d = diff(a, b)
    assert not [c for c in d.appeared if c.finding.code == "quota_exceeded"]
    assert not [c for c in d.disappeared if c.finding.code == "quota_exceeded"]
    assert [c.finding.code for c in d.kept if c.finding.severity == "error"] == ["quota_exceeded"]
    [web] = d.resources
    assert [(c.field, c.before, c.after) for c in web.changes] == [("count", 3, 4)]  # size per copy unchanged
    assert web.delta_monthly_cost == Decimal("15.184")  # one more t3.small: 730 × 0.0208


def test_identical_plans_have_no_changes() -> None:
    a = run({"name": "x", "resources": {"web": ec2("t3.small")}})
    b = run({"name": "x", "resources": {"web": ec2("t3.small")}})
    d = diff(a, b)
    assert d.delta_monthly_cost == 0 and d.delta_percent == 0
    assert [r.status for r in d.resources] == ["unchanged"] and d.changed == []
    assert not d.appeared and not d.disappeared


def test_percent() -> None:
    assert percent(Decimal(0), Decimal(0)) == 0
    assert percent(Decimal(0), Decimal(5)) is None
    assert percent(Decimal(200), Decimal(250)) == Decimal(25)
