"""One resource of a plan: a catalog service, sized, with its monthly usage (single values or ranges).

Units are parsed here; which usage keys, types and plans a service accepts needs the catalog and is checked by the
engine, which reports problems at the same YAML locations.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from infrafit.errors import did_you_mean
from infrafit.plan.quantities import Bytes, Cpu
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
from infrafit.units import Kind, Rate, UnitError, parse

__all__ = ["MAX_COUNT", "MAX_CPU", "MAX_MEMORY", "RATE_LIMIT_KEYS", "Resource", "UsageValue", "key_error", "whole"]

UsageValue = Decimal | Rate

MAX_COUNT = 10**6
"""Identical copies of one resource (docs/limits.md)."""
MAX_CPU = Decimal(4096)
"""vCPUs of one resource; the largest machines offered have under 1,000."""
MAX_MEMORY = Decimal(64 * 2**40)
"""Memory of one resource (64 TiB); the largest machines offered have 32 TiB."""
RATE_LIMIT_KEYS = ("per_second", "per_minute", "per_hour", "per_day", "tokens_per_minute", "units_per_day")
"""What a plan's own ``rate_limits:`` may set (the catalog's rate-limit fields)."""


def key_error(key: str, message: str) -> PydanticCustomError:
    """An error about one key of a mapping field; the loader points at that key's line (see loader.py)."""
    return PydanticCustomError("usage_unit", "{message}", {"message": message, "key": key})


def whole(value: Any, what: str) -> Any:
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
        return whole(value, "count")

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
                raise key_error(str(key), str(exc)) from None
            bound = USAGE_RANGES.get(str(key))
            if bound is not None and isinstance(quantity, Decimal) and (reason := bound.check(quantity)):
                raise key_error(str(key), f"{raw!r}: {reason}")
            parsed[str(key)] = quantity
        if "hours" in parsed and "uptime" in parsed:
            raise key_error("uptime", "give hours or uptime, not both (uptime is a share of the month's hours)")
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
                raise key_error(name, f"unknown key {name!r}{did_you_mean(name, RATE_LIMIT_KEYS)}")
            try:
                amount = parse(raw, Kind.NUMBER)
            except UnitError as exc:
                raise key_error(name, f"{exc}; {name} is a plain number of calls, e.g. {name}: 60") from None
            assert isinstance(amount, Decimal)
            parsed[name] = amount
        return parsed
