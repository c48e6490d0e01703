"""The `jobs:` section: can the platform run each item at all, how long the batch takes and why, and the usage
(invocations, compute time, API calls) it implies, added as extra lines of the resources it touches.

The simulator (:mod:`infrafit.dynamics`, NumPy) is imported only when a plan has jobs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from infrafit.catalog.lookup import parse_limit
from infrafit.engine.bind import bind
from infrafit.engine.limits import Breach, aggregate_memory_breach, item_breaches, machine
from infrafit.engine.result import Finding, Severity
from infrafit.engine.sections.base import Line, Outcome, SectionEnv
from infrafit.engine.sections.job_calls import ItemCalls, call_limiters, item_calls
from infrafit.engine.sections.job_report import JobReport, LimiterUse
from infrafit.errors import did_you_mean
from infrafit.plan.jobs import Job, duration_text
from infrafit.plan.model import Resource
from infrafit.services import Context, ModelError
from infrafit.units import Rate

if TYPE_CHECKING:
    from infrafit.dynamics import BatchResult, Limiter

__all__ = ["JobReport", "JobsSection", "LimiterUse"]

ZERO = Decimal(0)


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

    def _calls(self, name: str, job: Job) -> list[tuple[str, Resource, Context, ItemCalls]]:
        """Each called resource with what one item asks of it (validated once, used for limits and usage)."""
        out = []
        for target, amount in job.calls.items():
            path = ("jobs", name, "calls", target)
            tres, tctx = self._resource(name, target, path)
            out.append((target, tres, tctx, item_calls(name, target, amount, tctx, path)))
        return out

    def _job(self, name: str, job: Job) -> JobReport:
        base = ("jobs", name)
        res, ctx = self._resource(name, job.runs_on, (*base, "runs_on"))
        report = JobReport(
            name=name,
            runs_on=job.runs_on,
            service=ctx.view.key,
            items=job.items,
            start=job.start.isoformat() if job.start else None,
            deadline_hours=None if job.deadline is None else float(job.deadline) / 3600,
            cpu_time_seconds=None if job.cpu_time is None else float(job.cpu_time),
        )
        calls = self._calls(name, job)
        self._cpu_time_assumed(name, job, ctx, report)
        self._feasibility(name, job, ctx, report)
        report.concurrency, report.concurrency_source = self._concurrency(name, job, ctx, report)
        limiters = self._limiters(calls, report)
        attempts = Decimal(job.items) * Decimal(str(job.retries.attempts_per_item()))
        if report.feasible and report.concurrency:
            result = self._simulate(name, job, report.concurrency, limiters, report)
            if result is not None:
                attempts = Decimal(str(result.attempts))
                self._deadline(name, job, report)
        self._derive(name, job, res, ctx, calls, attempts, report)
        return report

    def _cpu_time_assumed(self, name: str, job: Job, ctx: Context, report: JobReport) -> None:
        """Where the platform bills or limits CPU time and the job gives none, say once that wall time stands in."""
        bills = "cpu_time" in ctx.view.service.usage
        limits = "cpu_time" in ctx.view.limits
        if job.cpu_time is not None or not (bills or limits):
            return
        how = " and ".join(w for w, on in (("bills", bills), ("limits", limits)) if on)
        text = (
            f"no cpu_time given: each item's wall time ({job.duration.describe()}) is used as its CPU time, which "
            f"{ctx.view.service.name} {how}; an item that waits on APIs uses far less, so its CPU figures are an "
            "upper bound"
        )
        report.assumptions.append(text)
        self._finding(
            name,
            job,
            Severity.INFO,
            "cpu_time_assumed",
            text,
            fix="set the job's cpu_time (CPU time per item, e.g. 50ms)",
        )

    def _feasibility(self, name: str, job: Job, ctx: Context, report: JobReport) -> None:
        breaches = item_breaches(
            ctx, memory=job.memory, worst_duration=job.duration.worst, runs_on=job.runs_on, cpu_time=job.cpu_time
        )
        for breach in breaches:
            self._infeasible(name, job, report, breach)

    def _infeasible(self, name: str, job: Job, report: JobReport, breach: Breach) -> None:
        """The platform cannot run the job's items: say so in the job's report and as an error finding."""
        report.feasible = False
        report.reasons.append(breach.message)
        self._finding(
            name,
            job,
            Severity.ERROR,
            "limit_exceeded",
            breach.message,
            fix=breach.fix,
            source=breach.source,
            value=breach.value,
            limit=breach.limit,
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
                fix = platform.fix or "lower the job's concurrency or ask for a higher quota"
                breach = Breach(
                    message=message, source=platform.source, value=Decimal(job.concurrency), limit=ceiling, fix=fix
                )
                self._infeasible(name, job, report, breach)
            if job.memory is not None and report.feasible:
                shared = aggregate_memory_breach(ctx, memory=job.memory, concurrency=job.concurrency)
                if shared is not None:
                    self._infeasible(name, job, report, shared)
            return job.concurrency, "the job's concurrency"
        if ceiling is not None:
            return int(ceiling), f"{ctx.view.service.name}'s concurrent executions limit"
        if not report.feasible:
            return None, "not simulated: the platform cannot run an item"
        box = machine(ctx)
        if box is not None:
            per_machine = 1
            if job.memory:
                per_machine = max(int(box.memory // job.memory), 0)
            total = per_machine * ctx.resource.count
            if total >= 1:
                return total, f"{ctx.resource.count} × {box.name}, {per_machine} item(s) each by memory"
            return None, "no machine has room for one item"
        raise ModelError(
            f"job {name}: set `concurrency`: the catalog has no platform-wide concurrency for {ctx.view.key}",
            ("jobs", name, "concurrency"),
        )

    def _limiters(self, calls: list[tuple[str, Resource, Context, ItemCalls]], report: JobReport) -> list[Limiter]:
        out: list[Limiter] = []
        for target, _, tctx, per_item in calls:
            out += call_limiters(target, per_item, tctx)
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
            result = simulate(
                batch, replications=self.env.replications, seed=self.env.seed, on_run=self.env.on_replication
            )
        except (InfeasibleJob, HorizonExceeded) as exc:
            report.feasible = False
            report.reasons.append(str(exc))
            self._finding(
                name,
                job,
                Severity.ERROR,
                "rate_limit_exceeded",
                str(exc),
                fix="raise the quota or cut the calls per item",
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
        report.replications = len(result.makespan_samples)  # fewer than asked when the batch is very large
        if result.failed_items > 0:
            self._finding(
                name,
                job,
                Severity.WARNING,
                "job_items_failed",
                f"{result.failed_items:.1f} items on average fail after {job.retries.max} "
                f"retries ({float(job.retries.failure_rate):.1%} of attempts fail)",
                fix="raise retries.max",
            )
        return result

    def _deadline(self, name: str, job: Job, report: JobReport) -> None:
        """A batch that must finish by ``deadline`` and whose 95th percentile makespan is later does not fit."""
        p95, limit = report.makespan_hours_p95, report.deadline_hours
        if p95 is None or limit is None or job.deadline is None or p95 <= limit:
            return
        # Items done by the deadline, read off the median run's timeline when it has a point before the deadline
        # (a 120-day batch is sampled every ~14 h: a 6 h deadline falls before its first point, so say nothing).
        before = [n for t, n in report.timeline if t <= limit]
        done = max(before) if before else None
        neck = report.bottleneck
        if neck == "concurrency":
            lever = f"more items at once (now {report.concurrency:,}) or a faster platform"
        elif neck.startswith("rate:"):
            target = neck.split(":")[1]
            lever = f"a higher tier or more quota for {target} (its {neck.rsplit(':', 1)[-1].replace('_', ' ')} limit binds)"
        elif neck == "duration":
            lever = "shorter items (one item alone takes about as long as the batch)"
        else:
            lever = "more concurrency or a higher tier"
        self._finding(
            name,
            job,
            Severity.ERROR,
            "deadline_exceeded",
            f"the batch takes {_span(p95)} at the 95th percentile (median {_span(report.makespan_hours_p50)}), "
            f"above its deadline of {duration_text(job.deadline)}; "
            f"bottleneck {neck}"
            + (f"; about {done:,} of {job.items:,} items are done by then in the median run" if done else ""),
            fix=f"{lever}, or fewer items per batch" + (f" (about {done:,} fit)" if done else ""),
            value=Decimal(repr(p95)),
            limit=Decimal(repr(limit)),
        )

    def _finding(self, name: str, job: Job, severity: Severity, code: str, message: str, **more: Any) -> None:
        """A finding about job ``name``: on the resource it runs on, its message led by the job's name."""
        self.outcome.findings.append(
            Finding(
                severity=severity,
                code=code,
                resource=job.runs_on,
                message=f"job {name}: {message}",
                subject=f"job:{name}",
                **more,
            )
        )

    def _derive(
        self,
        name: str,
        job: Job,
        res: Resource,
        ctx: Context,
        calls: list[tuple[str, Resource, Context, ItemCalls]],
        attempts: Decimal,
        report: JobReport,
    ) -> None:
        """Usage the job implies, as extra resources priced like the ones they copy (sharing their pools)."""
        monthly = attempts * job.runs_per_month
        usage_keys = ctx.view.service.usage
        if "requests" in usage_keys and "duration" in usage_keys:
            usage: dict[str, Any] = {"requests": Rate(monthly, "month"), "duration": job.duration.mean()}
            if job.cpu_time is not None and "cpu_time" in usage_keys:
                usage["cpu_time"] = job.cpu_time
            if "concurrency" in usage_keys:
                usage["concurrency"] = Decimal(1)
            fields = _set_fields(res)
            if job.memory is not None and res.memory is None and "memory" in ctx.view.service.fields:
                fields["memory"] = job.memory
            self._add(name, job.runs_on, res, fields, usage, report)
        for target, tres, _, per_item in calls:
            usage = {k: Rate(v * monthly, "month") for k, v in per_item.usage.items()}
            if not usage:  # only calls to methods with their own buckets: limited, not billed
                continue
            fields = _set_fields(tres)
            self._add(name, target, tres, fields, usage, report, methods=per_item.methods)

    def _add(
        self,
        job: str,
        target: str,
        res: Resource,
        fields: dict[str, Any],
        usage: dict[str, Any],
        report: JobReport,
        methods: frozenset[str] = frozenset(),
    ) -> None:
        derived = Resource.model_construct(
            _fields_set={*fields, "service", "usage"}, **{**fields, "service": res.service, "usage": usage}
        )
        name = f"{target} [job {job}]"
        line = Line(name=name, resource=derived, origin=f"job:{job}", check_limits=False, of=target, methods=methods)
        self.outcome.extra.append(line)
        report.derived[name] = {k: float(v.amount if isinstance(v, Rate) else v) for k, v in usage.items()}


def _set_fields(res: Resource) -> dict[str, Any]:
    """The fields the plan set on a resource, less its usage and count (a derived line has its own)."""
    return {f: getattr(res, f) for f in res.model_fields_set if f not in ("usage", "count")}


def _span(hours: float | None) -> str:
    """Hours in the unit a reader thinks in: minutes below 2 h, days from 48 h."""
    if hours is None:
        return "?"
    if hours < 2:
        return f"{hours * 60:,.0f} min"
    if hours < 48:
        return f"{hours:,.1f} h"
    return f"{hours / 24:,.1f} days"
