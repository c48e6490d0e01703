"""Number formatting shared by the text renderers."""

from __future__ import annotations

from decimal import Decimal

from infrafit.units import format_bytes


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


def size(value: Decimal) -> str:
    return format_bytes(value)
