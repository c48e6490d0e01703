"""The billing rules of each service family, written once and named by the catalog's ``model:``."""

from __future__ import annotations

from decimal import Decimal

from infrafit.services.context import Context, ModelError
from infrafit.services.registry import register
from infrafit.services.units import GIB, ZERO, byte_unit, ceil_to

MS = Decimal("0.001")
HUNDRED_MS = Decimal("0.1")
HOUR = Decimal(3600)


@register("metered")
def metered(ctx: Context) -> dict[str, Decimal]:
    """Everything comes from usage keys; nothing to compute."""
    return {}


@register("instance")
def instance(ctx: Context) -> dict[str, Decimal]:
    """Machines billed by the hour (VMs, managed database instances), plus a boot disk if given."""
    out = {"instance": ctx.hours() * ctx.count}
    if ctx.resource.disk is not None:
        if "boot_disk" not in ctx.view.meters:
            raise ModelError(f"{ctx.view.key} takes no `disk`", ("disk",))
        out["boot_disk"] = ctx.resource.disk / byte_unit(ctx.view.meters["boot_disk"].unit) * ctx.count
    return out


@register("cloud_run")
def cloud_run(ctx: Context) -> dict[str, Decimal]:
    """Cloud Run: request-based billing bills instance time while requests run, rounded up to 100 ms per
    request and shared by concurrent requests; instance-based billing bills the instance's whole life."""
    cpu = ctx.cpu() or Decimal(1)
    memory = (ctx.memory() or Decimal(512 * 2**20)) / GIB
    if ctx.view.plan_name == "instance":
        seconds = ctx.hours() * HOUR * ctx.count
        return {
            "vcpu_seconds": seconds * cpu,
            "memory_gib_seconds": seconds * memory,
            "requests": ctx.monthly("requests") * ctx.count,
        }
    requests = ctx.monthly("requests") * ctx.count
    if requests == 0:
        return {"requests": ZERO, "vcpu_seconds": ZERO, "memory_gib_seconds": ZERO}
    duration = ceil_to(ctx.require("duration"), HUNDRED_MS)
    concurrency = max(ctx.scalar("concurrency", Decimal(1)) or Decimal(1), Decimal(1))
    month_seconds = ctx.month_hours * HOUR
    in_flight = requests * duration / month_seconds  # mean requests in flight (Little's law)
    seconds = month_seconds * expected_instances(in_flight, int(concurrency))
    return {"requests": requests, "vcpu_seconds": seconds * cpu, "memory_gib_seconds": seconds * memory}


def expected_instances(mean_in_flight: Decimal, concurrency: int) -> Decimal:
    """E[ceil(N / c)] for N ~ Poisson(mean): the mean number of busy instances when each serves up to ``c``
    requests at once and arrivals are random. Sparse traffic shares nothing (≈ mean); heavy traffic packs
    (≈ mean / c). With c = 1 it is exactly the mean, i.e. requests × duration."""
    if concurrency <= 1 or mean_in_flight == 0:
        return mean_in_flight
    mean = float(mean_in_flight)
    if mean > 500:  # the Poisson sum is long; the remainder term of ceil averages (c - 1) / 2c
        return mean_in_flight / concurrency + Decimal(concurrency - 1) / Decimal(2 * concurrency)
    import math

    upper = int(mean + 12 * math.sqrt(mean) + concurrency + 20)
    pmf = math.exp(-mean)
    total = 0.0
    for n in range(1, upper + 1):
        pmf *= mean / n
        total += pmf * -(-n // concurrency)
    return Decimal(repr(total))


def lambda_memory_mb(memory_bytes: Decimal) -> Decimal:
    """Lambda's memory setting in its own 'MB' (which are MiB): 512MB and 512MiB both mean setting 512."""
    mib = Decimal(2**20)
    if memory_bytes % mib == 0:
        return memory_bytes / mib
    return memory_bytes / Decimal(10**6)


@register("lambda")
def aws_lambda(ctx: Context) -> dict[str, Decimal]:
    """Lambda: GB-seconds = invocations × duration rounded up to 1 ms × memory MB / 1,024."""
    requests = ctx.monthly("requests") * ctx.count
    memory_mb = lambda_memory_mb(ctx.memory() or Decimal(128 * 2**20))
    if requests == 0:
        return {"requests": ZERO, "gb_seconds": ZERO}
    duration = ceil_to(ctx.require("duration"), MS)
    return {"requests": requests, "gb_seconds": requests * duration * memory_mb / Decimal(1024)}


@register("workers")
def workers(ctx: Context) -> dict[str, Decimal]:
    """Workers bill requests and CPU milliseconds (not wall time); CPU time defaults to the duration."""
    requests = ctx.monthly("requests") * ctx.count
    cpu_time = ctx.scalar("cpu_time") or ctx.scalar("duration") or ZERO
    return {"requests": requests, "cpu_ms": requests * cpu_time * 1000}


@register("vercel_functions")
def vercel_functions(ctx: Context) -> dict[str, Decimal]:
    """Vercel (fluid compute): invocations, active CPU time while code runs, memory for the whole duration."""
    requests = ctx.monthly("requests") * ctx.count
    if requests == 0:
        return {"invocations": ZERO, "active_cpu_hours": ZERO, "memory_gb_hours": ZERO}
    duration = ctx.require("duration")
    cpu_time = ctx.scalar("cpu_time") or duration
    cpu = ctx.cpu() or Decimal(1)
    memory_gb = (ctx.memory() or Decimal(2 * 10**9)) / Decimal(10**9)
    return {
        "invocations": requests,
        "active_cpu_hours": requests * cpu_time * cpu / HOUR,
        "memory_gb_hours": requests * duration * memory_gb / HOUR,
    }


@register("selfhost")
def selfhost(ctx: Context) -> dict[str, Decimal]:
    """A machine of one's own: electricity for the hours it runs, and its price spread over its life."""
    power = ctx.scalar("power") or ZERO
    out = {"energy": power * ctx.hours() / Decimal(1000) * ctx.count}
    hardware = ctx.scalar("hardware_cost")
    if hardware:
        months = ctx.scalar("lifetime_months") or Decimal(36)
        if months <= 0:
            raise ModelError("lifetime_months must be above zero", ("usage", "lifetime_months"))
        out["hardware"] = hardware / months * ctx.count
    return out
