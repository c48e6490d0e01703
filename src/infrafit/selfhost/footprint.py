"""What a counterpart needs on the machine at the plan's usage: CPU cores, memory and disk, per container.

A counterpart several resources map to (one RabbitMQ for Pub/Sub and Cloud Tasks) runs once: its resting needs are
counted with the first resource, and each later one adds only what its own usage needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from infrafit.selfhost.facts import Component, Counterpart

__all__ = ["Demand", "Fit", "Footprint", "Sized", "estimate", "fit"]

ZERO = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class Demand:
    """One cloud resource's usage, as the footprint needs it (plain numbers, no plan types)."""

    resource: str
    service: str
    memory: Decimal | None = None
    """Bytes the resource is given (a container's memory)."""
    busy_cpu: Decimal = ZERO
    """Cores kept busy on average (requests × duration × vCPU over the month)."""
    storage: Decimal = ZERO
    """Bytes stored."""
    logs: Decimal = ZERO
    """Bytes of logs a month."""
    disk: Decimal = ZERO
    """Bytes of disk the resource is (a persistent disk's size)."""
    count: int = 1


@dataclass(frozen=True, kw_only=True)
class Sized:
    """One container with its estimated needs, per replica (the Compose file's reservations)."""

    name: str
    component: Component
    cpu: Decimal
    memory: Decimal
    disk: Decimal
    replicas: int = 1


@dataclass(frozen=True, kw_only=True)
class Footprint:
    resource: str
    counterpart: str
    cpu: Decimal
    memory: Decimal
    disk: Decimal
    containers: list[Sized] = field(default_factory=list)
    """Containers this resource starts (none when it shares a counterpart already running)."""


def _per(component: Component, table: dict[str, Decimal], demand: Demand, retention: Decimal) -> Decimal:
    usage = {"storage": demand.storage, "logs": demand.logs * retention}
    return sum((factor * usage.get(key, ZERO) for key, factor in table.items()), start=ZERO)


def estimate(demand: Demand, counterpart: Counterpart, *, shared: bool) -> Footprint:
    """Needs of ``counterpart`` for ``demand``; ``shared``: the counterpart already runs (count usage only)."""
    containers: list[Sized] = []
    cpu = memory = disk = ZERO
    if counterpart.disk_from_resource:
        disk += demand.disk * demand.count
    for comp in counterpart.components:
        extra_mem = _per(comp, comp.memory_per, demand, counterpart.retention_months)
        extra_disk = _per(comp, comp.disk_per, demand, counterpart.retention_months)
        if counterpart.from_resource:  # per replica: the resource's memory, its share of the busy cores
            n = max(demand.count, 1)
            c = max(comp.cpu, demand.busy_cpu / n)
            m = demand.memory or comp.memory
            d = comp.disk
            cpu, memory, disk = cpu + c * n, memory + m * n, disk + d
            containers.append(Sized(name=demand.resource, component=comp, cpu=c, memory=m, disk=d, replicas=n))
            continue
        elif shared:
            c, m, d, name = ZERO, extra_mem, extra_disk, comp.name
        else:
            c, m, d, name = comp.cpu, comp.memory + extra_mem, comp.disk + extra_disk, comp.name
        cpu, memory, disk = cpu + c, memory + m, disk + d
        if not shared:
            containers.append(Sized(name=name, component=comp, cpu=c, memory=m, disk=d))
    return Footprint(
        resource=demand.resource, counterpart=counterpart.key, cpu=cpu, memory=memory, disk=disk, containers=containers
    )


@dataclass(frozen=True, kw_only=True)
class Fit:
    """The counterparts' total against the machine less its headroom; disk unchecked when the machine gives none."""

    cpu: Decimal
    memory: Decimal
    disk: Decimal
    cpu_room: Decimal
    memory_room: Decimal
    disk_room: Decimal | None

    @property
    def fits(self) -> bool:
        return (
            self.cpu <= self.cpu_room
            and self.memory <= self.memory_room
            and (self.disk_room is None or self.disk <= self.disk_room)
        )

    def short(self) -> list[str]:
        """What does not fit: ``cpu``, ``memory``, ``disk``."""
        out = []
        if self.cpu > self.cpu_room:
            out.append("cpu")
        if self.memory > self.memory_room:
            out.append("memory")
        if self.disk_room is not None and self.disk > self.disk_room:
            out.append("disk")
        return out


def fit(footprints: list[Footprint], *, cpus: Decimal, memory: Decimal, disk: Decimal | None, headroom: Decimal) -> Fit:
    """Totals against ``(1 − headroom)`` of the machine."""
    keep = 1 - headroom
    return Fit(
        cpu=sum((f.cpu for f in footprints), start=ZERO),
        memory=sum((f.memory for f in footprints), start=ZERO),
        disk=sum((f.disk for f in footprints), start=ZERO),
        cpu_room=cpus * keep,
        memory_room=memory * keep,
        disk_room=None if disk is None else disk * keep,
    )
