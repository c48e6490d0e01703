"""Evaluations of small plans against the real catalog. Every expected amount is worked out by hand from
the provider's published price (written next to it), not copied from the program's output."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit import InputError, Result, evaluate, load_plan

D = Decimal


def run(text: str) -> Result:
    return evaluate(load_plan("plan.yaml", text=text))


def line(result: Result, resource: str, meter: str) -> tuple[Decimal, Decimal, Decimal]:
    """(quantity, free, cost) of one cost line."""
    res = next(r for r in result.resources if r.name == resource)
    comp = next(c for c in res.components if c.meter == meter)
    return comp.quantity, comp.free_quantity, comp.cost


def codes(result: Result, severity: str | None = None) -> list[str]:
    return [f.code for f in result.findings if severity is None or f.severity == severity]


def test_cloud_run_request_based_matches_published_prices() -> None:
    # Cloud Run Tier 1, request-based: $0.000024/vCPU-s, $0.0000025/GiB-s, $0.40 per 1M requests;
    # free per month: 180,000 vCPU-s, 360,000 GiB-s, 2M requests.
    result = run("""
name: run
resources:
  api:
    service: gcp.cloud_run
    region: us-central1
    cpu: 1
    memory: 512MiB
    usage: {requests: 5M/month, duration: 200ms, concurrency: 1}
""")
    # 5,000,000 × 0.2 s = 1,000,000 vCPU-s; 820,000 billable × 0.000024 = 19.68
    assert line(result, "api", "vcpu_seconds") == (D(1_000_000), D(180_000), D("19.68"))
    # 1,000,000 s × 0.5 GiB = 500,000 GiB-s; 140,000 × 0.0000025 = 0.35
    assert line(result, "api", "memory_gib_seconds") == (D(500_000), D(360_000), D("0.35"))
    # 3,000,000 billable requests × 0.40 / 1M = 1.20
    assert line(result, "api", "requests") == (D(5_000_000), D(2_000_000), D("1.20"))
    assert result.total_monthly_cost == D("21.23")
    assert codes(result).count("free_tier_exhausted") == 3


def test_cloud_run_rounds_each_request_up_to_100ms() -> None:
    result = run("""
name: run
free_tier: false
resources:
  api:
    service: gcp.cloud_run
    cpu: 2
    memory: 1GiB
    usage: {requests: 1M/month, duration: 120ms, concurrency: 1}
""")
    # 120 ms bills as 200 ms: 1,000,000 × 0.2 s × 2 vCPU = 400,000 vCPU-s × 0.000024 = 9.60
    assert line(result, "api", "vcpu_seconds") == (D(400_000), D(0), D("9.60"))


def test_cloud_run_concurrency_shares_instance_time_only_when_requests_overlap() -> None:
    result = run("""
name: run
free_tier: false
resources:
  sparse:
    service: gcp.cloud_run
    usage: {requests: 100/day, duration: 1s, concurrency: 80}
  dense:
    service: gcp.cloud_run
    usage: {requests: 100/s, duration: 1s, concurrency: 80}
""")
    month_s = D(730 * 3600)
    # Sparse: λ·d = 100/86,400 requests in flight; E[ceil(N/80)] = P(N ≥ 1) = 1 − e^(−λd) ≈ λd (1 − λd/2):
    # requests rarely overlap, so the billed time is ≈ requests × duration = 3,041.67 s.
    sparse = line(result, "sparse", "vcpu_seconds")[0]
    assert abs(sparse - D(100) * 730 / 24) < D(2)
    # Dense: 100 in flight on average; instances ≈ 100/80 + (80−1)/(2·80) → ~1.74 instances busy, far below 100.
    dense = line(result, "dense", "vcpu_seconds")[0]
    assert month_s * D("1.5") < dense < month_s * D(2)


def test_e2_micro_allowance_is_the_month_hours_shared_by_all_e2_micros() -> None:
    # e2-micro us-central1 $0.0083764275/h; free: hours of the month over all e2-micros in 3 US regions.
    result = run("""
name: vms
resources:
  a: {service: gcp.compute_engine, region: us-central1, type: e2-micro}
  b: {service: gcp.compute_engine, region: us-east1, type: e2-micro}
  c: {service: gcp.compute_engine, region: europe-west1, type: e2-micro}
""")
    assert line(result, "a", "instance") == (D(730), D(730), D(0))
    # b: 730 h, allowance used up by a → 730 × 0.0083764275 = 6.114792… → 6.1148
    assert line(result, "b", "instance") == (D(730), D(0), D("6.1148"))
    # c is outside the eligible regions: billed, with a warning naming the regions that would be free
    assert line(result, "c", "instance")[1] == D(0)
    assert "not_free_tier_region" in codes(result, "warning")
    pool = next(p for p in result.free_tier if p.pool == "gcp.compute_engine.e2_micro")
    assert (pool.allowance, pool.used, pool.billed) == (D(730), D(1460), D(730))


def test_month_hours_changes_the_e2_micro_allowance() -> None:
    result = run("""
name: vms
month_hours: 744
resources:
  a: {service: gcp.compute_engine, region: us-central1, type: e2-micro, count: 2}
""")
    # 2 × 744 = 1,488 h; 744 free; 744 × 0.0083764275 = 6.23206206 → 6.2321
    assert line(result, "a", "instance") == (D(1488), D(744), D("6.2321"))


def test_ec2_fleet_and_vcpu_quota() -> None:
    # t3 on-demand Linux us-east-1: micro $0.0104, small $0.0208, medium $0.0416, large $0.0832; all 2 vCPU.
    result = evaluate(load_plan("examples/seed003-after.yaml"))
    # 730 × (0.0832 + 4×0.0104 + 5×0.0208 + 2×0.0416) = 730 × 0.3328 = 242.944
    assert result.total_monthly_cost == D("242.944")
    (quota,) = result.quotas
    assert (quota.key, quota.region, quota.used, quota.limit) == ("aws.ec2.standard_vcpu", "us-east-1", D(26), D(16))
    assert "quota_exceeded" in codes(result, "error")
    assert not result.fits


def test_quota_without_a_plan_limit_is_reported_not_guessed() -> None:
    result = run("name: q\nresources:\n  n: {service: aws.ec2, type: t3.micro, count: 3}\n")
    (quota,) = result.quotas
    assert quota.limit is None and quota.used == D(6)
    assert "quota_unknown" in codes(result, "info")
    assert result.fits


def test_lambda_gb_seconds_use_1024_mb_per_gb_and_1ms_rounding() -> None:
    # Lambda x86: $0.20 per 1M requests, $0.0000166667 per GB-s; free 1M requests, 400,000 GB-s.
    result = run("""
name: fn
resources:
  small: {service: aws.lambda, memory: 512MB, usage: {requests: 3M/month, duration: 120ms}}
  big: {service: aws.lambda, memory: 1024MiB, usage: {requests: 2376/month, duration: 4min}}
""")
    # small: 3,000,000 × 0.12 s × 512/1024 = 180,000 GB-s (all free); 2M requests × 0.20/1M = 0.40
    assert line(result, "small", "gb_seconds") == (D(180_000), D(180_000), D(0))
    assert line(result, "small", "requests")[2] == D("0.40")
    # big: 2,376 × 240 s × 1 GB = 570,240 GB-s; 220,000 free left → 350,240 × 0.0000166667 = 5.83734…
    assert line(result, "big", "gb_seconds") == (D(570_240), D(220_000), D("5.8373"))


def test_per_day_allowance_is_compared_per_day() -> None:
    # Firestore nam5: reads $0.06 per 100,000; 50,000 free reads per day.
    result = run("name: db\nresources:\n  db: {service: gcp.firestore, usage: {reads: 60K/day}}\n")
    # 60,000/day − 50,000 free = 10,000/day billed × 730/24 days = 304,166.67 reads × 0.06/100,000 = 0.1825
    qty, free, cost = line(result, "db", "reads")
    assert qty == D(60_000) * 730 / 24
    assert free == D(50_000) * 730 / 24
    assert cost == D("0.1825")
    # 40,000/day stays free every day even though the month's total (1.2M) is far above 50,000
    result2 = run("name: db\nresources:\n  db: {service: gcp.firestore, usage: {reads: 40K/day}}\n")
    assert line(result2, "db", "reads")[2] == D(0)


def test_tiered_storage_across_resources() -> None:
    # S3 Standard us-east-1: $0.023/GB-month for the first 51,200 GB, then $0.022 (AWS GB = 2^30 bytes = GiB).
    result = run("""
name: s3
resources:
  a: {service: aws.s3, usage: {storage: 50000GiB}}
  b: {service: aws.s3, usage: {storage: 2000GiB}}
""")
    assert line(result, "a", "storage")[2] == D(1150)  # 50,000 × 0.023
    # b: 1,200 GB left in tier 1 × 0.023 = 27.60; 800 GB × 0.022 = 17.60 → 45.20
    assert line(result, "b", "storage")[2] == D("45.20")


def test_workers_paid_fee_is_charged_once_per_account() -> None:
    # Workers Paid: $5/month, 10M requests and 30M CPU-ms included; $0.30/M requests, $0.02/M CPU-ms.
    result = run("""
name: w
resources:
  a: {service: cloudflare.workers, plan: paid, usage: {requests: 8M/month, cpu_time: 2ms}}
  b: {service: cloudflare.workers, plan: paid, usage: {requests: 4M/month, cpu_time: 5ms}}
""")
    # requests: 12M − 10M included = 2M × 0.30/M = 0.60 (all billed on b, which draws after a)
    # CPU: a 16M ms (included), b 20M ms: 14M included left → 6M × 0.02/M = 0.12
    assert result.total_monthly_cost == D("5.72")
    fees = [c for r in result.resources for c in r.components if c.meter == "fee"]
    assert len(fees) == 1


def test_free_plan_hard_cap_is_an_error_not_a_bill() -> None:
    # Workers Free: 100,000 requests a day, refused beyond.
    result = run(
        "name: w\nresources:\n  a: {service: cloudflare.workers, usage: {requests: 150K/day, cpu_time: 1ms}}\n"
    )
    assert result.total_monthly_cost == D(0)
    assert "limit_exceeded" in codes(result, "error")


@pytest.mark.parametrize(
    ("resource", "needle"),
    [
        (
            "{service: cloudflare.workers, plan: paid, memory: 700MB, usage: {requests: 1K/month, cpu_time: 1s}}",
            "700 MB is above the Cloudflare Workers (paid plan) limit of 128 MB",
        ),
        ("{service: aws.lambda, memory: 1GB, usage: {requests: 1K/month, duration: 20min}}", "1,200 s"),
        ("{service: gcp.cloud_run, memory: 64GiB, usage: {requests: 1K/month, duration: 1s}}", "limit of 34.36 GB"),
    ],
)
def test_platform_limits(resource: str, needle: str) -> None:
    result = run(f"name: l\nresources:\n  r: {resource}\n")
    errors = [f for f in result.findings if f.code == "limit_exceeded"]
    assert errors and needle in errors[0].message
    assert errors[0].source and errors[0].source.startswith("https://")


def test_budget_exceeded() -> None:
    result = run("name: b\nbudget: 10 USD\nresources:\n  n: {service: aws.ec2, type: t3.small}\n")
    # 730 × 0.0208 = 15.184 > 10
    assert result.total_monthly_cost == D("15.184")
    assert "budget_exceeded" in codes(result, "error")


def test_free_tier_off_bills_everything_but_keeps_included_usage() -> None:
    result = run("""
name: "off"
free_tier: false
resources:
  vm: {service: gcp.compute_engine, region: us-central1, type: e2-micro}
  w: {service: cloudflare.workers, plan: paid, usage: {requests: 1M/month, cpu_time: 1ms}}
""")
    assert line(result, "vm", "instance")[2] == D("6.1148")  # 730 × 0.0083764275
    assert line(result, "w", "requests")[2] == D(0)  # within the 10M included by Workers Paid


def test_overrides_replace_facts_and_are_reported() -> None:
    result = run("""
name: o
overrides:
  aws.ec2:
    types: {t3.small: {hourly: {us-east-1: 0.01}}}
resources:
  n: {service: aws.ec2, type: t3.small}
""")
    assert result.total_monthly_cost == D("7.30")  # 730 × 0.01
    (override,) = result.overrides
    assert override.path == "aws.ec2.types.t3.small.hourly.us-east-1"
    assert str(override.old) == "0.0208" and override.new == 0.01


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        ("{service: gcp.cloud_runn}", "unknown service 'gcp.cloud_runn' (did you mean gcp.cloud_run?)"),
        ("{service: aws.ec2, type: t3.smal}", "unknown type 't3.smal' for aws.ec2 (did you mean t3.small"),
        ("{service: aws.ec2, region: us-east-7}", "not offered in region 'us-east-7'"),
        (
            "{service: cloudflare.workers, plan: piad}",
            "unknown plan 'piad' for cloudflare.workers (did you mean paid?)",
        ),
        ("{service: aws.s3, usage: {storag: 5GB}}", "takes no usage key 'storag' (did you mean storage?)"),
        ("{service: aws.s3, cpu: 2}", "aws.s3 takes no `cpu`"),
    ],
)
def test_unknown_names_suggest_the_nearest(resource: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        run(f"name: x\nresources:\n  r: {resource}\n")
    (problem,) = info.value.problems
    assert message in problem.message
    assert problem.line == 3  # located in the file


def test_unknown_quota_key() -> None:
    with pytest.raises(InputError, match=r"did you mean aws\.ec2\.standard_vcpu"):
        run("name: x\nquotas: {aws.ec2.standard_vcpus: 5}\nresources:\n  r: {service: aws.s3}\n")


# -- invariants -------------------------------------------------------------------------------------------

_RATES = st.integers(min_value=0, max_value=50_000_000)


@settings(max_examples=40, deadline=None)
@given(_RATES, _RATES)
def test_cost_never_falls_when_usage_rises(a: int, b: int) -> None:
    low, high = sorted((a, b))

    def cost(n: int) -> Decimal:
        return run(f"""
name: p
resources:
  api: {{service: gcp.cloud_run, usage: {{requests: {n}/month, duration: 150ms, concurrency: 4}}}}
  fn: {{service: aws.lambda, memory: 256MB, usage: {{requests: {n}/month, duration: 50ms}}}}
  s3: {{service: aws.s3, usage: {{storage: {n // 1000}GB, class_b: {n}/month}}}}
  db: {{service: gcp.firestore, usage: {{reads: {n}/month}}}}
""").total_monthly_cost

    assert cost(low) <= cost(high)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(["t3.micro", "t3.small", "t3.large"]), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=100),
)
def test_totals_equal_the_sum_of_their_parts(types: list[str], uptime: int) -> None:
    body = "\n".join(
        f"  n{i}: {{service: aws.ec2, type: {t}, disk: 8GB, usage: {{uptime: {uptime}%}}}}" for i, t in enumerate(types)
    )
    result = run(
        f"name: p\nresources:\n{body}\n  f: {{service: aws.lambda, usage: {{requests: 2M/month, duration: 1s}}}}\n"
    )
    for res in result.resources:
        assert res.monthly_cost == sum((c.cost for c in res.components), D(0))
        for c in res.components:
            assert c.free_quantity + c.billable_quantity == c.quantity
            assert c.free_quantity >= 0 and c.billable_quantity >= 0
    assert result.total_monthly_cost == sum((r.monthly_cost for r in result.resources), D(0))
    for pool in result.free_tier:
        assert pool.free >= 0 and pool.billed >= 0
