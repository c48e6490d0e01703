"""The billing models on their own, against closed forms and the providers' written rules (no prices involved)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from pydantic import ValidationError

from infrafit.services import ModelError, ceil_to
from infrafit.services.models import (
    HUNDRED_MS,
    MS,
    aws_lambda,
    cloud_run,
    expected_instances,
    instance,
    lambda_memory_mb,
    selfhost,
    vercel_functions,
    workers,
)
from tests.services.conftest import MakeContext

D = Decimal


# -- expected_instances: E[ceil(N / c)] for N ~ Poisson(mean) ----------------------------------------------------


@pytest.mark.parametrize("mean", ["0", "0.3", "7", "499", "12345.6"])
def test_one_request_per_instance_gives_the_mean_exactly(mean: str) -> None:
    assert expected_instances(D(mean), 1) == D(mean)


def test_no_traffic_needs_no_instance() -> None:
    assert expected_instances(D(0), 80) == 0


@pytest.mark.parametrize("mean", [0.1, 1.0, 3.5, 40.0])
def test_two_per_instance_matches_the_closed_form(mean: float) -> None:
    # ceil(N/2) = (N + [N odd]) / 2 and P(N odd) = (1 - e^(-2m)) / 2, so E = m/2 + (1 - e^(-2m)) / 4.
    exact = mean / 2 + (1 - math.exp(-2 * mean)) / 4
    assert float(expected_instances(D(str(mean)), 2)) == pytest.approx(exact, rel=1e-12)


def test_sparse_traffic_shares_nothing() -> None:
    # With c far above any likely N, ceil(N/c) is 1 exactly when N >= 1: E = P(N >= 1) = 1 - e^(-m).
    assert float(expected_instances(D("0.5"), 1000)) == pytest.approx(1 - math.exp(-0.5), rel=1e-12)


@pytest.mark.parametrize("c", [2, 3, 8, 80])
def test_heavy_traffic_packs_to_mean_over_c_plus_half_a_slot(c: int) -> None:
    # N mod c is uniform to within e^(-2π²·mean/c²) once sqrt(mean) >= 2c (mean >= 4c²), so ceil(N/c) averages
    # N/c + (c - 1) / 2c; from there on the model uses this form directly.
    for mean in (D(4 * c * c), D(4 * c * c + 1), D(10**6)):
        assert expected_instances(mean, c) == mean / c + D(c - 1) / D(2 * c)


@pytest.mark.parametrize("c", [8, 80])
def test_just_below_the_switch_the_sum_meets_the_closed_form(c: int) -> None:
    # at mean = 4c² - 1 the Poisson sum must agree with the closed form to far below a cent of an instance
    mean = 4 * c * c - 1
    assert float(expected_instances(D(mean), c)) == pytest.approx(mean / c + (c - 1) / (2 * c), abs=1e-9)


@pytest.mark.parametrize("c", [2, 3, 8])
def test_below_the_switch_the_poisson_sum_meets_the_closed_form(c: int) -> None:
    # sqrt(400) = 20 is at least 2.5 × c here, so the remainder term is (c - 1) / 2c to well within 1e-6.
    assert float(expected_instances(D(400), c)) == pytest.approx(400 / c + (c - 1) / (2 * c), abs=1e-6)


MEANS = sorted([D(0), D("0.01"), D("0.1"), D("0.5"), *(D(m) for m in range(1, 1000, 9)), D(499), D(500), D(501)])


def _assert_monotone(c: int) -> None:
    values = [expected_instances(m, c) for m in MEANS]
    drops = [(m, a, b) for m, a, b in zip(MEANS[1:], values, values[1:], strict=False) if b < a]
    assert not drops, f"c={c}: fewer instances at a higher mean: {drops}"
    # and sharing never costs more than one instance per request, nor less than perfect packing
    assert all(m / c <= v <= m for m, v in zip(MEANS, values, strict=True))


@pytest.mark.parametrize("c", [2, 3, 8])
def test_more_traffic_never_needs_fewer_instances(c: int) -> None:
    _assert_monotone(c)


@pytest.mark.parametrize("c", [80, 1000])
def test_more_traffic_never_needs_fewer_instances_at_high_concurrency(c: int) -> None:
    _assert_monotone(c)


def test_large_means_do_not_underflow() -> None:
    # e^(-800) underflows a float: the sum is taken in log space. c = 80, mean 800 < 4c² = 25,600; the remainder
    # (N mod 80 over a Poisson of spread 28 < 80) is not uniform, but the result lies in [m/c, m/c + (c-1)/c].
    value = expected_instances(D(800), 80)
    assert D(10) < value < D(10) + D(79) / D(80)


# -- Lambda -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("memory", "setting"),
    [
        ("512MB", 512),
        ("512MiB", 512),
        ("128MB", 128),
        ("1536MiB", 1536),
        ("10240MB", 10240),
        ("1GiB", 1024),
        ("2GB", 2048),
    ],
)
def test_lambda_memory_setting_is_in_its_own_mb(context: MakeContext, memory: str, setting: int) -> None:
    memory_bytes = context("lambda", memory=memory).memory()
    assert memory_bytes is not None
    assert lambda_memory_mb(memory_bytes) == setting


def test_lambda_bills_gb_seconds_rounded_up_to_the_millisecond(context: MakeContext) -> None:
    ctx = context("lambda", memory="512MB", usage={"requests": "1M/month", "duration": "100.2ms"})
    # 100.2 ms bills as 101 ms: 1,000,000 × 0.101 s × 512 / 1024 = 50,500 GB-s
    assert aws_lambda(ctx) == {"requests": D(1_000_000), "gb_seconds": D(50_500)}


def test_lambda_defaults_to_128mb(context: MakeContext) -> None:
    ctx = context("lambda", usage={"requests": "1000/month", "duration": "1s"})
    # 1,000 × 1 s × 128 / 1024 = 125 GB-s
    assert aws_lambda(ctx)["gb_seconds"] == D(125)


# -- Cloud Run ----------------------------------------------------------------------------------------------------


def test_billing_steps() -> None:
    assert ceil_to(D("0.12"), HUNDRED_MS) == D("0.2")
    assert ceil_to(D("0.2"), HUNDRED_MS) == D("0.2")
    assert ceil_to(D("0.0001"), HUNDRED_MS) == D("0.1")
    assert ceil_to(D("0.0101"), MS) == D("0.011")


PLANS = {"plans": {"request": {}, "instance": {}}, "default_plan": "request"}


def test_cloud_run_request_based_bills_time_in_100ms_steps(context: MakeContext) -> None:
    ctx = context(
        "cloud_run",
        service=PLANS,
        cpu=2,
        memory="1GiB",
        usage={"requests": "1M/month", "duration": "120ms", "concurrency": 1},
    )
    # 120 ms bills as 200 ms: 1,000,000 × 0.2 s = 200,000 instance-seconds; × 2 vCPU, × 1 GiB
    assert cloud_run(ctx) == {
        "requests": D(1_000_000),
        "vcpu_seconds": D(400_000),
        "memory_gib_seconds": D(200_000),
    }


def test_cloud_run_instance_based_bills_the_whole_life(context: MakeContext) -> None:
    ctx = context("cloud_run", "instance", service=PLANS, cpu=1, memory="512MiB", usage={"hours": "100h"})
    # 100 h × 3,600 s = 360,000 s; × 1 vCPU; × 0.5 GiB = 180,000 GiB-s
    assert cloud_run(ctx) == {"vcpu_seconds": D(360_000), "memory_gib_seconds": D(180_000), "requests": D(0)}


def test_cloud_run_needs_a_duration_to_price_requests(context: MakeContext) -> None:
    with pytest.raises(ModelError, match=r"needs usage\.duration"):
        cloud_run(context("cloud_run", service=PLANS, usage={"requests": "10/month"}))


# -- the others ---------------------------------------------------------------------------------------------------


def test_instance_bills_hours_and_a_boot_disk_in_the_meter_unit(context: MakeContext) -> None:
    meter = {"label": "Boot disk", "unit": "GiB-month", "category": "storage"}
    ctx = context("instance", service={"meters": {"boot_disk": meter}}, count=3, disk="20GiB", usage={"uptime": "50%"})
    # 50% of 730 h = 365 h × 3 machines; 20 GiB × 3
    assert instance(ctx) == {"instance": D(1095), "boot_disk": D(60)}


def test_instance_refuses_a_disk_the_service_does_not_bill(context: MakeContext) -> None:
    with pytest.raises(ModelError, match="takes no `disk`"):
        instance(context("instance", disk="20GB"))


def test_workers_bill_cpu_milliseconds_not_wall_time(context: MakeContext) -> None:
    ctx = context("workers", usage={"requests": "2M/month", "duration": "1s", "cpu_time": "5ms"})
    # 2,000,000 × 5 ms = 10,000,000 CPU-ms
    assert workers(ctx) == {"requests": D(2_000_000), "cpu_ms": D(10_000_000)}


def test_vercel_bills_active_cpu_and_memory_for_the_whole_duration(context: MakeContext) -> None:
    ctx = context(
        "vercel_functions",
        cpu=1,
        memory="2GB",
        usage={"requests": "360000/month", "duration": "1s", "cpu_time": "100ms"},
    )
    # CPU: 360,000 × 0.1 s / 3,600 = 10 h; memory: 360,000 × 1 s × 2 GB / 3,600 = 200 GB-h
    assert vercel_functions(ctx) == {
        "invocations": D(360_000),
        "active_cpu_hours": D(10),
        "memory_gb_hours": D(200),
    }


def test_vercel_gb_hours_count_1024_mb_to_the_gb(context: MakeContext) -> None:
    # Vercel's provisioned memory is in its own MB setting with 1 GB = 1,024 MB: a 512 MB function is 0.5 GB,
    # so 360,000 × 1 s × 0.5 GB / 3,600 = 50 GB-h (a 10^9-byte GB would give 47.68).
    binary = {"gb": "binary", "source": "https://vercel.com/docs/functions/usage-and-pricing", "as_of": "2026-04-03"}
    meters = {
        key: {
            "label": key,
            "unit": unit,
            "category": "compute",
            **({"bytes": binary} if key == "memory_gb_hours" else {}),
        }
        for key, unit in (("invocations", "invocation"), ("active_cpu_hours", "hour"), ("memory_gb_hours", "GB-hr"))
    }
    ctx = context(
        "vercel_functions",
        service={"meters": meters},
        memory="512MB",
        usage={"requests": "360000/month", "duration": "1s"},
    )
    assert vercel_functions(ctx)["memory_gb_hours"] == D(50)


def test_selfhost_spreads_the_hardware_over_its_life(context: MakeContext) -> None:
    ctx = context("selfhost", usage={"power": "30W", "hardware_cost": "$720", "lifetime_months": 24})
    # 30 W × 730 h = 21.9 kWh; $720 / 24 months = $30
    assert selfhost(ctx) == {"energy": D("21.9"), "hardware": D(30)}
    # without a lifetime, three years: $720 / 36 = $20
    assert selfhost(context("selfhost", usage={"hardware_cost": "$720"}))["hardware"] == D(20)


def test_selfhost_lifetime_of_zero_months_is_an_error(context: MakeContext) -> None:
    # refused where the plan is loaded (docs/limits.md), so the model never sees it
    with pytest.raises(ValidationError, match="lifetime_months spreads the purchase over 1 to 1,200 months"):
        context("selfhost", usage={"hardware_cost": "$720", "lifetime_months": 0})
