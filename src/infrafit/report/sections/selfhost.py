"""The ``selfhost:`` section's view: both sides' monthly cost line by line with the break-even, each cloud service's
counterpart with what it needs, the fit against the machine, a compare row per figure, a bar chart of the two
sides, and the JSON contract (``machine_fits``, ``monthly_tco``, ``cloud_monthly_cost``, ``break_even_months``,
``services``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from infrafit.report.fmt import mem, money
from infrafit.report.grid import Cell, Column, Grid, Row
from infrafit.report.sections.base import BaseView

if TYPE_CHECKING:
    from infrafit.engine.sections.selfhost_report import SelfHostReport
    from infrafit.report.html.page import Page

__all__ = ["SelfHostView", "cost_grid", "services_grid"]


def _usd(x: float) -> str:
    return money(Decimal(repr(x)))


def _mem(x: float) -> str:
    return mem(Decimal(repr(x)))


def _disk(x: float) -> str:
    return f"{x / 1e9:,.1f} GB"


def break_even_text(months: float | None) -> str:
    return "never" if months is None else f"{months:,.1f} months"


def cost_grid(r: SelfHostReport) -> Grid:
    """Each TCO line with its arithmetic, what is still billed, both sides' totals and the break-even."""
    rows = [
        Row(
            cells=[
                Cell(text=item.label + (" (assumed)" if item.assumed else ""), tone="warn" if item.assumed else ""),
                Cell(text=_usd(item.monthly_usd)),
                Cell(text=item.detail),
            ]
        )
        for item in r.tco
    ]
    rows.append(Row(cells=[Cell(text="machine", strong=True), Cell(text=_usd(r.machine_monthly), strong=True), Cell()]))
    still = [] if r.replaces else [s for s in r.services if s.still_billed]
    for s in still:
        rows.append(
            Row(
                cells=[
                    Cell(text=f"still billed: {s.resource}"),
                    Cell(text=_usd(s.cloud_monthly_usd)),
                    Cell(text=s.service),
                ]
            )
        )
    if r.replaces:
        own = r.monthly_tco - r.machine_monthly
        if own:
            rows.append(
                Row(cells=[Cell(text="still billed"), Cell(text=_usd(own)), Cell(text="this plan's own resources")])
            )
    rows += [
        Row(
            cells=[Cell(text="self-hosted", strong=True), Cell(text=_usd(r.monthly_tco), strong=True), Cell()],
            kind="total",
        ),
        Row(
            cells=[
                Cell(text="cloud", strong=True),
                Cell(text=_usd(r.cloud_monthly_cost), strong=True),
                Cell(text=f"the plan {r.replaces}" if r.replaces else "this plan's resources"),
            ],
            kind="total",
        ),
        Row(
            cells=[
                Cell(text="break-even", strong=True),
                Cell(text=break_even_text(r.break_even_months), tone="bad" if r.break_even_months is None else ""),
                Cell(text="the price paid back by the monthly saving (cloud − the self-hosted side's running costs)"),
            ]
        ),
    ]
    return Grid(
        title=f"Self-hosting: {r.machine}",
        columns=[
            Column(title="line", key=True),
            Column(title="per month", numeric=True),
            Column(title="how", fold=True),
        ],
        rows=rows,
        notes=[
            f"power: {r.average_watts:,.1f} W average × {r.charged_hours:,.1f} h = {r.kwh_per_month:,.1f} kWh a month",
            *r.assumptions,
        ],
    )


def services_grid(r: SelfHostReport) -> Grid:
    """Each cloud service's counterpart and its needs, then the total against the machine with headroom."""
    rows = [
        Row(
            cells=[
                Cell(text=s.resource),
                Cell(text=s.service, code=True),
                Cell(text=s.counterpart, tone="warn" if s.counterpart == "none" else ""),
                Cell(text=f"{s.cpu:,.2f}"),
                Cell(text=_mem(s.memory)),
                Cell(text=_disk(s.disk)),
            ]
        )
        for s in r.services
    ]
    disk_room = "not checked" if r.disk_room is None else _disk(r.disk_room)
    rows.append(
        Row(
            cells=[
                Cell(text="total", strong=True),
                Cell(),
                Cell(text="fits" if r.machine_fits else "does not fit", tone="ok" if r.machine_fits else "bad"),
                Cell(text=f"{r.cpu:,.2f} of {r.cpu_room:,.1f}"),
                Cell(text=f"{_mem(r.memory)} of {_mem(r.memory_room)}"),
                Cell(text=f"{_disk(r.disk)} of {disk_room}"),
            ],
            kind="total",
        )
    )
    return Grid(
        title="Counterparts on the machine",
        columns=[
            Column(title="resource", key=True),
            Column(title="service"),
            Column(title="counterpart"),
            Column(title="cores", numeric=True),
            Column(title="memory", numeric=True),
            Column(title="disk", numeric=True),
        ],
        rows=rows,
        notes=[f"room: the machine less {r.headroom:.0%} headroom for the OS and peaks"],
    )


class SelfHostView(BaseView["SelfHostReport"]):
    key = "selfhost"
    title = "Self-hosting"

    def summary(self, reports: Sequence[SelfHostReport]) -> list[Grid]:
        out: list[Grid] = []
        for r in reports:
            out += [cost_grid(r), services_grid(r)]
        return out

    def compare_rows(self, per_plan: Sequence[Sequence[SelfHostReport]]) -> list[Row]:
        if not any(per_plan):
            return []

        def cell(reports: Sequence[SelfHostReport], text: Any) -> Cell:
            return Cell(text=text(reports[0]) if reports else "-")

        figures: list[tuple[str, Any]] = [
            ("self-hosted /month", lambda r: _usd(r.monthly_tco)),
            ("cloud it replaces /month", lambda r: _usd(r.cloud_monthly_cost)),
            ("break-even", lambda r: break_even_text(r.break_even_months)),
            ("machine holds it", lambda r: "yes" if r.machine_fits else "no"),
        ]
        return [Row(cells=[Cell(text=label), *(cell(p, f) for p in per_plan)]) for label, f in figures]

    def charts(self, page: Page, reports: Sequence[SelfHostReport]) -> list[str]:
        """One stacked bar per side: the machine's lines and what is still billed, against the cloud."""
        import plotly.graph_objects as go

        out = []
        for r in reports:
            fig = go.Figure()
            for item in r.tco:
                fig.add_bar(name=item.label, x=["self-hosted"], y=[item.monthly_usd])
            rest = r.monthly_tco - r.machine_monthly
            if rest:
                fig.add_bar(name="still billed", x=["self-hosted"], y=[rest])
            fig.add_bar(name="cloud", x=["cloud"], y=[r.cloud_monthly_cost])
            fig.update_layout(barmode="stack", yaxis_title="USD a month")
            out.append(page.figure(fig, "Monthly cost: self-hosted vs cloud"))
        return out

    def to_json(self, report: SelfHostReport) -> dict[str, Any]:
        """The JSON contract's keys first, then the detail."""
        return {
            "machine_fits": report.machine_fits,
            "monthly_tco": report.monthly_tco,
            "cloud_monthly_cost": report.cloud_monthly_cost,
            "break_even_months": report.break_even_months,
            "services": [
                {
                    "resource": s.resource,
                    "counterpart": s.counterpart,
                    "cpu": s.cpu,
                    "memory": s.memory,
                    "disk": s.disk,
                    "service": s.service,
                    "cloud_monthly_usd": s.cloud_monthly_usd,
                    "still_billed": s.still_billed,
                    "loses": list(s.loses),
                }
                for s in report.services
            ],
            "machine": report.machine,
            "machine_monthly": report.machine_monthly,
            "tco": [
                {"key": i.key, "label": i.label, "monthly_usd": i.monthly_usd, "detail": i.detail, "assumed": i.assumed}
                for i in report.tco
            ],
            "power": {
                "average_watts": report.average_watts,
                "charged_hours": report.charged_hours,
                "kwh_per_month": report.kwh_per_month,
            },
            "fit": {
                "cpu": report.cpu,
                "memory": report.memory,
                "disk": report.disk,
                "cpu_room": report.cpu_room,
                "memory_room": report.memory_room,
                "disk_room": report.disk_room,
                "headroom": report.headroom,
            },
            "replaces": report.replaces,
            "assumptions": list(report.assumptions),
        }

    def json_schema(self) -> dict[str, Any]:
        from infrafit.engine.sections.selfhost_report import CounterpartUse, TcoItem
        from infrafit.report.json_schema import record_schema

        num = {"type": "number"}
        fit = {k: num for k in ("cpu", "memory", "disk", "cpu_room", "memory_room", "headroom")}
        properties: dict[str, Any] = {
            "machine_fits": {"type": "boolean", "description": "the counterparts fit the machine with headroom"},
            "monthly_tco": {"type": "number", "description": "USD a month on the self-hosted side"},
            "cloud_monthly_cost": {"type": "number", "description": "USD a month of the cloud system"},
            "break_even_months": {"type": ["number", "null"], "description": "months to pay back the price"},
            "services": {"type": "array", "items": record_schema(CounterpartUse)},
            "machine": {"type": "string"},
            "machine_monthly": num,
            "tco": {"type": "array", "items": record_schema(TcoItem)},
            "power": {
                "type": "object",
                "properties": {"average_watts": num, "charged_hours": num, "kwh_per_month": num},
                "required": ["average_watts", "charged_hours", "kwh_per_month"],
            },
            "fit": {
                "type": "object",
                "properties": {**fit, "disk_room": {"type": ["number", "null"]}},
                "required": [*fit, "disk_room"],
            },
            "replaces": {"type": ["string", "null"]},
            "assumptions": {"type": "array", "items": {"type": "string"}},
        }
        return {
            "type": "object",
            "description": "leaving the cloud: both sides' monthly cost, the break-even, the mapping and the fit",
            "properties": properties,
            "required": sorted(properties),
        }
