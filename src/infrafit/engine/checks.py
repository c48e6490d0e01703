"""Checks that turn numbers into findings: platform limits, quotas, budget, pools, regions, notes.

Each check is a function registered in ``PLAN_CHECKS`` (whole plan) or run per resource, and every
finding says what, how much, against which limit, from which source, and what to change.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from infrafit.catalog.lookup import ServiceView, parse_limit
from infrafit.catalog.model import Limit
from infrafit.engine.result import Finding, PoolUse, QuotaUse, Result
from infrafit.services import Context
from infrafit.units import Rate, format_bytes

ZERO = Decimal(0)


def _fmt_num(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,.4f}".rstrip("0").rstrip(".")


def fmt_money(value: Decimal) -> str:
    return f"${value:,.2f}"


def _describe(key: str, value: Decimal) -> str:
    if key in ("memory", "storage"):
        return format_bytes(value)
    if key in ("duration", "cpu_time"):
        return f"{_fmt_num(value * 1000)} ms" if value < 1 else f"{_fmt_num(value)} s"
    return _fmt_num(value)


def _resource_value(ctx: Context, key: str) -> Decimal | None:
    """The resource's figure that a limit of this key constrains."""
    if key == "memory":
        return ctx.memory()
    if key == "cpu":
        return ctx.cpu()
    if key == "duration":
        return ctx.scalar("duration")
    if key == "cpu_time":
        return ctx.scalar("cpu_time") or ctx.scalar("duration")
    if key == "concurrency":
        return ctx.scalar("concurrency")
    if key == "storage":
        return ctx.scalar("storage")
    if key == "count":
        return Decimal(ctx.resource.count)
    if key == "concurrent_executions":
        rate = ctx.usage("requests")
        duration = ctx.scalar("duration")
        if isinstance(rate, Rate) and duration:
            per_second = rate.per_month(ctx.month_hours) / (ctx.month_hours * 3600)
            return per_second * duration * ctx.count
    return None


_WINDOWS: list[tuple[str, str, Decimal]] = [
    ("per_second", "requests", Decimal(1)),
    ("per_minute", "requests", Decimal(60)),
    ("per_hour", "requests", Decimal(3600)),
    ("per_day", "requests", Decimal(86400)),
    ("units_per_day", "units", Decimal(86400)),
]


def check_rate_limits(ctx: Context) -> list[Finding]:
    """Average use per window against an API's rate limits. Averages only: bursts (a batch) need a job."""
    limits = ctx.view.rate_limits
    rate_limit = limits.get(ctx.type_name or "") or limits.get("*")
    if rate_limit is None:
        return []
    findings = []
    month_seconds = ctx.month_hours * 3600
    for attr, usage_key, seconds in _WINDOWS:
        ceiling = getattr(rate_limit, attr)
        if ceiling is None or usage_key not in ctx.view.service.usage:
            continue
        per_window = ctx.monthly(usage_key) * ctx.count / month_seconds * seconds
        if per_window > ceiling:
            window = attr.replace("units_", "").replace("_", " ")
            findings.append(
                Finding(
                    "error",
                    "rate_limit_exceeded",
                    ctx.name,
                    f"{ctx.name}: {_fmt_num(per_window)} {usage_key} {window} on average is above the "
                    f"{ctx.view.service.name} limit of {_fmt_num(ceiling)} {window}"
                    f"{' for ' + ctx.type_name if ctx.type_name else ''} [{rate_limit.source}, as of {rate_limit.as_of}]",
                    "spread the work over more days, move to a higher tier, or ask for more quota",
                    rate_limit.source,
                    per_window,
                    ceiling,
                    subject=f"rate:{attr}",
                )
            )
    return findings


def check_limits(ctx: Context) -> list[Finding]:
    findings = check_rate_limits(ctx)
    for key, limit in ctx.view.limits.items():
        value = _resource_value(ctx, key)
        if value is None:
            continue
        ceiling = parse_limit(limit)
        if value > ceiling:
            findings.append(_limit_finding(ctx, key, limit, value, ceiling))
    return findings


def _limit_finding(ctx: Context, key: str, limit: Limit, value: Decimal, ceiling: Decimal) -> Finding:
    what = limit.label or key.replace("_", " ")
    plan = f" ({ctx.view.plan_name} plan)" if ctx.view.plan_name else ""
    message = (
        f"{ctx.name}: {what} {_describe(key, value)} is above the {ctx.view.service.name}{plan} limit of "
        f"{_describe(key, ceiling)} [{limit.source}, as of {limit.as_of}]"
    )
    return Finding(
        "error", "limit_exceeded", ctx.name, message, limit.fix, limit.source, value, ceiling, subject=f"limit:{key}"
    )


def check_notes(view: ServiceView, resources: list[str]) -> list[Finding]:
    names = ", ".join(resources)
    return [
        Finding(
            n.severity,
            n.code,
            resources[0] if len(resources) == 1 else None,
            f"{names}: {n.message} [{n.source}, as of {n.as_of}]",
            None,
            n.source,
            subject=f"note:{n.code}",
        )
        for n in view.notes
    ]


def check_pools(pools: list[PoolUse]) -> list[Finding]:
    findings = []
    for p in pools:
        if p.used <= p.allowance:
            continue
        per = "a day" if p.period == "day" else "a month"
        who = ", ".join(p.resources)
        if p.hard:
            findings.append(
                Finding(
                    "error",
                    "limit_exceeded",
                    p.resources[0] if len(p.resources) == 1 else None,
                    f"{who}: {p.label} allows {_fmt_num(p.allowance)} {p.unit} {per}; the plan needs "
                    f"{_fmt_num(p.used)} {p.unit} {per}. Usage beyond it is refused, not billed [{p.source}, as of {p.as_of}]",
                    "move to a paid plan or cut the usage",
                    p.source,
                    p.used,
                    p.allowance,
                    subject=p.pool,
                )
            )
        else:
            code = "free_tier_exhausted" if p.kind == "free_tier" else "included_usage_exhausted"
            what = "free tier" if p.kind == "free_tier" else "the plan's included usage"
            findings.append(
                Finding(
                    "warning",
                    code,
                    p.resources[0] if len(p.resources) == 1 else None,
                    f"{who}: {what} {p.pool} is used up: {_fmt_num(p.used)} {p.unit} {per} against "
                    f"{_fmt_num(p.allowance)} {'free' if p.kind == 'free_tier' else 'included'}; {_fmt_num(p.billed)} {p.unit} a month billed beyond it "
                    f"({fmt_money(p.billed_cost)}) [{p.source}, as of {p.as_of}]",
                    None,
                    p.source,
                    p.used,
                    p.allowance,
                    subject=p.pool,
                )
            )
    return findings


def check_quotas(quotas: list[QuotaUse]) -> list[Finding]:
    findings = []
    for q in quotas:
        where = f" in {q.region}" if q.region else ""
        if q.limit is None:
            findings.append(
                Finding(
                    "info",
                    "quota_unknown",
                    None,
                    f"{q.key}{where}: the plan uses {_fmt_num(q.used)} {q.unit} ({', '.join(q.resources)}); this quota has "
                    f"no fixed default and differs per account. Set `quotas: {{{q.key}: N}}` to check it [{q.source}]",
                    None,
                    q.source,
                    q.used,
                    subject=f"{q.key}@{q.region or ''}",
                )
            )
        elif q.used > q.limit:
            findings.append(
                Finding(
                    "error",
                    "quota_exceeded",
                    None,
                    f"{q.key}{where}: {_fmt_num(q.used)} {q.unit} used by {', '.join(q.resources)} is above the "
                    f"{'plan' if q.from_plan else 'default'} quota of {_fmt_num(q.limit)} ({q.name}) [{q.source}]",
                    f"shrink instances by {_fmt_num(q.used - q.limit)} {q.unit} or ask the provider for a higher quota",
                    q.source,
                    q.used,
                    q.limit,
                    subject=f"{q.key}@{q.region or ''}",
                )
            )
    return findings


def check_budget(result: Result) -> list[Finding]:
    if result.budget is None or result.total_monthly_cost <= result.budget:
        return []
    over = result.total_monthly_cost - result.budget
    top = sorted(result.resources, key=lambda r: r.monthly_cost, reverse=True)[:3]
    biggest = ", ".join(f"{r.name} {fmt_money(r.monthly_cost)}" for r in top)
    return [
        Finding(
            "error",
            "budget_exceeded",
            None,
            f"total {fmt_money(result.total_monthly_cost)}/month is {fmt_money(over)} above the budget of "
            f"{fmt_money(result.budget)}; largest: {biggest}",
            "cut the largest lines or raise the budget",
            None,
            result.total_monthly_cost,
            result.budget,
            subject="budget",
        )
    ]


PlanCheck = Callable[[Result], list[Finding]]
PLAN_CHECKS: list[PlanCheck] = [check_budget]
