"""Platform limits and API rate limits held against what a resource (or one job item) asks for.

Line checks run on each priced line whose limits are not already held elsewhere; :func:`item_breaches` holds one
batch item against the platform it runs on (memory, run time, CPU time) and :func:`aggregate_memory_breach` the items
running at once on one machine against its memory, for the jobs section.
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

__all__ = [
    "Breach",
    "Machine",
    "aggregate_memory_breach",
    "check_limits",
    "check_rate_limits",
    "item_breaches",
    "machine",
    "memory_text",
]


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


def item_breaches(
    ctx: Context,
    *,
    memory: Decimal | None,
    worst_duration: Decimal,
    runs_on: str,
    cpu_time: Decimal | None = None,
) -> list[Breach]:
    """What stops one item (``memory`` bytes, running up to ``worst_duration`` s, using ``cpu_time`` s of CPU,
    else its wall time) from running on ``ctx``: one breach per cause (memory, run time, CPU time)."""
    limits = ctx.view.limits
    service = ctx.view.service.name
    out: list[Breach] = []
    if memory is not None and (breach := _memory_breach(ctx, memory, runs_on)) is not None:
        out.append(breach)
    for key in ("duration", "cpu_time"):
        value = cpu_time if key == "cpu_time" and cpu_time is not None else worst_duration
        if key in limits and value > (ceiling := parse_limit(limits[key])):
            lim = limits[key]
            what = "runs" if key == "duration" else "uses CPU for"
            assumed = " (its wall time: the job gives no cpu_time)" if key == "cpu_time" and cpu_time is None else ""
            out.append(
                Breach(
                    message=f"an item {what} up to {seconds_text(value)}{assumed}; {service} stops it at "
                    f"{seconds_text(ceiling)} ({lim.label or key.replace('_', ' ')}) [{lim.source}, as of {lim.as_of}]",
                    source=lim.source,
                    value=value,
                    limit=ceiling,
                    fix=lim.fix or "split each item into shorter steps, or use a platform with a longer limit",
                )
            )
    return out


def _memory_breach(ctx: Context, memory: Decimal, runs_on: str) -> Breach | None:
    """The item's memory against every ceiling that holds it (the platform's, the machine type's, the configured
    size), as ONE breach naming each one it exceeds: one cause, one finding."""
    lim = ctx.view.limits.get("memory")
    platform: Ceiling | None = None
    if lim is not None:
        cited = f"{ctx.view.service.name} allows {{}} [{lim.source}, as of {lim.as_of}]"
        fix = lim.fix or "run the items on a platform with more memory per worker, or shrink each item"
        platform = Ceiling(parse_limit(lim), cited, lim.source, fix)
    own: Ceiling | None = None
    if ctx.instance_type is not None:
        own = Ceiling(
            ctx.instance_type.memory_bytes,
            f"a {ctx.type_name} has {{}}",
            ctx.instance_type.source,
            "pick a larger type",
        )
    elif (configured := ctx.resource.memory) is not None:
        own = Ceiling(configured, f"{runs_on} is configured with {{}}", None, f"raise {runs_on}'s memory")
    # The resource's own size first, the platform's ceiling last (its source closes the sentence); the platform's
    # fix wins, since raising a setting cannot pass it.
    over = [c for c in (own, platform) if c is not None and memory > c.bytes]
    if not over:
        return None
    return Breach(
        message=f"each item needs {format_bytes(memory)}; "
        + " and ".join(c.text.format(format_bytes(c.bytes)) for c in over),
        source=next((c.source for c in reversed(over) if c.source), None),
        value=memory,
        limit=min(c.bytes for c in over),
        fix=over[-1].fix,
    )


@dataclass(frozen=True)
class Ceiling:
    """A memory ceiling an item is held against: bytes, how to name it (``{}`` for the size), source, fix."""

    bytes: Decimal
    text: str
    source: str | None
    fix: str


@dataclass(frozen=True, kw_only=True)
class Machine:
    """One machine whose memory the items running on it at once share (a VM, a self-hosted box)."""

    memory: Decimal
    """Bytes."""
    name: str
    """What one machine is: its type (``e2-micro``) or the resource's name."""
    source: str | None = None
    as_of: str | None = None


def machine(ctx: Context) -> Machine | None:
    """The machine ``ctx`` runs items on, when items share its memory: a typed VM, or a resource with memory
    that is not billed per request (a self-hosted box). Functions and containers give each request its own."""
    if ctx.instance_type is not None:
        t = ctx.instance_type
        return Machine(memory=t.memory_bytes, name=ctx.type_name or ctx.name, source=t.source, as_of=str(t.as_of))
    if "requests" not in ctx.view.service.usage and (memory := ctx.memory()) is not None:
        return Machine(memory=memory, name=f"{ctx.name} machine")
    return None


def aggregate_memory_breach(ctx: Context, *, memory: Decimal, concurrency: int) -> Breach | None:
    """Items running at once on one machine must fit its memory together: ``concurrency`` items spread over
    ``count`` machines put ⌈concurrency / count⌉ on the busiest one. (One item too big is an item breach.)"""
    box = machine(ctx)
    if box is None or memory > box.memory:
        return None
    count = max(ctx.resource.count, 1)
    per_machine = -(-concurrency // count)
    need = per_machine * memory
    if need <= box.memory:
        return None
    fits = int(box.memory // memory) * count
    spread = f" ({concurrency:,} over {count} machines)" if count > 1 else ""
    cited = f" [{box.source}, as of {box.as_of}]" if box.source else ""
    return Breach(
        message=f"{per_machine:,} items at once{spread} × {memory_text(memory)} = {memory_text(need)} needed at once "
        f"on one {box.name}, which has {memory_text(box.memory)}{cited}",
        source=box.source,
        value=need,
        limit=box.memory,
        fix=f"lower the job's concurrency to {fits:,} (what fits in memory), pick a larger type, or add machines",
    )


def memory_text(value: Decimal) -> str:
    """A size as people write it: ``1 GiB`` for whole binary units, ``1,500 MB`` for whole megabytes."""
    for unit, size in (("GiB", Decimal(2**30)), ("MiB", Decimal(2**20))):
        if value >= size and value % size == 0:
            return f"{fmt_num(value / size)} {unit}"
    mb = Decimal(10**6)
    if value >= mb and value % mb == 0 and value < 10**13:
        return f"{fmt_num(value / mb)} MB"
    return format_bytes(value)


def seconds_text(value: Decimal) -> str:
    if value >= 120:
        return f"{value / 60:.4g} min"
    return f"{value:.4g} s"
