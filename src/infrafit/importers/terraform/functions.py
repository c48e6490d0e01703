"""The pure Terraform functions the importer can evaluate from the files alone (the rest stay unknown)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["FUNCTIONS", "NotKnown"]


class NotKnown(Exception):
    """An expression whose value the files do not give."""


def _num(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


def _toset(xs: Any) -> list[Any]:
    out: list[Any] = []
    for x in _seq(xs):
        if x not in out:
            out.append(x)
    return out


def _seq(xs: Any) -> list[Any]:
    if isinstance(xs, list):
        return xs
    if isinstance(xs, dict):
        return list(xs.values())
    raise NotKnown("not a list")


def _lookup(m: Any, key: Any, *default: Any) -> Any:
    if isinstance(m, dict) and key in m:
        return m[key]
    if default:
        return default[0]
    raise NotKnown("lookup")


def _coalesce(*xs: Any) -> Any:
    for x in xs:
        if x not in (None, ""):
            return x
    raise NotKnown("coalesce")


def _merge(*ms: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in ms:
        if not isinstance(m, dict):
            raise NotKnown("merge")
        out.update(m)
    return out


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "toset": _toset,
    "tolist": lambda xs: list(_seq(xs)),
    "tomap": lambda m: dict(m),
    "length": lambda xs: len(xs),
    "lookup": _lookup,
    "max": lambda *xs: max(xs),
    "min": lambda *xs: min(xs),
    "coalesce": _coalesce,
    "tonumber": lambda x: _num(str(x)),
    "tostring": lambda x: str(x),
    "upper": lambda s: str(s).upper(),
    "lower": lambda s: str(s).lower(),
    "merge": _merge,
    "concat": lambda *xs: [y for x in xs for y in _seq(x)],
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "contains": lambda xs, x: x in _seq(xs),
    "join": lambda sep, xs: str(sep).join(str(x) for x in _seq(xs)),
    "element": lambda xs, i: _seq(xs)[int(i) % len(_seq(xs))],
    "ceil": lambda x: -(-x // 1),
    "floor": lambda x: x // 1,
    "abs": abs,
}


