"""The plan's ``traffic:``: clients polling (or arriving at random) through cache layers to an origin.

Names are a public contract (clients, active, every, rate, latency, hidden, response_size, layers, origin,
per_origin_request; layers ``browser: {dedupe, max_age}``, ``cdn: {provider, max_age, stale_while_revalidate,
regions, cache_rule}``, ``cache: {ttl, mode, write_every}``). Layers are listed from the client inward; what the
innermost layer misses reaches ``origin``, and each origin request causes ``per_origin_request`` usage downstream.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    model_validator,
)

from infrafit.plan.jobs import DurationSpec, JobDuration
from infrafit.plan.quantities import Bytes, PerPeriod, Seconds
from infrafit.plan.uncertain import Uncertain, between, uncertain_schema, with_ranges
from infrafit.units import Kind, UnitError, parse, parse_duration

__all__ = ["Browser", "Cache", "Cdn", "Layer", "Traffic", "TrafficEntry", "parse_active"]

_ACTIVE = re.compile(r"^\s*(?P<amount>[^/]+?)\s*/\s*(?P<period>day|week)\s*$")
_PERIOD_S = {"day": Decimal(86400), "week": Decimal(604800)}


def parse_active(value: Any) -> Decimal:
    """The share of the time clients are active: ``8h/day`` is 1/3, ``40h/week``, ``50%``."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and (m := _ACTIVE.match(value)):
        try:
            share = parse_duration(m["amount"]) / _PERIOD_S[m["period"]]
        except UnitError as exc:
            raise ValueError(f"{exc}; active takes a time per day such as 8h/day, or a share such as 33%") from None
    else:
        try:
            share = Decimal(parse(value, Kind.PERCENT))  # type: ignore[arg-type]
        except UnitError:
            raise ValueError(
                f"{value!r} is not a time per day (8h/day), per week (40h/week) or a share (33%)"
            ) from None
    if not 0 < share <= 1:
        raise ValueError(f"active must be above 0 and at most the whole day (got {value!r})")
    return share


Active = Annotated[
    Decimal,
    BeforeValidator(parse_active),
    WithJsonSchema({"type": "string", "description": "a time per day or week such as 8h/day, or a share such as 33%"}),
]


MAX_ARRIVALS_PER_MONTH = Decimal(10_000 * 744 * 3600)
"""Open arrivals are simulated one by one: 10,000 a second for a 31-day month is the most a plan takes."""


class BrowserSpec(BaseModel):
    """What the client keeps: SWR's in-memory de-duplication and, where the response allows it, the HTTP cache."""

    model_config = ConfigDict(extra="forbid")

    dedupe: Seconds = Field(
        default=Decimal(2),
        description="SWR dedupingInterval: a request blocks others for latency + dedupe (default 2s, SWR's own)",
    )
    max_age: Seconds = Field(
        default=Decimal(0),
        description="max-age the browser receives (HTTP cache); Vercel sends max-age=0 when s-maxage is used",
    )


class CdnSpec(BaseModel):
    """A shared cache in front of the origin, with its provider's semantics."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["vercel", "cloudflare", "generic"] = Field(description="whose caching rules apply")
    max_age: Seconds = Field(description="the shared cache's TTL (s-maxage), e.g. 30s")
    stale_while_revalidate: Seconds | None = Field(
        default=None,
        description="stale-while-revalidate window; on Vercel, s-maxage without it serves stale indefinitely",
    )
    regions: int = Field(
        default=1, ge=1, le=1_000, description="cache locations with clients (Vercel regions, data centers)"
    )
    cache_rule: bool = Field(
        default=False, description="Cloudflare: a Cache Rule makes the JSON response eligible for cache"
    )


class CacheSpec(BaseModel):
    """A server-side cache: aside (TTL set on the filling miss), sliding (TTL refreshed on reads), write_through."""

    model_config = ConfigDict(extra="forbid")

    ttl: Seconds | None = Field(default=None, description="time to live, e.g. 5min (aside and sliding)")
    mode: Literal["aside", "sliding", "write_through"] = Field(default="aside")
    write_every: JobDuration | None = Field(
        default=None, description="write_through: how often a producer rewrites the data, e.g. 30-48s"
    )

    @model_validator(mode="after")
    def _needs(self) -> CacheSpec:
        if self.mode == "write_through" and self.write_every is None:
            raise ValueError("a write_through cache needs write_every (how often the producer writes, e.g. 30-48s)")
        if self.mode != "write_through" and self.ttl is None:
            raise ValueError(f"a {self.mode} cache needs ttl (e.g. 5min)")
        return self


class Browser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    browser: BrowserSpec


class Cdn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cdn: CdnSpec


class Cache(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cache: CacheSpec


def _layer_tag(value: Any) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return key if key in ("browser", "cdn", "cache") else None
    if isinstance(value, BaseModel):
        return next(iter(type(value).model_fields))
    return None


Layer = Annotated[
    Annotated[Browser, Tag("browser")] | Annotated[Cdn, Tag("cdn")] | Annotated[Cache, Tag("cache")],
    Discriminator(
        _layer_tag,
        custom_error_type="layer_kind",
        custom_error_message="a layer is one of {browser: {...}}, {cdn: {...}}, {cache: {...}}",
    ),
]
"""One cache layer, written as a one-key mapping: ``- cdn: {provider: vercel, max_age: 30s}``."""


class TrafficEntry(BaseModel):
    """Clients asking for one response (an API route) through layers of caches."""

    model_config = ConfigDict(extra="forbid")

    clients: Annotated[int, WithJsonSchema(uncertain_schema({"type": "integer", "minimum": 1, "maximum": 100_000}))] = (
        Field(
            default=1, ge=1, le=100_000, description="clients at once (polling clients; ignored with rate); or a range"
        )
    )
    active: Active = Field(default=Decimal(1), description="when the clients are active, e.g. 8h/day (default always)")
    every: Seconds | None = Field(default=None, description="each client polls this often (SWR refreshInterval)")
    rate: PerPeriod | None = Field(default=None, description="open (Poisson) arrivals instead of pollers, e.g. 5/s")
    latency: Seconds = Field(default=Decimal(0), description="response time; the next poll is armed after it")
    hidden: Literal["pause", "poll"] = Field(
        default="pause", description="pause: a hidden tab does not poll (SWR's default); poll: it keeps polling"
    )
    response_size: Bytes = Field(default=Decimal(0), description="bytes per response (data transfer)")
    layers: list[Layer] = Field(default_factory=list, description="cache layers from the client inward")
    origin: str = Field(description="the resource that serves what the layers miss")
    produced_every: JobDuration | None = Field(
        default=None,
        description="how often the data the origin serves is rewritten by its producer (adds its age), e.g. 30-48s",
    )
    per_origin_request: dict[str, dict[str, Decimal]] = Field(
        default_factory=dict, description="usage each origin request causes downstream: resource -> {usage key: n}"
    )
    seed: int | None = Field(default=None, description="random seed of the clients' phases (default: the run's)")

    _uncertain: dict[str, Uncertain] = PrivateAttr(default_factory=dict)
    """Uncertain inputs by key (``clients``); the field holds its median."""

    @model_validator(mode="wrap")
    @classmethod
    def _ranges(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        return with_ranges(data, handler, {"clients": (Kind.NUMBER, True, between(1, 100_000, "clients"))})

    @model_validator(mode="before")
    @classmethod
    def _numbers(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("per_origin_request"), dict):
            out = {}
            for name, usage in value["per_origin_request"].items():
                if not isinstance(usage, dict):
                    raise ValueError(f"per_origin_request: {name} takes {{usage key: amount}}, e.g. {{commands: 21}}")
                try:
                    out[name] = {k: parse(v, Kind.NUMBER) for k, v in usage.items()}
                except UnitError as exc:
                    raise ValueError(f"per_origin_request: {name}: {exc}") from None
            value = {**value, "per_origin_request": out}
        return value

    @model_validator(mode="after")
    def _arrivals(self) -> TrafficEntry:
        if (self.every is None) == (self.rate is None):
            raise ValueError("give either `every` (each client polls this often) or `rate` (open arrivals, e.g. 5/s)")
        if self.every is not None and self.every < 1:
            raise ValueError("every is at least 1s (a client polling faster is a load test, not a dashboard)")
        if self.rate is not None and self.rate.per_month(Decimal(744)) > MAX_ARRIVALS_PER_MONTH:
            raise ValueError("rate is at most 10,000/s (about 27 billion requests a month); see docs/limits.md")
        kinds = [_layer_tag(layer) for layer in self.layers]
        if kinds.count("cdn") > 1 or kinds.count("browser") > 1:
            raise ValueError("give at most one browser layer and one cdn layer")
        if "browser" in kinds and kinds[0] != "browser":
            raise ValueError("the browser layer comes first (layers are listed from the client inward)")
        return self

    def layer(self, kind: str) -> Any:
        """The spec of the layer of ``kind`` (browser, cdn), or None."""
        for item in self.layers:
            if _layer_tag(item) == kind:
                return getattr(item, kind)
        return None

    def caches(self) -> list[CacheSpec]:
        return [item.cache for item in self.layers if isinstance(item, Cache)]


def duration_samples_spec(spec: DurationSpec | None) -> tuple[str, float, float | None] | None:
    """A duration spec as the simulator's plain tuple (kind, a, b)."""
    if spec is None:
        return None
    return spec.kind, float(spec.a), None if spec.b is None else float(spec.b)


Traffic = dict[str, TrafficEntry]
"""The ``traffic:`` section: name -> entry (the type the section registry names)."""
