"""The engine's billing rules, each priced against an in-memory catalog that pins the provider's published figures
(so a refresh of the packaged prices does not move them): shared tiers, byte conventions, per-resource
allowances, regional tiers, calendar months, billing units, per-days prices, scoped notes, evidence grades.
Every expected amount is worked out by hand in the comment next to it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from infrafit.catalog.lookup import Catalog
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.errors import InputError
from infrafit.plan.loader import load_plan

D = Decimal
SRC = {"source": "https://example.com/pricing", "as_of": "2026-01-15"}
BINARY = {"gb": "binary", **SRC}

# AWS data transfer out to the internet, us-east-1 (AWSDataTransfer offer): $0.09/GB first 10 TB, $0.085 next
# 40 TB (1 TB = 1,024 GB); Seoul $0.126 / $0.122 / $0.117 / $0.108; 100 GB a month free across services.
DTO = {
    "tier_pool": "aws.dto.internet",
    "tiers": [{"up_to": 10240, "usd": "0.09"}, {"up_to": 51200, "usd": "0.085"}, {"up_to": None, "usd": "0.07"}],
    "regions": {
        "ap-northeast-2": {
            "tiers": [
                {"up_to": 10240, "usd": "0.126"},
                {"up_to": 51200, "usd": "0.122"},
                {"up_to": 153600, "usd": "0.117"},
                {"up_to": None, "usd": "0.108"},
            ],
            "evidence": "price_list",
            **SRC,
        }
    },
    **SRC,
}
DTO_FREE = {"pool": "aws.dto.free", "meters": ["egress"], "amount": 100, "unit": "GB", **SRC}


def _egress_meter() -> dict[str, Any]:
    return {"label": "Data out", "unit": "GB", "category": "network", "from_usage": "egress", "price": DTO}


def aws_like() -> dict[str, Any]:
    regions = ["us-east-1", "ap-northeast-2"]
    return {
        "provider": "aws",
        "name": "AWS-like",
        "as_of": "2026-01-15",
        "bytes": BINARY,
        "services": {
            "vm": {
                "name": "VM egress",
                "category": "network",
                "regions": regions,
                "default_region": "us-east-1",
                "usage": ["egress"],
                "meters": {"egress": _egress_meter()},
                "free": [DTO_FREE],
            },
            "s3": {
                "name": "Object storage",
                "category": "storage",
                "regions": regions,
                "default_region": "us-east-1",
                "usage": ["storage", "egress"],
                "meters": {
                    "storage": {
                        "label": "Storage",
                        "unit": "GB-month",
                        "category": "storage",
                        "from_usage": "storage",
                        "price": {"usd": "0.023", "evidence": "price_list", **SRC},
                    },
                    "egress": _egress_meter(),
                },
                "free": [DTO_FREE],
            },
        },
    }


def per_resource_provider() -> dict[str, Any]:
    """Upstash-like pay-as-you-go storage (first 1 GB per database free, then $0.25/GB) and Neon-like Free
    compute (100 CU-hours per project, a hard cap)."""
    return {
        "provider": "db",
        "name": "Databases",
        "as_of": "2026-01-15",
        "services": {
            "redis": {
                "name": "Redis",
                "category": "database",
                "fields": ["count"],
                "usage": ["storage"],
                "meters": {
                    "storage": {
                        "label": "Storage",
                        "unit": "GB-month",
                        "category": "storage",
                        "from_usage": "storage",
                        "price": {"usd": "0.25", **SRC},
                    }
                },
                "free": [
                    {"pool": "db.redis.storage", "meters": ["storage"], "amount": 1, "unit": "GB", "scope": "resource"}
                    | SRC
                ],
            },
            "postgres": {
                "name": "Postgres",
                "category": "database",
                "usage": ["hours"],
                "meters": {
                    "compute": {"label": "Compute", "unit": "CU-hour", "category": "compute", "from_usage": "hours"}
                },
                "free": [
                    {
                        "pool": "db.postgres.compute",
                        "meters": ["compute"],
                        "amount": 100,
                        "unit": "CU-hour",
                        "scope": "project",
                        "hard": True,
                    }
                    | SRC
                ],
            },
        },
    }


def price(text: str, *providers: dict[str, Any]) -> Result:
    catalog = Catalog.from_data({p["provider"]: p for p in providers})
    return evaluate(load_plan("plan.yaml", text=text), catalog)


def cost(result: Result, resource: str, meter: str) -> Decimal:
    res = next(r for r in result.resources if r.name == resource)
    return next(c for c in res.components if c.meter == meter).cost


# -- 1. tiers the provider counts per account are shared across services ------------------------------------------


def test_data_transfer_tiers_continue_across_services() -> None:
    result = price(
        """
name: dto
resources:
  web: {service: aws.vm, usage: {egress: 6TiB/month}}
  files: {service: aws.s3, usage: {egress: 6TiB/month}}
""",
        aws_like(),
    )
    # 6 TiB = 6,144 GB (AWS GB = 2^30 bytes). web: 100 GB free, 6,044 GB × $0.09 = $543.96.
    assert cost(result, "web", "egress") == D("543.96")
    # files climbs the same tiers from 6,044: 4,196 GB left in the first tier × $0.09 = $377.64, then
    # 1,948 GB × $0.085 = $165.58 → $543.22 (counted alone it would restart at $0.09: 6,144 × 0.09 = $552.96).
    assert cost(result, "files", "egress") == D("543.22")


# -- 2. which GB the provider bills ------------------------------------------------------------------------------


def test_gib_on_a_binary_gb_provider_bills_whole_gb() -> None:
    result = price("name: s\nresources:\n  b: {service: aws.s3, usage: {storage: 50GiB}}\n", aws_like())
    # S3 counts 1 GB = 2^30 bytes: 50 GiB is 50 GB-month × $0.023 = $1.15 (not 53.69 GB × 0.023 = $1.23)
    assert cost(result, "b", "storage") == D("1.15")


# -- 3. allowances per resource ----------------------------------------------------------------------------------


def test_each_database_has_its_own_free_gigabyte() -> None:
    result = price(
        "name: r\nresources:\n  a: {service: db.redis, usage: {storage: 1GB}}\n  b: {service: db.redis, usage: {storage: 1GB}}\n",
        per_resource_provider(),
    )
    # the first 1 GB of each database is free: 1 GB - 1 GB = 0 billable on each
    assert result.total_monthly_cost == 0
    pools = {p.pool: p for p in result.free_tier}
    assert set(pools) == {"db.redis.storage[a]", "db.redis.storage[b]"}
    assert pools["db.redis.storage[b]"].resources == ["b"]


def test_a_per_resource_allowance_with_count_holds_one_each() -> None:
    result = price(
        "name: r\nresources:\n  a: {service: db.redis, count: 3, usage: {storage: 2GB}}\n", per_resource_provider()
    )
    # 3 databases × 2 GB = 6 GB, 3 × 1 GB free → 3 GB × $0.25 = $0.75
    assert cost(result, "a", "storage") == D("0.75")


def test_two_free_projects_under_their_own_caps_fit() -> None:
    result = price(
        "name: n\nresources:\n  p1: {service: db.postgres, usage: {hours: 60h}}\n  p2: {service: db.postgres, usage: {hours: 60h}}\n",
        per_resource_provider(),
    )
    # 60 CU-hours each against 100 per project: no cap is reached (120 against one shared 100 would be)
    assert not [f for f in result.findings if f.code == "limit_exceeded"]


# -- 5. a price regional and tiered at once ----------------------------------------------------------------------


def test_seoul_climbs_its_own_tiers_after_the_free_100_gb() -> None:
    result = price(
        "name: k\nresources:\n  web: {service: aws.vm, region: ap-northeast-2, usage: {egress: 10340GiB/month}}\n",
        aws_like(),
    )
    # 10,340 GB - 100 GB free = 10,240 GB × $0.126 = $1,290.24 (Infracost's golden for the Seoul first tier)
    assert cost(result, "web", "egress") == D("1290.24")
    res = result.resources[0]
    assert res.components[0].source == SRC["source"]


# -- 6. calendar months ------------------------------------------------------------------------------------------


def _daily_provider() -> dict[str, Any]:
    return {
        "provider": "q",
        "name": "Queue",
        "as_of": "2026-01-15",
        "services": {
            "queue": {
                "name": "Queue",
                "category": "requests",
                "usage": ["operations"],
                "meters": {
                    "ops": {
                        "label": "Operations",
                        "unit": "operation",
                        "category": "requests",
                        "from_usage": "operations",
                        "price": {"usd": "1", "per": 100, **SRC},
                    }
                },
                "free": [
                    {"pool": "q.daily", "meters": ["ops"], "amount": 100, "unit": "operation", "period": "day"} | SRC
                ],
            }
        },
    }


def test_a_calendar_month_has_its_days() -> None:
    plan = "name: d\nMONTH\nresources:\n  q: {service: q.queue, usage: {operations: 3100/month}}\n"
    march = price(plan.replace("MONTH", "month: 2026-03"), _daily_provider())
    # March: 31 days × 24 = 744 h; 3,100 / 31 = 100 a day, all inside the 100 a day free → $0
    assert march.month_hours == D(744)
    assert march.month == "2026-03"
    assert march.month_text == "March 2026, 744 h"
    assert march.total_monthly_cost == 0
    thirty = price(plan.replace("MONTH", "month_hours: 720"), _daily_provider())
    # 30 days: 103.33 a day, 3.33 a day beyond 100 × 30 days = 100 operations × $1/100 = $1.00
    assert thirty.total_monthly_cost == D("1.00")
    february = price(plan.replace("MONTH", "month: 2026-02"), _daily_provider())
    assert february.month_hours == D(28 * 24)


def test_month_and_month_hours_together_are_refused() -> None:
    with pytest.raises(InputError, match="either `month: 2026-03` or `month_hours: 720`"):
        load_plan("p.yaml", text="name: x\nmonth: 2026-03\nmonth_hours: 720\nresources: {}\n")
    with pytest.raises(InputError, match="YYYY-MM"):
        load_plan("p.yaml", text="name: x\nmonth: 2026-13\nresources: {}\n")


# -- 10. provider billing units and per-days prices -------------------------------------------------------------


def _r2_like() -> dict[str, Any]:
    # Cloudflare R2: Class A $4.50 per million, 1M a month free; "Cloudflare rounds up your usage to the next billing
    # unit. If you have performed one million and one operations, you will be billed for two million operations."
    # Cloud Scheduler: $0.10 per job per 31 days, 3 jobs free per billing account.
    return {
        "provider": "c",
        "name": "Cloud",
        "as_of": "2026-01-15",
        "services": {
            "r2": {
                "name": "R2",
                "category": "storage",
                "usage": ["class_a"],
                "meters": {
                    "class_a": {
                        "label": "Class A",
                        "unit": "request",
                        "category": "requests",
                        "from_usage": "class_a",
                        "billing_unit": 1_000_000,
                        "price": {"usd": "4.50", "per": 1_000_000, **SRC},
                    }
                },
                "free": [{"pool": "c.r2.a", "meters": ["class_a"], "amount": 1_000_000, "unit": "request"} | SRC],
            },
            "scheduler": {
                "name": "Scheduler",
                "category": "other",
                "usage": ["jobs"],
                "meters": {
                    "jobs": {
                        "label": "Jobs",
                        "unit": "job",
                        "category": "other",
                        "from_usage": "jobs",
                        "price": {"usd": "0.10", "period_days": 31, **SRC},
                    }
                },
                "free": [{"pool": "c.jobs", "meters": ["jobs"], "amount": 3, "unit": "job"} | SRC],
            },
        },
    }


def test_usage_rounds_up_to_the_billing_unit() -> None:
    result = price("name: r\nresources:\n  b: {service: c.r2, usage: {class_a: 1000001/month}}\n", _r2_like())
    # 1,000,001 - 1,000,000 free = 1 operation, billed as one whole million: $4.50 (not $0.0000045)
    assert cost(result, "b", "class_a") == D("4.50")


def test_a_price_per_31_days_is_prorated_per_day() -> None:
    plan = "name: s\nMONTH\nresources:\n  s: {service: c.scheduler, usage: {jobs: 4}}\n"
    # 4 jobs - 3 free = 1 × $0.10 × 30/31 = $0.096774... → $0.0968 in a 30-day month
    assert price(plan.replace("MONTH", "month_hours: 720"), _r2_like()).total_monthly_cost == D("0.0968")
    # March has 31 days: 1 × $0.10 × 31/31 = $0.10
    assert price(plan.replace("MONTH", "month: 2026-03"), _r2_like()).total_monthly_cost == D("0.10")


# -- notes scoped by region, type, plan --------------------------------------------------------------------------


def test_a_region_scoped_note_fires_only_there() -> None:
    data = aws_like()
    data["services"]["vm"]["notes"] = [
        {"code": "seoul_only", "message": "Seoul fact.", "regions": ["ap-northeast-2"], **SRC},
        {"code": "everywhere", "message": "General fact.", **SRC},
    ]
    plan = "name: n\nresources:\n  a: {service: aws.vm, usage: {egress: 1GB/month}}\n  b: {service: aws.vm, region: ap-northeast-2, usage: {egress: 1GB/month}}\n"
    result = price(plan, data)
    by_code = {f.code: f for f in result.findings}
    assert by_code["seoul_only"].resource == "b"
    assert by_code["seoul_only"].message.startswith("b: ")
    assert by_code["everywhere"].message.startswith("a, b: ")
    only_virginia = price("name: n\nresources:\n  a: {service: aws.vm, usage: {egress: 1GB/month}}\n", data)
    assert "seoul_only" not in {f.code for f in only_virginia.findings}


# -- 8. evidence grades ------------------------------------------------------------------------------------------


def test_unconfirmed_facts_are_counted_by_grade() -> None:
    data = aws_like()
    data["services"]["vm"]["meters"]["egress"]["price"] = {**DTO, "evidence": "third_party"}
    result = price(
        "name: e\nresources:\n  w: {service: aws.vm, usage: {egress: 1TB/month}}\n  b: {service: aws.s3, usage: {storage: 1GB}}\n",
        data,
    )
    (finding,) = [f for f in result.findings if f.code == "unconfirmed_facts"]
    # storage price: price_list; the vm's egress price: third_party; the s3 egress price is not used (no egress)
    assert "2 catalog fact(s)" in finding.message
    assert "1 from third-party text only (aws.vm Data out price)" in finding.message
    assert "1 from the provider's price lists or API payloads (aws.s3 Storage price)" in finding.message


def test_the_old_confirmed_flag_is_still_read() -> None:
    catalog = Catalog.from_data(
        {"aws": aws_like()},
        {
            "aws.vm": {"meters": {"egress": {"price": {"confirmed": False}}}},  # official by default → third_party
            "aws.s3": {"meters": {"storage": {"price": {"confirmed": True}}}},  # price_list, now confirmed → official
        },
    )
    vm_price = catalog.service("aws.vm")[1].meters["egress"].price
    s3_price = catalog.service("aws.s3")[1].meters["storage"].price
    assert vm_price is not None and s3_price is not None
    assert (vm_price.evidence.value, vm_price.confirmed) == ("third_party", False)
    assert (s3_price.evidence.value, s3_price.confirmed) == ("official", True)
