"""The ``traffic:`` section's view: requests per layer and the age clients see in ``check``, the distributions in
``simulate``, a funnel of requests per layer in HTML, a row per entry in ``compare``, and each entry's JSON."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from infrafit.report.fmt import money, number, seconds
from infrafit.report.grid import HTML, Cell, Column, Grid, Row
from infrafit.report.sections.base import BaseView
from infrafit.report.wording import plural
from infrafit.units import format_bytes

if TYPE_CHECKING:
    from infrafit.engine.result import Result
    from infrafit.engine.sections.traffic_report import TrafficReport
    from infrafit.report.html.page import Page


def usage_text(key: str, value: float) -> str:
    """``requests 4,374,161``; data in bytes as GB; per-request times in their unit."""
    if key in ("egress", "bandwidth", "storage"):
        return f"{key} {format_bytes(Decimal(repr(value)))}"
    if key in ("duration", "cpu_time"):
        return f"{key} {value * 1000:,.0f} ms" if value < 1 else f"{key} {seconds(value)}"
    return f"{key} {number(round(value, 1))}"


def _label(layer: str, detail: str) -> str:
    return f"{layer} ({detail})" if detail else layer


def _ratio(value: float) -> str:
    return f"{value:.1%}"


def traffic_grid(reports: Sequence[TrafficReport]) -> Grid:
    """One row per entry and layer: requests reaching it a month and the share it answers; then the origin."""
    rows = []
    for report in reports:
        for i, use in enumerate(report.layers):
            origin = use.layer == "origin"
            rows.append(
                Row(
                    cells=[
                        Cell(text=report.name if i == 0 else "", strong=True),
                        Cell(text=f"origin: {report.origin}" if origin else _label(use.layer, use.detail)),
                        Cell(text=number(round(use.requests_per_month))),
                        Cell(
                            text="" if origin else _ratio(use.hit_ratio),
                            tone="warn" if not origin and use.hit_ratio < 0.01 else "",
                        ),
                        Cell(
                            text=f"p50 {seconds(report.staleness_p50)}, p95 {seconds(report.staleness_p95)}"
                            if i == 0
                            else ""
                        ),
                    ]
                )
            )
    return Grid(
        title="Traffic",
        columns=[
            Column(title="entry", key=True),
            Column(title="layer", key=True),
            Column(title="requests/month", numeric=True),
            Column(title="hit ratio", numeric=True),
            Column(title="age clients see", label="age"),
        ],
        rows=rows,
        notes=[
            *(
                f"{r.name}: {r.arrivals}; {number(round(r.client_requests_per_month))} client requests a month, "
                f"{number(round(r.origin_requests_per_month))} reach {r.origin}"
                for r in reports
            ),
            *(f"{r.name}: {text}" for r in reports for text in r.assumptions),
        ],
    )


def age_grid(report: TrafficReport, width: int = 24) -> Grid:
    """The distribution of the age of the data clients see, as bars (share of client requests per bin)."""
    rows = []
    lo = 0.0
    top = max((share for _, share in report.staleness_histogram), default=0.0) or 1.0
    for hi, share in report.staleness_histogram:
        rows.append(
            Row(
                cells=[
                    Cell(text=f"{seconds(lo)} – {seconds(hi)}"),
                    Cell(text=_ratio(share)),
                    Cell(text="█" * round(width * share / top), tone="ok"),
                ]
            )
        )
        lo = hi
    return Grid(
        title=f"{report.name}: age of the data clients see (mean {seconds(report.staleness_mean)}, "
        f"p50 {seconds(report.staleness_p50)}, p95 {seconds(report.staleness_p95)})",
        columns=[Column(title="age"), Column(title="requests", numeric=True), Column(title="")],
        rows=rows,
        edge=False,
        compact=True,
    )


def funnel_figure(page: Page, series: Sequence[tuple[str, TrafficReport]]) -> str | None:
    """Requests a month reaching each layer, from the clients to the origin: one funnel per entry."""
    go = page.go
    fig = go.Figure()
    for label, report in series:
        stages = [
            "clients",
            *(_label(u.layer, u.detail if u.layer != "origin" else report.origin) for u in report.layers),
        ]
        values = [report.client_requests_per_month, *(u.requests_per_month for u in report.layers)]
        if stages[1] == "browser":  # the browser layer receives the clients' own requests
            stages, values = stages[1:], values[1:]
        fig.add_trace(go.Funnel(name=label, y=stages, x=values, textinfo="value+percent initial"))
    if not fig.data:
        return None
    fig.update_layout(xaxis_title="requests a month")
    return page.figure(fig, "Requests per layer (a month)")


class TrafficView(BaseView["TrafficReport"]):
    key = "traffic"
    title = "Traffic through cache layers"
    simulated = True

    def summary(self, reports: Sequence[TrafficReport]) -> list[Grid]:
        return [traffic_grid(reports)]

    def detail(self, result: Result, reports: Sequence[TrafficReport]) -> list[Grid | Cell]:
        out: list[Grid | Cell] = [Cell(text=f"{result.plan}: {plural(len(reports), 'traffic entry')}", strong=True)]
        if not reports:
            return [*out, Cell(text="this plan has no traffic: add a `traffic:` section (see the README)")]
        out.append(traffic_grid(reports))
        for report in reports:
            line = (
                f"{report.name}: a month simulated exactly (fixed client phases, seed {report.seed}); "
                f"{report.stale_share:.0%} of the CDN's answers were stale copies"
            )
            out += [Cell(text=line, tone="dim"), age_grid(report)]
            out += [Cell(text=f"  rule: {rule}", tone="dim") for rule in report.rules]
        usage = [
            Row(cells=[Cell(text=name), Cell(text=", ".join(usage_text(k, v) for k, v in values.items()))])
            for report in reports
            for name, values in report.derived.items()
        ]
        columns = [Column(title="line", key=True), Column(title="usage per month", label="")]
        out.append(Grid(title="Usage the traffic implies (priced in `infrafit check`)", columns=columns, rows=usage))
        cost = sum((r.monthly_cost for r in result.resources if r.origin.startswith("traffic:")), start=Decimal(0))
        out.append(Cell(text=f"cost of the traffic's usage: {money(cost)}/month of {money(result.total_monthly_cost)}"))
        return out

    def charts(self, page: Page, reports: Sequence[TrafficReport]) -> list[str]:
        figure = funnel_figure(page, [(r.name, r) for r in reports])
        return [figure] if figure else []

    def compare_charts(self, page: Page, labelled: Sequence[tuple[str, Sequence[TrafficReport]]]) -> list[str]:
        series = [(f"{label}: {r.name}", r) for label, reports in labelled for r in reports]
        figure = funnel_figure(page, series) if series else None
        return [figure] if figure else []

    def compare_rows(self, per_plan: Sequence[Sequence[TrafficReport]]) -> list[Row]:
        """One row per entry: origin requests a month on each plan."""
        names: list[str] = []
        for reports in per_plan:
            names += [r.name for r in reports if r.name not in names]
        rows = []
        for name in names:
            cells = []
            for reports in per_plan:
                report = next((r for r in reports if r.name == name), None)
                cells.append(Cell(text="-" if report is None else number(round(report.origin_requests_per_month))))
            rows.append(
                Row(cells=[Cell(text=f"traffic {name} (origin requests)", alt={HTML: f"traffic {name}"}), *cells])
            )
        return rows

    def json_schema(self) -> dict[str, Any]:
        from infrafit.engine.sections.traffic_report import LayerUse, TrafficReport
        from infrafit.report.json_schema import record_schema

        number_ = {"type": "number"}
        return record_schema(
            TrafficReport,
            rename={"derived": "derived_usage"},
            drop=("staleness_p50", "staleness_p95", "staleness_mean", "staleness_histogram", "layers"),
            extra={
                "hit_ratio": {
                    "type": "object",
                    "description": "share of the requests reaching each layer that it answers, by layer",
                    "additionalProperties": number_,
                },
                "staleness_seconds": {
                    "type": "object",
                    "description": "age in seconds of the data clients see: producer age + cache ages",
                    "properties": {"p50": number_, "p95": number_, "mean": number_},
                    "required": ["p50", "p95"],
                },
                "layers": {"type": "array", "items": record_schema(LayerUse)},
                "staleness_histogram": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"upper_seconds": number_, "share": number_},
                        "required": ["upper_seconds", "share"],
                    },
                },
            },
        )

    def to_json(self, report: TrafficReport) -> dict[str, Any]:
        """The JSON contract's keys first, in this order."""
        return {
            "name": report.name,
            "client_requests_per_month": report.client_requests_per_month,
            "origin_requests_per_month": report.origin_requests_per_month,
            "hit_ratio": report.hit_ratio,
            "staleness_seconds": {
                "p50": report.staleness_p50,
                "p95": report.staleness_p95,
                "mean": report.staleness_mean,
            },
            "origin": report.origin,
            "origin_service": report.origin_service,
            "arrivals": report.arrivals,
            "layers": [
                {
                    "layer": u.layer,
                    "detail": u.detail,
                    "requests_per_month": u.requests_per_month,
                    "passed_per_month": u.passed_per_month,
                    "hit_ratio": u.hit_ratio,
                }
                for u in report.layers
            ],
            "stale_share": report.stale_share,
            "staleness_histogram": [{"upper_seconds": e, "share": s} for e, s in report.staleness_histogram],
            "derived_usage": {line: dict(usage) for line, usage in report.derived.items()},
            "rules": list(report.rules),
            "assumptions": list(report.assumptions),
            "seed": report.seed,
        }
