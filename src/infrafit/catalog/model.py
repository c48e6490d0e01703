"""The catalog's typed model: every price, allowance, quota and limit, each with its source and date.

A provider file (``data/<provider>.yaml``) validates into a :class:`ProviderCatalog`. Services are
described by *meters* (what is billed, in the provider's billing unit, at what price), *free pools*
(allowances, shared by every resource that names the same pool id), *limits* (platform ceilings),
*types* (machine sizes with hourly prices) and *plans* (free/paid tiers that change all of these).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Sourced(_Strict):
    """A fact's provenance. ``confirmed: false`` marks a figure no official page could confirm."""

    source: str = Field(description="URL of the page the fact comes from")
    as_of: date = Field(description="date the source reflects")
    confirmed: bool = True
    note: str | None = None


class Category(StrEnum):
    COMPUTE = "compute"
    STORAGE = "storage"
    REQUESTS = "requests"
    NETWORK = "network"
    DATABASE = "database"
    API = "api"
    OTHER = "other"


class Tier(_Strict):
    """One step of a tiered price. ``up_to`` is the cumulative upper bound in meter units (null: no bound)."""

    up_to: Decimal | None = None
    usd: Decimal


class Price(Sourced):
    """USD per ``per`` meter units; flat (``usd``), by region (``regions``) or tiered (``tiers``)."""

    usd: Decimal | None = None
    per: Decimal = Decimal(1)
    regions: dict[str, Decimal] | None = Field(default=None, description="region -> usd, overrides usd")
    types: dict[str, Decimal] | None = Field(default=None, description="type/variant -> usd, overrides regions and usd")
    tiers: list[Tier] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Price:
        if self.usd is None and not self.regions and not self.tiers and not self.types:
            raise ValueError("a price needs usd, regions, types or tiers")
        return self


class Meter(_Strict):
    """A billed quantity of a service, in the provider's billing unit.

    ``from_usage`` names the plan usage key that feeds it for data-driven services (the engine converts the
    usage into ``unit`` and multiplies by ``factor``); meters without it are computed by the service model.
    """

    label: str
    unit: str
    category: Category
    from_usage: str | None = None
    factor: Decimal = Decimal(1)
    price: Price | None = Field(default=None, description="null: not charged (e.g. a free plan's hard cap)")


class Period(StrEnum):
    MONTH = "month"
    DAY = "day"


class Scope(StrEnum):
    BILLING_ACCOUNT = "billing_account"
    ACCOUNT = "account"
    PROJECT = "project"
    RESOURCE = "resource"


class FreePool(Sourced):
    """An allowance shared by every resource whose service names the same ``pool`` id.

    ``amount`` is in the unit of the meters it covers; the string ``month_hours`` means "the hours of the
    billing month" (GCP's e2-micro allowance). ``kind: included`` marks a paid plan's included usage,
    which ``free_tier: false`` does not switch off. ``hard: true`` means usage beyond the pool is refused
    (a free plan's cap), not billed.
    """

    pool: str
    meters: list[str]
    amount: Decimal | Literal["month_hours"]
    unit: str
    period: Period = Period.MONTH
    scope: Scope = Scope.BILLING_ACCOUNT
    regions: list[str] | None = None
    types: list[str] | None = None
    kind: Literal["free_tier", "included"] = "free_tier"
    hard: bool = False
    label: str | None = None


class Limit(Sourced):
    """A platform ceiling. ``max`` is written with units (``32GiB``, ``3600s``) or as a bare count."""

    max: str | Decimal
    label: str | None = None
    fix: str | None = Field(default=None, description="what a user can change when the limit is hit")


class Note(Sourced):
    """A fact a reader must know (a free plan forbids commercial use, a database pauses when idle)."""

    code: str
    message: str
    severity: Literal["info", "warning"] = "info"


class InstanceType(Sourced):
    vcpu: Decimal
    memory: str
    hourly: dict[str, Decimal] = Field(description="region -> USD per hour")
    family: str | None = None
    shared_core: bool = False

    @property
    def memory_bytes(self) -> Decimal:
        from infrafit.units import parse_bytes

        return parse_bytes(self.memory)


class Variant(Sourced):
    """A named variant a resource picks with ``type:`` where it is not a machine (an LLM model, a disk class)."""

    label: str | None = None


class RateLimit(Sourced):
    """Request ceilings of an API, per window. ``daily_reset`` is the provider's clock: ``00:00 America/Los_Angeles``."""

    per_second: Decimal | None = None
    per_minute: Decimal | None = None
    per_hour: Decimal | None = None
    per_day: Decimal | None = None
    tokens_per_minute: Decimal | None = None
    units_per_day: Decimal | None = None
    daily_reset: str | None = None


class ServicePlan(_Strict):
    """A service plan (free, paid, hobby, pro...). Its pieces replace or add to the service's own."""

    label: str | None = None
    fee: Price | None = Field(default=None, description="fixed monthly fee (or minimum) per resource")
    meters: dict[str, Meter] = Field(default_factory=dict)
    free: list[FreePool] = Field(default_factory=list)
    limits: dict[str, Limit] = Field(default_factory=dict)
    notes: list[Note] = Field(default_factory=list)
    rate_limits: dict[str, RateLimit] = Field(default_factory=dict, description="type/variant (or '*') -> rate limits")


class Service(_Strict):
    """One service key ``<provider>.<service>``. ``model`` names the Python model that turns a resource into meter quantities."""

    name: str
    category: Category
    model: str = "metered"
    url: str | None = None
    regions: list[str] | None = None
    default_region: str | None = None
    usage: list[str] = Field(default_factory=list, description="usage keys a resource of this service accepts")
    fields: list[str] = Field(
        default_factory=list,
        description="resource fields it accepts besides usage: type, plan, cpu, memory, disk, count",
    )
    meters: dict[str, Meter] = Field(default_factory=dict)
    free: list[FreePool] = Field(default_factory=list)
    limits: dict[str, Limit] = Field(default_factory=dict)
    types: dict[str, InstanceType] = Field(default_factory=dict)
    variants: dict[str, Variant] = Field(default_factory=dict)
    rate_limits: dict[str, RateLimit] = Field(default_factory=dict, description="type/variant (or '*') -> rate limits")
    unit_costs: dict[str, Decimal] = Field(default_factory=dict, description="API method -> quota units per call")
    method_limits: dict[str, RateLimit] = Field(
        default_factory=dict, description="API method -> its own quota bucket (calls per window), outside the units"
    )
    plans: dict[str, ServicePlan] = Field(default_factory=dict)
    default_plan: str | None = None
    default_type: str | None = None
    notes: list[Note] = Field(default_factory=list)
    defaults: dict[str, str | Decimal | int] = Field(
        default_factory=dict, description="usage defaults, e.g. concurrency"
    )


class Quota(Sourced):
    """An account quota the plan can set under ``quotas:``. ``default`` is null where the provider sets it per account."""

    name: str
    scope: Literal["region", "account", "project"] = "region"
    measure: Literal["vcpu", "instances", "memory"] = "vcpu"
    services: list[str]
    families: list[str] | None = Field(default=None, description="instance type families counted (t, m, c...)")
    default: Decimal | None = None


class ProviderCatalog(_Strict):
    provider: str
    name: str
    as_of: date
    default_region: str | None = None
    services: dict[str, Service]
    quotas: dict[str, Quota] = Field(default_factory=dict)
