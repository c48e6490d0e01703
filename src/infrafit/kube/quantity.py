"""Kubernetes resource quantities, parsed the way the API server parses them (``resource.Quantity``).

A quantity is a signed decimal number followed by an optional suffix: binary ``Ki Mi Gi Ti Pi Ei`` (powers of
1024), decimal ``n u m k M G T P E`` (powers of 1000; ``m`` is a thousandth, so ``500m`` CPU is half a core and
``1000m`` memory is one byte) or an exponent ``e3``/``E3``. Results are exact ``Decimal`` values.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["QuantityError", "cpu_millicores", "memory_bytes", "parse_quantity"]

_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_FORM = re.compile(r"^(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$")

ACCEPTED = "a Kubernetes quantity such as 500m, 0.5, 1e3, 100Ki, 512Mi, 1Gi or 1M"


class QuantityError(ValueError):
    """Text that is not a Kubernetes quantity."""


def parse_quantity(value: object) -> Decimal:
    """The exact value of a Kubernetes quantity (a YAML number is taken as it is)."""
    if isinstance(value, bool):
        raise QuantityError(f"expected {ACCEPTED}, got {value!r}")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip()
    m = _FORM.match(text)
    if m is None:
        hint = ""
        lowered = text.lower()
        for wrong, right in (("gb", "G or Gi"), ("mb", "M or Mi"), ("kb", "k or Ki"), ("mib", "Mi"), ("gib", "Gi")):
            if lowered.endswith(wrong):
                hint = f" (Kubernetes writes {right}, not {text[-len(wrong) :]})"
                break
        raise QuantityError(f"{text!r} is not {ACCEPTED}{hint}")
    try:
        number = Decimal(m["num"])
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise QuantityError(f"{text!r} is not {ACCEPTED}") from None
    suffix = m["suffix"] or ""
    if suffix in _BINARY:
        return number * (Decimal(1024) ** _BINARY[suffix])
    if suffix[:1] in ("e", "E"):
        return number.scaleb(int(suffix[1:]))
    return number.scaleb(_DECIMAL[suffix])


def cpu_millicores(value: object) -> Decimal:
    """CPU in millicores: ``500m`` -> 500, ``0.5`` -> 500, ``2`` -> 2000."""
    return parse_quantity(value) * 1000


def memory_bytes(value: object) -> Decimal:
    """Memory in bytes: ``1Gi`` -> 1,073,741,824, ``1M`` -> 1,000,000, ``1e3`` -> 1,000."""
    return parse_quantity(value)
