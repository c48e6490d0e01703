"""Usage a failover scheme causes beyond the standby: the heartbeat store's operations, the monitor's checks and
the scheduler that triggers them; and the standby hours up to which the whole plan's bill stays at $0."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from infrafit.catalog.lookup import parse_limit
from infrafit.engine.bind import bind
from infrafit.engine.ledger import Ledger
from infrafit.engine.pricing import NoPrice, price
from infrafit.engine.result import Finding, Severity
from infrafit.engine.sections.availability_report import AvailabilityReport
from infrafit.engine.sections.base import Line, Outcome, SectionEnv
from infrafit.plan.availability import Availability
from infrafit.plan.model import Resource
from infrafit.services import ModelError
from infrafit.units import Rate

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["SCHEDULER", "Usage", "zero_bill"]

SCHEDULER = "gcp.cloud_scheduler"


@dataclass(kw_only=True)
class Usage:
    """Adds the store's and the monitor's usage for one entry to the outcome, and findings about them."""

    name: str
    entry: Availability
    env: SectionEnv
    outcome: Outcome
    report: AvailabilityReport

    @property
    def subject(self) -> str:
        return f"availability:{self.name}"

    def add(self) -> None:
        self._store()
        self._monitor()

    def _finding(self, severity: Severity, code: str, resource: str | None, message: str, fix: str | None) -> None:
        self.outcome.findings.append(
            Finding(
                severity=severity,
                code=code,
                resource=resource,
                message=f"availability {self.name}: {message}",
                fix=fix,
                subject=self.subject,
            )
        )

    def _line(self, res: Resource, usage: dict[str, Any], label: str, *, of: str | None = None) -> None:
        fields = {f: getattr(res, f) for f in res.model_fields_set if f not in ("usage", "count")}
        derived = Resource.model_construct(
            _fields_set={*fields, "service", "usage"}, **{**fields, "service": res.service, "usage": usage}
        )
        line = f"{label} [availability {self.name}]"
        self.outcome.extra.append(
            Line(name=line, resource=derived, origin=f"availability:{self.name}", check_limits=False, of=of)
        )
        self.report.derived[line] = {k: float(getattr(v, "amount", v)) for k, v in usage.items()}

    # -- the heartbeat store ---------------------------------------------------------------------------------
    def _store(self) -> None:
        store = self.entry.heartbeat.store
        if store is None:
            return
        res = self.env.plan.resources.get(store)
        writes, reads = self.report.heartbeat_writes, self.report.heartbeat_reads
        if res is None:
            self.report.assumptions.append(
                f"the heartbeat store {store} is not a plan resource: its {writes:,.0f} writes and {reads:,.0f} "
                "reads a month are not priced"
            )
            return
        keys = bind(store, res, self.env.plan, self.env.catalog).view.service.usage
        if "class_a" in keys and "class_b" in keys:  # object storage: a write is Class A, a read Class B
            usage: dict[str, Any] = {"class_a": _month(writes), "class_b": _month(reads)}
        elif "requests" in keys:
            usage = {"requests": _month(writes + reads)}
        else:
            self.report.assumptions.append(f"{store} ({res.service}) has no operations usage: heartbeats not priced")
            return
        self._line(res, usage, f"{store} heartbeats", of=store)

    # -- the monitor -----------------------------------------------------------------------------------------
    def _monitor(self) -> None:
        entry, name = self.entry, self.entry.monitor
        if name == entry.standby:
            self._finding(
                Severity.ERROR,
                "monitor_on_standby",
                name,
                f"the heartbeat monitor runs on {name}, the standby machine, which is stopped while the primary is up: "
                "nothing reads the heartbeat, so no failover ever starts (the figures assume the check runs on a "
                "machine that is always up)",
                "run the check where it runs while the primary is down: e.g. a Cloud Scheduler job calling a "
                "request-billed Cloud Run service every minute (monitor: that service), which stays in the free tier",
            )
            return
        if name == entry.primary:
            self._finding(
                Severity.ERROR,
                "monitor_on_primary",
                None,
                f"the heartbeat monitor runs on {name}, the primary: when it is down nothing notices",
                "run the check on a service that is up while the primary is down",
            )
            return
        res = self.env.plan.resources.get(name)
        if res is None:
            self.report.assumptions.append(f"the monitor {name} is not a plan resource: its checks are not priced")
            return
        ctx = bind(name, res, self.env.plan, self.env.catalog)
        if ctx.view.model != "cloud_run":
            self.report.assumptions.append(f"the monitor {name} runs all the time; its own cost is already in the plan")
            return
        self._serverless(name, res, ctx.view.plan_name)

    def _serverless(self, name: str, res: Resource, plan_name: str | None) -> None:
        """A Cloud Run monitor runs when Cloud Scheduler calls it: one scheduler job, a check per run."""
        where = ("availability", self.name)
        duration = self.entry.check_duration
        if duration is None:
            given = res.usage.get("duration")
            if not isinstance(given, Decimal):
                raise ModelError(
                    f"availability {self.name}: set check_duration (how long one check runs on {name}, e.g. 2s)",
                    (*where, "check_duration"),
                )
            duration = given
        checks = Decimal(repr(self.report.checks))
        if plan_name == "instance":  # a Cloud Run job: billed for its tasks' run time only
            if "hours" in res.usage or "uptime" in res.usage:
                self.report.assumptions.append(f"the monitor {name} is always on; its checks add no billed time")
            else:
                hours = checks * duration / 3600
                self.outcome.sets.setdefault(name, {})["hours"] = hours
                self.report.derived[name] = {"hours": float(hours)}
                self.report.assumptions.append(
                    f"{name} runs as a job: {checks:,.0f} checks × {duration.normalize():f} s = {hours:,.2f} h of "
                    "task time a month, set on it"
                )
        else:
            usage = {"requests": Rate(checks, "month"), "duration": duration, "concurrency": Decimal(1)}
            self._line(res, usage, f"{name} checks", of=name)
        trigger = Resource.model_construct(
            _fields_set={"service", "usage"}, service=SCHEDULER, usage={"jobs": Decimal(1)}
        )
        self._line(trigger, {"jobs": Decimal(1)}, f"{name} trigger")
        self._cadence(name)

    def _cadence(self, name: str) -> None:
        every = self.entry.heartbeat.checked_every
        sched = bind("scheduler", Resource(service=SCHEDULER), self.env.plan, self.env.catalog)
        limit = sched.view.limits.get("schedule_interval")
        floor = parse_limit(limit) if limit is not None else Decimal(60)
        if every < floor or every % floor:
            source = f" [{limit.source}, as of {limit.as_of}]" if limit is not None else ""
            self._finding(
                Severity.ERROR,
                "check_cadence_unsupported",
                name,
                f"checked_every {every.normalize():f} s cannot be scheduled: Cloud Scheduler runs at most every "
                f"{floor:.0f} s and only on whole minutes{source}",
                f"check every {max(floor, (every // floor) * floor):.0f} s, or loop inside one run",
            )


def _month(amount: float) -> Rate:
    return Rate(Decimal(f"{amount:.2f}"), "month")


def zero_bill(
    standby: str, hours: NDArray[np.float64], env: SectionEnv, outcome: Outcome, report: AvailabilityReport
) -> tuple[float | None, float | None]:
    """(standby hours up to which the whole plan bills $0, the share of simulated months at or below them).

    The bill is nondecreasing in the standby's hours, so the threshold is found once by bisection on fresh
    ledgers (each prices every plan resource, with the sections' set usage, and this section's lines), then the
    probability is read off the simulated distribution. Lines other sections add are not seen here."""
    plan = env.plan

    def bill(h: float) -> Decimal:
        ledger = Ledger(plan.month_hours, plan.free_tier)
        total = Decimal(0)
        for name, res in plan.resources.items():
            usage = {**res.usage, **outcome.sets.get(name, {})}
            if name == standby:
                usage["hours"] = Decimal(f"{h:.4f}")
            total += price(bind(name, res.model_copy(update={"usage": usage}), plan, env.catalog), ledger).monthly_cost
        for line in outcome.extra:
            total += price(bind(line.name, line.resource, plan, env.catalog), ledger).monthly_cost
        return total

    try:
        if bill(0.0) > 0:
            report.assumptions.append("the rest of the plan already costs more than $0, whatever the standby does")
            return None, 0.0
        top = float(min(hours.max(), float(plan.month_hours)))
        if bill(top) == 0:
            return top, 1.0
        lo, hi = 0.0, top
        while hi - lo > 1e-4:
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if bill(mid) == 0 else (lo, mid)
    except (ModelError, NoPrice):  # the plan itself is wrong: the evaluation reports it where it is
        return None, None
    return lo, float((hours <= lo).mean())
