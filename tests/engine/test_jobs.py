"""Jobs inside a plan: feasibility against platform limits, makespans with known answers, derived usage."""

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit import InputError, Result, evaluate, load_plan
from infrafit.catalog.lookup import Catalog

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


# 2,500 one-minute items through an API that allows 1,000 calls a day, reset at UTC midnight (the start is one)
DAILY_QUOTA_PLAN = """
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
"""


def test_daily_quota_of_a_declared_api_is_simulated_across_resets() -> None:
    result = run(DAILY_QUOTA_PLAN)
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


# -- deadline ---------------------------------------------------------------------------------------------------------
DEADLINE_PLAN = """
name: j
resources:
  w: {{service: gcp.cloud_run, cpu: 1, memory: 1GiB}}
jobs:
  batch: {{items: 100, runs_on: w, duration: 30min, concurrency: 10{deadline}}}
"""


def test_a_batch_past_its_deadline_is_an_error_with_the_numbers() -> None:
    result = run(DEADLINE_PLAN.format(deadline=", deadline: 4h"))
    (job,) = result.jobs
    # Closed form: ceil(100 / 10) = 10 waves × 30 min = 5 h, every run alike, so p95 = 5 h > the 4 h deadline.
    assert job.makespan_hours_p95 == pytest.approx(5.0) and job.deadline_hours == pytest.approx(4.0)
    (finding,) = [f for f in result.findings if f.code == "deadline_exceeded"]
    assert finding.severity == "error" and finding.subject == "job:batch" and finding.resource == "w"
    assert (finding.value, finding.limit) == (D(5), D(4))
    assert "5.0 h at the 95th percentile" in finding.message and "deadline of 4 h" in finding.message
    assert finding.fix is not None and "more items at once (now 10)" in finding.fix and "fewer items" in finding.fix
    assert not result.fits


def test_a_batch_that_ends_on_its_deadline_meets_it_and_no_deadline_is_null() -> None:
    # 10 waves × 30 min = exactly 5 h: not above a 5 h deadline.
    met = run(DEADLINE_PLAN.format(deadline=", deadline: 5h"))
    assert not [f for f in met.findings if f.code == "deadline_exceeded"]
    from infrafit.report.sections.jobs import JobsView

    view = JobsView()
    assert view.to_json(met.jobs[0])["deadline_hours"] == pytest.approx(5.0)
    assert view.to_json(run(DEADLINE_PLAN.format(deadline="")).jobs[0])["deadline_hours"] is None


def test_a_daily_quota_that_stretches_a_batch_over_days_misses_an_hours_deadline() -> None:
    # The document's claim shape: "2-3 hours". 2,500 items through 1,000 a day (reset at UTC midnight, the start
    # is one): 2 days + 60 s = 48.02 h, far above 3 h; a batch that took days no longer "fits".
    result = run(DAILY_QUOTA_PLAN + "    deadline: 3h\n")
    (finding,) = [f for f in result.findings if f.code == "deadline_exceeded"]
    assert finding.value == pytest.approx(D(172_860) / 3600) and finding.limit == D(3)
    assert "rate:api:per_day" in finding.message and "a higher tier or more quota for api" in (finding.fix or "")


# -- CPU time per item (Workers bill CPU milliseconds, not wall time) ---------------------------------------------------
def _workers_catalog() -> Catalog:
    """Cloudflare Workers Paid as published: $5 a month, 10M requests and 30M CPU-ms included, then $0.30 per
    million requests and $0.02 per million CPU-ms; 5 min of CPU per request at most. A free plan limits CPU to
    10 ms per invocation."""
    src = {"source": "https://developers.cloudflare.com/workers/platform/pricing/", "as_of": "2026-07-07"}

    def meter(label: str, unit: str, usd: str | None) -> dict[str, Any]:
        price = {"price": {"usd": usd, "per": 1_000_000, **src}} if usd else {}
        return {"label": label, "unit": unit, "category": "compute", **price}

    workers = {
        "name": "Workers",
        "category": "compute",
        "model": "workers",
        "usage": ["requests", "duration", "cpu_time"],
        "fields": ["plan", "memory"],
        "default_plan": "paid",
        "plans": {
            "paid": {
                "fee": {"usd": 5, **src},
                "meters": {"requests": meter("Requests", "request", "0.30"), "cpu_ms": meter("CPU", "CPU-ms", "0.02")},
                "free": [
                    {
                        "pool": "t.req",
                        "meters": ["requests"],
                        "amount": 10_000_000,
                        "unit": "request",
                        "kind": "included",
                        **src,
                    },
                    {
                        "pool": "t.cpu",
                        "meters": ["cpu_ms"],
                        "amount": 30_000_000,
                        "unit": "CPU-ms",
                        "kind": "included",
                        **src,
                    },
                ],
                "limits": {"cpu_time": {"max": "5min", **src}},
            },
            "free": {
                "meters": {"requests": meter("Requests", "request", None), "cpu_ms": meter("CPU", "CPU-ms", None)},
                "limits": {"cpu_time": {"max": "10ms", **src}},
            },
        },
    }
    return Catalog.from_data(
        {"cf": {"provider": "cf", "name": "CF", "as_of": "2026-07-07", "services": {"workers": workers}}}
    )


WORKERS_PLAN = """
name: w
resources:
  api: {{service: cf.workers, plan: {plan}}}
jobs:
  batch: {{items: 10000, runs_on: api, duration: 2s, concurrency: 1000, runs_per_month: 100{extra}}}
"""


def test_cpu_time_per_item_is_what_workers_bill() -> None:
    plan = load_plan("p.yaml", text=WORKERS_PLAN.format(plan="paid", extra=", cpu_time: 50ms"))
    result = evaluate(plan, _workers_catalog(), replications=2)
    derived = next(r for r in result.resources if r.name == "api [job batch]")
    # 10,000 items × 100 runs = 1,000,000 requests (inside the 10M included: $0).
    # CPU: 1,000,000 × 50 ms = 50,000,000 CPU-ms; 30M included; 20M × $0.02 / 1M = $0.40.
    assert derived.monthly_cost == D("0.40")
    assert result.total_monthly_cost == D("5.40")  # + the $5 plan fee
    assert not [f for f in result.findings if f.code == "cpu_time_assumed"]
    assert result.jobs[0].cpu_time_seconds == pytest.approx(0.05) and not result.jobs[0].assumptions


def test_without_cpu_time_the_wall_time_is_billed_as_cpu_and_the_report_says_so_once() -> None:
    plan = load_plan("p.yaml", text=WORKERS_PLAN.format(plan="paid", extra=""))
    result = evaluate(plan, _workers_catalog(), replications=2)
    derived = next(r for r in result.resources if r.name == "api [job batch]")
    # 1,000,000 × 2 s = 2,000,000,000 CPU-ms; 1,970,000,000 beyond the 30M included × $0.02 / 1M = $39.40.
    assert derived.monthly_cost == D("39.40")
    (note,) = [f for f in result.findings if f.code == "cpu_time_assumed"]
    assert note.severity == "info" and note.subject == "job:batch" and "wall time (2 s)" in note.message
    (job,) = result.jobs
    assert job.cpu_time_seconds is None and len(job.assumptions) == 1


def test_platform_cpu_limits_are_held_against_cpu_time_not_wall_time() -> None:
    catalog = _workers_catalog()
    # Free plan: 10 ms of CPU per invocation. 5 ms of CPU within 2 s of waiting on APIs runs; 2 s of CPU does not.
    light = evaluate(load_plan("p.yaml", text=WORKERS_PLAN.format(plan="free", extra=", cpu_time: 5ms")), catalog)
    assert light.jobs[0].feasible
    heavy = evaluate(load_plan("p.yaml", text=WORKERS_PLAN.format(plan="free", extra="")), catalog)
    (breach,) = [f for f in heavy.findings if f.code == "limit_exceeded"]
    assert not heavy.jobs[0].feasible and (breach.value, breach.limit) == (D(2), D("0.01"))
    assert "its wall time" in breach.message


# -- memory shared by the items running at once on one machine ----------------------------------------------------------
def test_agents_running_at_once_on_an_e2_micro_must_fit_its_memory_together() -> None:
    plan = """
name: j
resources:
  vm: {{service: gcp.compute_engine, region: us-west1, type: e2-micro{count}}}
jobs:
  agents: {{items: 5, runs_on: vm, duration: 11s, memory: 300MB, concurrency: {c}}}
"""
    result = run(plan.format(count="", c=5))
    (job,) = result.jobs
    (finding,) = [f for f in result.findings if f.code == "limit_exceeded"]
    # 5 agents × 300 MB = 1,500,000,000 bytes at once; an e2-micro has 1 GiB = 1,073,741,824 bytes.
    assert (finding.value, finding.limit) == (D(1_500_000_000), D(1_073_741_824))
    assert "5 items at once × 300 MB = 1,500 MB needed at once on one e2-micro, which has 1 GiB" in finding.message
    # What fits: floor(1,073,741,824 / 300,000,000) = 3 at once.
    assert finding.fix is not None and "concurrency to 3" in finding.fix
    assert not job.feasible and job.makespan_hours_p50 is None
    assert run(plan.format(count="", c=3)).jobs[0].feasible  # 900 MB of 1 GiB
    assert run(plan.format(count=", count: 2", c=5)).jobs[0].feasible  # ceil(5 / 2) = 3 on the busiest: 900 MB


def test_a_self_hosted_box_shares_its_memory_and_sets_the_default_concurrency() -> None:
    plan = """
name: j
resources:
  box: {{service: selfhost.machine, memory: 8GiB}}
jobs:
  agents: {{items: 4, runs_on: box, duration: 1min, memory: 3GB{c}}}
"""
    # By default as many at once as fit: floor(8 × 1,073,741,824 / 3,000,000,000) = 2 → 2 waves × 1 min.
    fitted = run(plan.format(c=""))
    assert fitted.jobs[0].concurrency == 2 and fitted.jobs[0].makespan_hours_p50 == pytest.approx(2 / 60)
    over = run(plan.format(c=", concurrency: 4"))  # 4 × 3 GB = 12 GB at once > 8 GiB
    (finding,) = [f for f in over.findings if f.code == "limit_exceeded"]
    assert finding.value == D(12_000_000_000) and finding.limit == D(8 * 2**30)


# -- one cause, one finding -------------------------------------------------------------------------------------------
def test_an_item_above_the_platform_and_the_configured_memory_is_one_finding() -> None:
    result = run("""
name: j
resources:
  w: {service: cloudflare.workers, plan: paid, memory: 128MB}
jobs:
  batch: {items: 10, runs_on: w, duration: 1s, cpu_time: 10ms, memory: 700MB, concurrency: 10}
""")
    (finding,) = [f for f in result.findings if f.code == "limit_exceeded"]
    assert "w is configured with 128 MB and Cloudflare Workers allows 128 MB" in finding.message
    assert finding.source is not None and "cloudflare.com" in finding.source  # the platform's ceiling and fix


def test_a_note_on_a_service_a_job_also_calls_names_the_resource_once() -> None:
    result = run("""
name: j
resources:
  w: {service: aws.lambda, memory: 256MB}
  yt: {service: google.youtube_data_api}
jobs:
  b: {items: 10, runs_on: w, duration: 1s, concurrency: 10, calls: {yt: {videos.list: 1}}}
""")
    notes = [f for f in result.findings if f.subject and f.subject.startswith("note:")]
    assert notes
    for note in notes:
        assert "[job b]" not in note.message.split(":")[0], note.message
        assert note.resource in ("w", "yt")


# -- calls by API method ----------------------------------------------------------------------------------------------
YOUTUBE = """
name: j
resources:
  w: {{service: aws.lambda, memory: 256MB}}
  yt: {{service: google.youtube_data_api}}
jobs:
  transcripts:
    items: {items}
    runs_on: w
    duration: 1min
    concurrency: 10
    calls: {{yt: {calls}}}
    start: "2026-03-02T00:00:00-08:00"
"""


def test_methods_cost_their_quota_units_and_196_items_fit_a_day_at_51_units() -> None:
    calls = "{captions.list: 1, videos.list: 1}"
    # captions.list 50 + videos.list 1 = 51 units per item; floor(10,000 / 51) = 196 items a day.
    # 196 items: ceil(196 / 10) = 20 waves × 1 min = 20 min, inside the first quota day.
    day = run(YOUTUBE.format(items=196, calls=calls))
    (job,) = day.jobs
    assert [(lim.name, lim.per_item, lim.per_day) for lim in job.limiters] == [("yt:units", 51.0, 10_000.0)]
    assert job.makespan_hours_p50 == pytest.approx(20 / 60) and job.day_resets == 0
    # The 197th waits for midnight Pacific: 24 h + 1 min.
    over = run(YOUTUBE.format(items=197, calls=calls))
    assert over.jobs[0].makespan_hours_p50 == pytest.approx((86_400 + 60) / 3600)
    assert over.jobs[0].bottleneck == "rate:yt:units:per_day"
    # Units derived for the month: 197 × 51 = 10,047.
    assert over.jobs[0].derived["yt [job transcripts]"] == {"units": 10_047.0}


def test_search_list_has_its_own_bucket_of_100_calls_a_day() -> None:
    result = run(YOUTUBE.format(items=101, calls="{search.list: 1, videos.list: 1}"))
    (job,) = result.jobs
    names = {lim.name: (lim.per_item, lim.per_day) for lim in job.limiters}
    # search.list: 1 call of a 100-a-day bucket; videos.list: 1 unit of the 10,000 (the bucket is not in the units).
    assert names == {"yt:units": (1.0, 10_000.0), "yt:search.list": (1.0, 100.0)}
    # 100 in the first day (10 waves of 1 min), the 101st after midnight Pacific: 24 h + 1 min.
    assert job.makespan_hours_p50 == pytest.approx((86_400 + 60) / 3600)
    assert job.bottleneck == "rate:yt:search.list:per_day"
    assert job.derived["yt [job transcripts]"] == {"units": 101.0}


def test_an_unknown_method_suggests_the_nearest() -> None:
    with pytest.raises(InputError) as info:
        run(YOUTUBE.format(items=1, calls="{captions.lst: 1}"))
    (problem,) = info.value.problems
    assert "takes no usage key or API method 'captions.lst'" in problem.message
    assert "did you mean captions.list?" in problem.message


@settings(max_examples=25, deadline=None)
@given(
    items=st.integers(min_value=1, max_value=60),
    concurrency=st.integers(min_value=1, max_value=8),
    minutes=st.integers(min_value=1, max_value=30),
    deadline=st.integers(min_value=1, max_value=300),
)
def test_a_fixed_batch_misses_its_deadline_exactly_when_the_closed_form_says(
    items: int, concurrency: int, minutes: int, deadline: int
) -> None:
    result = run(f"""
name: j
resources:
  w: {{service: gcp.cloud_run, cpu: 1, memory: 1GiB}}
jobs:
  b: {{items: {items}, runs_on: w, duration: {minutes}min, concurrency: {concurrency}, deadline: {deadline}min}}
""")
    makespan = -(-items // concurrency) * minutes  # ceil(items / c) waves × the fixed duration, in minutes
    missed = [f for f in result.findings if f.code == "deadline_exceeded"]
    assert bool(missed) == (makespan > deadline)
