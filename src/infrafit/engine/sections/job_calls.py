"""What one item of a job calls: usage keys, and API methods turned into quota units or their own buckets.

An API that costs per method (the YouTube Data API) is called by method name: ``{captions.list: 1, videos.list: 1}``
costs 50 + 1 = 51 units of the shared daily pool (the catalog's ``unit_costs``), while a method with its own bucket
(``search.list``: 100 calls a day, the catalog's ``method_limits``) is its own daily limiter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from infrafit.catalog.model import RateLimit
from infrafit.errors import did_you_mean
from infrafit.services import Context, ModelError

if TYPE_CHECKING:
    from infrafit.dynamics import Limiter

__all__ = ["ItemCalls", "call_limiters", "item_calls", "rate_limit"]

ZERO = Decimal(0)
# The usage key a bare number of calls adds to, by what the called service takes.
_CALL_KEYS = ("requests", "messages", "operations", "units", "commands", "class_a")
_WINDOWS = ("per_second", "per_minute", "per_hour", "per_day")


@dataclass(frozen=True, kw_only=True)
class ItemCalls:
    """One item's calls to one resource: usage it adds (priced and rate-limited) and calls to bucketed methods."""

    usage: dict[str, Decimal]
    """Usage key -> amount per item (methods priced in units are already summed into ``units``)."""
    buckets: dict[str, Decimal] = field(default_factory=dict)
    """Method -> calls per item, for methods with their own quota bucket (not in the units)."""
    methods: frozenset[str] = frozenset()
    """Every API method named (priced in units or bucketed): catalog notes scoped by method fire for these."""


def rate_limit(ctx: Context) -> RateLimit | None:
    """The rate limits the plan declares on a resource, else the catalog's for its type (or ``*``)."""
    res = ctx.resource
    if res.rate_limits:
        values = {k: Decimal(str(v)) for k, v in res.rate_limits.items()}
        return RateLimit(source="plan", as_of=date.today(), daily_reset=res.daily_reset, **values)
    limits = ctx.view.rate_limits
    return limits.get(ctx.type_name or "") or limits.get("*")


def item_calls(
    job: str, target: str, amount: Decimal | dict[str, Decimal], tctx: Context, path: tuple[str | int, ...]
) -> ItemCalls:
    """Read ``calls: {target: amount}``: a bare number adds to the service's call key; a mapping names usage keys
    or, for an API that costs per method, method names."""
    service = tctx.view.service
    usage_keys = service.usage
    if not isinstance(amount, dict):
        default = next((k for k in _CALL_KEYS if k in usage_keys), None)
        if default is None:
            raise ModelError(f"{target} ({tctx.view.key}) is not something a job calls", path)
        return ItemCalls(usage={default: amount})
    usage: dict[str, Decimal] = {}
    buckets: dict[str, Decimal] = {}
    methods: set[str] = set()
    for key, n in amount.items():
        if key in usage_keys:
            usage[key] = usage.get(key, ZERO) + n
        elif key in service.unit_costs and "units" in usage_keys:
            usage["units"] = usage.get("units", ZERO) + service.unit_costs[key] * n
            methods.add(key)
        elif key in service.method_limits:
            buckets[key] = buckets.get(key, ZERO) + n
            methods.add(key)
        else:
            raise ModelError(f"{tctx.view.key} takes no {_what(tctx)} {key!r}{_suggest(key, tctx)}", (*path, key))
    return ItemCalls(usage=usage, buckets=buckets, methods=frozenset(methods))


def _what(tctx: Context) -> str:
    service = tctx.view.service
    return "usage key or API method" if service.unit_costs or service.method_limits else "usage key"


def _suggest(key: str, tctx: Context) -> str:
    service = tctx.view.service
    methods = [*service.unit_costs, *service.method_limits]
    hint = did_you_mean(key, [*service.usage, *methods])
    if "did you mean" in hint or not methods:
        return hint
    return f" (usage keys: {', '.join(service.usage)}; or one of the {len(methods)} methods of the catalog, e.g. {methods[0]})"


def call_limiters(target: str, calls: ItemCalls, tctx: Context) -> list[Limiter]:
    """The rate windows one item's calls to ``target`` pass through: requests, units, tokens, method buckets."""
    from infrafit.dynamics import Limiter

    out: list[Limiter] = []
    per_item = calls.usage
    rl = rate_limit(tctx)
    if rl is not None:
        reset = rl.daily_reset
        requests = per_item.get("requests", ZERO)
        windows = {k: _float(getattr(rl, k)) for k in _WINDOWS}
        if requests > 0 and any(v is not None for v in windows.values()):
            out.append(Limiter(target, float(requests), daily_reset=reset, **windows))
        units = per_item.get("units", ZERO)
        if rl.units_per_day is not None and units > 0:
            out.append(Limiter(f"{target}:units", float(units), per_day=float(rl.units_per_day), daily_reset=reset))
        tokens = per_item.get("input_tokens", ZERO) + per_item.get("output_tokens", ZERO)
        if rl.tokens_per_minute is not None and tokens > 0:
            out.append(Limiter(f"{target}:tokens", float(tokens), per_minute=float(rl.tokens_per_minute)))
    for method, n in calls.buckets.items():
        bucket = tctx.view.service.method_limits[method]
        windows = {k: _float(getattr(bucket, k)) for k in _WINDOWS}
        if n > 0:
            out.append(Limiter(f"{target}:{method}", float(n), daily_reset=bucket.daily_reset, **windows))
    return out


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
