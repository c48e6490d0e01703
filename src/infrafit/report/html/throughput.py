"""The batch-throughput chart of the HTML reports (drawn for the ``jobs:`` section's view): items done over time."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from infrafit.report.html.bundle import plain
from infrafit.report.html.page import BAD, MUTED, PLAN_COLORS, Page

if TYPE_CHECKING:
    from infrafit.engine.sections.job_report import JobReport


def throughput_figure(page: Page, series: Sequence[tuple[str, JobReport]]) -> str | None:
    """Items done over time, one line per (label, job), each its own colour, dash and marker so overlapping lines
    stay apart; the p5–p95 band of the simulated runs around it; daily quota resets as dotted lines; a job that
    cannot run is said so on the chart."""
    if not series:
        return None
    go = page.go
    fig = go.Figure()
    days = max((t for _, job in series for t, *_ in (job.timeline_band or job.timeline)), default=0.0) > 48
    scale, unit = (24.0, "days") if days else (1.0, "h")
    resets: set[float] = set()
    cannot: list[str] = []
    drawn: dict[tuple[tuple[float, int], ...], str] = {}
    for i, (label, job) in enumerate(series):
        if not job.feasible or not job.timeline:
            why = _uncited(job.reasons[0]) if job.reasons else "not simulated"
            cannot.append("<br>".join(_wrap(f"<b>{plain(label)} cannot run</b>: {plain(why)}")))
            continue
        color, name = PLAN_COLORS[i % len(PLAN_COLORS)], plain(label)
        same = drawn.setdefault(tuple(job.timeline), name)
        median = f"{name} (median run)" + (f", same as {same}" if same != name else "")
        if job.timeline_band:
            x = [t / scale for t, _, _ in job.timeline_band]
            common = {"x": x, "mode": "lines", "line": {"width": 0}, "legendgroup": name, "hoverinfo": "skip"}
            fig.add_trace(go.Scatter(y=[hi for _, _, hi in job.timeline_band], showlegend=False, **common))
            fig.add_trace(
                go.Scatter(
                    y=[lo for _, lo, _ in job.timeline_band],
                    fill="tonexty",
                    fillcolor=_rgba(color, 0.16),
                    name=f"{name}: p5–p95 of {job.replications} runs",
                    **common,
                )
            )
        fig.add_trace(
            go.Scatter(
                x=[0.0] + [t / scale for t, _ in job.timeline],
                y=[0.0] + [float(n) for _, n in job.timeline],
                mode="lines+markers",
                name=median,
                legendgroup=name,
                line={"shape": "hv", "color": color, "width": 2.5, "dash": DASHES[i % len(DASHES)]},
                marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 8, "maxdisplayed": 14, "color": color},
                hovertemplate=f"%{{x:,.2f}} {unit}: %{{y:,.0f}} items done<extra>{name}</extra>",
            )
        )
        resets.update(job.reset_hours)
    shown = sorted(resets)[:MAX_RESETS]
    for t in shown:
        fig.add_vline(x=t / scale, line={"color": MUTED, "dash": "dot", "width": 1})
    if shown:
        fig.add_trace(
            go.Scatter(x=[None], y=[None], mode="lines", name="daily quota reset", line={"color": MUTED, "dash": "dot"})
        )
    lines = sum(note.count("<br>") + 1 for note in cannot)
    if cannot:
        # Above the plot, where no line can run under it.
        fig.add_annotation(
            text="<br>".join(cannot),
            xref="paper",
            yref="paper",
            x=0,
            y=1.0 if fig.data else 0.5,
            xanchor="left",
            yanchor="bottom" if fig.data else "middle",
            showarrow=False,
            align="left",
            font={"color": BAD, "size": 12},
        )
    if not fig.data:
        fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False}, margin={"t": 10, "b": 10})
        return page.figure(fig, "Batch throughput: items done over time", height=40 + 18 * lines)
    fig.update_layout(
        margin={"t": 40 + 17 * lines},
        xaxis={"ticksuffix": f" {unit}", "rangemode": "tozero"},
        yaxis={"title": "items done", "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.15, "yanchor": "top"},
    )
    return page.figure(fig, "Batch throughput: items done over time", height=400 + 17 * lines)


DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")
MAX_RESETS = 120  # a year-long batch would draw a wall of lines; beyond this the band and line say enough


def _uncited(text: str) -> str:
    """A reason without its ``[source, as of date]``: the findings table links the source."""
    return re.sub(r"\s*\[https?://[^\s\]]+(?:, as of [^\]]*)?\]", "", text)


def _wrap(text: str, width: int = 58) -> list[str]:
    return textwrap.wrap(text, width) or [text]


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
