"""The ``jobs:`` section's view: the jobs table of ``check``, the simulation detail of ``simulate``, the
throughput chart, a makespan row per job in ``compare``, and each job's JSON."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from infrafit.report.fmt import hours, money, number, seconds
from infrafit.report.grid import BLANK, HTML, MARKDOWN, ONLY_HTML, TERMINAL, Cell, Column, Grid, Row
from infrafit.report.sections.base import BaseView
from infrafit.report.wording import plural

if TYPE_CHECKING:
    from infrafit.engine.result import Result
    from infrafit.engine.sections.job_report import JobReport
    from infrafit.report.html.page import Page

SUMMARY = frozenset({TERMINAL, MARKDOWN})


def usage_text(key: str, value: float) -> str:
    """``requests 2,424.3``; a per-request duration (seconds) in its reader's unit."""
    return f"{key} {seconds(value) if key == 'duration' else number(value)}"


_WINDOWS = {"per_second": ("second", 1.0), "per_minute": ("minute", 60.0), "per_hour": ("hour", 3600.0)}
_WINDOWS["per_day"] = ("day", 86400.0)


def why_lines(job: JobReport) -> list[str]:
    """One line per rate window a job's items pass through, with the arithmetic: ``youtube:units: 10,000 a day at
    51 per item → 196 items a day → 12.1 days``; the binding one says so."""
    out = []
    for lim in job.limiters:
        for key, limit in lim.windows().items():
            word, window_s = _WINDOWS[key]
            per_window = limit / lim.per_item if lim.per_item else float("inf")
            at = f" at {number(lim.per_item)} per item" if lim.per_item != 1 else ""
            took = seconds(job.items / per_window * window_s) if per_window else "never"
            binds = "  ← binds" if job.bottleneck == f"rate:{lim.name}:{key}" else ""
            what = lim.name.rsplit(":", 1)[1] if ":" in lim.name else "calls"
            out.append(
                f"{lim.name}: {number(limit)} {what} a {word}{at} → {number(round(per_window, 1))} items a {word} "
                f"→ {took} for {job.items:,} items{binds}"
            )
    if job.bottleneck in ("concurrency", "duration"):
        out.append(f"{job.bottleneck}: {job.concurrency or '-':,} items at once  ← binds")
    return out


def jobs_grid(jobs: Sequence[JobReport]) -> Grid:
    """Makespan, rate and bottleneck of each job; the terminal and Markdown say it briefly, HTML in full. Under
    it, why: a line per rate window for a job that runs, the reasons for one that cannot."""
    rows = []
    notes = []
    for job in jobs:
        ok = job.feasible
        reasons = "; ".join(job.reasons)
        rate = job.items_per_hour
        neck = Cell(text=job.bottleneck) if ok else Cell(text="cannot run", tone="bad", icon="❌")
        rows.append(
            Row(
                cells=[
                    Cell(text=job.name, strong=True, tone="" if ok else "bad"),
                    Cell(text=job.name),
                    BLANK if ok else Cell(text="cannot run", tone="bad", badge=True),
                    Cell(text=job.runs_on, alt={TERMINAL: f"{job.runs_on} ({job.service})"}),
                    Cell(text=f"{job.items:,}"),
                    Cell(text=f"{job.concurrency:,}" if job.concurrency else "-"),
                    Cell(text=hours(job.makespan_hours_p50)),
                    Cell(text=hours(job.makespan_hours_p95)),
                    Cell(text=hours(job.makespan_hours_p95)),
                    Cell(text="-" if rate is None else number(round(rate))),
                    Cell(text="-" if rate is None else number(round(rate, 1))),
                    neck,
                    Cell(text=job.bottleneck or "-"),
                    Cell(text=job.bottleneck_detail or reasons),
                ]
            )
        )
        if not ok:
            notes.append(f"{job.name} cannot run: {reasons}")
        else:
            why = why_lines(job)
            if why:
                notes += [f"why {job.name} takes {hours(job.makespan_hours_p50)}:", *[f"  {w}" for w in why]]
    return Grid(
        title="Jobs",
        columns=[
            Column(title="job", formats=SUMMARY, key=True),
            Column(title="job", formats=ONLY_HTML),
            Column(title="", formats=ONLY_HTML),
            Column(title="runs on", formats=SUMMARY),
            Column(title="items", numeric=True, formats=SUMMARY),
            Column(title="at once", numeric=True, formats=SUMMARY),
            Column(title="makespan p50", numeric=True),
            Column(title="p95", numeric=True, formats=SUMMARY),
            Column(title="makespan p95", numeric=True, formats=ONLY_HTML),
            Column(title="items/h", numeric=True, formats=SUMMARY),
            Column(title="items/hour", numeric=True, formats=ONLY_HTML),
            Column(title="bottleneck", formats=SUMMARY, key=True),
            Column(title="bottleneck", formats=ONLY_HTML),
            Column(title="why", formats=ONLY_HTML),
        ],
        rows=rows,
        notes=[
            *notes,
            *(deadline_note(job) for job in jobs if job.deadline_hours is not None),
            *(f"{job.name}: {text}" for job in jobs for text in job.assumptions),
        ],
    )


def deadline_note(job: JobReport) -> str:
    """Whether the job meets its deadline, in the words of the report: p95 against the deadline."""
    deadline = job.deadline_hours
    p95 = job.makespan_hours_p95
    given = (
        f"{deadline:,.0f} h"
        if deadline is not None and 1 <= deadline < 48 and deadline.is_integer()
        else hours(deadline)
    )
    if p95 is None or deadline is None:
        return f"{job.name}: cannot run, so its deadline of {given} is not checked"
    verdict = "misses" if p95 > deadline else "meets"
    return f"{job.name}: {verdict} its deadline of {given} (p95 makespan {hours(p95)})"


def phases(job: JobReport, most: int = 14) -> list[tuple[float, int, bool]]:
    """The median run's timeline as phases (end hour, items done, running): a row where the batch starts or
    stops moving (a daily quota used up, a reset) rather than evenly spaced samples that show stalls which are
    not there. A pause shorter than a twentieth of the run is part of the running around it; a run with no pause
    is shown in quarters."""
    points = [(0.0, 0), *job.timeline] if job.timeline and job.timeline[0][0] > 0 else list(job.timeline)
    if len(points) < 2:
        return []
    end = points[-1][0]
    out: list[tuple[float, int, bool]] = []
    for (_, n0), (t1, n1) in itertools.pairwise(points):
        moving = n1 > n0
        if out and out[-1][2] == moving:
            out[-1] = (t1, n1, moving)
        else:
            out.append((t1, n1, moving))
    merged: list[tuple[float, int, bool]] = []
    start = 0.0
    for t, n, moving in out:
        short = not moving and t - start < end / 20 and t < end
        if merged and (short or merged[-1][2]) and (moving or short):
            merged[-1] = (t, n, True)
        else:
            merged.append((t, n, moving or short))
        start = t
    if len(merged) == 1 or len(merged) > most:
        step = max(1, (len(points) - 1) // 4) if len(merged) == 1 else max(1, (len(points) - 1) // most)
        merged = [(t, n, True) for t, n in points[step::step]]
        if merged[-1][0] != end:
            merged.append((end, points[-1][1], True))
    return merged


def timeline_grid(job: JobReport, width: int = 20) -> Grid:
    """Items completed over time, a row per phase of the median run, with a bar: where a daily quota stalls a
    batch, a row says so."""
    daily = job.bottleneck.endswith(":per_day")
    rows = []
    previous = (0.0, 0)
    for t, done, moving in phases(job):
        rate = (done - previous[1]) / (t - previous[0]) if t > previous[0] else 0.0
        state = "running" if moving else ("waits for reset" if daily else "waiting")
        rows.append(
            Row(
                cells=[
                    Cell(text=hours(t)),
                    Cell(text=f"{done:,}"),
                    Cell(text=number(round(rate)) if moving else "0"),
                    Cell(text=state, tone="" if moving else "warn"),
                    Cell(text="█" * round(width * done / max(job.items, 1)), tone="ok"),
                ]
            )
        )
        previous = (t, done)
    columns = [
        Column(title="until", numeric=True),
        Column(title="done", numeric=True),
        Column(title="per hour", numeric=True),
        Column(title=""),
        Column(title=""),
    ]
    return Grid(
        title=f"{job.name}: items completed over time (median run)",
        columns=columns,
        rows=rows,
        edge=False,
        compact=True,
    )


class JobsView(BaseView["JobReport"]):
    key = "jobs"
    title = "Batch jobs"
    simulated = True

    def summary(self, reports: Sequence[JobReport]) -> list[Grid]:
        return [jobs_grid(reports)]

    def detail(self, result: Result, reports: Sequence[JobReport]) -> list[Grid | Cell]:
        out: list[Grid | Cell] = [Cell(text=f"{result.plan}: {plural(len(reports), 'job')}", strong=True)]
        if not reports:
            return [*out, Cell(text="this plan has no jobs: add a `jobs:` section (see the README)")]
        out.append(jobs_grid(reports))
        for job in reports:
            if job.feasible and job.timeline:
                line = (
                    f"{job.name}: {job.replications} simulated runs ({job.method} engine); "
                    f"{number(round(job.attempts, 1))} attempts on average (retries included), "
                    f"{plural(job.day_resets, 'daily reset')} crossed"
                )
                out += [Cell(text=line, tone="dim"), timeline_grid(job)]
        usage = [
            Row(cells=[Cell(text=name), Cell(text=", ".join(usage_text(k, v) for k, v in values.items()))])
            for job in reports
            for name, values in job.derived.items()
        ]
        columns = [Column(title="line", key=True), Column(title="usage per month", label="")]
        out.append(Grid(title="Usage the jobs imply (priced in `infrafit check`)", columns=columns, rows=usage))
        cost = sum((r.monthly_cost for r in result.resources if r.origin != "plan"), start=Decimal(0))
        out.append(Cell(text=f"cost of the jobs' usage: {money(cost)}/month of {money(result.total_monthly_cost)}"))
        return out

    def charts(self, page: Page, reports: Sequence[JobReport]) -> list[str]:
        """The throughput chart: each job's median run, its p5–p95 band and the daily resets (HTML only)."""
        from infrafit.report.html.throughput import throughput_figure

        figure = throughput_figure(page, [(job.name, job) for job in reports])
        return [figure] if figure else []

    def compare_charts(self, page: Page, labelled: Sequence[tuple[str, Sequence[JobReport]]]) -> list[str]:
        """One throughput chart for every plan's jobs, a plan whose job cannot run named on it."""
        from infrafit.report.html.throughput import throughput_figure

        series = [(f"{label}: {job.name}", job) for label, jobs in labelled for job in jobs]
        figure = throughput_figure(page, series)
        return [figure] if figure else []

    def compare_rows(self, per_plan: Sequence[Sequence[JobReport]]) -> list[Row]:
        """One row per job name: how long it takes on each plan (median of the simulated runs)."""
        names: list[str] = []
        for jobs in per_plan:
            names += [j.name for j in jobs if j.name not in names]
        rows = []
        for name in names:
            cells = []
            for jobs in per_plan:
                job = next((j for j in jobs if j.name == name), None)
                if job is None:
                    cells.append(Cell(text="-"))
                elif not job.feasible:
                    cells.append(Cell(text="cannot run"))
                else:
                    p50 = job.makespan_hours_p50
                    cells.append(Cell(text="?" if p50 is None else hours(p50)))
            rows.append(Row(cells=[Cell(text=f"job {name} (p50)", alt={HTML: f"job {name}"}), *cells]))
        return rows

    def json_schema(self) -> dict[str, Any]:
        from infrafit.engine.sections.job_report import JobReport, LimiterUse
        from infrafit.report.json_schema import record_schema

        hours = {"type": ["number", "null"]}
        return record_schema(
            JobReport,
            rename={"derived": "derived_usage"},
            drop=("makespan_hours_p50", "makespan_hours_p95", "limiters", "timeline", "timeline_band", "reset_hours"),
            extra={
                "makespan_hours": {
                    "type": "object",
                    "description": "hours the batch takes: median and 95th percentile over the simulated runs",
                    "properties": {"p50": hours, "p95": hours},
                    "required": ["p50", "p95"],
                },
                "limiters": {
                    "type": "array",
                    "items": record_schema(LimiterUse, optional=("per_second", "per_minute", "per_hour", "per_day")),
                },
                "timeline": {
                    "type": "array",
                    "description": "items completed over time in the median run",
                    "items": {
                        "type": "object",
                        "properties": {"hours": {"type": "number"}, "completed": {"type": "integer"}},
                        "required": ["hours", "completed"],
                    },
                },
            },
        )

    def to_json(self, report: JobReport) -> dict[str, Any]:
        """The JSON contract's keys, in this order; a limiter names only the windows it sets."""
        return {
            "name": report.name,
            "feasible": report.feasible,
            "makespan_hours": {"p50": report.makespan_hours_p50, "p95": report.makespan_hours_p95},
            "bottleneck": report.bottleneck,
            "items_per_hour": report.items_per_hour,
            "bottleneck_detail": report.bottleneck_detail,
            "runs_on": report.runs_on,
            "service": report.service,
            "items": report.items,
            "concurrency": report.concurrency,
            "concurrency_source": report.concurrency_source,
            "attempts": report.attempts,
            "failed_items": report.failed_items,
            "day_resets": report.day_resets,
            "limiters": [
                {"name": lim.name, "per_item": lim.per_item, **lim.windows(), "daily_reset": lim.daily_reset}
                for lim in report.limiters
            ],
            "reasons": list(report.reasons),
            "derived_usage": {line: dict(usage) for line, usage in report.derived.items()},
            "timeline": [{"hours": h, "completed": n} for h, n in report.timeline],
            "method": report.method,
            "replications": report.replications,
            "start": report.start,
            "deadline_hours": report.deadline_hours,
            "cpu_time_seconds": report.cpu_time_seconds,
            "assumptions": list(report.assumptions),
        }
