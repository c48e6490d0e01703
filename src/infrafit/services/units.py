"""Small numeric helpers shared by the billing models: rounding to a billing step, byte units of meters."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from infrafit.units import BYTE_UNITS

ZERO = Decimal(0)
GIB = Decimal(2**30)


def ceil_to(value: Decimal, step: Decimal) -> Decimal:
    """``value`` rounded up to a whole number of ``step`` (providers bill started increments: 1 ms, 100 ms)."""
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def byte_unit(unit: str) -> Decimal:
    """Bytes in a meter's byte unit (``GiB``, ``GB-month``: the period after ``-`` is the meter's, not the size's)."""
    base = unit.split("-")[0]
    if base not in BYTE_UNITS:
        raise ValueError(f"meter unit {unit!r} is not a byte unit")
    return Decimal(BYTE_UNITS[base])
