"""What the `selfhost:` section answers: both sides' monthly cost, the break-even, the mapping and the fit (the JSON
keys live in the report's SelfHostView)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["CounterpartUse", "SelfHostReport", "TcoItem"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TcoItem:
    """One line of the machine's monthly cost of ownership."""

    key: str
    """hardware, financing, electricity, uplink or labour."""
    label: str
    monthly_usd: float
    detail: str
    """The arithmetic, e.g. ``2,400 USD / 36 months``."""
    assumed: bool = False
    """A default stood in for a figure the plan did not give."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CounterpartUse:
    """A cloud resource and what stands in for it on the machine, with what that needs (cores, bytes)."""

    resource: str
    service: str
    counterpart: str
    """The counterpart's name, e.g. ``RabbitMQ``; ``none`` when the catalog maps the service to nothing."""
    cpu: float
    """Cores (0 when it shares a counterpart already counted, or nothing runs)."""
    memory: float
    """Bytes of memory."""
    disk: float
    """Bytes of disk."""
    cloud_monthly_usd: float
    """What the resource costs in the cloud."""
    still_billed: bool = False
    """The self-hosted side pays for it too (an API still bills per token; a service with no counterpart stays)."""
    loses: list[str] = field(default_factory=list)
    """Managed features the counterpart does not give."""


@dataclass(slots=True, kw_only=True)
class SelfHostReport:
    """Leaving the cloud: the machine's cost of ownership beside the cloud's, and whether the machine holds it."""

    machine: str
    """The machine, e.g. ``16 CPUs, 64 GiB memory, 2 TB disk``."""
    machine_fits: bool
    monthly_tco: float
    """USD a month on the self-hosted side: the machine's lines plus what is still billed."""
    machine_monthly: float
    """USD a month of the machine alone (its TCO lines)."""
    cloud_monthly_cost: float
    """USD a month of the cloud system the machine replaces."""
    break_even_months: float | None
    """Months until the price is paid back by the monthly saving; null when self-hosting never saves."""
    tco: list[TcoItem] = field(default_factory=list)
    services: list[CounterpartUse] = field(default_factory=list)
    average_watts: float = 0.0
    kwh_per_month: float = 0.0
    charged_hours: float = 0.0
    """Hours a month whose power is charged (the month less the hours it is on anyway)."""
    cpu: float = 0.0
    memory: float = 0.0
    disk: float = 0.0
    cpu_room: float = 0.0
    """Cores available after the headroom."""
    memory_room: float = 0.0
    disk_room: float | None = None
    headroom: float = 0.2
    replaces: str | None = None
    """The plan file of the cloud system, when the plan names one (else its own resources are that system)."""
    assumptions: list[str] = field(default_factory=list)
    compose: dict[str, Any] = field(default_factory=dict)
    """The Compose document for the counterparts (valid against the Compose specification)."""
