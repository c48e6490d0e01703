"""Data that accumulates: ``storage: {stored_from: {rate: 2/min, size: 4KB, retention: 30day}}``.

Items written at ``rate`` and kept for ``retention`` (or a TTL) are, on average, ``rate × retention`` items at
once (Little's law), so the average stored amount is ``rate × retention × size``. One key overwritten in place
holds one item: give ``retention`` no longer than the interval between writes and the answer is ``size``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from infrafit.units import Kind, Rate, UnitError, parse

__all__ = ["stored_amount"]

_KEYS = {"rate", "size", "retention"}


def stored_amount(spec: Any) -> Decimal:
    """Average bytes stored, from ``{rate, size, retention}``; ValueError naming what is wrong."""
    if not isinstance(spec, dict) or set(spec) != _KEYS:
        got = ", ".join(sorted(spec)) if isinstance(spec, dict) else repr(spec)
        raise ValueError(
            f"stored_from takes rate, size and retention (e.g. {{rate: 2/min, size: 4KB, retention: 30day}}); got {got}"
        )
    try:
        rate = parse(spec["rate"], Kind.RATE)
        size = parse(spec["size"], Kind.BYTES)
        retention = parse(spec["retention"], Kind.DURATION)
    except UnitError as exc:
        raise ValueError(f"stored_from: {exc}") from None
    assert isinstance(rate, Rate) and isinstance(size, Decimal) and isinstance(retention, Decimal)
    per_second = rate.per_month(Decimal(1)) / Decimal(3600) if rate.period != "month" else None
    if per_second is None:  # a per-month rate over an average month of 730 h
        per_second = rate.amount / (Decimal(730) * 3600)
    items = max(per_second * retention, Decimal(1)) if per_second > 0 else Decimal(0)
    return (items * size).normalize()
