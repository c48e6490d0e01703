"""The words every format shares: verdicts, what changed, finding lines, severity icons, tones and order. One copy,
so the terminal, Markdown and HTML never disagree about what a plan's state is called."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from infrafit.engine.result import Severity, severity_rank
from infrafit.report.fmt import mem, pct, qty
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


def verdict(p: PlanSummary, cheapest: bool) -> str:
    if cheapest:
        return "cheapest that fits"
    if p.fits:
        return "fits"
    return f"does not fit ({plural(len(p.errors), 'error')})"


def fit_text(result: Result) -> str:
    return "fits" if result.fits else f"does not fit ({plural(len(result.errors), 'error')})"


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
