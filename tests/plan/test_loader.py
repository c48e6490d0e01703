from decimal import Decimal
from pathlib import Path

import pytest

from infrafit.errors import InputError
from infrafit.plan.loader import load_plan
from infrafit.units import Rate


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_plan("plan.yaml", text=text)
    return [str(p) for p in info.value.problems]


def test_a_good_plan_parses_units() -> None:
    plan = load_plan(
        "plan.yaml",
        text="""
name: my-app
budget: 25 USD
quotas: {aws.ec2.standard_vcpu: 16}
resources:
  api:
    service: gcp.cloud_run
    memory: 512Mi
    cpu: 500m
    usage: {requests: 5M/month, duration: 200ms, egress: 400MB/month, hours: 146}
""",
    )
    api = plan.resources["api"]
    assert plan.budget == Decimal(25)
    assert plan.quotas["aws.ec2.standard_vcpu"] == Decimal(16)
    assert api.memory == Decimal(512 * 2**20)
    assert api.cpu == Decimal("0.5")
    assert api.usage["requests"] == Rate(Decimal(5_000_000), "month")
    assert api.usage["duration"] == Decimal("0.2")
    assert api.usage["hours"] == Decimal(146)
    assert plan.month_hours == Decimal(730)


def test_yaml_syntax_error_names_file_line_and_column() -> None:
    (msg,) = problems("name: x\nresources:\n  api: {service: gcp.cloud_run\n")
    assert msg.startswith("plan.yaml:4:1: YAML syntax")


def test_tab_indentation_is_located() -> None:
    (msg,) = problems("name: x\nresources:\n\tapi: 1\n")
    assert msg.startswith("plan.yaml:3:1:")


def test_unknown_keys_suggest_the_nearest() -> None:
    msgs = problems("name: x\nbudgt: 3 USD\nresources:\n  api:\n    service: gcp.cloud_run\n    memroy: 1GiB\n")
    assert "plan.yaml:2:1: budgt: unknown key 'budgt' (did you mean budget?)" in msgs
    assert "plan.yaml:6:5: resources.api.memroy: unknown key 'memroy' (did you mean memory?)" in msgs


def test_bare_number_says_which_units_are_accepted() -> None:
    (msg,) = problems("name: x\nresources:\n  db:\n    service: gcp.firestore\n    usage:\n      storage: 500\n")
    assert msg.startswith("plan.yaml:6:7: resources.db.usage.storage: 500 needs a unit")
    assert "MB" in msg and "GiB" in msg


def test_bare_rate_and_bare_memory() -> None:
    msgs = problems(
        "name: x\nresources:\n  f:\n    service: aws.lambda\n    memory: 512\n    usage: {requests: 3000}\n"
    )
    assert any("resources.f.memory: 512 needs a unit" in m for m in msgs)
    assert any("resources.f.usage.requests: 3000 needs a unit" in m and "/month" in m for m in msgs)


def test_negative_quantities_are_refused() -> None:
    msgs = problems("name: x\nresources:\n  f:\n    service: aws.s3\n    count: -2\n    usage: {storage: -5GB}\n")
    assert any("storage" in m and "negative" in m for m in msgs)
    assert any("count" in m and "greater than or equal to 0" in m for m in msgs)


def test_duplicate_keys_are_refused() -> None:
    (msg,) = problems("name: x\nresources:\n  a: {service: aws.s3}\n  a: {service: aws.sqs}\n")
    assert msg == "plan.yaml:4:3: resources.a: duplicate key 'a'"


def test_missing_required_keys() -> None:
    msgs = problems("resources: {}\n")
    assert any("name: required key is missing" in m for m in msgs)


def test_missing_file_is_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_plan(tmp_path / "nope.yaml")


def test_not_a_mapping() -> None:
    (msg,) = problems("- a\n- b\n")
    assert "must be a YAML mapping" in msg


def test_yaml_booleans_in_names_get_a_hint() -> None:
    (msg,) = problems("name: off\nresources: {}\n")
    assert "quote it" in msg


JOB_PLAN = """name: x
resources:
  f: {{service: aws.lambda}}
jobs:
  b:
    items: 10
    runs_on: f
    duration: 1s
    {key}: 2
"""


def test_unknown_job_key_suggests_from_the_job() -> None:
    (msg,) = problems(JOB_PLAN.format(key="concurrancy"))
    assert msg == "plan.yaml:9:5: jobs.b.concurrancy: unknown key 'concurrancy' (did you mean concurrency?)"


def test_far_off_job_key_lists_the_job_keys() -> None:
    (msg,) = problems(JOB_PLAN.format(key="parallelism"))
    assert msg == (
        "plan.yaml:9:5: jobs.b.parallelism: unknown key 'parallelism' "
        "(valid: calls, concurrency, cpu_time, deadline, duration, items, memory, retries, runs_on, runs_per_month, start)"
    )


def test_unknown_retries_key_suggests_from_retries() -> None:
    text = "name: x\nresources: {}\njobs:\n  b:\n    items: 1\n    runs_on: f\n    duration: 1s\n    retries:\n      maxx: 3\n"
    (msg,) = problems(text)
    assert msg == "plan.yaml:9:7: jobs.b.retries.maxx: unknown key 'maxx' (did you mean max?)"
    (msg,) = problems(text.replace("maxx", "jitter"))
    assert msg == "plan.yaml:9:7: jobs.b.retries.jitter: unknown key 'jitter' (valid: backoff, failure_rate, max)"


def test_far_off_resource_key_lists_the_resource_keys() -> None:
    (msg,) = problems("name: x\nresources:\n  api:\n    service: gcp.cloud_run\n    zone: x\n")
    assert msg == (
        "plan.yaml:5:5: resources.api.zone: unknown key 'zone' (valid: count, cpu, daily_reset, disk, memory, plan, "
        "rate_limits, region, service, type, usage)"
    )


def test_bad_cpu_says_what_cpu_takes() -> None:
    (msg,) = problems("name: x\nresources:\n  api:\n    service: gcp.cloud_run\n    cpu: lots\n")
    assert msg.startswith("plan.yaml:5:5: resources.api.cpu: 'lots' is not a plain number")
    assert msg.endswith("; cpu takes vCPUs such as 2, 0.5 or 500m")
