"""Jobs inside a plan: feasibility against platform limits, makespans with known answers, derived usage."""

from decimal import Decimal

import pytest

from infrafit import InputError, Result, evaluate, load_plan

D = Decimal


def run(text: str) -> Result:
    return evaluate(load_plan("plan.yaml", text=text), replications=5)


def test_deterministic_batch_makespan_and_derived_cost() -> None:
    result = run("""
name: j
resources:
  w: {service: gcp.cloud_run, cpu: 1, memory: 1GiB}
jobs:
  batch: {items: 1000, runs_on: w, duration: 4min, concurrency: 100}
""")
    (job,) = result.jobs
    # ceil(1,000 / 100) = 10 waves × 240 s = 2,400 s = 2/3 h; 1,000 items / (2/3 h) = 1,500 items/h
    assert job.feasible and job.makespan_hours_p50 == pytest.approx(2400 / 3600)
    assert job.items_per_hour == pytest.approx(1500)
    assert job.bottleneck == "concurrency"
    # Derived: 1,000 requests × 240 s × 1 vCPU = 240,000 vCPU-s; 60,000 beyond the free 180,000 × $0.000024 = $1.44
    # 240,000 GiB-s are inside the free 360,000; 1,000 requests inside the free 2M.
    derived = next(r for r in result.resources if r.name == "w [job batch]")
    assert derived.monthly_cost == D("1.44")
    assert result.total_monthly_cost == D("1.44")


def test_daily_quota_of_a_declared_api_is_simulated_across_resets() -> None:
    result = run("""
name: j
resources:
  w: {service: aws.lambda, memory: 256MB}
  api: {service: custom.api, rate_limits: {per_day: 1000}, daily_reset: "00:00 UTC"}
jobs:
  batch:
    items: 2500
    runs_on: w
    duration: 1min
    concurrency: 1000
    calls: {api: 1}
    start: "2026-03-02T00:00:00+00:00"
""")
    (job,) = result.jobs
    # 1,000 start at once on day 1, 1,000 after the first UTC midnight, 500 after the second:
    # the last finish at 2 days + 60 s = 172,860 s.
    assert job.makespan_hours_p50 == pytest.approx(172_860 / 3600)
    assert job.day_resets == 2
    assert "per_day" in job.bottleneck


def test_catalog_rate_limits_of_the_youtube_api_bind_per_day() -> None:
    result = run("""
name: j
resources:
  w: {service: aws.lambda, memory: 256MB}
  yt: {service: google.youtube_data_api}
jobs:
  captions:
    items: 500
    runs_on: w
    duration: 10s
    concurrency: 50
    calls: {yt: {units: 50}}
    start: "2026-03-02T00:00:00-08:00"
""")
    (job,) = result.jobs
    # 10,000 units a day / 50 per item = 200 items a day (reset at midnight Los Angeles; the start is one):
    # 200 + 200 + 100 → the last starts after the second reset: 2 days + ceil(100 / 50) waves × 10 s.
    assert job.makespan_hours_p50 == pytest.approx((2 * 86_400 + 20) / 3600)
    assert job.bottleneck == "rate:yt:units:per_day"


@pytest.mark.parametrize(
    ("runs_on", "job", "needle"),
    [
        (
            "{service: cloudflare.workers, plan: paid}",
            "duration: 1min, memory: 700MB",
            "each item needs 700 MB; Cloudflare Workers allows 128 MB",
        ),
        (
            "{service: aws.lambda, memory: 1GB}",
            "duration: 20min",
            "an item runs up to 20 min; AWS Lambda stops it at 15 min",
        ),
        (
            "{service: aws.lambda, memory: 1GB}",
            "duration: 1min, concurrency: 2000",
            "asks for 2,000 items at once; AWS Lambda allows 1,000",
        ),
        (
            "{service: gcp.cloud_run, memory: 512MiB}",
            "duration: 1min, memory: 1GB, concurrency: 5",
            "configured with 536.87 MB",
        ),
    ],
)
def test_items_the_platform_cannot_run_make_the_job_infeasible(runs_on: str, job: str, needle: str) -> None:
    result = run(f"name: j\nresources:\n  w: {runs_on}\njobs:\n  batch: {{items: 10, runs_on: w, {job}}}\n")
    (report,) = result.jobs
    assert not report.feasible and report.makespan_hours_p50 is None
    errors = [f for f in result.findings if f.code == "limit_exceeded" and f.message.startswith("job batch:")]
    assert errors and needle in errors[0].message, [f.message for f in result.findings]
    assert not result.fits


def test_explicit_usage_adds_on_top_of_the_job() -> None:
    result = run("""
name: j
free_tier: false
resources:
  q: {service: aws.sqs, usage: {requests: 1M/month}}
  w: {service: aws.lambda, memory: 128MB}
jobs:
  batch: {items: 1000000, runs_on: w, duration: 100ms, concurrency: 1000, calls: {q: 2}, runs_per_month: 1}
""")
    # SQS standard $0.40 per 1M: explicit 1M ($0.40) + job 2 × 1M = 2M ($0.80)
    costs = {r.name: r.monthly_cost for r in result.resources}
    assert costs["q"] == D("0.40")
    assert costs["q [job batch]"] == D("0.80")


def test_unknown_resources_in_a_job_suggest_the_nearest() -> None:
    with pytest.raises(InputError) as info:
        run(
            "name: j\nresources:\n  worker: {service: aws.lambda}\njobs:\n  b: {items: 1, runs_on: wroker, duration: 1s}\n"
        )
    (problem,) = info.value.problems
    assert "did you mean worker?" in problem.message and problem.line == 5
