"""Pydantic field types for quantities with units: one place turns a unit error into a field error."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator

from infrafit.units import Kind, UnitError, parse


def _as(kind: Kind) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return parse(value, kind)
        except UnitError as exc:
            raise ValueError(str(exc)) from None

    return convert


Bytes = Annotated[Decimal, BeforeValidator(_as(Kind.BYTES))]
Seconds = Annotated[Decimal, BeforeValidator(_as(Kind.DURATION))]
Money = Annotated[Decimal, BeforeValidator(_as(Kind.MONEY))]
Share = Annotated[Decimal, BeforeValidator(_as(Kind.PERCENT))]
Count = Annotated[Decimal, BeforeValidator(_as(Kind.NUMBER))]
