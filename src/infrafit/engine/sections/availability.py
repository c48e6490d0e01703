"""The ``availability:`` section: simulated months of failover to a standby, the standby's running hours set on it,
the heartbeat store's and the monitor's usage added as lines, findings where the design cannot work, and the
chance that the whole plan's bill stays at $0.

The simulator (:mod:`infrafit.dynamics.availability`, NumPy) is imported only when a plan has this section.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from infrafit.catalog.lookup import parse_limit
from infrafit.engine.bind import bind
from infrafit.engine.result import Finding, Severity
from infrafit.engine.sections.availability_report import AvailabilityReport
from infrafit.engine.sections.availability_usage import Usage, zero_bill
from infrafit.engine.sections.base import Outcome, SectionEnv
from infrafit.errors import did_you_mean
from infrafit.plan.availability import Availability
from infrafit.services import ModelError

if TYPE_CHECKING:
    from infrafit.dynamics.availability import Durations, MonthStats

__all__ = ["AvailabilityReport", "AvailabilitySection"]

SUBJECT = "availability:{}"


class AvailabilitySection:
    """Turns a plan's primary/standby pairs into reports, findings, the standby's hours and derived usage."""

    key: ClassVar[str] = "availability"

    def run(self, value: dict[str, Availability], env: SectionEnv) -> Outcome:
        outcome = Outcome()
        for name, entry in value.items():
            outcome.reports.append(_entry(name, entry, env, outcome))
            if env.on_progress:
                env.on_progress(name)
        return outcome


def _durations(name: str, entry: Availability, env: SectionEnv) -> tuple[Durations, Durations, str]:
    from infrafit.dynamics.availability import Durations
    from infrafit.dynamics.availability.outage_log import OutageLogError, read_outage_log

    if entry.outages is None:
        assert entry.primary_uptime is not None and entry.mean_outage is not None
        u, d = float(entry.primary_uptime), float(entry.mean_outage)
        words = f"exponential: up {u:.0%} of the time, mean outage {_span(d / 3600)}, mean time between them {_span(d * u / (1 - u) / 3600)}"
        return Durations.exponential(d * u / (1 - u)), Durations.exponential(d), words
    from pathlib import Path

    base = Path(env.plan.file).parent if env.plan.file else Path.cwd()
    path = base / entry.outages
    where = ("availability", name, "outages")
    try:
        log = read_outage_log(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(
            f"availability {name}: cannot read the outage log {entry.outages}: {exc.strerror}", where
        ) from None
    except OutageLogError as exc:
        raise ModelError(f"{entry.outages}:{exc.line}: {exc}", where) from None
    words = f"resampled from {entry.outages}: {len(log.down)} outages, up {log.uptime:.1%} of the logged time"
    return Durations.empirical(log.up), Durations.empirical(log.down), words


def _entry(name: str, entry: Availability, env: SectionEnv, outcome: Outcome) -> AvailabilityReport:
    import numpy as np

    from infrafit.dynamics.availability import Failover, simulate_months

    plan = env.plan
    base = ("availability", name)
    standby = plan.resources.get(entry.standby)
    if standby is None:
        raise ModelError(
            f"availability {name}: no resource {entry.standby!r} to be the standby{did_you_mean(entry.standby, plan.resources)}",
            (*base, "standby"),
        )
    ctx = bind(entry.standby, standby, plan, env.catalog)
    if "hours" not in ctx.view.service.usage:
        raise ModelError(
            f"availability {name}: the standby {entry.standby} ({ctx.view.key}) is not billed by running hours",
            (*base, "standby"),
        )
    for key in ("hours", "uptime"):
        if key in standby.usage:
            raise ModelError(
                f"availability {name} sets the running hours of {entry.standby} from failover; remove its usage.{key}",
                ("resources", entry.standby, "usage", key),
            )
    floor = ctx.view.limits.get("billed_minimum")
    minimum = float(parse_limit(floor)) if floor is not None else 0.0
    up, down, words = _durations(name, entry, env)
    hb = entry.heartbeat
    model = Failover(
        up=up,
        down=down,
        every=float(hb.every),
        timeout=float(hb.timeout),
        checked_every=float(hb.checked_every),
        write_delay=float(hb.write_delay),
        standby_start=float(entry.standby_start),
        min_billed=minimum,
        month=float(plan.month_hours) * 3600,
    )
    stats = simulate_months(model, entry.months, env.seed)
    hours = stats.standby_hours
    mean = float(hours.mean())
    outcome.sets.setdefault(entry.standby, {})["hours"] = Decimal(f"{mean:.2f}")
    month_s = float(plan.month_hours) * 3600
    from infrafit.dynamics.availability import false_failover_probability

    expected_false = (
        month_s
        / float(hb.every)
        * false_failover_probability(float(hb.every), float(hb.timeout), float(hb.checked_every), float(hb.write_delay))
    )
    counts, edges = np.histogram(hours, bins=20)
    report = AvailabilityReport(
        name=name,
        primary=entry.primary,
        standby=entry.standby,
        monitor=entry.monitor,
        store=hb.store,
        outages_from=words,
        months=entry.months,
        seed=env.seed,
        standby_hours_mean=mean,
        standby_hours_p50=p(hours, 50),
        standby_hours_p95=p(hours, 95),
        false_failover_hours=float(stats.false_hours.mean()),
        detection_minutes_mean=float(stats.detection_minutes.mean()) if stats.detection_minutes.size else 0.0,
        detection_minutes_p50=p(stats.detection_minutes, 50),
        detection_minutes_p95=p(stats.detection_minutes, 95),
        unserved_minutes_mean=float(stats.unserved_minutes.mean()),
        unserved_minutes_p50=p(stats.unserved_minutes, 50),
        unserved_minutes_p95=p(stats.unserved_minutes, 95),
        outages_per_month=float(stats.outages.mean()),
        failovers_per_month=float(stats.failovers.mean()),
        false_failovers_per_month=float(stats.false_failovers.mean()),
        false_failovers_expected=expected_false,
        heartbeat_writes=float(stats.up_hours.mean()) * 3600 / float(hb.every),
        heartbeat_reads=month_s / float(hb.checked_every),
        checks=month_s / float(hb.checked_every),
        free_tier_fit_probability=None,
        zero_bill_hours=None,
        billed_minimum_seconds=minimum,
        histogram=[(float(edges[i]), float(edges[i + 1]), int(counts[i])) for i in range(len(counts))],
    )
    report.derived[entry.standby] = {"hours": round(mean, 2)}
    report.assumptions.append(
        f"{entry.standby}'s running hours are set to the mean of {entry.months:,} simulated months, "
        f"{mean:,.1f} h (p50 {report.standby_hours_p50:,.1f} h, p95 {report.standby_hours_p95:,.1f} h)"
        + (f", each start billed at least {minimum:.0f} s" if minimum else "")
    )
    _findings(name, entry, report, stats, outcome)
    Usage(name=name, entry=entry, env=env, outcome=outcome, report=report).add()
    report.zero_bill_hours, report.free_tier_fit_probability = zero_bill(entry.standby, hours, env, outcome, report)
    return report


def _findings(name: str, entry: Availability, report: AvailabilityReport, stats: MonthStats, outcome: Outcome) -> None:
    """The heartbeat scheme's flaws: a timeout that fires on every late write, and what fixing it costs."""
    hb = entry.heartbeat
    h, t, c, j = (float(x) for x in (hb.every, hb.timeout, hb.checked_every, hb.write_delay))
    if t < h + c + j:
        from infrafit.dynamics.availability import detection_mean

        fixed = 3 * h
        up_share = float(stats.up_hours.mean()) * 3600 / (report.checks * c) if report.checks else 1.0
        level = Severity.WARNING if report.false_failovers_expected > 0 else Severity.INFO
        what = (
            f"about {report.false_failovers_expected:,.0f} false failovers a month for a primary up all month "
            f"({report.false_failovers_per_month:,.0f} simulated at {up_share:.0%} uptime, "
            f"{report.false_failover_hours:,.1f} standby hours)"
            if report.false_failovers_expected > 0
            else "no false failover while writes land within "
            f"{_secs(t - h)}, but any write slower than that starts the standby"
        )
        if report.false_failovers_expected > 0:
            report.assumptions.append(
                "false failovers take the writer's and the monitor's clocks as unsynchronised; two schedules locked "
                "to the minute (cron on both) flap at every heartbeat or at none, with the same mean over phases"
            )
        outcome.findings.append(
            Finding(
                severity=level,
                code="timeout_too_tight",
                resource=entry.standby,
                message=f"availability {name}: timeout {_secs(t)} is below every + checked_every + write_delay "
                f"({_secs(h)} + {_secs(c)} + {_secs(j)} = {_secs(h + c + j)}): each heartbeat is older than the "
                f"timeout for {_secs(max(0.0, h + j - t))} before the next one is readable; {what}",
                fix=f"timeout ≥ 3 × every ({_secs(fixed)}), as Kubernetes leases, keepalived and Patroni do: "
                f"detection then takes {_secs(detection_mean(h, fixed, c))} on average instead of "
                f"{_secs(report.detection_minutes_mean * 60)}",
                value=Decimal(f"{report.false_failovers_expected:.2f}"),
                subject=SUBJECT.format(name),
            )
        )


def p(values: Any, q: float) -> float:
    """The q-th percentile of a sample (0 for an empty one)."""
    import numpy as np

    return float(np.percentile(values, q)) if values.size else 0.0


def _secs(seconds: float) -> str:
    if seconds >= 60 and abs(seconds / 60 - round(seconds / 60, 1)) < 1e-9:
        return f"{seconds / 60:g} min"
    return f"{seconds:.3g} s" if seconds < 60 else f"{seconds / 60:.1f} min"


def _span(hours: float) -> str:
    return f"{hours * 60:,.0f} min" if hours < 2 else f"{hours:,.1f} h"


def usage_number(value: Any) -> float:
    """A usage value (Decimal or Rate) as a float per month, for reports."""
    return float(getattr(value, "amount", value))
