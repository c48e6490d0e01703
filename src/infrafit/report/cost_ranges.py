"""How the decision reports write a cost range: sampled money, p5–p95, probabilities, and the JSON of a
:class:`~infrafit.engine.uncertainty.records.CostDistribution` (compare's per-plan, diff's per side), which is exactly
what ``check --format json`` writes under ``cost_distribution``, so every report's ranges read the same."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from infrafit.report.fmt import money, signed_money
from infrafit.report.ranges import distribution_json

if TYPE_CHECKING:
    from infrafit.decisions.changes import DiffResult

__all__ = [
    "diff_range_rows",
    "distribution_json",
    "fmoney",
    "probability_text",
    "range_text",
    "ranges_headline",
    "signed_fmoney",
    "with_ranges",
]


def fmoney(value: float) -> str:
    """A sampled cost (float USD) written as the reports write money."""
    return money(Decimal(f"{value:.4f}"))


def signed_fmoney(value: float) -> str:
    return signed_money(Decimal(f"{value:.2f}"))


def range_text(p5: float, p95: float) -> str:
    """``$12.10–$30.55``; one figure when the range is a single value (a plan without uncertain usage)."""
    return fmoney(p5) if f"{p5:.2f}" == f"{p95:.2f}" else f"{fmoney(p5)}–{fmoney(p95)}"


def probability_text(value: float | None) -> str:
    """``73%``; never a bare 0% or 100% for something that happened in some samples but not all."""
    if value is None:
        return "-"
    if 0 < value < 0.005:
        return "<1%"
    if 0.995 < value < 1:
        return ">99%"
    return f"{value * 100:.0f}%"


def diff_range_rows(d: DiffResult) -> list[tuple[str, str, str, str]]:
    """(label, before, after, change) for the p50 and the p95 of a diff whose either side has ranges."""
    if not d.has_ranges:
        return []
    rows = []
    for q in (50, 95):
        b, a = d.at(q)
        rows.append((f"p{q}", fmoney(b), fmoney(a), signed_fmoney(a - b)))
    return rows


def ranges_headline(d: DiffResult) -> str:
    """`` · p50 +$3.10 · p95 +$12.40`` when either side has ranges, else nothing."""
    if not d.has_ranges:
        return ""
    return f" · p50 {signed_fmoney(d.delta_p50 or 0.0)} · p95 {signed_fmoney(d.delta_p95 or 0.0)}"


def with_ranges(out: dict[str, Any], d: DiffResult) -> dict[str, Any]:
    """Diff JSON plus each side's cost range and the change of the p50 and p95, when either side has ranges (the
    JSON of a diff without ranges stays as it was)."""
    if d.has_ranges:
        out["before"]["cost_distribution"] = distribution_json(d.before.cost_distribution)
        out["after"]["cost_distribution"] = distribution_json(d.after.cost_distribution)
        out["delta_p50"] = round(d.delta_p50 or 0.0, 4)
        out["delta_p95"] = round(d.delta_p95 or 0.0, 4)
    return out
