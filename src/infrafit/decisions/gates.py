"""Gates for CI: the reasons a check, comparison, diff or simulation should fail a build.

Each gate returns a list of plain-text reasons (empty: every gate passed), so the same rules serve the CLI
(`fail: REASON` on stderr, exit 1), a notebook or a CI script, and are tested without a command line.
The flag parsers turn what a user types (``50USD``, ``10%``, ``p95``) into values, raising ``ValueError`` on bad
text.

A cost gate applies at a point of the cost's distribution (``at``): None is the point total (every input at its
median, today's behaviour), a number is a percentile of the sampled monthly totals (95 for ``--at p95``). A plan
without uncertain usage has one cost, so it is judged on its point total at any percentile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from infrafit.decisions.changes import DiffResult
    from infrafit.decisions.comparison import CompareResult
    from infrafit.engine.result import Result


@dataclass(frozen=True, kw_only=True)
class Increase:
    """The most a diff's monthly cost may grow: a percentage of the cost before, or an amount of money."""

    kind: Literal["percent", "money"]
    amount: Decimal
    """Percent points (``10`` for 10%) when kind is percent; US dollars a month when kind is money."""


def parse_max_cost(value: str | None) -> Decimal | None:
    """``50USD`` / ``50 USD`` / ``50`` -> Decimal("50"); None stays None (no ceiling)."""
    if value is None:
        return None
    from infrafit.units import Kind, UnitError, parse

    try:
        amount = parse(value.replace("USD", " USD") if "USD" in value else f"{value} USD", Kind.MONEY)
    except UnitError as exc:
        raise ValueError(str(exc)) from None
    assert isinstance(amount, Decimal)
    return amount


def parse_max_increase(value: str | None) -> Increase | None:
    """``10%`` -> percent 10; ``5USD`` / ``5 USD`` / ``$5`` -> money 5; None stays None (no limit)."""
    if value is None:
        return None
    from infrafit.units import Kind, UnitError, parse

    text = value.strip()
    try:
        if text.endswith("%"):
            fraction = parse(text, Kind.PERCENT)
            assert isinstance(fraction, Decimal)
            return Increase(kind="percent", amount=fraction * 100)
        amount = parse(text if "USD" in text or "$" in text else f"{text} USD", Kind.MONEY)
    except UnitError as exc:
        raise ValueError(f"{exc}; give a percentage such as 10% or an amount such as 5USD") from None
    assert isinstance(amount, Decimal)
    return Increase(kind="money", amount=amount)


def parse_at(value: str | None) -> float | None:
    """``point`` (or None) -> None; ``p95`` / ``P95`` / ``p99.9`` -> 95.0 / 99.9 (a percentile from 0 to 100)."""
    if value is None:
        return None
    text = value.strip().lower()
    if text == "point":
        return None
    try:
        q = float(text[1:]) if text.startswith("p") and text[1:2].isdigit() else None
    except ValueError:
        q = None
    if q is None or not 0 <= q <= 100:
        raise ValueError(
            f"{value!r} is not a point of the cost's range; give point (the headline total) or a percentile "
            "from p0 to p100, such as p50 or p95"
        )
    return q


def at_label(at: float | None) -> str:
    """``point``, or the percentile as written (``p95``, ``p99.9``)."""
    return "point" if at is None else f"p{at:g}"


def _cost_text(result: Result, at: float | None) -> tuple[Decimal, str]:
    """The cost a gate judges and how its reason names it: ``$61.20/month``, ``p95 $61.20/month``, or for a plan
    without ranges ``p95 $61.20/month (no cost range: its point total)``."""
    from infrafit.decisions.ranges import cost_at

    cost = cost_at(result, at)
    if at is None:
        return cost, f"${cost:,.2f}/month"
    tail = "" if result.cost_distribution is not None else " (no cost range: its point total)"
    return cost, f"{at_label(at)} ${cost:,.2f}/month{tail}"


def _above(label: str, result: Result, ceiling: Decimal | None, at: float | None) -> list[str]:
    if ceiling is None:
        return []
    cost, text = _cost_text(result, at)
    if cost > ceiling:
        return [f"{label}: {text} is above --max-cost ${ceiling:,.2f}"]
    return []


def check_gates(
    results: Sequence[Result],
    *,
    fail_on_error: bool = True,
    max_cost: Decimal | None = None,
    at: float | None = None,
) -> list[str]:
    """Each plan fails on an error finding (when asked) and on a monthly cost above ``max_cost`` at ``at``."""
    reasons: list[str] = []
    for r in results:
        if fail_on_error and not r.fits:
            reasons.append(f"{r.plan}: {len(r.errors)} error finding(s)")
        reasons += _above(r.plan, r, max_cost, at)
    return reasons


def compare_gates(
    cmp: CompareResult,
    *,
    fail_on_error: bool = True,
    max_cost: Decimal | None = None,
    at: float | None = None,
) -> list[str]:
    """A comparison fails when no plan fits (when asked), and for each plan above ``max_cost`` at ``at``."""
    reasons: list[str] = []
    if fail_on_error and cmp.cheapest_fitting is None:
        reasons.append("no plan fits: " + "; ".join(f"{p.label}: {len(p.errors)} error(s)" for p in cmp.plans))
    for p in cmp.plans:
        reasons += _above(p.label, p.result, max_cost, at)
    return reasons


def diff_gates(
    d: DiffResult,
    *,
    fail_on_error: bool = True,
    max_cost: Decimal | None = None,
    max_increase: Increase | None = None,
    at: float | None = None,
) -> list[str]:
    """Only the plan after counts for errors and ``max_cost``; ``max_increase`` bounds the growth of the cost
    (both at ``at``: the point totals, or the same percentile of each side).

    A percentage limit fails any growth from $0 (no percentage exists); a decrease passes every increase limit.
    """
    from infrafit.decisions.changes import percent
    from infrafit.decisions.ranges import cost_at

    new = d.after
    reasons: list[str] = []
    if fail_on_error and not new.fits:
        reasons.append(f"{new.plan} (after): {len(new.errors)} error finding(s)")
    reasons += _above(f"{new.plan} (after)", new, max_cost, at)
    if max_increase is not None:
        amount = max_increase.amount
        old_cost, new_cost = cost_at(d.before, at), cost_at(new, at)
        delta, pct = new_cost - old_cost, percent(old_cost, new_cost)
        what = "monthly cost" if at is None else f"{at_label(at)} monthly cost"
        if max_increase.kind == "money" and delta > amount:
            reasons.append(f"{what} grows by ${delta:,.2f}, more than --max-increase ${amount:,.2f}")
        elif max_increase.kind == "percent" and delta > 0 and (pct is None or pct > amount):
            grown = "from $0.00" if pct is None else f"by {pct:.1f}%"
            limit = f"{amount.normalize():f}%"
            reasons.append(f"{what} grows {grown} (+${delta:,.2f}), more than --max-increase {limit}")
    return reasons


def simulate_gates(results: Sequence[Result]) -> list[str]:
    """A simulation fails for each job that cannot run at all (an item breaks a platform limit)."""
    return [f"{r.plan}: job {j.name} cannot run" for r in results for j in r.jobs if not j.feasible]
