"""The billing rules of each service family, written once and named by the catalog's ``model:``."""

from __future__ import annotations

import functools
from decimal import Decimal

from infrafit.services.context import Context, ModelError
from infrafit.services.registry import register
from infrafit.services.units import GIB, ZERO, ceil_to

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
        out["boot_disk"] = ctx.in_meter_unit(ctx.resource.disk, "boot_disk") * ctx.count
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
    (≈ mean / c). With c = 1 it is exactly the mean, i.e. requests × duration.

    Once N's spread is wide against c (mean ≥ 4c², sqrt(mean) ≥ 2c) N mod c is uniform to within
    e^(-2π²·mean/c²) < 1e-34, so ceil(N/c) averages N/c + (c - 1)/2c. Below that, E = Σ_k P(N > kc) is summed
    over N's ±12σ window in log space (no underflow at large means), each tail taken from its small side so the
    result rises with the mean."""
    if concurrency <= 1 or mean_in_flight == 0:
        return mean_in_flight
    c = concurrency
    if mean_in_flight >= 4 * c * c:
        return mean_in_flight / c + Decimal(c - 1) / Decimal(2 * c)
    return Decimal(repr(_tail_sum(float(mean_in_flight), c)))


@functools.lru_cache(maxsize=1024)
def _tail_sum(mean: float, c: int) -> float:
    """Σ_{k≥0} P(N ≥ kc + 1) for N ~ Poisson(mean), from the pmf over mean ± (12σ + 20)."""
    import math

    spread = 12 * math.sqrt(mean) + 20
    lo, hi = max(0, int(mean - spread)), int(mean + spread) + 1
    log_mean = math.log(mean)
    pmf = [math.exp(n * log_mean - mean - math.lgamma(n + 1)) for n in range(lo, hi + 1)]
    below = [0.0]  # below[i] = P(lo <= N < lo + i), summed from the small end
    for p in pmf:
        below.append(below[-1] + p)
    above = [0.0] * (len(pmf) + 1)  # above[i] = P(N >= lo + i), summed from the small end
    for i in range(len(pmf) - 1, -1, -1):
        above[i] = above[i + 1] + pmf[i]
    k = (lo - 1) // c + 1 if lo > 0 else 0  # tails from n <= lo are 1 (the mass below lo is < 1e-30)
    total = float(k)
    while k * c + 1 <= hi:
        i = k * c + 1 - lo
        total += (1.0 - below[i]) if k * c + 1 <= mean else above[i]
        k += 1
    return total


def lambda_memory_mb(memory_bytes: Decimal) -> Decimal:
    """A memory setting in the provider's own 'MB' (which are MiB: Lambda, Vercel): 512MB and 512MiB both mean
    setting 512, and 2GB means 2,048 (the provider's 2 GB), as the user wrote the provider's number."""
    mib = Decimal(2**20)
    if memory_bytes % mib == 0:
        return memory_bytes / mib
    if memory_bytes % Decimal(10**9) == 0:
        return memory_bytes / Decimal(10**9) * 1024
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
    memory = ctx.memory() or Decimal(2 * 2**30)  # Standard: 2 GB
    if ctx.byte_convention("memory_gb_hours") == "binary":  # GB-hours with 1 GB = 1,024 MB: 512 MB is 0.5 GB
        memory_gb = lambda_memory_mb(memory) / 1024
    else:
        memory_gb = ctx.in_meter_unit(memory, "memory_gb_hours", unit="GB")
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
        months = ctx.scalar("lifetime_months")
        if months is None:
            months = Decimal(36)
        elif months <= 0:
            raise ModelError(
                f"lifetime_months must be above zero (got {months}): the hardware price is spread over that many "
                "months; leave it out for 36",
                ("usage", "lifetime_months"),
            )
        out["hardware"] = hardware / months * ctx.count
    return out
