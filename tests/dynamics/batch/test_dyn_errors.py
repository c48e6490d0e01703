"""Jobs that cannot run are refused with a message, never simulated for ever."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from typing import Literal

import pytest

from infrafit.dynamics import BatchJob, Duration, HorizonExceeded, InfeasibleJob, Limiter, simulate

Engine = Literal["fast", "des"]


def test_attempt_costlier_than_the_window_is_infeasible() -> None:
    job = BatchJob("x", 10, Duration.fixed(1), 1, (Limiter("yt", cost_per_item=50, per_minute=10),))
    with pytest.raises(InfeasibleJob, match=r"allows 10 per minute but one attempt costs 50"):
        simulate(job)


@pytest.mark.parametrize("method", ["fast", "des"])
def test_zero_budget_is_infeasible(method: Engine) -> None:
    job = BatchJob("x", 1, Duration.fixed(1), 1, (Limiter("api", per_day=0),))
    with pytest.raises(InfeasibleJob, match="no item can ever start"):
        simulate(job, method=method)


def test_horizon_refused_up_front() -> None:
    # 1,000,000 items at 200 per day need 5,000 days: refused before simulating anything.
    yt = Limiter("yt", cost_per_item=50, per_day=10_000)
    job = BatchJob("big", 1_000_000, Duration.fixed(1), 100, (yt,))
    with pytest.raises(HorizonExceeded, match=r"rate:yt:per_day"):
        simulate(job, replications=1)


@pytest.mark.parametrize("method", ["fast", "des"])
def test_horizon_guard_while_running(method: Engine) -> None:
    # Exponential durations have no positive lower bound, so only the running guard can catch this:
    # 20 items of ~1 day each on one worker, with a 2-day horizon.
    job = BatchJob("slow", 20, Duration.exponential(86400), 1)
    with pytest.raises(HorizonExceeded, match="still running after 2 simulated days"):
        simulate(job, replications=1, method=method, horizon_days=2)
    assert issubclass(HorizonExceeded, InfeasibleJob)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"items": -1}, "items"),
        ({"concurrency": 0}, "concurrency"),
        ({"failure_rate": 1.5}, "failure_rate"),
        ({"max_retries": -1}, "max_retries"),
        ({"backoff_s": -1.0}, "backoff_s"),
        ({"start": datetime(2026, 1, 1)}, "timezone-aware"),
        ({"arrival_rate": 0.0}, "arrival_rate"),
        ({"limiters": (Limiter("a"), Limiter("a"))}, "unique"),
    ],
)
def test_bad_jobs(kwargs: dict[str, object], match: str) -> None:
    base: dict[str, object] = {"name": "j", "items": 1, "duration": Duration.fixed(1), "concurrency": 1}
    with pytest.raises(ValueError, match=match):
        simulate(BatchJob(**(base | kwargs)), replications=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"cost_per_item": -1.0}, "cost_per_item"),
        ({"per_minute": -5.0}, "per_minute"),
        ({"daily_reset": "midnight-ish"}, "unknown IANA time zone"),
        ({"daily_reset": "25:00 UTC"}, "not a time of day"),
        ({"daily_reset": "00:00 Mars/Olympus"}, "unknown IANA"),
    ],
)
def test_bad_limiters(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Limiter("l", **kwargs)  # type: ignore[arg-type]


def test_bad_arguments() -> None:
    job = BatchJob("j", 1, Duration.fixed(1), 1)
    with pytest.raises(ValueError, match="replications"):
        simulate(job, replications=0)
    with pytest.raises(ValueError, match="method"):
        simulate(job, method="slow")  # type: ignore[arg-type]


def test_import_does_not_load_simpy() -> None:
    code = (
        "import sys, infrafit.dynamics; "
        "assert 'simpy' not in sys.modules, 'simpy imported eagerly'; "
        "assert 'infrafit.dynamics.batch.des' not in sys.modules, 'des imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
