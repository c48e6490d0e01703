"""Billing rules as the packaged catalog declares them, checked against the providers' own worked examples and
price data (the figure and where it comes from in each comment)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infrafit import Result, evaluate, load_plan
from infrafit.catalog.loader import load_provider
from infrafit.services.units import byte_unit

D = Decimal


def run(text: str) -> Result:
    return evaluate(load_plan("plan.yaml", text=text))


def cost(result: Result, resource: str, meter: str) -> Decimal:
    res = next(r for r in result.resources if r.name == resource)
    return next(c for c in res.components if c.meter == meter).cost


def test_api_gateway_rest_is_tiered() -> None:
    result = run("name: a\nresources:\n  api: {service: aws.api_gateway, plan: rest, usage: {requests: 1000M/month}}\n")
    # Infracost golden: "Requests (first 333M) ... $1,165.50" = 333 × $3.50; next 667M × $2.80 = $1,867.60
    assert cost(result, "api", "requests") == D("1165.50") + D("1867.60")


def test_seoul_data_transfer_has_its_own_tiers() -> None:
    result = run(
        "name: k\nresources:\n  out: {service: aws.data_transfer, region: ap-northeast-2, usage: {egress: 10340GiB/month}}\n"
    )
    # Infracost data_transfer_test golden for ap-northeast-2: 10,240 GB = $1,290.24 ($0.126); the 100 GB free come first
    assert cost(result, "out", "egress") == D("1290.24")


def test_data_transfer_tiers_are_shared_by_ec2_and_s3() -> None:
    result = run(
        """
name: t
resources:
  vm: {service: aws.ec2, type: t3.micro, usage: {egress: 6TiB/month}}
  files: {service: aws.s3, usage: {egress: 6TiB/month}}
"""
    )
    # 6,144 GB each. vm: 100 free, 6,044 × $0.09 = $543.96; files: 4,196 × $0.09 + 1,948 × $0.085 = $543.22
    assert cost(result, "vm", "egress") == D("543.96")
    assert cost(result, "files", "egress") == D("543.22")


@pytest.mark.parametrize(
    ("region", "expected"), [("us-east-1", "8.00"), ("ap-northeast-2", "9.12"), ("eu-west-1", "8.80")]
)
def test_ebs_gp3_is_priced_by_region(region: str, expected: str) -> None:
    result = run(f"name: e\nresources:\n  v: {{service: aws.ebs, region: {region}, usage: {{storage: 100GiB}}}}\n")
    # 100 GB-month × $0.08 (us-east-1) / $0.0912 (Seoul CUR line) / $0.088 (Price List EU-EBS:VolumeUsage.gp3)
    assert cost(result, "v", "storage") == D(expected)


def test_s3_bills_gib_as_its_gb() -> None:
    result = run("name: s\nresources:\n  b: {service: aws.s3, usage: {storage: 50GiB}}\n")
    # S3 FAQ: GB of 2^30 bytes, so 50 GiB = 50 GB-month × $0.023 = $1.15
    assert cost(result, "b", "storage") == D("1.15")


def test_gcp_egress_from_europe_above_10_tib() -> None:
    result = run(
        "name: g\nresources:\n  vm: {service: gcp.compute_engine, type: e2-small, region: europe-west1, usage: {egress: 11TiB/month}}\n"
    )
    # Cloud Billing Catalog export (2026-07-30), europe-west1 Premium: 1,024 GiB × $0.12 = $122.88,
    # 9,216 GiB × $0.11 = $1,013.76, 1,024 GiB × $0.085 = $87.04 → $1,223.68
    assert cost(result, "vm", "egress") == D("1223.68")


def test_every_aws_and_vercel_byte_meter_records_its_gb() -> None:
    for provider in ("aws", "vercel"):
        cat = load_provider(provider)
        for key, svc in cat.services.items():
            meters = dict(svc.meters)
            for plan in svc.plans.values():
                meters.update(plan.meters)
            for mkey, meter in meters.items():
                try:
                    byte_unit(meter.unit)
                except ValueError:
                    if not meter.unit.startswith("GB-"):
                        continue  # not a byte meter
                convention = meter.bytes or cat.bytes
                assert convention is not None, f"{provider}.{key} meter {mkey} ({meter.unit}) has no byte convention"
                assert convention.source.startswith("https://")


def test_tier_2_note_stays_out_of_tier_1_regions() -> None:
    plan = "name: c\nresources:\n  api: {{service: gcp.cloud_run, region: {r}, usage: {{requests: 1M/month, duration: 100ms}}}}\n"
    assert "free_tier_at_tier1_prices" not in {f.code for f in run(plan.format(r="us-central1")).findings}
    assert "free_tier_at_tier1_prices" in {f.code for f in run(plan.format(r="asia-northeast3")).findings}


def test_gemini_2_5_retirement_is_not_said_of_flash_lite() -> None:
    plan = "name: g\nresources:\n  llm: {{service: google.gemini_api, type: {t}, usage: {{requests: 10/day}}}}\n"
    assert "gemini_2_5_retirement" not in {f.code for f in run(plan.format(t="gemini-2.5-flash-lite")).findings}
    assert "gemini_2_5_retirement" in {f.code for f in run(plan.format(t="gemini-2.5-flash")).findings}
