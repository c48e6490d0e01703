"""Number formatting shared by the text renderers."""

from __future__ import annotations

from decimal import Decimal

from infrafit.units import duration_text


def money(value: Decimal | None) -> str:
    if value is None:
        return "-"
    if 0 < abs(value) < Decimal("0.01"):
        return f"${value:.4f}"
    return f"${value:,.2f}"


def qty(value: Decimal | None) -> str:
    """Compact quantity: 1,234,567 / 12.5 / 0.0031."""
    if value is None:
        return "-"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.4g}"


def pct(used: Decimal, allowance: Decimal) -> str:
    if allowance == 0:
        return "-" if used == 0 else "∞"
    return f"{used / allowance * 100:.0f}%"


def mem(value: Decimal | None) -> str:
    """Memory in IEC units, as instance types are sold: 512 MiB, 4 GiB, 1.5 GiB."""
    if value is None:
        return "-"
    for unit, factor in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if abs(value) >= factor:
            return f"{qty(round(value / factor, 2))} {unit}"
    return f"{qty(value)} B"


def signed_money(value: Decimal) -> str:
    """A cost change with its sign: +$12.00, -$3.50, $0.00."""
    if value == 0:
        return "$0.00"
    return ("+" if value > 0 else "-") + money(abs(value))


def signed_pct(value: Decimal | None) -> str:
    """A relative change: +12.5%, -20.0%, 0%; "new" when the before side was zero."""
    if value is None:
        return "new"
    if value == 0:
        return "0%"
    return f"{value:+.1f}%"


def seconds(value: float) -> str:
    """A duration in the unit a reader thinks in (:func:`infrafit.units.duration_text`)."""
    return duration_text(value)


def hours(value: float | None) -> str:
    """A duration given in hours (a makespan), worded as :func:`seconds` words it."""
    return "-" if value is None else seconds(value * 3600)


def number(value: float) -> str:
    """A float for a reader: grouped thousands, a few decimals when small, never scientific notation."""
    if value == int(value):
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"
