"""The ``availability:`` section's view: the failover table of ``check``, the distributions of ``simulate``, the
standby-hours histogram in HTML, rows in ``compare``, and each entry's JSON (its core keys are a contract)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from infrafit.report.fmt import number
from infrafit.report.grid import Cell, Column, Grid, Row
from infrafit.report.sections.base import BaseView

if TYPE_CHECKING:
    from infrafit.engine.result import Result
    from infrafit.engine.sections.availability_report import AvailabilityReport
    from infrafit.report.grid import Tone
    from infrafit.report.html.page import Page


def _h(value: float) -> str:
    return f"{value:,.1f} h"


def _min(value: float) -> str:
    return f"{value:,.1f} min"


def _prob(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}" if value in (0.0, 1.0) else f"{value:.1%}"


def summary_grid(reports: Sequence[AvailabilityReport]) -> Grid:
    """One row per pair: standby hours (set to their mean), detection, time nobody answers, failovers, $0 chance."""
    rows = [
        Row(
            cells=[
                Cell(text=r.name, strong=True),
                Cell(text=f"{r.primary} → {r.standby}"),
                Cell(text=_h(r.standby_hours_mean)),
                Cell(text=f"{r.standby_hours_p50:,.0f} / {r.standby_hours_p95:,.0f}"),
                Cell(text=f"{r.detection_minutes_p50:,.1f} / {r.detection_minutes_p95:,.1f}"),
                Cell(text=f"{r.unserved_minutes_p50:,.0f} / {r.unserved_minutes_p95:,.0f}"),
                Cell(text=number(round(r.failovers_per_month, 1))),
                Cell(
                    text=number(round(r.false_failovers_per_month)),
                    tone="warn" if r.false_failovers_per_month >= 1 else "",
                ),
                Cell(text=_prob(r.free_tier_fit_probability), tone=_tone(r.free_tier_fit_probability)),
            ]
        )
        for r in reports
    ]
    notes = []
    for r in reports:
        notes.append(f"{r.name}: primary outages {r.outages_from}; {r.months:,} simulated months, seed {r.seed}")
        notes += [f"{r.name}: {text}" for text in r.assumptions]
        if r.zero_bill_hours is not None and r.free_tier_fit_probability not in (None, 1.0):
            notes.append(
                f"{r.name}: the plan's bill stays at $0 up to {r.zero_bill_hours:,.1f} standby hours a month "
                f"(found once by pricing the plan on fresh ledgers); {_prob(r.free_tier_fit_probability)} of the "
                "simulated months stay below"
            )
    return Grid(
        title="Failover (simulated months)",
        columns=[
            Column(title="pair", key=True),
            Column(title="primary → standby"),
            Column(title="standby h (mean, set)", numeric=True),
            Column(title="p50 / p95 h", numeric=True),
            Column(title="detect p50 / p95 min", numeric=True),
            Column(title="unserved p50 / p95 min", numeric=True),
            Column(title="failovers", numeric=True),
            Column(title="false", numeric=True),
            Column(title="P($0 bill)", numeric=True),
        ],
        rows=rows,
        notes=notes,
    )


def _tone(p: float | None) -> Tone:
    if p is None:
        return ""
    return "ok" if p >= 0.99 else "bad" if p < 0.5 else "warn"


def distribution_grid(r: AvailabilityReport, width: int = 30) -> Grid:
    """Standby hours per month as a text histogram: where the months fall, and where the $0 line is."""
    most = max((n for _, _, n in r.histogram), default=0) or 1
    rows = []
    for lo, hi, n in r.histogram:
        mark = ""
        if r.zero_bill_hours is not None and lo <= r.zero_bill_hours < hi:
            mark = "  ← bill leaves $0"
        rows.append(
            Row(
                cells=[
                    Cell(text=f"{lo:,.0f}–{hi:,.0f} h"),
                    Cell(text=f"{n:,}"),
                    Cell(text="█" * round(width * n / most) + mark, tone="ok"),
                ]
            )
        )
    return Grid(
        title=f"{r.name}: standby h by month",
        columns=[Column(title="hours", numeric=True), Column(title="months", numeric=True), Column(title="")],
        rows=rows,
        edge=False,
        compact=True,
    )


def figures_grid(r: AvailabilityReport) -> Grid:
    rows = [
        (
            "standby hours (billed)",
            f"mean {_h(r.standby_hours_mean)}, p50 {_h(r.standby_hours_p50)}, p95 {_h(r.standby_hours_p95)}",
        ),
        ("of which false failovers", _h(r.false_failover_hours)),
        (
            "detection delay",
            f"mean {_min(r.detection_minutes_mean)}, p50 {_min(r.detection_minutes_p50)}, p95 {_min(r.detection_minutes_p95)}",
        ),
        (
            "minutes nobody answers",
            f"mean {_min(r.unserved_minutes_mean)}, p50 {_min(r.unserved_minutes_p50)}, p95 {_min(r.unserved_minutes_p95)}",
        ),
        ("outages / failovers", f"{r.outages_per_month:,.1f} / {r.failovers_per_month:,.1f} a month"),
        (
            "false failovers",
            f"{r.false_failovers_per_month:,.0f} a month simulated; closed form for a primary up all month "
            f"{r.false_failovers_expected:,.0f}",
        ),
        ("heartbeats", f"{r.heartbeat_writes:,.0f} writes, {r.heartbeat_reads:,.0f} reads a month"),
        ("P(bill stays $0)", _prob(r.free_tier_fit_probability)),
    ]
    rows += [
        (line, ", ".join(f"{k} {number(round(v, 2))}" for k, v in usage.items())) for line, usage in r.derived.items()
    ]
    return Grid(
        title=f"{r.name}: what the simulated months show",
        columns=[Column(title="figure", key=True), Column(title="per month", label="")],
        rows=[Row(cells=[Cell(text=a), Cell(text=b)]) for a, b in rows],
    )


def histogram_figure(page: Page, series: Sequence[tuple[str, AvailabilityReport]]) -> str | None:
    go = page.go
    fig = go.Figure()
    for label, r in series:
        if r.histogram:
            fig.add_trace(
                go.Bar(
                    x=[(lo + hi) / 2 for lo, hi, _ in r.histogram],
                    y=[n for _, _, n in r.histogram],
                    width=[hi - lo for lo, hi, _ in r.histogram],
                    name=label,
                    opacity=0.75,
                    hovertemplate="%{x:,.0f} h: %{y:,} months<extra>%{fullData.name}</extra>",
                )
            )
            if r.zero_bill_hours is not None and r.free_tier_fit_probability not in (None, 1.0):
                fig.add_vline(x=r.zero_bill_hours, line_dash="dash", annotation_text="bill leaves $0")
    if not fig.data:
        return None
    fig.update_layout(barmode="overlay", xaxis={"ticksuffix": " h"}, yaxis_title="simulated months")
    return page.figure(fig, "Standby running hours per month")


class AvailabilityView(BaseView["AvailabilityReport"]):
    key = "availability"
    title = "Failover"
    simulated = True

    def summary(self, reports: Sequence[AvailabilityReport]) -> list[Grid]:
        return [summary_grid(reports)]

    def detail(self, result: Result, reports: Sequence[AvailabilityReport]) -> list[Grid | Cell]:
        out: list[Grid | Cell] = [Cell(text=f"{result.plan}: {len(reports)} failover pair(s)", strong=True)]
        if not reports:
            return [*out, Cell(text="this plan has no `availability:` section (see the README)")]
        out.append(summary_grid(reports))
        for r in reports:
            out += [figures_grid(r), distribution_grid(r)]
        return out

    def charts(self, page: Page, reports: Sequence[AvailabilityReport]) -> list[str]:
        figure = histogram_figure(page, [(r.name, r) for r in reports])
        return [figure] if figure else []

    def compare_charts(self, page: Page, labelled: Sequence[tuple[str, Sequence[AvailabilityReport]]]) -> list[str]:
        series = [(f"{label}: {r.name}", r) for label, reports in labelled for r in reports]
        figure = histogram_figure(page, series) if series else None
        return [figure] if figure else []

    def compare_rows(self, per_plan: Sequence[Sequence[AvailabilityReport]]) -> list[Row]:
        names: list[str] = []
        for reports in per_plan:
            names += [r.name for r in reports if r.name not in names]
        rows = []
        for name in names:
            found = [next((r for r in reports if r.name == name), None) for reports in per_plan]
            rows.append(
                Row(
                    cells=[
                        Cell(text=f"standby {name} (mean h)"),
                        *(Cell(text="-" if r is None else _h(r.standby_hours_mean)) for r in found),
                    ]
                )
            )
            rows.append(
                Row(
                    cells=[
                        Cell(text=f"P($0 bill) {name}"),
                        *(Cell(text="-" if r is None else _prob(r.free_tier_fit_probability)) for r in found),
                    ]
                )
            )
        return rows

    def to_json(self, report: AvailabilityReport) -> dict[str, Any]:
        r = report
        return {
            "name": r.name,
            "standby_hours": {"p50": r.standby_hours_p50, "p95": r.standby_hours_p95, "mean": r.standby_hours_mean},
            "detection_minutes": {
                "p50": r.detection_minutes_p50,
                "p95": r.detection_minutes_p95,
                "mean": r.detection_minutes_mean,
            },
            "unserved_minutes_per_month": {
                "p50": r.unserved_minutes_p50,
                "p95": r.unserved_minutes_p95,
                "mean": r.unserved_minutes_mean,
            },
            "false_failovers_per_month": r.false_failovers_per_month,
            "free_tier_fit_probability": r.free_tier_fit_probability,
            "false_failovers_expected": r.false_failovers_expected,
            "failovers_per_month": r.failovers_per_month,
            "outages_per_month": r.outages_per_month,
            "false_failover_hours": r.false_failover_hours,
            "zero_bill_hours": r.zero_bill_hours,
            "heartbeat_writes": r.heartbeat_writes,
            "heartbeat_reads": r.heartbeat_reads,
            "checks": r.checks,
            "primary": r.primary,
            "standby": r.standby,
            "monitor": r.monitor,
            "store": r.store,
            "outages_from": r.outages_from,
            "months": r.months,
            "seed": r.seed,
            "billed_minimum_seconds": r.billed_minimum_seconds,
            "histogram": [{"from": lo, "to": hi, "months": n} for lo, hi, n in r.histogram],
            "derived_usage": {line: dict(usage) for line, usage in r.derived.items()},
            "assumptions": list(r.assumptions),
        }

    def json_schema(self) -> dict[str, Any]:
        num = {"type": "number"}
        dist = {
            "type": "object",
            "properties": {"p50": num, "p95": num, "mean": num},
            "required": ["p50", "p95"],
        }
        nullable = {"type": ["number", "null"]}
        return {
            "type": "object",
            "description": "a primary/standby pair over simulated months (figures per month)",
            "properties": {
                "name": {"type": "string"},
                "standby_hours": {**dist, "description": "billed standby hours a month (mean is set on the standby)"},
                "detection_minutes": {**dist, "description": "minutes from an outage's start to its detection"},
                "unserved_minutes_per_month": {**dist, "description": "minutes a month nobody answers"},
                "false_failovers_per_month": {**num, "description": "standby starts while the primary is up"},
                "free_tier_fit_probability": {
                    **nullable,
                    "description": "share of simulated months whose whole-plan bill stays at $0",
                },
                "false_failovers_expected": num,
                "failovers_per_month": num,
                "outages_per_month": num,
                "false_failover_hours": num,
                "zero_bill_hours": nullable,
                "heartbeat_writes": num,
                "heartbeat_reads": num,
                "checks": num,
                "primary": {"type": "string"},
                "standby": {"type": "string"},
                "monitor": {"type": "string"},
                "store": {"type": ["string", "null"]},
                "outages_from": {"type": "string"},
                "months": {"type": "integer"},
                "seed": {"type": "integer"},
                "billed_minimum_seconds": num,
                "histogram": {"type": "array", "items": {"type": "object"}},
                "derived_usage": {"type": "object"},
                "assumptions": {"type": "array", "items": {"type": "string"}},
            },
            "required": [
                "name",
                "standby_hours",
                "detection_minutes",
                "unserved_minutes_per_month",
                "false_failovers_per_month",
                "free_tier_fit_probability",
            ],
        }
