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
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Evidence(StrEnum):
    """How a fact is known, strongest first (the grade table is in docs/catalog.md)."""

    OFFICIAL = "official"
    """read on the provider's own page or docs repository"""
    PRICE_LIST = "price_list"
    """the provider's machine-readable price data (AWS Price List, Cloud Billing Catalog) or its API's own
    error payloads, reproduced verbatim"""
    THIRD_PARTY = "third_party"
    """third-party text only (guides, articles, code tables)"""
    UNVERIFIED = "unverified"
    """nothing found that states it"""


EVIDENCE_ORDER = list(Evidence)


class Sourced(_Strict):
    """A fact's provenance: where it was read, the date that source reflects, and how strong that source is.

    Files written for the old schema may still say ``confirmed: true|false`` (an override may add it to a graded
    fact): true reads as ``official``; false as ``third_party``, or the fact's own grade where it is already below
    ``official``."""

    source: str = Field(description="URL of the page the fact comes from")
    as_of: date = Field(description="date the source reflects")
    evidence: Evidence = Field(default=Evidence.OFFICIAL, description="how the fact is known")
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _old_confirmed(cls, data: Any) -> Any:
        if isinstance(data, dict) and "confirmed" in data:
            data = dict(data)
            confirmed = data.pop("confirmed")
            graded = Evidence(data.get("evidence", Evidence.OFFICIAL))
            if confirmed:
                data["evidence"] = Evidence.OFFICIAL
            elif graded is Evidence.OFFICIAL:
                data["evidence"] = Evidence.THIRD_PARTY
        return data

    @property
    def confirmed(self) -> bool:
        """Read on an official page (the old yes/no flag)."""
        return self.evidence is Evidence.OFFICIAL


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


class PriceForm(_Strict):
    """A price in one region or for one type: flat (``usd``), tiered (``tiers``) or, for a type, by region.

    ``source``/``as_of``/``evidence``/``note`` may cite this part where it comes from another page than the
    price as a whole (Seoul's data-transfer tiers)."""

    usd: Decimal | None = None
    tiers: list[Tier] | None = None
    regions: dict[str, Decimal | PriceForm] | None = Field(default=None, description="region -> usd or form")
    source: str | None = None
    as_of: date | None = None
    evidence: Evidence | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> PriceForm:
        if self.usd is None and not self.tiers and not self.regions:
            raise ValueError("a regional or per-type price needs usd, tiers or regions")
        if self.usd is not None and self.tiers:
            raise ValueError("a price is flat (usd) or tiered (tiers), not both")
        return self


class Price(Sourced):
    """USD per ``per`` meter units: flat (``usd``), tiered (``tiers``), by region (``regions``), by type (``types``).

    A region's or a type's price is a number or a form of its own (``{tiers: [...]}``, ``{usd:, regions:}``), so
    a price can be regional and tiered at once. The most specific form wins: type, then region, then the default.
    """

    usd: Decimal | None = None
    per: Decimal = Decimal(1)
    regions: dict[str, Decimal | PriceForm] | None = Field(
        default=None, description="region -> usd (or {tiers: ...}), overrides usd and tiers"
    )
    types: dict[str, Decimal | PriceForm] | None = Field(
        default=None, description="type/variant -> usd (or {usd:, regions:, tiers:}), overrides regions and usd"
    )
    tiers: list[Tier] | None = None
    tier_pool: str | None = Field(
        default=None,
        description="tiers count usage pooled under this id across every price naming it (AWS data transfer out "
        "is tiered per account across services); default: this price's own count",
    )
    period_days: Decimal | None = Field(
        default=None,
        description="the price is per this many days, prorated per day of the billing month (Cloud Scheduler: 31)",
    )

    @model_validator(mode="after")
    def _one_form(self) -> Price:
        if self.usd is None and not self.regions and not self.tiers and not self.types:
            raise ValueError("a price needs usd, regions, types or tiers")
        if self.usd is not None and self.tiers:
            raise ValueError("a price is flat (usd) or tiered (tiers), not both")
        return self


class GigabyteBase(StrEnum):
    """What the provider's "GB" on a byte meter means."""

    DECIMAL = "decimal"
    """1 GB = 10^9 bytes (1 MB = 10^6)"""
    BINARY = "binary"
    """1 GB = 2^30 bytes (1 MB = 2^20): AWS storage and transfer, Vercel GB-hours, Lambda"""


class ByteConvention(Sourced):
    """Which bytes a provider's GB (MB, TB) counts on a meter, with the page that says so."""

    gb: GigabyteBase


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
    bytes: ByteConvention | None = Field(
        default=None, description="what the unit's GB means; default: the provider's `bytes`, else decimal"
    )
    billing_unit: Decimal | None = Field(
        default=None,
        description="billable usage is rounded up to a whole number of this many units (Cloudflare R2: 1,000,000 "
        "operations, 1 GB-month)",
    )
    billing_unit_source: str | None = Field(default=None, description="URL stating the rounding rule")


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
    """A fact a reader must know (a free plan forbids commercial use, a database pauses when idle).

    ``regions``, ``types`` and ``plans`` scope it: it fires only for resources in one of those regions, of one
    of those types (a machine size, an LLM model) or on one of those plans; ``methods`` only where a job calls
    one of those API methods. Absent: everywhere."""

    code: str
    message: str
    severity: Literal["info", "warning"] = "info"
    regions: list[str] | None = None
    types: list[str] | None = None
    plans: list[str] | None = None
    methods: list[str] | None = None


class MaxPods(Sourced):
    """Pods a Kubernetes node of this type runs by default (EKS with the VPC CNI: ENIs × (IPs per ENI − 1) + 2)."""

    value: int = Field(ge=1)


class InstanceType(Sourced):
    vcpu: Decimal
    memory: str
    hourly: dict[str, Decimal] = Field(description="region -> USD per hour")
    family: str | None = None
    shared_core: bool = False
    max_pods: MaxPods | None = Field(default=None, description="pods per node as a Kubernetes node (clusters:)")

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
    bytes: ByteConvention | None = Field(
        default=None, description="what GB means on this provider's byte meters unless a meter says otherwise"
    )
    services: dict[str, Service]
    quotas: dict[str, Quota] = Field(default_factory=dict)
