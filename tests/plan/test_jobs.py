from decimal import Decimal

import pytest

from infrafit.errors import InputError
from infrafit.plan.jobs import DurationSpec, parse_duration_spec
from infrafit.plan.loader import load_plan

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4min", DurationSpec("fixed", D(240))),
        ("3-5min", DurationSpec("uniform", D(180), D(300))),
        ("90s-2min", DurationSpec("uniform", D(90), D(120))),
        ({"lognormal": {"median": "4min", "p95": "7min"}}, DurationSpec("lognormal", D(240), D(420))),
        ({"exponential": {"mean": "30s"}}, DurationSpec("exponential", D(30))),
        ({"uniform": {"low": "1s", "high": "3s"}}, DurationSpec("uniform", D(1), D(3))),
    ],
)
def test_duration_forms(value: object, expected: DurationSpec) -> None:
    assert parse_duration_spec(value) == expected


def test_worst_case_duration_is_what_limits_are_held_against() -> None:
    assert parse_duration_spec("3-5min").worst == D(300)
    assert parse_duration_spec({"lognormal": {"median": "4min", "p95": "7min"}}).worst == D(420)


@pytest.mark.parametrize(
    ("job", "needle"),
    [
        ("{items: 10, runs_on: f, duration: 5}", "needs a unit"),
        ("{items: 10, runs_on: f, duration: 5-3min}", "upper end"),
        ("{items: 10, runs_on: f, duration: 1s, start: '2026-11-23T09:00:00'}", "UTC offset"),
        ("{items: 10, runs_on: f, duration: 1s, retries: {failure_rate: 100%}}", "below 100%"),
        ("{items: 0, runs_on: f, duration: 1s}", "greater than 0"),
        ("{items: 10, runs_on: f, duration: 1s, callz: {}}", "unknown key 'callz'"),
        ("{items: 10, runs_on: f, duration: 1s, deadline: 0h}", "deadline must be above 0"),
        ("{items: 10, runs_on: f, duration: 1s, deadline: 3}", "needs a unit"),
        ("{items: 10, runs_on: f, duration: 1s, cpu_time: 5 apples}", "cpu_time"),
    ],
)
def test_bad_jobs_are_refused_with_a_location(job: str, needle: str) -> None:
    text = f"name: x\nresources:\n  f: {{service: aws.lambda}}\njobs:\n  j: {job}\n"
    with pytest.raises(InputError) as info:
        load_plan("plan.yaml", text=text)
    messages = [str(p) for p in info.value.problems]
    assert any(needle in m and "plan.yaml:5:" in m for m in messages), messages


def test_worst_case_of_an_exponential_is_its_mean_times_ln_20_to_six_places() -> None:
    assert parse_duration_spec({"exponential": {"mean": "30s"}}).worst == D("89.87196")  # 30 × 2.995732


def test_mean_of_each_shape() -> None:
    import math

    assert DurationSpec("fixed", D(240)).mean() == D(240)
    assert DurationSpec("uniform", D(180), D(300)).mean() == D(240)  # (a + b) / 2
    assert DurationSpec("exponential", D(30)).mean() == D(30)
    sigma = math.log(420 / 240) / 1.6448536269514722
    assert float(DurationSpec("lognormal", D(240), D(420)).mean()) == pytest.approx(240 * math.exp(sigma**2 / 2))


def test_p95_of_each_shape() -> None:
    import math

    assert DurationSpec("fixed", D(240)).p95() == D(240)
    assert DurationSpec("uniform", D(100), D(200)).p95() == D(195)  # 95% of the way up
    assert DurationSpec("lognormal", D(240), D(420)).p95() == D(420)
    assert float(DurationSpec("exponential", D(30)).p95()) == pytest.approx(-30 * math.log(0.05))


def test_lognormal_sigma_comes_from_median_and_p95() -> None:
    import math
    from statistics import NormalDist

    from infrafit.plan.jobs import Z95

    assert NormalDist().inv_cdf(0.95) == pytest.approx(Z95, abs=1e-12)
    assert DurationSpec("lognormal", D(60), D(120)).sigma == pytest.approx(math.log(2) / 1.6448536269514722)
    assert DurationSpec("uniform", D(60), D(120)).sigma == 0.0


def test_a_job_serialises_its_duration_cleanly() -> None:
    import json
    import warnings

    from infrafit.plan.jobs import Job

    job = Job(items=3, runs_on="f", duration="3-5min")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dumped = json.loads(job.model_dump_json())
    assert dumped["duration"] == {"kind": "uniform", "a": "180", "b": "300"}


def test_deadline_and_cpu_time_are_read_in_seconds() -> None:
    from infrafit.plan.jobs import Job

    job = Job(items=3, runs_on="f", duration="3-5min", deadline="3h", cpu_time="50ms")
    assert (job.deadline, job.cpu_time) == (D(10_800), D("0.05"))  # 3 × 3,600 s; 50 / 1,000 s
    assert Job(items=3, runs_on="f", duration="1s").deadline is None


@pytest.mark.parametrize(
    ("value", "text"),
    [("4min", "4 min"), ("3-5min", "3–5 min"), ("90s-2min", "90 s–2 min"), ("1.5s", "1.5 s"), ("3h", "3 h")],
)
def test_durations_are_described_as_written(value: str, text: str) -> None:
    assert parse_duration_spec(value).describe() == text
