"""Charts of cost ranges, for plans whose usage is uncertain: the distribution of the month's cost (check), what
drives its spread (a tornado of the sensitivity rows), and ranges side by side (compare, diff).

Figures are built on the page's plotly (imported when the :class:`~infrafit.report.html.page.Page` is made);
numpy is imported here, inside the functions, so pages without ranges never load it for these charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from infrafit.report.cost_ranges import fmoney, probability_text, range_text
from infrafit.report.html.bundle import plain
from infrafit.report.html.page import AFTER_COLOR, BAD, BEFORE_COLOR, MAX_BARS, MUTED, OK, PLAN_COLORS, Page, card, esc

if TYPE_CHECKING:
    from infrafit.engine.result import Result

BINS = 40  # histogram bars: enough to show a shape, few enough to read
LOW_COLOR, HIGH_COLOR = OK, BAD  # an input at its p5 (usually cheaper), at its p95 (usually dearer)


@dataclass(frozen=True, kw_only=True)
class Span:
    """One bar of a ranges chart: a plan (or a side of a diff) from p5 to p95 with its p50."""

    label: str
    p5: float
    p50: float
    p95: float
    note: str = ""
    """Written after the p50 on the chart (``P(cheapest) 73%``)."""
    color: str = AFTER_COLOR


def range_cards(result: Result) -> list[str]:
    """Cards for the check page: the median month, the p5–p95 range, and the chance of going over budget."""
    d = result.cost_distribution
    if d is None:
        return []
    cards = [
        card("p50 monthly", esc(fmoney(d.p50)), f"mean {esc(fmoney(d.mean))} · {d.samples:,} samples, seed {d.seed}"),
        card("p5–p95 monthly", esc(range_text(d.p5, d.p95))),
    ]
    if d.budget_exceeded_probability is not None:
        over = d.budget_exceeded_probability
        cls = "bad" if over >= 0.5 else ("warn" if over > 0 else "ok")
        cards.append(card("P(over budget)", f'<span class="{cls}">{esc(probability_text(over))}</span>'))
    return cards


def cost_range_figure(page: Page, result: Result) -> str | None:
    """A histogram of the sampled monthly totals (share of samples per bar), with the p5, p50 and p95, the point
    total (every input at its median) and the budget drawn as lines."""
    d = result.cost_distribution
    if d is None or len(d.totals) == 0:
        return None
    import numpy as np

    go = page.go
    totals = np.asarray(d.totals, dtype=np.float64)
    low, high = float(totals.min()), float(totals.max())
    if high - low < 0.005:  # every sample costs the same: one bar
        centers, shares, width = [low], [100.0], max(abs(low) * 0.05, 0.5)
    else:
        counts, edges = np.histogram(totals, bins=BINS)
        centers = [float(x) for x in (edges[:-1] + edges[1:]) / 2]
        shares = [float(c) / len(totals) * 100 for c in counts]
        width = float(edges[1] - edges[0])
    fig = go.Figure(
        go.Bar(
            x=centers,
            y=shares,
            width=width,
            marker_color=BEFORE_COLOR,
            name="samples",
            hovertemplate="about $%{x:,.2f}/month: %{y:.1f}% of samples<extra></extra>",
        )
    )
    top = max(shares) * 1.9  # headroom above the bars for the lines' labels
    marks = [
        (d.p5, f"p5 {fmoney(d.p5)}", MUTED, "dash"),
        (d.p50, f"p50 {fmoney(d.p50)}", AFTER_COLOR, "solid"),
        (d.p95, f"p95 {fmoney(d.p95)}", MUTED, "dash"),
        (
            float(result.total_monthly_cost),
            f"inputs at median {fmoney(float(result.total_monthly_cost))}",
            MUTED,
            "dot",
        ),
    ]
    if result.budget is not None:
        over = probability_text(d.budget_exceeded_probability)
        marks.append((float(result.budget), f"budget {fmoney(float(result.budget))} (over: {over})", BAD, "solid"))
    for i, (x, text, color, dash) in enumerate(marks):
        fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=top, line={"color": color, "dash": dash, "width": 2})
        # Labels stacked down the chart, so lines close together do not write over each other.
        fig.add_annotation(
            x=x,
            y=top * (0.97 - 0.08 * i),
            text=text,
            showarrow=False,
            xanchor="left",
            font={"color": color},
            bgcolor="rgba(255,255,255,0.85)",
        )
    fig.update_layout(
        showlegend=False,
        bargap=0.02,
        xaxis={"tickprefix": "$", "title": {"text": "monthly cost"}},
        yaxis={"ticksuffix": "%", "range": [0, top], "title": {"text": "share of samples"}},
    )
    return page.figure(fig, f"Monthly cost over {d.samples:,} sampled months (p5, p50, p95)", height=360)


def tornado_figure(page: Page, result: Result) -> str | None:
    """What drives the spread: each uncertain input swept from its p5 to its p95 with the others at their median,
    as a bar from the cost at one end to the cost at the other around the point total; widest on top."""
    d = result.cost_distribution
    if d is None or not d.sensitivity:
        return None
    go = page.go
    rows = sorted(d.sensitivity, key=lambda r: -r.swing)[:MAX_BARS]
    base = float(result.total_monthly_cost)
    names = [plain(r.input) for r in rows]
    fig = go.Figure()
    for side, color in (("p5", LOW_COLOR), ("p95", HIGH_COLOR)):
        costs = [r.cost_at_low if side == "p5" else r.cost_at_high for r in rows]
        texts = [plain(r.low_text if side == "p5" else r.high_text) for r in rows]
        fig.add_trace(
            go.Bar(
                y=names,
                x=[c - base for c in costs],
                base=base,
                orientation="h",
                name=f"input at its {side}",
                marker_color=color,
                text=[f"{t}: {fmoney(c)}" for t, c in zip(texts, costs, strict=True)],
                textposition="outside",
                cliponaxis=False,
                hovertext=[f"{n} at {t}: {fmoney(c)}/month" for n, t, c in zip(names, texts, costs, strict=True)],
                hoverinfo="text",
            )
        )
    lows = [min(r.cost_at_low, r.cost_at_high, base) for r in rows]
    highs = [max(r.cost_at_low, r.cost_at_high, base) for r in rows]
    pad = (max(highs) - min(lows)) * 0.35 or max(abs(base) * 0.2, 1.0)
    fig.add_shape(
        type="line", x0=base, x1=base, y0=-0.5, y1=len(rows) - 0.5, line={"color": MUTED, "dash": "dot", "width": 2}
    )
    height = 180 + 44 * len(rows)
    plot = height - 50 - 80  # the plotting area between the margins, in pixels
    fig.update_layout(
        barmode="overlay",
        # the legend's top 34 px under the axis, clear of the tick labels whatever the chart's height
        legend={"orientation": "h", "x": 0, "y": -34 / plot, "yanchor": "top"},
        margin={"t": 50, "b": 80},
        yaxis={"autorange": "reversed"},
        xaxis={"tickprefix": "$", "range": [min(lows) - pad, max(highs) + pad]},
        annotations=[
            {
                "x": base,
                "y": 1.0,
                "yref": "paper",
                "yanchor": "bottom",
                "text": f"every input at its median: {fmoney(base)}",
                "showarrow": False,
                "font": {"color": MUTED},
            }
        ],
    )
    title = "What drives the spread (each input from its p5 to its p95)"
    if max(r.swing for r in rows) < 0.005:
        title += ": no input moves the cost"
    return page.figure(fig, title, height=height)


def spans_figure(page: Page, spans: list[Span], title: str) -> str:
    """Each span as a bar from its p5 to its p95 with a diamond at its p50 (a plan without ranges: a diamond
    alone), the figures written beside it."""
    go = page.go
    labels = [plain(s.label) for s in spans]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=labels,
            x=[max(s.p95 - s.p5, 0.0) for s in spans],
            base=[s.p5 for s in spans],
            orientation="h",
            marker_color=[s.color for s in spans],
            opacity=0.45,
            name="p5–p95",
            hovertext=[f"{lab}: p5–p95 {range_text(s.p5, s.p95)}" for lab, s in zip(labels, spans, strict=True)],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=[s.p50 for s in spans],
            mode="markers+text",
            marker={"symbol": "diamond", "size": 13, "color": [s.color for s in spans], "line": {"color": "#1f2933"}},
            name="p50",
            text=[plain(f"p50 {fmoney(s.p50)}" + (f" · {s.note}" if s.note else "")) for s in spans],
            textposition="top center",
            hoverinfo="skip",
        )
    )
    low = min(s.p5 for s in spans)
    high = max(s.p95 for s in spans)
    pad = (high - low) * 0.25 or max(high * 0.2, 1.0)
    fig.update_layout(
        yaxis={"autorange": "reversed"},
        xaxis={"tickprefix": "$", "range": [max(low - pad, 0.0) if low >= 0 else low - pad, high + pad]},
        bargap=0.45,
    )
    return page.figure(fig, title, height=max(220, 110 + 70 * len(spans)))


def plan_color(i: int) -> str:
    return PLAN_COLORS[i % len(PLAN_COLORS)]
