"""A cost range in reports: the line under the total, the probabilities (budget, pools, error findings) and the
sensitivity table, as grids every format draws; and its JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from infrafit.engine.result import Result
from infrafit.engine.uncertainty.records import CostDistribution
from infrafit.report.grid import Cell, Column, Grid, Row

__all__ = ["distribution_json", "range_grids", "range_line"]


def _usd(value: float) -> str:
    return f"${value:,.4f}" if 0 < abs(value) < 0.01 else f"${value:,.2f}"


def _share(p: float) -> str:
    """A probability as a percentage that never rounds a rare event to 0% or a near-certain one to 100%."""
    if 0 < p < 0.001:
        return "<0.1%"
    if 0.999 < p < 1:
        return ">99.9%"
    return f"{p * 100:.1f}%".replace(".0%", "%")


def range_line(d: CostDistribution) -> str:
    """``range p5 $X – p95 $Y (p50 $Z, mean $M; N samples, seed S)``, and the chance of exceeding the budget."""
    text = (
        f"range p5 {_usd(d.p5)} – p95 {_usd(d.p95)} (p50 {_usd(d.p50)}, mean {_usd(d.mean)}; "
        f"{d.samples:,} samples, seed {d.seed})"
    )
    if d.budget_exceeded_probability is not None:
        text += f"; P(over budget) {_share(d.budget_exceeded_probability)}"
    return text


def range_grids(result: Result) -> list[Grid]:
    """The probabilities and the sensitivity table; none without ranges."""
    d = result.cost_distribution
    if d is None:
        return []
    rows: list[Row] = []
    labels = {p.pool: p.label for p in result.free_tier}
    rows += [
        Row(
            cells=[
                Cell(text=pool, code=True),
                Cell(text=f"inside the allowance ({labels.get(pool, pool)})"),
                Cell(text=_share(p), tone="ok" if p == 1 else "warn"),
            ]
        )
        for pool, p in d.pool_inside_probability.items()
    ]
    rows += [
        Row(cells=[Cell(text=code, code=True), Cell(text="error finding raised"), Cell(text=_share(p), tone=_tone(p))])
        for code, p in d.finding_probability.items()
    ]
    odds = Grid(
        title=f"Over {d.samples:,} samples",
        columns=[Column(title="subject", key=True), Column(title="event"), Column(title="probability", numeric=True)],
        rows=rows,
        compact=True,
    )
    sweep = Grid(
        title="What drives the spread (each input at its p5 and p95, the others at their medians)",
        columns=[
            Column(title="input", key=True),
            Column(title="p5"),
            Column(title="cost at p5", numeric=True),
            Column(title="p95"),
            Column(title="cost at p95", numeric=True),
            Column(title="swing", numeric=True),
        ],
        rows=[
            Row(
                cells=[
                    Cell(text=s.input, code=True),
                    Cell(text=s.low_text),
                    Cell(text=_usd(s.cost_at_low)),
                    Cell(text=s.high_text),
                    Cell(text=_usd(s.cost_at_high)),
                    Cell(text=_usd(s.swing), strong=True),
                ]
            )
            for s in d.sensitivity
        ],
        compact=True,
    )
    return [g for g in (odds, sweep) if g.rows]


def _tone(p: float) -> Any:
    return "ok" if p == 0 else ("bad" if p >= 0.5 else "warn")


def _round(value: float, places: int = 4) -> float:
    return float(round(Decimal(repr(value)), places))


def distribution_json(d: CostDistribution | None) -> dict[str, Any] | None:
    """The ``cost_distribution`` key of ``check --format json`` (USD a month; probabilities from 0 to 1)."""
    if d is None:
        return None
    return {
        "p5": _round(d.p5),
        "p50": _round(d.p50),
        "p95": _round(d.p95),
        "mean": _round(d.mean),
        "samples": d.samples,
        "seed": d.seed,
        "budget_exceeded_probability": d.budget_exceeded_probability,
        "pool_inside_probability": d.pool_inside_probability,
        "finding_probability": d.finding_probability,
        "sensitivity": [
            {
                "input": s.input,
                "low_text": s.low_text,
                "high_text": s.high_text,
                "cost_at_low": _round(s.cost_at_low),
                "cost_at_high": _round(s.cost_at_high),
                "swing": _round(s.swing),
            }
            for s in d.sensitivity
        ],
    }
