"""The plan: an architecture and its workload, as typed models.

Units are parsed here (see :mod:`infrafit.units`), so everything past this module works with Decimals in
base units. Which usage keys, types and plans a service accepts needs the catalog and is checked by the
engine, which reports problems with the same YAML locations.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from infrafit.errors import did_you_mean
from infrafit.plan.quantities import Bytes, Count, Cpu, Money
from infrafit.plan.uncertain import (
    Uncertain,
    between,
    may_be_uncertain,
    parse_uncertain,
    uncertain_schema,
    usage_bound,
    with_ranges,
)
from infrafit.plan.usage import USAGE_KINDS, USAGE_RANGES
from infrafit.sections import SECTIONS, registry_version, resolve
from infrafit.units import Kind, Rate, UnitError, parse

__all__ = ["Plan", "Resource", "UsageValue", "plan_model"]

UsageValue = Decimal | Rate

MAX_COUNT = 10**6
"""Identical copies of one resource (docs/limits.md)."""
MAX_CPU = Decimal(4096)
"""vCPUs of one resource; the largest machines offered have under 1,000."""
MAX_MEMORY = Decimal(64 * 2**40)
"""Memory of one resource (64 TiB); the largest machines offered have 32 TiB."""
MAX_PRICE = Decimal(10**6)
"""An override's ``usd`` (per its ``per`` units)."""
MAX_MONTH_HOURS = Decimal(744)
"""A 31-day month; a longer "month" only multiplies costs."""
RATE_LIMIT_KEYS = ("per_second", "per_minute", "per_hour", "per_day", "tokens_per_minute", "units_per_day")
"""What a plan's own ``rate_limits:`` may set (the catalog's rate-limit fields)."""


def _key_error(key: str, message: str) -> PydanticCustomError:
    """An error about one key of a mapping field; the loader points at that key's line (see loader.py)."""
    return PydanticCustomError("usage_unit", "{message}", {"message": message, "key": key})


def _whole(value: Any, what: str) -> Any:
    """A whole number (the field's own bounds say how large); true/false, fractions and text such as 1e3 are
    refused rather than read as 1 or as a string."""
    if isinstance(value, bool):
        raise ValueError(f"{what} is a whole number, not {str(value).lower()}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        hint = f" ({value} is text to YAML; write the digits, e.g. 1000)" if isinstance(value, str) else ""
        raise ValueError(f"{what} is a whole number such as 2{hint}")
    return value


_NUMERIC = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:nan|inf|infinity)$", re.IGNORECASE)


def _bad_fact(node: Any, path: tuple[str, ...]) -> tuple[tuple[str, ...], str] | None:
    """The first number in an override that no catalog fact can be: (where, why), or None."""
    if isinstance(node, dict):
        for key, child in node.items():
            found = _bad_fact(child, (*path, str(key)))
            if found is not None:
                return found
        return None
    if isinstance(node, list):
        for index, child in enumerate(node):
            found = _bad_fact(child, (*path, str(index)))
            if found is not None:
                return found
        return None
    shown = node
    if isinstance(node, str) and _NUMERIC.match(node.strip()):
        node = Decimal(node.strip())  # YAML 1.1 leaves 1e308 as text; the catalog reads it as a number
    if isinstance(node, bool) or not isinstance(node, int | float | Decimal):
        return None
    number = Decimal(str(node)) if not isinstance(node, Decimal) else node
    if not number.is_finite():
        return path, f"{shown} is not a number"
    if number < 0:
        return path, f"{shown} is negative; prices, allowances and limits are zero or more"
    if path and path[-1] == "usd" and number > MAX_PRICE:
        return path, f"{shown} is too large: a price is at most {MAX_PRICE:,} USD (docs/limits.md)"
    if path and path[-1] == "per" and number < 1:
        return path, f"{shown}: a price is per 1 unit or more (per: 1000000 for a price per million)"
    return None


def _name_key(key: Any) -> str:
    """A resource name as YAML gave it; names YAML reads as something else are refused with the fix."""
    if isinstance(key, str):
        if not key.strip():
            raise ValueError("a resource name is empty; give each resource a name")
        return key
    if key is None:
        raise ValueError("a resource name is empty or ~ (YAML's null); give each resource a name")
    if isinstance(key, bool):
        shown = str(key).lower()
        raise ValueError(
            f"a resource is named {shown}: YAML reads yes, no, on, off, true and false as booleans; "
            f"quote the name, e.g. 'yes':"
        )
    raise ValueError(f"a resource is named {key!r}, which YAML reads as a number; quote the name, e.g. '{key}':")


class Resource(BaseModel):
    """One resource of the plan: a catalog service, sized and with its monthly usage."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(description="catalog service key <provider>.<service>, e.g. gcp.cloud_run")
    region: str | None = Field(default=None, description="region, for regional services")
    type: str | None = Field(default=None, description="machine/instance type or variant, e.g. e2-micro, t3.small")
    plan: str | None = Field(default=None, description="service plan, e.g. free, paid, hobby, pro")
    count: Annotated[
        int,
        WithJsonSchema(uncertain_schema({"type": "integer", "minimum": 0, "maximum": MAX_COUNT})),
    ] = Field(default=1, ge=0, le=MAX_COUNT, description="identical copies")
    cpu: Cpu | None = Field(default=None, description="CPU size", json_schema_extra={"examples": [1]})
    memory: Bytes | None = Field(default=None, description="memory, e.g. 512Mi, 2GiB (stored in bytes)")
    disk: Bytes | None = Field(default=None, description="boot disk size for VMs, e.g. 30GB (stored in bytes)")
    usage: dict[str, Any] = Field(
        default_factory=dict, description="monthly usage; the keys a service takes are in its catalog entry"
    )
    rate_limits: dict[str, Decimal] | None = Field(
        default=None, description="for custom.api: per_second, per_minute, per_hour, per_day"
    )
    daily_reset: str | None = Field(
        default=None, description='for custom.api: when daily limits reset, e.g. "00:00 America/Los_Angeles"'
    )

    _uncertain: dict[str, Uncertain] = PrivateAttr(default_factory=dict)
    """Uncertain inputs by key (``count``, ``usage.requests``); the fields themselves hold their medians."""

    @model_validator(mode="wrap")
    @classmethod
    def _ranges(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """A ranged count or usage value: the model holds its median, ``_uncertain`` the distribution."""
        return with_ranges(data, handler, {"count": (Kind.NUMBER, True, between(0, MAX_COUNT, "count"))}, usage=True)

    @field_validator("count", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        return _whole(value, "count")

    @field_validator("cpu")
    @classmethod
    def _cpu(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value > MAX_CPU:
            raise ValueError(f"cpu is at most {MAX_CPU:,} vCPUs per resource (docs/limits.md), got {value:,}")
        return value

    @field_validator("memory")
    @classmethod
    def _memory(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value > MAX_MEMORY:
            raise ValueError("memory is at most 64 TiB per resource (docs/limits.md)")
        return value

    @field_validator("usage", mode="before")
    @classmethod
    def _usage(cls, value: Any) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValueError("usage must be a mapping of usage keys to quantities")
        parsed: dict[str, UsageValue] = {}
        for key, raw in value.items():
            kind = USAGE_KINDS.get(str(key))
            if kind is None:
                # Unknown keys are reported by the engine, which knows what this service accepts.
                parsed[str(key)] = raw
                continue
            quantity: UsageValue
            try:
                if isinstance(raw, dict) and "stored_from" in raw and kind is Kind.BYTES:
                    from infrafit.plan.stored import stored_amount  # Little's law: rate × retention × size

                    quantity = stored_amount(raw["stored_from"])
                elif (
                    may_be_uncertain(raw)
                    and (ranged := parse_uncertain(raw, kind, check=usage_bound(str(key)))) is not None
                ):
                    parsed[str(key)] = ranged  # type: ignore[assignment]  # moved out by _ranges
                    continue
                else:
                    quantity = parse(raw, kind)
            except UnitError as exc:
                # The key travels in ctx so the loader can point at its line.
                raise _key_error(str(key), str(exc)) from None
            bound = USAGE_RANGES.get(str(key))
            if bound is not None and isinstance(quantity, Decimal) and (reason := bound.check(quantity)):
                raise _key_error(str(key), f"{raw!r}: {reason}")
            parsed[str(key)] = quantity
        if "hours" in parsed and "uptime" in parsed:
            raise _key_error("uptime", "give hours or uptime, not both (uptime is a share of the month's hours)")
        return parsed

    @field_validator("rate_limits", mode="before")
    @classmethod
    def _rate_limits(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise ValueError(f"rate_limits maps {', '.join(RATE_LIMIT_KEYS)} to numbers, e.g. {{per_minute: 60}}")
        parsed: dict[str, Decimal] = {}
        for key, raw in value.items():
            name = str(key)
            if name not in RATE_LIMIT_KEYS:
                raise _key_error(name, f"unknown key {name!r}{did_you_mean(name, RATE_LIMIT_KEYS)}")
            try:
                amount = parse(raw, Kind.NUMBER)
            except UnitError as exc:
                raise _key_error(name, f"{exc}; {name} is a plain number of calls, e.g. {name}: 60") from None
            assert isinstance(amount, Decimal)
            parsed[name] = amount
        return parsed


class Plan(BaseModel):
    """A whole plan file's core. Field names are a public contract (see the README).

    The sections (``jobs:`` and later ones) are not declared here: :func:`plan_model` adds one field per
    registered section, so a new section never edits this class. Read a section with :meth:`section`.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built once, as plan_model()'s subclass

    name: str = Field(description="plan name, shown in reports")
    month_hours: Decimal = Field(
        default=Decimal(730), gt=0, le=MAX_MONTH_HOURS, description="hours in a billing month (default 730, the average month; at most 744)"
    )
    month: str | None = Field(
        default=None,
        description="a calendar month, e.g. '2026-03': the month has its own hours (744) and days (31); "
        "instead of month_hours",
    )
    free_tier: bool = Field(default=True, description="apply the providers' free allowances")
    budget: Money | None = Field(default=None, description="monthly ceiling, e.g. '25 USD'")
    quotas: dict[str, Count] = Field(default_factory=dict, description="account quotas, e.g. aws.ec2.standard_vcpu: 16")
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="catalog facts replaced by this plan, keyed by service"
    )
    resources: dict[str, Resource] = Field(description="name -> resource")

    @field_validator("month", mode="before")
    @classmethod
    def _month_form(cls, value: Any) -> Any:
        import re

        if value is not None and not (isinstance(value, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value)):
            raise PydanticCustomError(
                "month_form",
                "month is a calendar month written YYYY-MM, e.g. '2026-03' (got {value})",
                {"value": repr(value)},
            )
        return value

    @model_validator(mode="after")
    def _calendar_month(self) -> Plan:
        """``month: 2026-03`` sets month_hours to that month's days × 24; giving both is ambiguous."""
        if self.month is None:
            return self
        if "month_hours" in self.model_fields_set:
            raise PydanticCustomError(
                "month_twice",
                "give either `month: {month}` or `month_hours: {hours}`, not both",
                {"month": self.month, "hours": str(self.month_hours)},
            )
        import calendar

        year, number = (int(part) for part in self.month.split("-"))
        self.month_hours = Decimal(calendar.monthrange(year, number)[1] * 24)
        return self

    @field_validator("overrides", mode="before")
    @classmethod
    def _overrides(cls, value: Any) -> Any:
        """Catalog facts are never negative or infinite; a negative price would lower the total and pass a budget."""
        if not isinstance(value, dict):
            return value  # pydantic says what a mapping is
        for service, body in value.items():
            problem = _bad_fact(body, ())
            if problem is not None:
                where, message = problem
                raise _key_error(str(service), f"{'.'.join(where)}: {message}" if where else message)
        return value

    @field_validator("month_hours", mode="before")
    @classmethod
    def _month_hours(cls, value: Any) -> Any:
        """Hours as a number or with a unit (730, 730h, like usage.hours), up to a 31-day month."""
        if isinstance(value, bool):
            raise ValueError("month_hours takes hours such as 730 or 730h (at most 744)")
        try:
            hours = parse(value, Kind.HOURS)
        except UnitError:
            try:
                hours = Decimal(str(value).strip())  # YAML 1.1 leaves 1e3 as text
            except ArithmeticError:
                raise ValueError(f"{value!r}: month_hours takes hours such as 730 or 730h (at most 744)") from None
        assert isinstance(hours, Decimal)
        if not hours.is_finite() or not 0 < hours <= MAX_MONTH_HOURS:
            raise ValueError(f"month_hours is more than 0 and at most 744 (a 31-day month), got {value}")
        return hours

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the plan's name is empty; reports and CI logs show it")
        return value

    @field_validator("resources", mode="before")
    @classmethod
    def _resources(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value  # pydantic says what a mapping is
        for name, body in value.items():
            key = _name_key(name)
            if not isinstance(body, dict | Resource):
                hint = f"; is {key}: indented under the resource's name?" if key in Resource.model_fields else ""
                raise _key_error(key, f"each resource is a mapping such as {{service: aws.s3}}{hint}")
        return value

    _source_map: dict[tuple[str | int, ...], tuple[int, int]] = PrivateAttr(default_factory=dict)
    _file: str | None = PrivateAttr(default=None)

    @property
    def file(self) -> str | None:
        return self._file

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # A section the plan does not have reads as empty (`plan.jobs` is `{}`), as a declared field would.
            if name in SECTIONS:
                return self.section(name)
            return super().__getattr__(name)

    def has_section(self, key: str) -> bool:
        """Whether the plan writes section ``key``; answered without importing the section's model."""
        return key in type(self).model_fields and bool(getattr(self, key))

    def section(self, key: str) -> Any:
        """The validated value of the registered section ``key``, or its empty value when the plan has none."""
        if key in type(self).model_fields:
            return getattr(self, key)
        spec = SECTIONS.get(key)
        if spec is None:
            raise KeyError(f"no plan section {key!r} is registered (known: {', '.join(SECTIONS) or 'none'})")
        return _empty(resolve(spec.model))

    def locate(self, path: tuple[str | int, ...]) -> tuple[int, int] | None:
        """(line, column) of the deepest known node on ``path``, 1-based."""
        for cut in range(len(path), -1, -1):
            hit = self._source_map.get(path[:cut])
            if hit:
                return hit
        return None


def _container(tp: Any) -> type | None:
    """The container a section type is (``dict[str, Job]`` -> dict), or None for a single model."""
    origin = get_origin(tp) or tp
    return origin if origin in (dict, list, set, tuple) else None


def _empty(tp: Any) -> Any:
    """A section's value when the plan leaves it out: an empty container, else None."""
    container = _container(tp)
    return container() if container is not None else None


_built: dict[tuple[int, frozenset[str] | None], type[Plan]] = {}


def plan_model(only: frozenset[str] | None = None) -> type[Plan]:
    """The plan model with one field per registered section, in registry order (rebuilt when the registry changes).

    It subclasses :class:`Plan`, so every validated plan is a ``Plan`` with its sections as attributes. ``only``
    limits it to the sections a plan has: building validators for every section costs tens of milliseconds, and a
    plan without them reads their empty values through :meth:`Plan.section`.
    """
    key = (registry_version(), only)
    cached = _built.get(key)
    if cached is not None:
        return cached
    fields: dict[str, Any] = {}
    for name, spec in SECTIONS.items():
        if name in Plan.model_fields:
            raise ValueError(f"section {name!r} clashes with the plan's own key {name!r}")
        if only is not None and name not in only:
            continue
        tp = resolve(spec.model)
        container = _container(tp)
        if container is not None:
            fields[name] = (tp, Field(default_factory=container, description=spec.description))
        else:
            fields[name] = (tp | None, Field(default=None, description=spec.description))
    doc = "A whole plan file. Field names are a public contract (see the README)."
    model = create_model("Plan", __base__=Plan, __module__=__name__, __doc__=doc, **fields)
    _built[key] = model
    return model
