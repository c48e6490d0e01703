"""Specific facts of the packaged catalog, pinned to the published figures they come from.

Each test quotes the source. When a provider changes a price, the catalog and this file change together, with
the new quote: these tests are the catalog's memory of what was read where, not arithmetic tests (those use an
in-memory catalog and survive a refresh).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from infrafit.catalog.lookup import Catalog
from infrafit.engine.evaluate import evaluate
from infrafit.plan.loader import load_plan
from infrafit.plan.usage import USAGE_KINDS
from infrafit.units import Kind

D = Decimal
CATALOG = Catalog()


def _price(key: str, meter: str, plan: str | None = None) -> tuple[Decimal | None, Decimal]:
    price = CATALOG.view(key, plan).meters[meter].price
    assert price is not None
    return price.usd, price.per


def test_gemini_flash_lite_free_tier_is_20_requests_a_day() -> None:
    # The API's own 429 payload (github.com/continuedev/continue/issues/11574, 2026-03-18, and /issues/12692,
    # 2026-06-16): "Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests,
    # limit: 20, model: gemini-2.5-flash-lite". It was 1,000 a day until December 2025.
    limits = CATALOG.view("google.gemini_api", "free").rate_limits["gemini-2.5-flash-lite"]
    assert limits.per_day == 20
    assert limits.daily_reset == "00:00 America/Los_Angeles"


# https://aws.amazon.com/ec2/pricing/on-demand/ (Linux, on demand), ap-northeast-2 (Seoul):
#   t3.small  "$0.026 per On Demand Linux t3.small Instance Hour" (Price List API response, offer 20260721012550)
#   t3.medium  bill line "APN2-BoxUsage:t3.medium | 82.124 h | $4.2705" -> $4.2705 / 82.124 = $0.0520
#   t3.xlarge "$0.2080 per On Demand Linux t3.xlarge Instance Hour" (Cost and Usage Report line, APN2-BoxUsage)
#   t3.2xlarge "$0.4160 per On Demand Linux t3.2xlarge Instance Hour" (same report)
#   t3.nano 0.0065, t3.micro 0.013, t3.large 0.104: third-party Seoul price tables (1.25 x us-east-1, like the rest)
SEOUL_T3 = {
    "t3.nano": "0.0065",
    "t3.micro": "0.013",
    "t3.small": "0.026",
    "t3.medium": "0.052",
    "t3.large": "0.104",
    "t3.xlarge": "0.208",
    "t3.2xlarge": "0.416",
}


@pytest.mark.parametrize(("type_name", "hourly"), sorted(SEOUL_T3.items()))
def test_seoul_t3_hourly_prices(type_name: str, hourly: str) -> None:
    _, service = CATALOG.service("aws.ec2")
    assert service.types[type_name].hourly["ap-northeast-2"] == D(hourly)


def test_a_seoul_t3_medium_month() -> None:
    plan = """
name: seoul
resources:
  app:
    service: aws.ec2
    region: ap-northeast-2
    type: t3.medium
"""
    result = evaluate(load_plan("seoul.yaml", text=plan), CATALOG)
    # 730 h x $0.052 = $37.96
    assert result.total_monthly_cost == D("37.96")


def test_secret_manager_prices() -> None:
    # Infracost golden (google secret_manager_secret_test): "Active secret versions 10,000 versions $600.00"
    # -> $0.06 per version-month; "Access operations 2 10K requests $0.06" -> $0.03 per 10,000.
    assert _price("gcp.secret_manager", "secret_versions") == (D("0.06"), D(1))
    assert _price("gcp.secret_manager", "access_operations") == (D("0.03"), D(10000))


def test_cloud_logging_ingestion_and_free_allotment() -> None:
    # cloud.google.com/stackdriver/pricing (transcribed 2026-09-12): "Logging storage ... $0.50 / GiB",
    # "free_allotment: 50 GiB/project/month".
    view = CATALOG.view("gcp.cloud_logging", None)
    assert _price("gcp.cloud_logging", "ingestion") == (D("0.50"), D(1))
    (pool,) = view.free
    assert (pool.amount, pool.unit, pool.scope.value) == (D(50), "GiB", "project")


def test_load_balancing_forwarding_rules_and_data_processed() -> None:
    # cloud.google.com/load-balancing/pricing: "First 5 forwarding rules | $0.025 / 1 hour",
    # "Per additional forwarding rule | $0.01 / 1 hour", "Inbound data processed by load balancer | $0.008 / 1 gibibyte".
    price = CATALOG.view("gcp.load_balancing", None).meters["instance"].price
    assert price is not None and price.types == {"first-5-rules": D("0.025"), "additional-rule": D("0.01")}
    assert _price("gcp.load_balancing", "data_processed") == (D("0.008"), D(1))


def test_vertex_ai_gemini_flash_lite_tokens() -> None:
    # Public price table for "vertex_ai/gemini-2.5-flash-lite": input 0.1, output 0.4 per 1M tokens.
    meters = CATALOG.view("gcp.vertex_ai_gemini", None).meters
    assert meters["input_tokens"].price is not None and meters["output_tokens"].price is not None
    assert meters["input_tokens"].price.types is not None and meters["output_tokens"].price.types is not None
    assert meters["input_tokens"].price.types["gemini-2.5-flash-lite"] == D("0.10")
    assert meters["output_tokens"].price.types["gemini-2.5-flash-lite"] == D("0.40")


def test_gcp_external_ip_on_a_standard_vm() -> None:
    # Google's network pricing page (read 2026-10-16): "External IPv4 address, in use on a standard VM | $0.005 per hour".
    assert _price("gcp.external_ip", "instance") == (D("0.005"), D(1))


def test_cloud_storage_colder_classes() -> None:
    # cloud.google.com/storage/pricing: "Iowa (us-central1) $0.020 $0.010 $0.004 $0.0012"
    # (Standard, Nearline, Coldline, Archive per GB per month).
    price = CATALOG.view("gcp.cloud_storage", None).meters["storage"].price
    assert price is not None and price.types == {
        "standard": D("0.020"),
        "nearline": D("0.010"),
        "coldline": D("0.004"),
        "archive": D("0.0012"),
    }


def test_cloudwatch_logs_us_east_1() -> None:
    # Infracost golden (aws cloudwatch_log_group_test): "Data ingested 1,000 GB $500.00", "Archival Storage 500 GB $15.00".
    for meter, usd in (("ingestion", "0.50"), ("storage", "0.03")):
        price = CATALOG.view("aws.cloudwatch_logs", None).meters[meter].price
        assert price is not None and price.regions is not None
        assert price.regions["us-east-1"] == D(usd)


def test_aws_public_ipv4_in_seoul() -> None:
    # Seoul bill line "APN2-PublicIPv4:InUseAddress | 43.148 h | $0.2157": $0.2157 / 43.148 h = $0.00500.
    price = CATALOG.view("aws.public_ipv4", None).meters["instance"].price
    assert price is not None and price.regions is not None
    assert price.regions["ap-northeast-2"] == D("0.005")


def test_cloudflare_tunnel_is_free() -> None:
    # developers.cloudflare.com/tunnel/: "Cloudflare Tunnel is available on all plans".
    assert _price("cloudflare.tunnel", "instance") == (D(0), D(1))


def test_durable_objects_paid_prices_and_free_daily_limits() -> None:
    # cloudflare-docs partials/durable-objects/durable-objects-pricing.mdx: Free "Requests | 100,000 / day",
    # "Duration | 13,000 GB-s / day"; Paid "1 million, + $0.15/million", "400,000 GB-s, + $12.50/million GB-s".
    assert _price("cloudflare.durable_objects", "requests", "paid") == (D("0.15"), D(1_000_000))
    assert _price("cloudflare.durable_objects", "duration", "paid") == (D("12.50"), D(1_000_000))
    free = {p.pool: (p.amount, p.period.value, p.hard) for p in CATALOG.view("cloudflare.durable_objects", "free").free}
    assert free["cloudflare.durable_objects.requests_daily"] == (D(100_000), "day", True)
    assert free["cloudflare.durable_objects.duration_daily"] == (D(13_000), "day", True)
    # 1 active hour of one object = 3,600 s x 128 MB / 1 GB = 460.8 GB-s (the page: "1,000,000 seconds * 128 MB /
    # 1 GB = 128,000 GB-s").
    assert CATALOG.view("cloudflare.durable_objects", "paid").meters["duration"].factor == D("460.8")


def test_r2_infrequent_access() -> None:
    # cloudflare-docs r2/pricing.mdx: Infrequent Access "$0.01 / GB-month", "$9.00 / million requests",
    # "$0.90 / million requests", "Data Retrieval (processing) ... $0.01 / GB"; "The free tier only applies to
    # Standard storage".
    plan = "infrequent_access"
    assert _price("cloudflare.r2", "storage", plan) == (D("0.01"), D(1))
    assert _price("cloudflare.r2", "class_a", plan) == (D("9.00"), D(1_000_000))
    assert _price("cloudflare.r2", "class_b", plan) == (D("0.90"), D(1_000_000))
    assert _price("cloudflare.r2", "retrieval", plan) == (D("0.01"), D(1))
    assert CATALOG.view("cloudflare.r2", plan).free == []
    # "Cloudflare rounds up your usage to the next billing unit ... one million and one operations ... billed for two
    # million operations ... 1.1 GB-month ... billed for 2 GB-month".
    meters = CATALOG.view("cloudflare.r2", "standard").meters
    assert (meters["class_a"].billing_unit, meters["storage"].billing_unit) == (D(1_000_000), D(1))
    assert {p.pool for p in CATALOG.view("cloudflare.r2", "standard").free} == {
        "cloudflare.r2.storage",
        "cloudflare.r2.class_a",
        "cloudflare.r2.class_b",
    }


def test_the_new_usage_keys_measure_what_their_services_bill() -> None:
    # Secret versions are a count; logs, load-balancer data and IA retrievals are data per month.
    assert USAGE_KINDS["secret_versions"] is Kind.NUMBER
    assert {USAGE_KINDS[k] for k in ("logs", "data_processed", "retrieval")} == {Kind.DATA_RATE}


def test_a_secret_manager_month_with_the_free_allowances() -> None:
    plan = """
name: secrets
resources:
  secrets:
    service: gcp.secret_manager
    usage: {secret_versions: 16, operations: 50000/month}
"""
    result = evaluate(load_plan("secrets.yaml", text=plan), CATALOG)
    # versions: (16 - 6 free) x $0.06 = $0.60; accesses: (50,000 - 10,000 free) / 10,000 x $0.03 = $0.12
    assert result.total_monthly_cost == D("0.72")
