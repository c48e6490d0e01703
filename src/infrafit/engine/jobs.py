"""Batch jobs: can the platform run each item at all, how long the batch takes and why, and the usage
(invocations, compute time, API calls) it implies, priced as extra lines of the resources it touches.

The simulator (:mod:`infrafit.dynamics`, NumPy) is imported only when a plan has jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from infrafit.catalog.lookup import Catalog, parse_limit
from infrafit.catalog.model import RateLimit
from infrafit.engine.result import Finding
from infrafit.errors import did_you_mean
from infrafit.plan.jobs import Job
from infrafit.plan.model import Plan, Resource
from infrafit.services import Context, ModelError
from infrafit.units import Rate, format_bytes

if TYPE_CHECKING:
    from infrafit.dynamics import BatchResult, Limiter

ZERO = Decimal(0)
# The usage key a bare number of calls adds to, by what the called service takes.
_CALL_KEYS = ("requests", "messages", "operations", "units", "commands", "class_a")

Binder = Callable[[str, Resource], Context]


@dataclass
class JobReport:
    """A job's answer. ``to_dict`` keeps the JSON core: name, feasible, makespan_hours, bottleneck, items_per_hour."""

    name: str
    runs_on: str
    service: str
    items: int
    feasible: bool
    concurrency: int | None
    concurrency_source: str
    makespan_hours_p50: float | None = None
    makespan_hours_p95: float | None = None
    bottleneck: str = ""
    bottleneck_detail: str = ""
    items_per_hour: float | None = None
    attempts: float = 0.0
    failed_items: float = 0.0
    day_resets: int = 0
    limiters: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[tuple[float, int]] = field(default_factory=list)
    derived: dict[str, dict[str, float]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    method: str = ""
    replications: int = 0
    start: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "feasible": self.feasible,
            "makespan_hours": {"p50": self.makespan_hours_p50, "p95": self.makespan_hours_p95},
            "bottleneck": self.bottleneck,
            "items_per_hour": self.items_per_hour,
            "bottleneck_detail": self.bottleneck_detail,
            "runs_on": self.runs_on,
            "service": self.service,
            "items": self.items,
            "concurrency": self.concurrency,
            "concurrency_source": self.concurrency_source,
            "attempts": self.attempts,
            "failed_items": self.failed_items,
            "day_resets": self.day_resets,
            "limiters": self.limiters,
            "reasons": self.reasons,
            "derived_usage": self.derived,
            "timeline": [{"hours": h, "completed": n} for h, n in self.timeline],
            "method": self.method,
            "replications": self.replications,
            "start": self.start,
        }


def _default_call_key(usage_keys: list[str]) -> str | None:
    return next((k for k in _CALL_KEYS if k in usage_keys), None)


def _rate_limit(ctx: Context) -> RateLimit | None:
    res = ctx.resource
    if res.rate_limits:
        values = {k: Decimal(str(v)) for k, v in res.rate_limits.items()}
        return RateLimit(
            source="plan",
            as_of=date.today(),
            daily_reset=res.daily_reset,
            confirmed=True,
            **values,
        )
    limits = ctx.view.rate_limits
    return limits.get(ctx.type_name or "") or limits.get("*")


class JobPlanner:
    """Turns a plan's jobs into reports, findings and derived resources for the evaluator to price."""

    def __init__(
        self,
        plan: Plan,
        catalog: Catalog,
        binder: Binder,
        replications: int = 20,
        seed: int = 0,
        on_job: Callable[[str], None] | None = None,
    ) -> None:
        self.plan = plan
        self.catalog = catalog
        self.bind = binder
        self.replications = replications
        self.seed = seed
        self.on_job = on_job
        self.findings: list[Finding] = []
        self.reports: list[JobReport] = []
        self.derived: list[tuple[str, Resource]] = []
        self._bound: dict[str, Context] = {}

    def run(self) -> None:
        for name, job in self.plan.jobs.items():
            self.reports.append(self._job(name, job))
            if self.on_job:
                self.on_job(name)

    # -- one job --------------------------------------------------------------------------------------------
    def _resource(self, job_name: str, ref: str, path: tuple[str | int, ...]) -> tuple[Resource, Context]:
        res = self.plan.resources.get(ref)
        if res is None:
            raise ModelError(f"job {job_name} names no resource {ref!r}{did_you_mean(ref, self.plan.resources)}", path)
        if ref not in self._bound:  # several jobs (and both passes of one) name the same resources
            self._bound[ref] = self.bind(ref, res)
        return res, self._bound[ref]

    def _job(self, name: str, job: Job) -> JobReport:
        base = ("jobs", name)
        res, ctx = self._resource(name, job.runs_on, (*base, "runs_on"))
        report = JobReport(
            name,
            job.runs_on,
            ctx.view.key,
            job.items,
            True,
            None,
            "",
            start=job.start.isoformat() if job.start else None,
        )
        self._feasibility(name, job, ctx, report)
        report.concurrency, report.concurrency_source = self._concurrency(name, job, ctx, report)
        limiters = self._limiters(name, job, report)
        attempts = Decimal(job.items) * Decimal(str(_attempts_per_item(job)))
        if report.feasible and report.concurrency:
            result = self._simulate(name, job, report.concurrency, limiters, report)
            if result is not None:
                attempts = Decimal(str(result.attempts))
        self._derive(name, job, res, ctx, attempts, report)
        return report

    def _feasibility(self, name: str, job: Job, ctx: Context, report: JobReport) -> None:
        limits = ctx.view.limits
        service = ctx.view.service.name

        def fail(message: str, source: str | None, value: Decimal, ceiling: Decimal, fix: str | None) -> None:
            self._infeasible(name, job, report, message, source, value, ceiling, fix)

        if job.memory is not None:
            if "memory" in limits and job.memory > (ceiling := parse_limit(limits["memory"])):
                lim = limits["memory"]
                fail(
                    f"each item needs {format_bytes(job.memory)}; {service} allows {format_bytes(ceiling)} "
                    f"[{lim.source}, as of {lim.as_of}]",
                    lim.source,
                    job.memory,
                    ceiling,
                    lim.fix or "run the items on a platform with more memory per worker, or shrink each item",
                )
            if ctx.instance_type is not None:
                type_mem = ctx.instance_type.memory_bytes
                if job.memory > type_mem:
                    fail(
                        f"each item needs {format_bytes(job.memory)}; a {ctx.type_name} has {format_bytes(type_mem)}",
                        ctx.instance_type.source,
                        job.memory,
                        type_mem,
                        "pick a larger type",
                    )
            elif (configured := ctx.resource.memory) is not None and job.memory > configured:
                fail(
                    f"each item needs {format_bytes(job.memory)}; {job.runs_on} is configured with "
                    f"{format_bytes(configured)}",
                    None,
                    job.memory,
                    configured,
                    f"raise {job.runs_on}'s memory",
                )
        worst = job.duration.worst
        for key in ("duration", "cpu_time"):
            if key in limits and worst > (ceiling := parse_limit(limits[key])):
                lim = limits[key]
                what = "runs" if key == "duration" else "uses CPU for"
                fail(
                    f"an item {what} up to {_secs(worst)}; {service} stops it at {_secs(ceiling)} "
                    f"({lim.label or key.replace('_', ' ')}) [{lim.source}, as of {lim.as_of}]",
                    lim.source,
                    worst,
                    ceiling,
                    lim.fix or "split each item into shorter steps, or use a platform with a longer limit",
                )

    def _infeasible(
        self,
        name: str,
        job: Job,
        report: JobReport,
        message: str,
        source: str | None,
        value: Decimal,
        ceiling: Decimal,
        fix: str | None,
    ) -> None:
        """The platform cannot run the job's items: say so in the job's report and as an error finding."""
        report.feasible = False
        report.reasons.append(message)
        self.findings.append(
            Finding(
                "error",
                "limit_exceeded",
                job.runs_on,
                f"job {name}: {message}",
                fix,
                source,
                value,
                ceiling,
                subject=f"job:{name}",
            )
        )

    def _concurrency(self, name: str, job: Job, ctx: Context, report: JobReport) -> tuple[int | None, str]:
        limits = ctx.view.limits
        platform = limits.get("concurrent_executions")
        ceiling = parse_limit(platform) if platform else None
        if job.concurrency is not None:
            if ceiling is not None and job.concurrency > ceiling:
                assert platform is not None
                message = (
                    f"asks for {job.concurrency:,} items at once; {ctx.view.service.name} allows "
                    f"{int(ceiling):,} concurrent executions [{platform.source}, as of {platform.as_of}]"
                )
                self._infeasible(
                    name,
                    job,
                    report,
                    message,
                    platform.source,
                    Decimal(job.concurrency),
                    ceiling,
                    platform.fix or "lower the job's concurrency or ask for a higher quota",
                )
            return job.concurrency, "the job's concurrency"
        if ceiling is not None:
            return int(ceiling), f"{ctx.view.service.name}'s concurrent executions limit"
        if not report.feasible:
            return None, "not simulated: the platform cannot run an item"
        if ctx.instance_type is not None:
            per_machine = 1
            if job.memory:
                per_machine = max(int(ctx.instance_type.memory_bytes // job.memory), 0)
            total = per_machine * ctx.resource.count
            if total >= 1:
                return total, f"{ctx.resource.count} × {ctx.type_name}, {per_machine} item(s) each by memory"
            return None, "no machine has room for one item"
        raise ModelError(
            f"job {name}: set `concurrency`: the catalog has no platform-wide concurrency for {ctx.view.key}",
            ("jobs", name, "concurrency"),
        )

    def _limiters(self, name: str, job: Job, report: JobReport) -> list[Limiter]:
        from infrafit.dynamics import Limiter

        out: list[Limiter] = []
        for target, amount in job.calls.items():
            _, tctx = self._resource(name, target, ("jobs", name, "calls", target))
            per_item = self._per_item(name, target, amount, tctx)
            rl = _rate_limit(tctx)
            if rl is None:
                continue
            reset = rl.daily_reset
            requests = per_item.get("requests", ZERO)
            windows = {k: _float(getattr(rl, k)) for k in ("per_second", "per_minute", "per_hour", "per_day")}
            if requests > 0 and any(v is not None for v in windows.values()):
                out.append(Limiter(target, float(requests), daily_reset=reset, **windows))
            units = per_item.get("units", ZERO)
            if rl.units_per_day is not None and units > 0:
                out.append(Limiter(f"{target}:units", float(units), per_day=float(rl.units_per_day), daily_reset=reset))
            tokens = per_item.get("input_tokens", ZERO) + per_item.get("output_tokens", ZERO)
            if rl.tokens_per_minute is not None and tokens > 0:
                out.append(Limiter(f"{target}:tokens", float(tokens), per_minute=float(rl.tokens_per_minute)))
        for lim in out:
            set_windows = {
                k: getattr(lim, k) for k in ("per_second", "per_minute", "per_hour", "per_day") if getattr(lim, k)
            }
            report.limiters.append(
                {"name": lim.name, "per_item": lim.cost_per_item, **set_windows, "daily_reset": lim.daily_reset}
            )
        return out

    def _per_item(
        self, name: str, target: str, amount: Decimal | dict[str, Decimal], tctx: Context
    ) -> dict[str, Decimal]:
        usage_keys = tctx.view.service.usage
        if isinstance(amount, dict):
            for key in amount:
                if key not in usage_keys:
                    raise ModelError(
                        f"{tctx.view.key} takes no usage key {key!r}{did_you_mean(key, usage_keys)}",
                        ("jobs", name, "calls", target, key),
                    )
            return dict(amount)
        default = _default_call_key(usage_keys)
        if default is None:
            raise ModelError(
                f"{target} ({tctx.view.key}) is not something a job calls", ("jobs", name, "calls", target)
            )
        return {default: amount}

    def _simulate(
        self, name: str, job: Job, concurrency: int, limiters: list[Limiter], report: JobReport
    ) -> BatchResult | None:
        from infrafit.dynamics import BatchJob, Duration, HorizonExceeded, InfeasibleJob, simulate

        spec = job.duration
        duration = Duration(spec.kind, float(spec.a), float(spec.b) if spec.b is not None else None)
        batch = BatchJob(
            name,
            job.items,
            duration,
            concurrency,
            tuple(limiters),
            float(job.retries.failure_rate),
            job.retries.max,
            float(job.retries.backoff),
            job.start,
        )
        try:
            result = simulate(batch, replications=self.replications, seed=self.seed)
        except (InfeasibleJob, HorizonExceeded) as exc:
            report.feasible = False
            report.reasons.append(str(exc))
            self.findings.append(
                Finding(
                    "error",
                    "rate_limit_exceeded",
                    job.runs_on,
                    f"job {name}: {exc}",
                    "raise the quota or cut the calls per item",
                    subject=f"job:{name}",
                )
            )
            return None
        report.makespan_hours_p50 = result.makespan_s_p50 / 3600
        report.makespan_hours_p95 = result.makespan_s_p95 / 3600
        report.bottleneck = result.bottleneck
        report.bottleneck_detail = result.bottleneck_detail
        report.items_per_hour = result.items_per_hour
        report.attempts = result.attempts
        report.failed_items = result.failed_items
        report.day_resets = result.day_resets
        report.timeline = result.timeline
        report.method = result.method
        report.replications = self.replications
        if result.failed_items > 0:
            self.findings.append(
                Finding(
                    "warning",
                    "job_items_failed",
                    job.runs_on,
                    f"job {name}: {result.failed_items:.1f} items on average fail after {job.retries.max} retries "
                    f"({float(job.retries.failure_rate):.1%} of attempts fail)",
                    "raise retries.max",
                    subject=f"job:{name}",
                )
            )
        return result

    def _derive(self, name: str, job: Job, res: Resource, ctx: Context, attempts: Decimal, report: JobReport) -> None:
        """Usage the job implies, as extra resources priced like the ones they copy (sharing their pools)."""
        monthly = attempts * job.runs_per_month
        usage_keys = ctx.view.service.usage
        if "requests" in usage_keys and "duration" in usage_keys:
            usage: dict[str, Any] = {"requests": Rate(monthly, "month"), "duration": _mean_seconds(job)}
            if "concurrency" in usage_keys:
                usage["concurrency"] = Decimal(1)
            fields = {f: getattr(res, f) for f in res.model_fields_set if f not in ("usage", "count")}
            if job.memory is not None and res.memory is None and "memory" in ctx.view.service.fields:
                fields["memory"] = job.memory
            self._add(f"{job.runs_on} [job {name}]", res, fields, usage, report)
        for target, amount in job.calls.items():
            tres, tctx = self._resource(name, target, ("jobs", name, "calls", target))
            per_item = self._per_item(name, target, amount, tctx)
            usage = {k: Rate(v * monthly, "month") for k, v in per_item.items()}
            fields = {f: getattr(tres, f) for f in tres.model_fields_set if f not in ("usage", "count")}
            self._add(f"{target} [job {name}]", tres, fields, usage, report)

    def _add(self, name: str, res: Resource, fields: dict[str, Any], usage: dict[str, Any], report: JobReport) -> None:
        derived = Resource.model_construct(
            _fields_set={*fields, "service", "usage"}, **{**fields, "service": res.service, "usage": usage}
        )
        self.derived.append((name, derived))
        report.derived[name] = {k: float(v.amount if isinstance(v, Rate) else v) for k, v in usage.items()}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _attempts_per_item(job: Job) -> float:
    p, r = float(job.retries.failure_rate), job.retries.max
    return (1 - p ** (r + 1)) / (1 - p) if p < 1 else float(r + 1)


def _mean_seconds(job: Job) -> Decimal:
    spec = job.duration
    if spec.kind == "uniform" and spec.b is not None:
        return (spec.a + spec.b) / 2
    if spec.kind == "lognormal" and spec.b is not None:
        import math

        sigma = math.log(float(spec.b) / float(spec.a)) / 1.6448536269514722
        return Decimal(repr(float(spec.a) * math.exp(sigma * sigma / 2)))
    return spec.a


def _secs(value: Decimal) -> str:
    if value >= 120:
        return f"{value / 60:.4g} min"
    return f"{value:.4g} s"
