"""The ``jobs:`` section's view: the jobs table of ``check``, the simulation detail of ``simulate``, the
throughput chart, a makespan row per job in ``compare``, and each job's JSON."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from infrafit.report.fmt import hours, money
from infrafit.report.grid import BLANK, HTML, MARKDOWN, ONLY_HTML, TERMINAL, Cell, Column, Grid, Row
from infrafit.report.sections.base import BaseView

if TYPE_CHECKING:
    from infrafit.engine.result import Result
    from infrafit.engine.sections.job_report import JobReport
    from infrafit.report.html.page import Page

SUMMARY = frozenset({TERMINAL, MARKDOWN})


def _or_dash(value: float | None, spec: str, unit: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{unit}"


def jobs_grid(jobs: Sequence[JobReport]) -> Grid:
    """Makespan, rate and bottleneck of each job; the terminal and Markdown say it briefly, HTML in full."""
    rows = []
    for job in jobs:
        ok = job.feasible
        reasons = "; ".join(job.reasons)
        rate = job.items_per_hour
        neck = Cell(text=job.bottleneck) if ok else Cell(text="cannot run: " + reasons, tone="bad", icon="❌")
        rows.append(
            Row(
                cells=[
                    Cell(text=job.name, strong=True, tone="" if ok else "bad"),
                    Cell(text=job.name),
                    BLANK if ok else Cell(text="cannot run", tone="bad", badge=True),
                    Cell(text=job.runs_on, alt={TERMINAL: f"{job.runs_on} ({job.service})"}),
                    Cell(text=f"{job.items:,}"),
                    Cell(text=str(job.concurrency or "-")),
                    Cell(text=hours(job.makespan_hours_p50)),
                    Cell(text=_or_dash(job.makespan_hours_p50, ",.2f", " h")),
                    Cell(text=hours(job.makespan_hours_p95)),
                    Cell(text=_or_dash(job.makespan_hours_p95, ",.2f", " h")),
                    Cell(text=_or_dash(rate, ",.0f")),
                    Cell(text=_or_dash(rate, ",.1f")),
                    neck,
                    Cell(text=job.bottleneck or "-"),
                    Cell(text=job.bottleneck_detail or reasons),
                ]
            )
        )
    return Grid(
        title="Jobs",
        columns=[
            Column(title="job", formats=SUMMARY),
            Column(title="job", formats=ONLY_HTML),
            Column(title="", formats=ONLY_HTML),
            Column(title="runs on", formats=SUMMARY),
            Column(title="items", numeric=True, formats=SUMMARY),
            Column(title="at once", numeric=True, formats=SUMMARY),
            Column(title="makespan p50", numeric=True, formats=SUMMARY),
            Column(title="makespan p50", numeric=True, formats=ONLY_HTML),
            Column(title="p95", numeric=True, formats=SUMMARY),
            Column(title="makespan p95", numeric=True, formats=ONLY_HTML),
            Column(title="items/h", numeric=True, formats=SUMMARY),
            Column(title="items/hour", numeric=True, formats=ONLY_HTML),
            Column(title="bottleneck", formats=SUMMARY),
            Column(title="bottleneck", formats=ONLY_HTML),
            Column(title="why", formats=ONLY_HTML),
        ],
        rows=rows,
        notes=[f"{job.name}: {job.bottleneck_detail}" for job in jobs if job.feasible and job.bottleneck_detail],
    )


def timeline_grid(job: JobReport, rows: int = 12, width: int = 40) -> Grid:
    """Items completed over time as a bar per step: where a daily quota stalls a batch, the bars stop growing."""
    points = job.timeline
    out = []
    if points:
        step = max(1, len(points) // rows)
        picked = points[::step] + ([points[-1]] if (len(points) - 1) % step else [])
        previous = (0.0, 0)
        for t, done in picked:
            rate = (done - previous[1]) / (t - previous[0]) if t > previous[0] else 0.0
            bar = "█" * round(width * done / max(job.items, 1))
            out.append(
                Row(
                    cells=[
                        Cell(text=hours(t)),
                        Cell(text=f"{done:,}"),
                        Cell(text=f"{rate:,.0f}"),
                        Cell(text=bar, tone="ok"),
                    ]
                )
            )
            previous = (t, done)
    columns = [Column(title=t, numeric=True) for t in ("elapsed", "done", "per hour")] + [Column(title="")]
    return Grid(title=f"{job.name}: items completed over time", columns=columns, rows=out, edge=False)


class JobsView(BaseView["JobReport"]):
    key = "jobs"
    title = "Batch jobs"
    simulated = True

    def summary(self, reports: Sequence[JobReport]) -> list[Grid]:
        return [jobs_grid(reports)]

    def detail(self, result: Result, reports: Sequence[JobReport]) -> list[Grid | Cell]:
        out: list[Grid | Cell] = [Cell(text=f"{result.plan}: {len(reports)} job(s)", strong=True)]
        if not reports:
            return [*out, Cell(text="this plan has no jobs: add a `jobs:` section (see the README)")]
        out.append(jobs_grid(reports))
        for job in reports:
            if job.feasible:
                line = (
                    f"{job.name}: {job.replications} simulated runs ({job.method} engine); "
                    f"{job.attempts:,.1f} attempts on average, {job.day_resets} daily reset(s) crossed"
                )
                out += [Cell(text=line, tone="dim"), timeline_grid(job)]
        usage = [
            Row(cells=[Cell(text=name), Cell(text=", ".join(f"{k} {v:,.6g}" for k, v in values.items()))])
            for job in reports
            for name, values in job.derived.items()
        ]
        columns = [Column(title="line"), Column(title="usage per month")]
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
                    cells.append(Cell(text="?" if p50 is None else f"{p50:,.1f} h"))
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
        }
