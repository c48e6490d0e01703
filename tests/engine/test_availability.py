"""The availability section end to end on the packaged catalog (these tests are about GCP's published prices and
free tiers, B6-B8 of the research notes): the standby's hours set from the simulation, what sharing the e2-micro
pool does to a $0 bill, the monitor's and the heartbeat store's own usage, and the findings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.errors import InputError
from infrafit.plan.loader import load_plan

E2_MICRO = 0.0083764275  # us-central1/us-west1 $/h (catalog, Billing Catalog export)

BASE = """
name: failover
resources:
  standby:
    service: gcp.compute_engine
    region: us-west1
    type: e2-micro
  checker:
    service: gcp.cloud_run
    region: us-west1
    cpu: 1
    memory: 512MiB
    {checker}
{more}
availability:
  bot:
    primary: laptop
    standby: standby
    primary_uptime: 80%
    mean_outage: 4h
    heartbeat: {{every: 5min, timeout: {timeout}, checked_every: {check}, write_delay: {delay}{store}}}
    monitor: checker
    check_duration: {duration}
"""


def plan_text(
    *,
    checker: str = "usage: {duration: 200ms}",
    more: str = "",
    timeout: str = "15min",
    check: str = "1min",
    delay: str = "0s",
    store: str = "",
    duration: str = "200ms",
) -> str:
    return BASE.format(
        checker=checker, more=more, timeout=timeout, check=check, delay=delay, store=store, duration=duration
    )


def run(**kw: str) -> Result:
    return evaluate(load_plan("failover.yaml", text=plan_text(**kw)), seed=1)


def line(result: Result, name: str):  # type: ignore[no-untyped-def]
    return next(r for r in result.resources if r.name == name)


def test_standby_alone_stays_free_with_probability_one() -> None:
    # T = 15 min: δ = 15 − A + V, mean 13 min; ~140 h a month, well inside the 730 free e2-micro hours.
    result = run()
    report = result.sections["availability"][0]
    standby = line(result, "standby")
    hours = standby.components[0].quantity
    assert hours == Decimal(f"{report.standby_hours_mean:.2f}")  # set to the simulated mean
    assert 120 < report.standby_hours_mean < 160
    assert report.free_tier_fit_probability == 1.0
    assert result.total_monthly_cost == 0
    assert not [f for f in result.findings if f.code == "timeout_too_tight"]  # 15 ≥ 5 + 1 + 0


def test_another_e2_micro_eats_the_free_hours() -> None:
    # An always-on e2-micro in us-central1 takes all 730 free hours of the billing account: every standby hour is
    # billed, mean ≈ 144.5 h × $0.0083764275 ≈ $1.21 a month (research B6), and no simulated month stays at $0.
    more = "  always-on: {service: gcp.compute_engine, region: us-central1, type: e2-micro}"
    result = run(more=more, timeout="5min")
    report = result.sections["availability"][0]
    assert report.standby_hours_mean == pytest.approx(144.5, rel=0.01)
    # (pools are drawn in plan order, so the standby's hours are free and the later always-on VM pays for them)
    assert float(result.total_monthly_cost) == pytest.approx(144.5 * E2_MICRO, rel=0.01)
    assert float(result.total_monthly_cost) == pytest.approx(1.21, abs=0.02)
    assert report.free_tier_fit_probability == 0.0


def test_a_cloud_run_job_every_minute_costs_356_and_a_request_billed_service_nothing() -> None:
    # A job run every minute for 10 s at 1 vCPU: 43,800 × 10 s = 438,000 vCPU-s; instance-based free tier
    # 240,000 → 198,000 × $0.000018 = $3.564 a month (research B7). Memory 219,000 GiB-s < 450,000 free.
    job = run(checker="plan: instance", duration="10s")
    checker = line(job, "checker")
    assert float(checker.components[0].quantity) == pytest.approx(438000)
    assert checker.monthly_cost == Decimal("3.5640")
    # One Cloud Scheduler job triggers it: 3 free jobs per billing account → $0.
    trigger = line(job, "checker trigger [availability bot]")
    assert trigger.monthly_cost == 0 and trigger.components[0].quantity == 1
    # The same check on a request-billed service, 200 ms: 43,800 requests, 8,760 vCPU-s → free.
    service = run()
    checks = line(service, "checker checks [availability bot]")
    assert checks.components[0].quantity == Decimal(43800)
    assert service.total_monthly_cost == 0


def test_gcs_heartbeats_are_class_a_and_b_operations() -> None:
    # A primary up ~all month (mean outage 1 min at 99.99%): 730 × 60 / 5 = 8,760 writes (Class A) and
    # 43,800 reads (Class B). 8,760 − 5,000 free = 3,760 × $0.005/1,000 = $0.0188 (research B8); reads free.
    more = "  hb: {service: gcp.cloud_storage, region: us-west1}"
    text = plan_text(more=more, store=", store: hb").replace(
        "primary_uptime: 80%\n    mean_outage: 4h", "primary_uptime: 99.99%\n    mean_outage: 1min"
    )
    result = evaluate(load_plan("f.yaml", text=text), seed=1)
    ops = line(result, "hb heartbeats [availability bot]")
    class_a, class_b = ops.components
    assert float(class_a.quantity) == pytest.approx(8760, rel=0.001)
    assert class_b.quantity == Decimal(43800)
    assert float(ops.monthly_cost) == pytest.approx(0.0188, abs=0.0002)


def test_findings_on_seed000_design() -> None:
    result = evaluate(load_plan(Path("examples/seed000-hybrid-free-tier.yaml")))
    codes = {f.code: f for f in result.findings}
    assert codes["monitor_on_standby"].severity.value == "error"
    tight = codes["timeout_too_tight"]
    assert tight.value == Decimal("1460.00")  # (730·60/5)·min(1, (5 + 1/6 − 5)/1) = 8,760/6
    assert "timeout ≥ 3 × every (15 min)" in (tight.fix or "") and "13 min" in (tight.fix or "")
    assert "drive_is_not_cloud_storage" in codes


def test_a_check_every_30s_cannot_be_scheduled() -> None:
    result = run(check="30s")
    found = [f for f in result.findings if f.code == "check_cadence_unsupported"]
    assert found and found[0].severity.value == "error" and "60 s" in found[0].message


def test_hand_written_standby_hours_are_refused_where_they_are() -> None:
    text = plan_text().replace("type: e2-micro\n", "type: e2-micro\n    usage: {uptime: 20%}\n", 1)
    with pytest.raises(InputError) as err:
        evaluate(load_plan("f.yaml", text=text))
    assert "remove its usage.uptime" in str(err.value) and "f.yaml:" in str(err.value)


def test_outages_from_a_log(tmp_path: Path) -> None:
    # Two 2-hour outages 10 hours apart: the log's uptime is 10 / 14 = 71.4%.
    (tmp_path / "out.csv").write_text(
        "start,end\n2026-03-01T00:00:00,2026-03-01T02:00:00\n2026-03-01T12:00:00,2026-03-01T14:00:00\n"
    )
    text = plan_text().replace("primary_uptime: 80%\n    mean_outage: 4h", "outages: out.csv")
    plan_file = tmp_path / "p.yaml"
    plan_file.write_text(text)
    report = evaluate(load_plan(plan_file), seed=2).sections["availability"][0]
    assert "2 outages" in report.outages_from and "71.4%" in report.outages_from
    # cycles of 12 h, each with a 2 h outage: 60.8 outages a month, each running the standby ≈ 2 h − δ + ~0.5 min
    assert report.outages_per_month == pytest.approx(730 / 12, rel=0.02)
    (tmp_path / "out.csv").write_text("start,end\n2026-03-01T00:00:00,yesterday\n")
    with pytest.raises(InputError) as err:
        evaluate(load_plan(plan_file))
    assert "out.csv:2:" in str(err.value) and "ISO 8601" in str(err.value)
