"""Deterministic jobs whose makespan can be worked out by hand, run on both engines."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import pytest

from infrafit.dynamics import BatchJob, Duration, Limiter, simulate

Engine = Literal["fast", "des"]

LA = ZoneInfo("America/Los_Angeles")
LA_MIDNIGHT = "00:00 America/Los_Angeles"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


ENGINES = ["fast", "des"]


@pytest.mark.parametrize("method", ENGINES)
def test_waves_without_limiters(method: Engine) -> None:
    # 2,376 items of 4 min on 100 workers: ceil(2376 / 100) = 24 waves of 240 s = 5,760 s.
    job = BatchJob("videos", 2376, Duration.fixed(240), 100)
    r = simulate(job, replications=2, method=method)
    assert math.ceil(2376 / 100) * 240 == 5760
    assert r.makespan_s_p50 == 5760.0
    assert r.makespan_s_p95 == 5760.0
    assert r.makespan_samples == [5760.0, 5760.0]
    assert r.method == method
    assert r.bottleneck == "concurrency"
    assert r.attempts == 2376
    assert r.failed_items == 0
    assert r.worker_seconds == 2376 * 240  # 570,240 worker-seconds for GB-s costing
    assert r.items_per_hour == pytest.approx(2376 / (5760 / 3600))  # 1,485 items/h
    # Item i starts in wave i // 100 and waits 240 s per wave before it:
    # sum of waves = 100 * (0 + ... + 22) + 76 * 23 = 25,300 + 1,748 = 27,048.
    assert r.mean_wait_s == pytest.approx(240 * 27048 / 2376)
    assert r.day_resets == 0


@pytest.mark.parametrize("method", ENGINES)
def test_per_minute_limiter_binds(method: Engine) -> None:
    # 15 starts per minute: 1,000 items need ceil(1000 / 15) = 67 minute windows, the last opening at
    # minute 66; its starts run 1 s. Makespan = 66 * 60 + 1 = 3,961 s.
    job = BatchJob("llm", 1000, Duration.fixed(1), 1000, (Limiter("llm", per_minute=15),))
    r = simulate(job, replications=1, method=method)
    assert math.ceil(1000 / 15) == 67
    assert r.makespan_s_p50 == 66 * 60 + 1
    assert r.bottleneck == "rate:llm:per_minute"
    assert "67 windows" in r.bottleneck_detail
    assert r.limiter_calls == {"llm": 1000.0}


@pytest.mark.parametrize("method", ENGINES)
def test_minute_windows_follow_the_clock(method: Engine) -> None:
    # Starting at 00:00:30 the first minute window has 30 s left, so the 67th window opens at
    # 30 + 65 * 60 = 3,930 s; makespan 3,931 s, 30 s shorter than an aligned start.
    job = BatchJob(
        "llm", 1000, Duration.fixed(1), 1000, (Limiter("llm", per_minute=15),), start=utc(2026, 1, 1, 0, 0, 30)
    )
    assert simulate(job, replications=1, method=method).makespan_s_p50 == 30 + 65 * 60 + 1


@pytest.mark.parametrize("method", ENGINES)
def test_per_hour_windows(method: Engine) -> None:
    # 100 per hour from 00:30: [0, 1800 s) takes 100, [1800, 5400) takes 100, the last 50 start at 5,400 s.
    job = BatchJob("h", 250, Duration.fixed(1), 1000, (Limiter("api", per_hour=100),), start=utc(2026, 1, 1, 0, 30))
    assert simulate(job, replications=1, method=method).makespan_s_p50 == 5400 + 1


@pytest.mark.parametrize("method", ENGINES)
def test_second_and_minute_windows_together(method: Engine) -> None:
    # 2/s and 100/min: seconds 0..49 start 2 each (100, minute full), wait to 60 s, then seconds 60..84
    # start the last 50; makespan 84 + 1 = 85 s. The head waits 1 s per second-window 49 + 24 = 73 times
    # and 49 -> 60 s (11 s) on the minute window, the one that frees up last.
    api = Limiter("api", per_second=2, per_minute=100)
    r = simulate(BatchJob("s", 150, Duration.fixed(1), 1000, (api,)), replications=1, method=method)
    assert r.makespan_s_p50 == 85
    assert r.blocked_s["rate:api:per_second"] == pytest.approx(73)
    assert r.blocked_s["rate:api:per_minute"] == pytest.approx(11)
    assert r.blocked_s["concurrency"] == 0


@pytest.mark.parametrize("method", ENGINES)
def test_per_day_quota_across_two_resets(method: Engine) -> None:
    # YouTube-like: 10,000 units/day at 50 units per item = 200 items per quota day. Start at 07:00 UTC
    # on 2026-03-01 = 23:00 PST, one hour before the Los Angeles midnight (08:00 UTC).
    # Day 1 [0, 3600 s): 200 items (100 at 0 s, 100 at 240 s on 100 workers).
    # Day 2 [3600, 90000): 200 items (100 at 3,600 s, 100 at 3,840 s).
    # Day 3 from 3600 + 86400 = 90,000 s: the last 100 start; they end at 90,000 + 240 = 90,240 s.
    yt = Limiter("youtube", cost_per_item=50, per_day=10_000, daily_reset=LA_MIDNIGHT)
    job = BatchJob("yt", 500, Duration.fixed(240), 100, (yt,), start=utc(2026, 3, 1, 7))
    r = simulate(job, replications=1, method=method)
    assert r.makespan_s_p50 == 3600 + 86400 + 240
    assert r.day_resets == 2
    assert r.bottleneck == "rate:youtube:per_day"
    assert r.limiter_calls == {"youtube": 500 * 50}
    # The timeline is flat during the quota wait and ends with every item done.
    assert r.timeline[-1][0] == pytest.approx(90240 / 3600)
    assert r.timeline[-1][1] == 500
    assert all(b[1] >= a[1] for a, b in zip(r.timeline, r.timeline[1:], strict=False))


@pytest.mark.parametrize("method", ENGINES)
def test_daily_reset_follows_dst(method: Engine) -> None:
    # Start 2026-03-07 07:00 UTC (23:00 PST on the 6th). LA midnights: 03-07 08:00 UTC (t = 3,600 s),
    # 03-08 08:00 UTC (t = 90,000 s) and, DST having begun at 02:00 on the 8th, 03-09 00:00 PDT =
    # 07:00 UTC (t = 90,000 + 23 h = 172,800 s). 700 items at 200/day: 200 + 200 + 200 + 100, so the last
    # start is the third reset and the makespan 172,800 + 60 s (it would be 176,460 s without DST).
    yt = Limiter("youtube", cost_per_item=50, per_day=10_000, daily_reset=LA_MIDNIGHT)
    job = BatchJob("dst", 700, Duration.fixed(60), 1000, (yt,), start=utc(2026, 3, 7, 7))
    r = simulate(job, replications=1, method=method)
    assert r.makespan_s_p50 == 3600 + 86400 + 23 * 3600 + 60
    assert r.day_resets == 3


@pytest.mark.parametrize("method", ENGINES)
def test_daily_reset_follows_dst_fall_back(method: Engine) -> None:
    # Start 2026-10-31 06:00 UTC (23:00 PDT on the 30th). LA midnights: 10-31 07:00 UTC (t = 3,600 s),
    # 11-01 07:00 UTC (t = 90,000 s) and, DST having ended at 02:00 on 11-01, 11-02 00:00 PST =
    # 08:00 UTC (t = 90,000 + 25 h = 180,000 s). 700 items at 200/day: last start at 180,000 s.
    yt = Limiter("youtube", cost_per_item=50, per_day=10_000, daily_reset=LA_MIDNIGHT)
    job = BatchJob("dst", 700, Duration.fixed(60), 1000, (yt,), start=utc(2026, 10, 31, 6))
    r = simulate(job, replications=1, method=method)
    assert r.makespan_s_p50 == 3600 + 86400 + 25 * 3600 + 60
    assert r.day_resets == 3


@pytest.mark.parametrize("method", ENGINES)
@pytest.mark.parametrize(
    ("month", "reset_hour_utc"),
    [(1, 8), (7, 7)],  # LA midnight is 08:00 UTC in winter (PST, UTC-8) and 07:00 UTC in summer (PDT)
)
@pytest.mark.parametrize("start_hour", [0, 5, 7, 8, 13, 23])
def test_daily_reset_aligned_to_la_midnight_from_any_utc_hour(
    method: Engine, month: int, reset_hour_utc: int, start_hour: int
) -> None:
    # 400 items at 200/day: the second 200 start at the first LA midnight after the start, i.e.
    # (reset_hour - start_hour) mod 24 hours later (a start exactly at the reset waits a full day).
    yt = Limiter("youtube", cost_per_item=50, per_day=10_000, daily_reset=LA_MIDNIGHT)
    start = utc(2026, month, 15, start_hour)
    job = BatchJob("tz", 400, Duration.fixed(60), 1000, (yt,), start=start)
    r = simulate(job, replications=1, method=method)
    wait_h = (reset_hour_utc - start_hour) % 24 or 24
    assert r.makespan_s_p50 == wait_h * 3600 + 60
    last_start = start + timedelta(seconds=r.makespan_s_p50 - 60)
    assert last_start.astimezone(LA).hour == 0 and last_start.astimezone(LA).minute == 0
    assert r.day_resets == 1


def test_start_in_another_zone_is_the_same_instant() -> None:
    # 23:00 PST on 2026-02-28 is 07:00 UTC on 2026-03-01: same job as the per-day test, same answer.
    yt = Limiter("youtube", cost_per_item=50, per_day=10_000, daily_reset=LA_MIDNIGHT)
    job = BatchJob("yt", 500, Duration.fixed(240), 100, (yt,), start=datetime(2026, 2, 28, 23, tzinfo=LA))
    assert simulate(job, replications=1).makespan_s_p50 == 90240


def test_utc_midnight_is_the_default_reset() -> None:
    # Without daily_reset the quota day turns at 00:00 UTC: from 23:00 UTC, 200 now, 200 an hour later.
    api = Limiter("api", per_day=200)
    job = BatchJob("u", 400, Duration.fixed(10), 1000, (api,), start=utc(2026, 1, 1, 23))
    r = simulate(job, replications=1)
    assert r.makespan_s_p50 == 3600 + 10
    assert r.day_resets == 1


def test_nothing_binds_when_everything_starts_at_once() -> None:
    r = simulate(BatchJob("small", 10, Duration.fixed(240), 100, (Limiter("llm", per_minute=60),)), replications=1)
    assert r.makespan_s_p50 == 240
    assert r.bottleneck == "duration"
    assert "no start ever waited" in r.bottleneck_detail


def test_zero_items() -> None:
    r = simulate(BatchJob("none", 0, Duration.fixed(1), 1))
    assert r.makespan_s_p50 == 0 and r.attempts == 0 and r.bottleneck == "none"
    assert r.timeline == [(0.0, 0)]


def test_timeline_is_short_and_monotone() -> None:
    job = BatchJob("videos", 2376, Duration.uniform(180, 300), 100)
    r = simulate(job, replications=5)
    assert 2 <= len(r.timeline) <= 200
    assert r.timeline[0] == (0.0, 0)
    hours = [h for h, _ in r.timeline]
    counts = [c for _, c in r.timeline]
    assert hours == sorted(hours) and counts == sorted(counts)
    assert counts[-1] == 2376
    assert hours[-1] == pytest.approx(sorted(r.makespan_samples)[2] / 3600)  # the p50 run of 5


def test_zero_cost_limiter_counts_but_never_blocks() -> None:
    free = Limiter("logging", cost_per_item=0, per_second=1)
    counted = Limiter("billing")  # no budget: reported for costing only
    r = simulate(BatchJob("z", 100, Duration.fixed(1), 100, (free, counted)), replications=1)
    assert r.makespan_s_p50 == 1
    assert r.limiter_calls == {"logging": 0.0, "billing": 100.0}
