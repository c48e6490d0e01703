"""The `jobs:` section: can the platform run each item at all, how long the batch takes and why, and the usage
(invocations, compute time, API calls) it implies, added as extra lines of the resources it touches.

The simulator (:mod:`infrafit.dynamics`, NumPy) is imported only when a plan has jobs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from infrafit.catalog.lookup import parse_limit
from infrafit.catalog.model import RateLimit
from infrafit.engine.bind import bind
from infrafit.engine.limits import item_breaches
from infrafit.engine.result import Finding, Severity
from infrafit.engine.sections.base import Line, Outcome, SectionEnv
from infrafit.engine.sections.job_report import JobReport, LimiterUse
from infrafit.errors import did_you_mean
from infrafit.plan.jobs import Job
from infrafit.plan.model import Resource
from infrafit.services import Context, ModelError
from infrafit.units import Rate

if TYPE_CHECKING:
    from infrafit.dynamics import BatchResult, Limiter

__all__ = ["JobReport", "JobsSection", "LimiterUse"]

ZERO = Decimal(0)
# The usage key a bare number of calls adds to, by what the called service takes.
_CALL_KEYS = ("requests", "messages", "operations", "units", "commands", "class_a")


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


class JobsSection:
    """Turns a plan's jobs into reports, findings and the extra lines their usage implies."""

    key: ClassVar[str] = "jobs"

    def run(self, value: dict[str, Job], env: SectionEnv) -> Outcome:
        return _JobRun(env).run(value)


class _JobRun:
    """One evaluation's pass over the jobs: resources bound once, findings and lines collected."""

    def __init__(self, env: SectionEnv) -> None:
        self.env = env
        self.plan = env.plan
        self.outcome = Outcome()
        self._bound: dict[str, Context] = {}

    def run(self, jobs: dict[str, Job]) -> Outcome:
        for name, job in jobs.items():
            self.outcome.reports.append(self._job(name, job))
            if self.env.on_progress:
                self.env.on_progress(name)
        return self.outcome

    # -- one job --------------------------------------------------------------------------------------------
    def _resource(self, job_name: str, ref: str, path: tuple[str | int, ...]) -> tuple[Resource, Context]:
        res = self.plan.resources.get(ref)
        if res is None:
            raise ModelError(f"job {job_name} names no resource {ref!r}{did_you_mean(ref, self.plan.resources)}", path)
        if ref not in self._bound:  # several jobs (and both passes of one) name the same resources
            self._bound[ref] = bind(ref, res, self.plan, self.env.catalog)
        return res, self._bound[ref]

    def _job(self, name: str, job: Job) -> JobReport:
        base = ("jobs", name)
        res, ctx = self._resource(name, job.runs_on, (*base, "runs_on"))
        report = JobReport(
            name=name,
            runs_on=job.runs_on,
            service=ctx.view.key,
            items=job.items,
            start=job.start.isoformat() if job.start else None,
        )
        self._feasibility(name, job, ctx, report)
        report.concurrency, report.concurrency_source = self._concurrency(name, job, ctx, report)
        limiters = self._limiters(name, job, report)
        attempts = Decimal(job.items) * Decimal(str(job.retries.attempts_per_item()))
        if report.feasible and report.concurrency:
            result = self._simulate(name, job, report.concurrency, limiters, report)
            if result is not None:
                attempts = Decimal(str(result.attempts))
        self._derive(name, job, res, ctx, attempts, report)
        return report

    def _feasibility(self, name: str, job: Job, ctx: Context, report: JobReport) -> None:
        for breach in item_breaches(ctx, memory=job.memory, worst_duration=job.duration.worst, runs_on=job.runs_on):
            self._infeasible(name, job, report, breach.message, breach.source, breach.value, breach.limit, breach.fix)

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
        self.outcome.findings.append(
            Finding(
                severity=Severity.ERROR,
                code="limit_exceeded",
                resource=job.runs_on,
                message=f"job {name}: {message}",
                fix=fix,
                source=source,
                value=value,
                limit=ceiling,
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
            report.limiters.append(
                LimiterUse(
                    name=lim.name,
                    per_item=lim.cost_per_item,
                    per_second=lim.per_second,
                    per_minute=lim.per_minute,
                    per_hour=lim.per_hour,
                    per_day=lim.per_day,
                    daily_reset=lim.daily_reset,
                )
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
            result = simulate(batch, replications=self.env.replications, seed=self.env.seed)
        except (InfeasibleJob, HorizonExceeded) as exc:
            report.feasible = False
            report.reasons.append(str(exc))
            self.outcome.findings.append(
                Finding(
                    severity=Severity.ERROR,
                    code="rate_limit_exceeded",
                    resource=job.runs_on,
                    message=f"job {name}: {exc}",
                    fix="raise the quota or cut the calls per item",
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
        report.timeline_band = result.band
        report.reset_hours = [s / 3600 for s in result.reset_s]
        report.method = result.method
        report.replications = self.env.replications
        if result.failed_items > 0:
            self.outcome.findings.append(
                Finding(
                    severity=Severity.WARNING,
                    code="job_items_failed",
                    resource=job.runs_on,
                    message=f"job {name}: {result.failed_items:.1f} items on average fail after {job.retries.max} "
                    f"retries ({float(job.retries.failure_rate):.1%} of attempts fail)",
                    fix="raise retries.max",
                    subject=f"job:{name}",
                )
            )
        return result

    def _derive(self, name: str, job: Job, res: Resource, ctx: Context, attempts: Decimal, report: JobReport) -> None:
        """Usage the job implies, as extra resources priced like the ones they copy (sharing their pools)."""
        monthly = attempts * job.runs_per_month
        usage_keys = ctx.view.service.usage
        if "requests" in usage_keys and "duration" in usage_keys:
            usage: dict[str, Any] = {"requests": Rate(monthly, "month"), "duration": job.duration.mean()}
            if "concurrency" in usage_keys:
                usage["concurrency"] = Decimal(1)
            fields = {f: getattr(res, f) for f in res.model_fields_set if f not in ("usage", "count")}
            if job.memory is not None and res.memory is None and "memory" in ctx.view.service.fields:
                fields["memory"] = job.memory
            self._add(name, job.runs_on, res, fields, usage, report)
        for target, amount in job.calls.items():
            tres, tctx = self._resource(name, target, ("jobs", name, "calls", target))
            per_item = self._per_item(name, target, amount, tctx)
            usage = {k: Rate(v * monthly, "month") for k, v in per_item.items()}
            fields = {f: getattr(tres, f) for f in tres.model_fields_set if f not in ("usage", "count")}
            self._add(name, target, tres, fields, usage, report)

    def _add(
        self, job: str, target: str, res: Resource, fields: dict[str, Any], usage: dict[str, Any], report: JobReport
    ) -> None:
        derived = Resource.model_construct(
            _fields_set={*fields, "service", "usage"}, **{**fields, "service": res.service, "usage": usage}
        )
        name = f"{target} [job {job}]"
        self.outcome.extra.append(Line(name=name, resource=derived, origin=f"job:{job}", check_limits=False))
        report.derived[name] = {k: float(v.amount if isinstance(v, Rate) else v) for k, v in usage.items()}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
