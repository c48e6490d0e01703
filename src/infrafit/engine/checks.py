"""Checks that turn numbers into findings, in two registries: per priced line (platform and rate limits, in
:mod:`infrafit.engine.limits`) and per plan (pools, quotas, budget; sections may add their own).

Every finding says what, how much, against which limit, from which source, and what to change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from infrafit.catalog.lookup import ServiceView
from infrafit.engine.ledger import NoteUser
from infrafit.engine.result import Finding, Result, Severity
from infrafit.services import Context

__all__ = ["LINE_CHECKS", "PLAN_CHECKS", "check_notes", "fmt_money", "fmt_num", "line_check", "plan_check"]

ZERO = Decimal(0)

PlanCheck = Callable[[Result], list[Finding]]
LineCheck = Callable[[Context], list[Finding]]
PLAN_CHECKS: list[PlanCheck] = []
"""Run once on the assembled result, in registration order."""
LINE_CHECKS: list[LineCheck] = []
"""Run on every priced line whose limits are checked (a job's own lines were held against them by the job)."""


def plan_check(fn: PlanCheck) -> PlanCheck:
    PLAN_CHECKS.append(fn)
    return fn


def line_check(fn: LineCheck) -> LineCheck:
    LINE_CHECKS.append(fn)
    return fn


def fmt_num(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,.4f}".rstrip("0").rstrip(".")


def fmt_money(value: Decimal) -> str:
    return f"${value:,.2f}"


def check_notes(view: ServiceView, users: list[NoteUser]) -> list[Finding]:
    """The catalog's notes on a service (plan facts, retirements) for the resources they concern: a note scoped to
    regions, types, plans or API methods names only the resources in that scope, and is silent if there are none."""
    findings = []
    for n in view.notes:
        names = list(dict.fromkeys(u.name for u in users if u.in_scope(n)))
        if not names:
            continue
        findings.append(
            Finding(
                severity=Severity(n.severity),
                code=n.code,
                resource=names[0] if len(names) == 1 else None,
                message=f"{', '.join(names)}: {n.message} [{n.source}, as of {n.as_of}]",
                source=n.source,
                subject=f"note:{n.code}",
            )
        )
    return findings


def _only(resources: list[str]) -> str | None:
    return resources[0] if len(resources) == 1 else None


_DERIVED = re.compile(r"^(.+) \[(.+)\]$")


def _subjects(names: list[str]) -> dict[str, list[str]]:
    """Who uses a pool, each plan resource once, with the section lines on it: 'metrics-cache (with traffic
    dashboard)', not 'metrics-cache, metrics-cache [traffic dashboard]'. A line whose resource is not listed stays
    a subject of its own."""
    present = set(names)
    out: dict[str, list[str]] = {}
    for name in names:
        if (m := _DERIVED.match(name)) and m[1] in present:
            out.setdefault(m[1], []).append(m[2])
        else:
            out.setdefault(name, [])
    return out


def _who(subjects: dict[str, list[str]]) -> str:
    return ", ".join(f"{name} (with {', '.join(lines)})" if lines else name for name, lines in subjects.items())


@plan_check
def check_pools(result: Result) -> list[Finding]:
    findings = []
    for p in result.free_tier:
        if p.used <= p.allowance:
            continue
        per = "a day" if p.period == "day" else "a month"
        subjects = _subjects(p.resources)
        who, only = _who(subjects), _only(list(subjects))
        if p.hard:
            findings.append(
                Finding(
                    severity=Severity.ERROR,
                    code="limit_exceeded",
                    resource=only,
                    message=f"{who}: {p.label} allows {fmt_num(p.allowance)} {p.unit} {per}; the plan needs "
                    f"{fmt_num(p.used)} {p.unit} {per}. Usage beyond it is refused, not billed [{p.source}, as of {p.as_of}]",
                    fix="move to a paid plan or cut the usage",
                    source=p.source,
                    value=p.used,
                    limit=p.allowance,
                    subject=p.pool,
                )
            )
        else:
            free = p.kind == "free_tier"
            what = "free tier" if free else "the plan's included usage"
            findings.append(
                Finding(
                    severity=Severity.WARNING,
                    code="free_tier_exhausted" if free else "included_usage_exhausted",
                    resource=only,
                    message=f"{who}: {what} {p.pool} is used up: "
                    f"{fmt_num(p.used)} {p.unit} {per} against {fmt_num(p.allowance)} {'free' if free else 'included'}; "
                    f"{fmt_num(p.billed)} {p.unit} a month billed beyond it ({fmt_money(p.billed_cost)}) "
                    f"[{p.source}, as of {p.as_of}]",
                    source=p.source,
                    value=p.used,
                    limit=p.allowance,
                    subject=p.pool,
                )
            )
    return findings


@plan_check
def check_quotas(result: Result) -> list[Finding]:
    findings = []
    for q in result.quotas:
        where = f" in {q.region}" if q.region else ""
        subject = f"{q.key}@{q.region or ''}"
        if q.limit is None:
            findings.append(
                Finding(
                    severity=Severity.INFO,
                    code="quota_unknown",
                    resource=None,
                    message=f"{q.key}{where}: the plan uses {fmt_num(q.used)} {q.unit} ({', '.join(q.resources)}); "
                    f"this quota has no fixed default and differs per account. Set `quotas: {{{q.key}: N}}` to check "
                    f"it [{q.source}]",
                    source=q.source,
                    value=q.used,
                    subject=subject,
                )
            )
        elif q.used > q.limit:
            findings.append(
                Finding(
                    severity=Severity.ERROR,
                    code="quota_exceeded",
                    resource=None,
                    message=f"{q.key}{where}: {fmt_num(q.used)} {q.unit} used by {', '.join(q.resources)} is above the "
                    f"{'plan' if q.from_plan else 'default'} quota of {fmt_num(q.limit)} ({q.name}) [{q.source}]",
                    fix=f"shrink instances by {fmt_num(q.used - q.limit)} {q.unit} or ask the provider for a higher quota",
                    source=q.source,
                    value=q.used,
                    limit=q.limit,
                    subject=subject,
                )
            )
    return findings


@plan_check
def check_budget(result: Result) -> list[Finding]:
    if result.budget is None or result.total_monthly_cost <= result.budget:
        return []
    over = result.total_monthly_cost - result.budget
    top = sorted(result.resources, key=lambda r: r.monthly_cost, reverse=True)[:3]
    biggest = ", ".join(f"{r.name} {fmt_money(r.monthly_cost)}" for r in top)
    return [
        Finding(
            severity=Severity.ERROR,
            code="budget_exceeded",
            resource=None,
            message=f"total {fmt_money(result.total_monthly_cost)}/month is {fmt_money(over)} above the budget of "
            f"{fmt_money(result.budget)}; largest: {biggest}",
            fix="cut the largest lines or raise the budget",
            value=result.total_monthly_cost,
            limit=result.budget,
            subject="budget",
        )
    ]
