"""Platform limits and API rate limits held against what a resource (or one job item) asks for.

Line checks run on each priced line whose limits are not already held elsewhere; :func:`item_breaches` holds one
batch item against the platform it runs on (memory, run time, CPU time) for the jobs section.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from infrafit.catalog.lookup import parse_limit
from infrafit.catalog.model import Limit
from infrafit.engine.checks import fmt_num, line_check
from infrafit.engine.result import Finding, Severity
from infrafit.services import Context
from infrafit.units import Rate, format_bytes

__all__ = ["Breach", "check_limits", "check_rate_limits", "item_breaches"]


def _describe(key: str, value: Decimal) -> str:
    if key in ("memory", "storage"):
        return format_bytes(value)
    if key in ("duration", "cpu_time"):
        return f"{fmt_num(value * 1000)} ms" if value < 1 else f"{fmt_num(value)} s"
    return fmt_num(value)


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
                    severity=Severity.ERROR,
                    code="rate_limit_exceeded",
                    resource=ctx.name,
                    message=f"{ctx.name}: {fmt_num(per_window)} {usage_key} {window} on average is above the "
                    f"{ctx.view.service.name} limit of {fmt_num(ceiling)} {window}"
                    f"{' for ' + ctx.type_name if ctx.type_name else ''} [{rate_limit.source}, as of {rate_limit.as_of}]",
                    fix="spread the work over more days, move to a higher tier, or ask for more quota",
                    source=rate_limit.source,
                    value=per_window,
                    limit=ceiling,
                    subject=f"rate:{attr}",
                )
            )
    return findings


def _limit_finding(ctx: Context, key: str, limit: Limit, value: Decimal, ceiling: Decimal) -> Finding:
    what = limit.label or key.replace("_", " ")
    plan = f" ({ctx.view.plan_name} plan)" if ctx.view.plan_name else ""
    message = (
        f"{ctx.name}: {what} {_describe(key, value)} is above the {ctx.view.service.name}{plan} limit of "
        f"{_describe(key, ceiling)} [{limit.source}, as of {limit.as_of}]"
    )
    return Finding(
        severity=Severity.ERROR,
        code="limit_exceeded",
        resource=ctx.name,
        message=message,
        fix=limit.fix,
        source=limit.source,
        value=value,
        limit=ceiling,
        subject=f"limit:{key}",
    )


@line_check
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


@dataclass(frozen=True, kw_only=True)
class Breach:
    """One item of a job that the platform cannot run: why, the numbers, the source and the fix."""

    message: str
    source: str | None
    value: Decimal
    limit: Decimal
    fix: str | None


def item_breaches(ctx: Context, *, memory: Decimal | None, worst_duration: Decimal, runs_on: str) -> list[Breach]:
    """What stops one item (``memory`` bytes, running up to ``worst_duration`` s) from running on ``ctx``."""
    limits = ctx.view.limits
    service = ctx.view.service.name
    out: list[Breach] = []
    if memory is not None:
        if "memory" in limits and memory > (ceiling := parse_limit(limits["memory"])):
            lim = limits["memory"]
            out.append(
                Breach(
                    message=f"each item needs {format_bytes(memory)}; {service} allows {format_bytes(ceiling)} "
                    f"[{lim.source}, as of {lim.as_of}]",
                    source=lim.source,
                    value=memory,
                    limit=ceiling,
                    fix=lim.fix or "run the items on a platform with more memory per worker, or shrink each item",
                )
            )
        if ctx.instance_type is not None:
            type_mem = ctx.instance_type.memory_bytes
            if memory > type_mem:
                out.append(
                    Breach(
                        message=f"each item needs {format_bytes(memory)}; a {ctx.type_name} has {format_bytes(type_mem)}",
                        source=ctx.instance_type.source,
                        value=memory,
                        limit=type_mem,
                        fix="pick a larger type",
                    )
                )
        elif (configured := ctx.resource.memory) is not None and memory > configured:
            out.append(
                Breach(
                    message=f"each item needs {format_bytes(memory)}; {runs_on} is configured with "
                    f"{format_bytes(configured)}",
                    source=None,
                    value=memory,
                    limit=configured,
                    fix=f"raise {runs_on}'s memory",
                )
            )
    for key in ("duration", "cpu_time"):
        if key in limits and worst_duration > (ceiling := parse_limit(limits[key])):
            lim = limits[key]
            what = "runs" if key == "duration" else "uses CPU for"
            out.append(
                Breach(
                    message=f"an item {what} up to {seconds_text(worst_duration)}; {service} stops it at "
                    f"{seconds_text(ceiling)} ({lim.label or key.replace('_', ' ')}) [{lim.source}, as of {lim.as_of}]",
                    source=lim.source,
                    value=worst_duration,
                    limit=ceiling,
                    fix=lim.fix or "split each item into shorter steps, or use a platform with a longer limit",
                )
            )
    return out


def seconds_text(value: Decimal) -> str:
    if value >= 120:
        return f"{value / 60:.4g} min"
    return f"{value:.4g} s"
