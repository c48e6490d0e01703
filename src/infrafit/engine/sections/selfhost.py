"""The ``selfhost:`` section: what leaving the cloud costs, whether one machine holds it, and its Compose file.

The cloud side is the plan named by ``replaces`` (evaluated as it stands), or, without it, this plan's own resources
(priced on a fresh ledger). The machine is one ``selfhost.machine`` line (see :mod:`selfhost_tco`): when the plan
names the cloud plan it replaces, this plan is the self-hosted side and the line is added to it; otherwise the plan
is the cloud system and the machine is a hypothetical, reported beside it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from infrafit.engine.bind import bind
from infrafit.engine.ledger import Ledger
from infrafit.engine.pricing import NoPrice, price
from infrafit.engine.result import Finding, Severity
from infrafit.engine.sections.base import Line, Outcome, SectionEnv
from infrafit.engine.sections.selfhost_report import CounterpartUse, SelfHostReport
from infrafit.engine.sections.selfhost_tco import MachineCost, machine_cost
from infrafit.errors import InputError
from infrafit.plan.model import Plan, Resource
from infrafit.plan.selfhost import SelfHost, SelfHostContainer
from infrafit.selfhost.compose import compose_file
from infrafit.selfhost.facts import Component, counterparts
from infrafit.selfhost.footprint import Demand, Footprint, Sized, estimate, fit
from infrafit.services import ModelError
from infrafit.services.units import GIB
from infrafit.units import Rate

__all__ = ["SelfHostSection", "demand_of"]

ZERO = Decimal(0)


def demand_of(name: str, res: Resource, month_hours: Decimal) -> Demand:
    """The usage a counterpart is sized from: memory given, cores kept busy, data stored, logs a month."""
    usage = res.usage

    def monthly(key: str) -> Decimal:
        v = usage.get(key)
        if isinstance(v, Rate):
            return v.per_month(month_hours)
        return v if isinstance(v, Decimal) else ZERO

    requests, duration = monthly("requests"), usage.get("duration")
    busy = ZERO
    if requests and isinstance(duration, Decimal):
        busy = requests * res.count * duration * (res.cpu or Decimal(1)) / (month_hours * 3600)
    storage = usage.get("storage")
    storage = storage if isinstance(storage, Decimal) else ZERO
    return Demand(
        resource=name,
        service=res.service,
        memory=res.memory,
        busy_cpu=busy,
        storage=storage,
        logs=monthly("logs"),
        disk=res.disk or storage,
        count=res.count,
    )


def _own(name: str, container: SelfHostContainer) -> tuple[CounterpartUse, Footprint]:
    """A container of one's own (e.g. imported from a Compose file), sized as written: its copies count in the fit
    and run in the Compose file like the counterparts."""
    part = Component(
        name=name,
        image=container.image,
        build=False,
        cpu=container.cpu,
        memory=container.memory,
        disk=ZERO,
    )
    copies = Decimal(container.replicas)
    sized = Sized(
        name=name, component=part, cpu=container.cpu, memory=container.memory, disk=ZERO, replicas=container.replicas
    )
    footprint = Footprint(
        resource=name,
        counterpart=container.image,
        cpu=container.cpu * copies,
        memory=container.memory * copies,
        disk=ZERO,
        containers=[sized],
    )
    use = CounterpartUse(
        resource=name,
        service="container",
        counterpart=container.image,
        cpu=float(footprint.cpu),
        memory=float(footprint.memory),
        disk=0.0,
        cloud_monthly_usd=0.0,
        still_billed=False,
    )
    return use, footprint


def _gib(x: Decimal) -> str:
    return f"{x / GIB:,.1f} GiB"


class SelfHostSection:
    key: ClassVar[str] = "selfhost"

    def run(self, value: SelfHost, env: SectionEnv) -> Outcome:
        outcome = Outcome()
        plan = env.plan
        if value.replaces:
            cloud_plan, costs = self._replaced(value.replaces, plan, env)
            own = self._priced(plan, env, plan.resources)
            still = sum(own.values(), start=ZERO)
        else:
            cloud_plan, costs = plan, self._priced(plan, env, plan.resources)
            still = ZERO
        machine = machine_cost(value, plan, env.catalog)
        if value.replaces:
            outcome.extra.append(Line(name="selfhost machine", resource=machine.line, origin="selfhost:machine"))
        uses, footprints, boxes = self._map(value, cloud_plan, costs, outcome)
        for use, footprint in (_own(name, c) for name, c in value.components.items()):
            uses.append(use)
            footprints.append(footprint)
            boxes += footprint.containers
        if not value.replaces:
            still = sum((Decimal(repr(u.cloud_monthly_usd)) for u in uses if u.still_billed), start=ZERO)
        report = self._report(value, machine, uses, footprints, costs, still, boxes)
        self._findings(value, report, machine, outcome)
        outcome.reports.append(report)
        return outcome

    # -- the cloud side ---------------------------------------------------------------------------------------

    def _replaced(self, replaces: str, plan: Plan, env: SectionEnv) -> tuple[Plan, dict[str, Decimal]]:
        """The cloud plan the machine replaces, evaluated as it stands (on this plan's catalog unless it overrides
        facts of its own): its resources and each one's cost."""
        from infrafit.engine.evaluate import evaluate
        from infrafit.plan.loader import load_plan

        base = Path(plan.file).parent if plan.file else Path.cwd()
        path = base / replaces
        where = ("selfhost", "replaces")
        try:
            cloud = load_plan(path)
        except InputError as exc:
            raise ModelError(f"replaces {replaces}: {exc}", where) from None
        except OSError as exc:  # a name too long, a directory, no permission
            raise ModelError(f"replaces {replaces[:80]}: cannot read it ({exc.strerror or exc})", where) from None
        if cloud.section("selfhost"):
            raise ModelError(f"replaces {replaces}: that plan has a selfhost: section of its own", where)
        try:
            result = evaluate(cloud, None if cloud.overrides else env.catalog)
        except InputError as exc:
            raise ModelError(f"replaces {replaces}: {exc}", where) from None
        costs: dict[str, Decimal] = {}
        for r in result.resources:
            costs[r.name] = costs.get(r.name, ZERO) + r.monthly_cost
        return cloud, costs

    def _priced(self, plan: Plan, env: SectionEnv, resources: dict[str, Resource]) -> dict[str, Decimal]:
        """Each resource's monthly cost on a fresh ledger, in plan order (pools drawn as the plan draws them)."""
        ledger = Ledger(plan.month_hours, plan.free_tier)
        out: dict[str, Decimal] = {}
        for name, res in resources.items():
            try:
                out[name] = price(bind(name, res, plan, env.catalog), ledger).monthly_cost
            except NoPrice as exc:
                raise ModelError(f"{res.service}: {exc}", ("resources", name, "region")) from None
        return out

    # -- the mapping --------------------------------------------------------------------------------------------

    def _map(
        self, value: SelfHost, cloud: Plan, costs: dict[str, Decimal], outcome: Outcome
    ) -> tuple[list[CounterpartUse], list[Footprint], list[Sized]]:
        services, table = counterparts()
        running: set[str] = set()
        uses: list[CounterpartUse] = []
        footprints: list[Footprint] = []
        boxes: list[Sized] = []
        for name, res in cloud.resources.items():
            cost = float(costs.get(name, ZERO))
            key = services.get(res.service)
            if key is None:
                uses.append(
                    CounterpartUse(
                        resource=name,
                        service=res.service,
                        counterpart="none",
                        cpu=0,
                        memory=0,
                        disk=0,
                        cloud_monthly_usd=cost,
                        still_billed=True,
                    )
                )
                outcome.findings.append(
                    Finding(
                        severity=Severity.WARNING,
                        code="selfhost_no_counterpart",
                        resource=name,
                        message=f"{name} ({res.service}) has no self-hosted counterpart in infrafit's mapping: it "
                        "stays in the cloud and is counted on both sides",
                        fix="keep it in the cloud, or add a counterpart to selfhost/data/counterparts.yaml",
                        subject=f"selfhost:{name}",
                    )
                )
                continue
            cp = table[key]
            fp = estimate(demand_of(name, res, cloud.month_hours), cp, shared=key in running and not cp.from_resource)
            running.add(key)
            footprints.append(fp)
            boxes += fp.containers
            uses.append(
                CounterpartUse(
                    resource=name,
                    service=res.service,
                    counterpart=cp.name,
                    cpu=float(fp.cpu),
                    memory=float(fp.memory),
                    disk=float(fp.disk),
                    cloud_monthly_usd=cost,
                    still_billed=cp.keeps_billing,
                    loses=list(cp.loses),
                )
            )
            self._lost(name, res.service, cp.name, cp.loses, cp.keeps_billing, outcome)
            if cp.secrets:
                self._secrets(name, value, outcome)
        return uses, footprints, boxes

    def _lost(self, name: str, service: str, cp: str, loses: tuple[str, ...], billed: bool, out: Outcome) -> None:
        if not loses:
            return
        stateful = any("backup" in x for x in loses)
        tail = "; it is still billed per use" if billed else ""
        out.findings.append(
            Finding(
                severity=Severity.WARNING if stateful else Severity.INFO,
                code="selfhost_loses",
                resource=name,
                message=f"{name} ({service}) → {cp}: loses {', '.join(loses)}{tail}",
                fix="set up backups (and test a restore) before moving the data" if stateful else None,
                subject=f"selfhost:{name}",
            )
        )

    def _secrets(self, name: str, value: SelfHost, out: Outcome) -> None:
        if value.secrets == "encrypted":
            return
        plain = value.secrets == "plaintext"
        out.findings.append(
            Finding(
                severity=Severity.WARNING if plain else Severity.INFO,
                code="secrets_plaintext" if plain else "secrets_unstated",
                resource=name,
                message=(
                    f"{name}: the secrets would sit in a plaintext file (as seed 001's secrets.json does): anyone "
                    "or anything that reads the user's files, backups included, reads every key"
                    if plain
                    else f"{name}: say how the secrets file that replaces the secret manager is kept "
                    "(selfhost.secrets: encrypted or plaintext)"
                ),
                fix="encrypt it at rest (e.g. SOPS with age) and decrypt into the containers at start",
                subject=f"selfhost:{name}",
            )
        )

    # -- the answer ---------------------------------------------------------------------------------------------

    def _report(
        self,
        value: SelfHost,
        machine: MachineCost,
        uses: list[CounterpartUse],
        footprints: list[Footprint],
        costs: dict[str, Decimal],
        still: Decimal,
        boxes: list[Sized],
    ) -> SelfHostReport:
        m = value.machine
        total = fit(footprints, cpus=m.cpus, memory=m.memory, disk=m.disk, headroom=value.headroom)
        cloud = sum(costs.values(), start=ZERO)
        from infrafit.selfhost.tco import break_even_months

        even = break_even_months(m.price, cloud, machine.running() + still)
        disk = f", {m.disk / Decimal(10**12):,.1f} TB disk" if m.disk else ""
        return SelfHostReport(
            machine=f"{m.cpus:f} CPUs, {_gib(m.memory)} memory{disk}",
            machine_fits=total.fits,
            monthly_tco=float(machine.monthly + still),
            machine_monthly=float(machine.monthly),
            cloud_monthly_cost=float(cloud),
            break_even_months=None if even is None else float(even),
            tco=machine.items,
            services=uses,
            average_watts=float(machine.watts),
            kwh_per_month=float(machine.kwh),
            charged_hours=float(machine.hours),
            cpu=float(total.cpu),
            memory=float(total.memory),
            disk=float(total.disk),
            cpu_room=float(total.cpu_room),
            memory_room=float(total.memory_room),
            disk_room=None if total.disk_room is None else float(total.disk_room),
            headroom=float(value.headroom),
            replaces=value.replaces,
            assumptions=[*machine.assumptions, *([] if m.disk else ["no machine disk given: disk fit not checked"])],
            compose=compose_file(boxes),
        )

    def _findings(self, value: SelfHost, report: SelfHostReport, machine: MachineCost, out: Outcome) -> None:
        if not report.machine_fits:
            short = []
            if report.cpu > report.cpu_room:
                short.append(f"CPU {report.cpu:,.2f} of {report.cpu_room:,.2f} cores")
            if report.memory > report.memory_room:
                short.append(
                    f"memory {_gib(Decimal(repr(report.memory)))} of {_gib(Decimal(repr(report.memory_room)))}"
                )
            if report.disk_room is not None and report.disk > report.disk_room:
                short.append(f"disk {report.disk / 1e12:,.2f} TB of {report.disk_room / 1e12:,.2f} TB")
            out.findings.append(
                Finding(
                    severity=Severity.ERROR,
                    code="selfhost_does_not_fit",
                    resource=None,
                    message=f"the machine ({report.machine}) cannot hold the counterparts with "
                    f"{report.headroom:.0%} headroom: {'; '.join(short)}",
                    fix="a bigger machine, fewer services on it, or less headroom",
                    subject="selfhost:fit",
                )
            )
        for text in machine.assumptions:
            out.findings.append(
                Finding(
                    severity=Severity.INFO, code="selfhost_assumed", resource=None, message=text, subject="selfhost"
                )
            )
        lifetime = float(value.machine.lifetime)
        even = report.break_even_months
        # Only a machine that replaces a cloud bill can pay it back (a Compose stack alone has nothing to save).
        if report.cloud_monthly_cost > 0 and (even is None or even > lifetime):
            when = "never pays back" if even is None else f"pays back after {even:,.1f} months"
            out.findings.append(
                Finding(
                    severity=Severity.WARNING,
                    code="selfhost_no_payback",
                    resource=None,
                    message=f"the machine {when}, beyond its {lifetime:g}-month life: the cloud costs "
                    f"${report.cloud_monthly_cost:,.2f}/month, the machine's running costs leave too little saving",
                    fix="stay in the cloud, or a cheaper machine",
                    subject="selfhost:break_even",
                )
            )
