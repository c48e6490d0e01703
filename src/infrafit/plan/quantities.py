"""Pydantic field types for quantities with units.

Each type parses its own units (one place turns a unit error into a field error) and carries its own JSON
Schema saying which forms it accepts, so a plan model written with these types needs no schema patches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from infrafit.units import ACCEPTED, Kind, Rate, UnitError, parse

__all__ = [
    "Bytes",
    "Count",
    "Cpu",
    "DataPerPeriod",
    "Hours",
    "Money",
    "PerPeriod",
    "Power",
    "Seconds",
    "Share",
    "parse_cpu",
    "quantity_schema",
]

# Kinds a bare YAML number is accepted for; every other kind needs a unit, so its schema says "string".
_BARE_NUMBER_KINDS = frozenset({Kind.NUMBER, Kind.HOURS})


def quantity_schema(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of a quantity of ``kind``: its YAML type and, as the description, the forms it accepts."""
    json_type: str | list[str] = ["string", "number"] if kind in _BARE_NUMBER_KINDS else "string"
    return {"type": json_type, "description": ACCEPTED[kind]}


def _as(kind: Kind) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value is None or isinstance(value, Decimal | Rate):
            return value
        try:
            return parse(value, kind)
        except UnitError as exc:
            raise ValueError(str(exc)) from None

    return convert


Bytes = Annotated[Decimal, BeforeValidator(_as(Kind.BYTES)), WithJsonSchema(quantity_schema(Kind.BYTES))]
"""A size in bytes: ``500MB``, ``2GiB``, ``512Mi``."""
Seconds = Annotated[Decimal, BeforeValidator(_as(Kind.DURATION)), WithJsonSchema(quantity_schema(Kind.DURATION))]
"""A duration in seconds: ``200ms``, ``30s``, ``5min``."""
Money = Annotated[Decimal, BeforeValidator(_as(Kind.MONEY)), WithJsonSchema(quantity_schema(Kind.MONEY))]
"""An amount in USD: ``25 USD``, ``$25``."""
Share = Annotated[Decimal, BeforeValidator(_as(Kind.PERCENT)), WithJsonSchema(quantity_schema(Kind.PERCENT))]
"""A share as a fraction of one, written as a percentage: ``20%`` is 0.2."""
Count = Annotated[Decimal, BeforeValidator(_as(Kind.NUMBER)), WithJsonSchema(quantity_schema(Kind.NUMBER))]
"""A plain count: ``4``, ``16``, ``2K``."""
Hours = Annotated[Decimal, BeforeValidator(_as(Kind.HOURS)), WithJsonSchema(quantity_schema(Kind.HOURS))]
"""Hours in a month: ``146`` or ``146h``."""
Power = Annotated[Decimal, BeforeValidator(_as(Kind.POWER)), WithJsonSchema(quantity_schema(Kind.POWER))]
"""A power draw in watts: ``65W``, ``0.2kW``."""
PerPeriod = Annotated[Rate, BeforeValidator(_as(Kind.RATE)), WithJsonSchema(quantity_schema(Kind.RATE))]
"""A count per period: ``5M/month``, ``20/min`` (kept as a :class:`~infrafit.units.Rate`)."""
DataPerPeriod = Annotated[Rate, BeforeValidator(_as(Kind.DATA_RATE)), WithJsonSchema(quantity_schema(Kind.DATA_RATE))]
"""Bytes per period: ``400MB/month`` (kept as a :class:`~infrafit.units.Rate`)."""

_MILLICORES = re.compile(r"^(\d+)m$")
CPU_ACCEPTED = "vCPUs such as 2, 0.5 or 500m (Kubernetes millicores: 1000m = 1 vCPU)"


def parse_cpu(value: Any) -> Any:
    """vCPUs from ``2``, ``0.5``, ``"1"`` or Kubernetes millicores ``"500m"``; a clear error otherwise."""
    if value is None:
        return value
    if isinstance(value, str) and (m := _MILLICORES.match(value.strip())):
        return Decimal(m[1]) / 1000
    try:
        return parse(value, Kind.NUMBER)
    except UnitError as exc:
        raise ValueError(f"{exc}; cpu takes vCPUs such as 2, 0.5 or 500m") from None


Cpu = Annotated[
    Decimal, BeforeValidator(parse_cpu), WithJsonSchema({"type": ["string", "number"], "description": CPU_ACCEPTED})
]
"""Virtual CPUs, as clouds and Kubernetes write them: ``2``, ``0.5``, ``"500m"``."""
