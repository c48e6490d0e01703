"""The spread and the daily resets the HTML throughput chart draws: the p5–p95 band over the runs and the
quota-day boundaries the slowest run crosses."""

from __future__ import annotations

from datetime import UTC, datetime

from infrafit.dynamics import BatchJob, Duration, Limiter, simulate


def test_daily_quota_resets_and_a_band_that_holds_every_run() -> None:
    # 2,500 items of 60 s on 100 workers, 1,000 calls a day reset at UTC midnight, starting 2026-01-01 00:00 UTC:
    # day 1 takes 1,000 items (10 rounds of 60 s), day 2 the next 1,000, day 3 the last 500 (5 rounds), so the
    # job ends at 2 days + 300 s and crosses the resets at 24 h and 48 h.
    job = BatchJob(
        "b",
        2_500,
        Duration("fixed", 60.0),
        100,
        (Limiter("api", 1.0, per_day=1_000, daily_reset="00:00 UTC"),),
        start=datetime(2026, 1, 1, tzinfo=UTC),
    )
    result = simulate(job, replications=5)
    assert result.makespan_s_p50 == 2 * 86_400 + 300
    assert result.reset_s == [86_400.0, 172_800.0]
    # Fixed durations: every run is the same, so the band is the median line itself, from 0 to all 2,500.
    assert result.band[0][1:] == (0, 0) and result.band[-1][1:] == (2_500, 2_500)
    assert all(lo == hi for _, lo, hi in result.band)
    assert [h for h, _, _ in result.band] == sorted(h for h, _, _ in result.band)


def test_no_daily_limit_no_reset_markers_and_one_run_no_band() -> None:
    job = BatchJob("b", 10, Duration("uniform", 1.0, 3.0), 2)
    assert simulate(job, replications=1).band == []
    result = simulate(job, replications=20)
    assert result.reset_s == []
    assert all(lo <= hi for _, lo, hi in result.band)
