"""What a billing model may read about one resource, and the error it raises when it cannot price it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from infrafit.catalog.lookup import ServiceView
from infrafit.catalog.model import InstanceType
from infrafit.errors import Path
from infrafit.plan.model import Resource
from infrafit.plan.usage import USAGE_KINDS
from infrafit.services.units import ZERO, byte_unit
from infrafit.units import Kind, Rate, UnitError, parse


class ModelError(ValueError):
    """A resource the model cannot price as written; ``path`` points into the plan."""

    def __init__(self, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.path = path


@dataclass
class Context:
    """Everything a model may read about one resource."""

    name: str
    resource: Resource
    view: ServiceView
    region: str | None
    type_name: str | None
    instance_type: InstanceType | None
    month_hours: Decimal

    @cached_property
    def count(self) -> Decimal:
        return Decimal(self.resource.count)

    def _default(self, key: str, kind: Kind) -> Decimal | Rate | None:
        raw = self.view.service.defaults.get(key)
        if raw is None:
            return None
        try:
            return parse(raw, kind)
        except UnitError:  # pragma: no cover - catalog data is validated by tests
            return None

    def usage(self, key: str) -> Decimal | Rate | None:
        value = self.resource.usage.get(key)
        if value is None:
            return self._default(key, USAGE_KINDS[key])
        assert isinstance(value, Decimal | Rate)
        return value

    def monthly(self, key: str) -> Decimal:
        """A rate usage as a monthly amount (0 when absent)."""
        value = self.usage(key)
        if value is None:
            return ZERO
        if isinstance(value, Rate):
            return value.per_month(self.month_hours)
        return value

    def scalar(self, key: str, default: Decimal | None = None) -> Decimal | None:
        value = self.usage(key)
        if value is None:
            return default
        if isinstance(value, Rate):  # pragma: no cover - kinds keep scalars scalar
            raise ModelError(f"{key} must not be a rate", ("usage", key))
        return value

    def hours(self) -> Decimal:
        """Running hours per month: ``hours``, else ``uptime`` × month, else the whole month."""
        hours = self.scalar("hours")
        if hours is not None:
            if hours > self.month_hours:
                shown = f"{hours:,.2f}".rstrip("0").rstrip(".")  # a sampled value has 16 digits nobody wrote
                raise ModelError(f"{shown} hours is more than the month's {self.month_hours}", ("usage", "hours"))
            return hours
        uptime = self.scalar("uptime")
        if uptime is not None:
            if uptime > 1:
                raise ModelError("uptime above 100%", ("usage", "uptime"))
            return self.month_hours * uptime
        return self.month_hours

    def memory(self) -> Decimal | None:
        if self.resource.memory is not None:
            return self.resource.memory
        raw = self.view.service.defaults.get("memory")
        return parse(raw, Kind.BYTES) if raw is not None else None  # type: ignore[return-value]

    def cpu(self) -> Decimal | None:
        if self.resource.cpu is not None:
            return self.resource.cpu
        raw = self.view.service.defaults.get("cpu")
        return Decimal(str(raw)) if raw is not None else None

    def byte_convention(self, meter_key: str) -> str:
        """What the provider's GB means on one meter: the meter's own ``bytes``, else the provider's, else decimal."""
        meter = self.view.meters.get(meter_key)
        convention = (meter.bytes if meter is not None else None) or self.view.provider.bytes
        return convention.gb.value if convention is not None else "decimal"

    def in_meter_unit(self, amount_bytes: Decimal, meter_key: str, unit: str | None = None) -> Decimal:
        """Bytes expressed in a meter's byte unit, under the provider's convention: the one place plan bytes become
        billed GB (``storage: 50GiB`` on S3, whose GB is 2^30 bytes, is 50 GB-month)."""
        meter = self.view.meters.get(meter_key)
        unit = unit or (meter.unit if meter is not None else None)
        if unit is None:
            raise ModelError(f"{self.view.key} has no meter {meter_key!r} to convert bytes into")
        return amount_bytes / byte_unit(unit, self.byte_convention(meter_key))

    def require(self, key: str) -> Decimal:
        value = self.scalar(key)
        if value is None:
            raise ModelError(f"{self.view.key} needs usage.{key} to price its compute time", ("usage",))
        return value


def convert_usage(ctx: Context, key: str, meter_key: str) -> Decimal:
    """A usage value in a meter's unit (per month), for ``from_usage`` meters."""
    kind = USAGE_KINDS[key]
    value = ctx.usage(key)
    if value is None:
        return ZERO
    if kind is Kind.RATE:
        return ctx.monthly(key)
    if kind is Kind.DATA_RATE:
        return ctx.in_meter_unit(ctx.monthly(key), meter_key)
    if kind is Kind.BYTES:
        assert isinstance(value, Decimal)
        return ctx.in_meter_unit(value, meter_key)
    assert isinstance(value, Decimal)
    return value
