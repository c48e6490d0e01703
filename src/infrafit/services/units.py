"""Small numeric helpers shared by the billing models: rounding to a billing step, byte units of meters."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from infrafit.units import BYTE_UNITS

ZERO = Decimal(0)
GIB = Decimal(2**30)


def ceil_to(value: Decimal, step: Decimal) -> Decimal:
    """``value`` rounded up to a whole number of ``step`` (providers bill started increments: 1 ms, 100 ms)."""
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


_BINARY_READING = {"KB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40, "PB": 2**50}


def byte_unit(unit: str, gb: str = "decimal") -> Decimal:
    """Bytes in a meter's byte unit (``GiB``, ``GB-month``: the period after ``-`` is the meter's, not the size's).

    ``gb`` is the provider's convention for its decimal-looking units: ``binary`` reads GB as 2^30 bytes (AWS,
    Vercel), ``decimal`` as 10^9. ``GiB``-style units are binary either way."""
    base = unit.split("-")[0]
    if base not in BYTE_UNITS:
        raise ValueError(f"meter unit {unit!r} is not a byte unit")
    if gb == "binary" and base in _BINARY_READING:
        return Decimal(_BINARY_READING[base])
    return Decimal(BYTE_UNITS[base])
