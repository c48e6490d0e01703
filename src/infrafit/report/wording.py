"""The words every format shares: verdicts, what changed, finding lines, severity icons, tones and order. One copy,
so the terminal, Markdown and HTML never disagree about what a plan's state is called."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from infrafit.engine.result import Severity, severity_rank
from infrafit.report.fmt import mem, money, pct, qty
from infrafit.report.grid import Cell, Tone

if TYPE_CHECKING:
    from infrafit.decisions.changes import FieldChange, FindingChange, ResourceDiff
    from infrafit.decisions.comparison import PlanSummary
    from infrafit.engine.result import Finding, PoolUse, QuotaUse, ResourceResult, Result

ICON: dict[str, str] = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}
SEVERITY_TONE: dict[str, Tone] = {Severity.ERROR: "bad", Severity.WARNING: "warn", Severity.INFO: "info"}


def severity_cell(severity: str) -> Cell:
    """A severity as the terminal colours it, HTML badges it and Markdown marks it with an icon."""
    return Cell(
        text=str(severity),
        tone=SEVERITY_TONE.get(severity, ""),
        strong=severity == Severity.ERROR,
        badge=True,
        icon=ICON.get(severity, ""),
    )


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


# What each kind of error is called in a verdict, so a plan that breaks a limit does not read as over budget.
_FAILURE: dict[str, tuple[str, str]] = {
    "budget_exceeded": ("over budget", "over budget"),
    "quota_exceeded": ("quota exceeded", "quotas exceeded"),
    "limit_exceeded": ("limit exceeded", "limits exceeded"),
    "rate_limit_exceeded": ("rate limit exceeded", "rate limits exceeded"),
}


def failures(errors: list[Finding]) -> str:
    """What the errors are, counted by kind: ``1 limit exceeded, over budget``; ``2 errors`` for other kinds."""
    counts: dict[str, int] = {}
    for f in errors:
        key = f.code if f.code in _FAILURE else ""
        counts[key] = counts.get(key, 0) + 1
    parts = []
    for key, n in counts.items():
        if key == "budget_exceeded":
            parts.append("over budget")
        elif key:
            one, many = _FAILURE[key]
            parts.append(f"{n} {one if n == 1 else many}")
        else:
            parts.append(plural(n, "error"))
    return ", ".join(parts)


def verdict(p: PlanSummary, cheapest: bool) -> str:
    if cheapest:
        return "cheapest that fits"
    if p.fits:
        return "fits"
    return f"does not fit: {failures(p.errors)}"


def fit_text(result: Result) -> str:
    return "fits" if result.fits else f"does not fit: {failures(result.errors)}"


def finding_line(f: Finding) -> str:
    fix = f" — fix: {f.fix}" if f.fix else ""
    return f"{f.code}: {f.message}{fix}"


def sorted_changes(items: list[FindingChange]) -> list[FindingChange]:
    """Errors first, then warnings, then infos; within a severity by key, so re-runs list them the same way."""
    return sorted(items, key=lambda c: (severity_rank(c.finding.severity), c.key))


def codes(findings: list[Finding]) -> str:
    """Finding codes with their counts: ``quota_exceeded×2, limit_exceeded``."""
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.code] = counts.get(f.code, 0) + 1
    return ", ".join(f"{code}×{n}" if n > 1 else code for code, n in counts.items()) or "-"


def describe_resource(r: ResourceResult) -> str:
    """aws.ec2 t3.small ×2 us-east-1"""
    bits = [r.service, r.type, r.plan and f"plan {r.plan}", f"×{r.count}" if r.count != 1 else None, r.region]
    return " ".join(b for b in bits if b)


def describe_change(c: FieldChange) -> str:
    if c.field == "memory_bytes":
        return f"memory {mem(c.before)} → {mem(c.after)}"
    if c.field == "vcpu":
        return f"vCPU {qty(c.before)} → {qty(c.after)}"
    return f"{c.field} {c.before if c.before is not None else '-'} → {c.after if c.after is not None else '-'}"


def change_text(r: ResourceDiff) -> str:
    """What happened to a resource, in a few words."""
    if r.status == "added":
        assert r.after is not None
        return f"added: {describe_resource(r.after)}"
    if r.status == "removed":
        assert r.before is not None
        return f"removed: {describe_resource(r.before)}"
    if r.changes:
        return "; ".join(describe_change(c) for c in r.changes)
    if r.lines:
        return "usage: " + ", ".join(
            f"{line.name} {qty(line.quantity_before)} → {qty(line.quantity_after)} {line.unit}" for line in r.lines
        )
    return "prices" if r.status == "changed" else "unchanged"


def refused(p: PoolUse) -> Decimal:
    """Usage a hard cap refuses: what a capped pool's users ask for beyond its allowance (0 for other pools)."""
    return max(p.used - p.allowance, Decimal(0)) if p.hard else Decimal(0)


def beyond(p: PoolUse) -> Cell:
    """What happens beyond a pool's allowance: refused by a hard cap, or billed (and how much)."""
    if refused(p) > 0:
        return Cell(text="refused beyond the cap", tone="bad")
    return Cell(text=f"billed {money(p.billed_cost)}" if p.billed else "-")


def pool_tone(p: PoolUse) -> Tone:
    """Over the allowance is bad, past 80% a warning."""
    return "bad" if p.used > p.allowance else ("warn" if p.used > p.allowance * 8 / 10 else "ok")


def quota_status(q: QuotaUse) -> Cell:
    if q.limit is None:
        return Cell(text="unknown limit", tone="info")
    if q.used > q.limit:
        return Cell(text=f"over by {qty(q.used - q.limit)}", tone="bad", strong=True)
    return Cell(text=f"{qty(q.limit - q.used)} spare", tone="ok")


def pool_share(used: Decimal | None, allowance: Decimal) -> str:
    return "-" if used is None else pct(used, allowance)


def used_of_limit(used: Decimal | None, limit: Decimal | None) -> str:
    if used is None:
        return "-"
    return f"{qty(used)} / {qty(limit) if limit is not None else '?'}"


def signed_qty(value: Decimal) -> str:
    if value == 0:
        return "0"
    return ("+" if value > 0 else "-") + qty(abs(value))


def signed_mem(before: Decimal, after: Decimal, same: str) -> str:
    """A memory change with its sign; ``same`` when there is none."""
    if after == before:
        return same
    return ("+" if after > before else "-") + mem(abs(after - before))
