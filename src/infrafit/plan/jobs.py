"""The plan's ``jobs:``: batches of items run on a resource, calling rate-limited APIs.

Names are a public contract (items, runs_on, duration, cpu_time, memory, concurrency, calls, retries, start,
deadline, runs_per_month). ``calls`` names a called resource's usage keys (``units``, ``requests``, ...) or, for an API
that costs per method, its method names (``captions.list``), which the catalog turns into units or its own buckets.
Durations take three forms: fixed (``4min``), a uniform range (``3-5min``), or a distribution
(``{lognormal: {median: 4min, p95: 7min}}``, ``{exponential: {mean: 4min}}``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from infrafit.plan.quantities import Bytes, Seconds, Share
from infrafit.plan.uncertain import Uncertain, between, uncertain_schema, with_ranges
from infrafit.units import ACCEPTED, Kind, UnitError, parse, parse_duration

__all__ = [
    "LN_20",
    "Z95",
    "DurationSpec",
    "Job",
    "JobDuration",
    "Jobs",
    "Retries",
    "duration_text",
    "parse_duration_spec",
]

_RANGE = re.compile(
    r"^\s*(?P<lo>\d+(?:\.\d+)?)\s*(?P<lo_unit>[a-z]*)\s*-\s*(?P<hi>\d+(?:\.\d+)?)\s*(?P<unit>[a-z]+)\s*$"
)

MAX_ATTEMPTS = 5_000_000
"""Expected attempts of one batch run, as the simulator bounds them (infrafit.dynamics.limits)."""

Z95 = 1.6448536269514722
"""The standard normal quantile at 0.95: a lognormal's sigma is ln(p95 / median) / Z95."""

LN_20 = Decimal("2.995732")
"""ln 20 to six places, as reports have always used it: an exponential's p95 is its mean × ln 20."""


@dataclass(frozen=True)
class DurationSpec:
    """Seconds per item: fixed ``a``; uniform ``a``..``b``; lognormal median ``a``, p95 ``b``; exponential mean ``a``.

    The summary figures here use ``math`` only, so the plan (and ``check``) never needs numpy; the simulator
    samples the same shapes with its own :class:`infrafit.dynamics.distributions.Duration`.
    """

    kind: Literal["fixed", "uniform", "lognormal", "exponential"]
    a: Decimal
    b: Decimal | None = None

    @property
    def worst(self) -> Decimal:
        """The figure to hold against a platform's time limit (the range's top, the distribution's p95)."""
        if self.kind in ("uniform", "lognormal") and self.b is not None:
            return self.b
        if self.kind == "exponential":
            return self.a * LN_20
        return self.a

    @property
    def sigma(self) -> float:
        """The lognormal's shape, ln(p95 / median) / z95; 0 for the other kinds."""
        if self.kind != "lognormal" or self.b is None:
            return 0.0
        return math.log(float(self.b) / float(self.a)) / Z95

    def mean(self) -> Decimal:
        """Expected seconds per item, for throughput and cost: the range's midpoint, a lognormal's
        median × exp(sigma² / 2) (through float, as a ``Decimal`` of its shortest repr), else ``a``."""
        if self.kind == "uniform" and self.b is not None:
            return (self.a + self.b) / 2
        if self.kind == "lognormal" and self.b is not None:
            sigma = self.sigma
            return Decimal(repr(float(self.a) * math.exp(sigma * sigma / 2)))
        return self.a

    def describe(self) -> str:
        """The shape as a person writes it: ``4 min``, ``3–5 min``, ``median 4 min, p95 7 min``."""
        if self.kind == "uniform" and self.b is not None:
            lo, hi = duration_text(self.a), duration_text(self.b)
            unit = hi.rsplit(" ", 1)[1]
            return f"{lo.removesuffix(' ' + unit)}–{hi}" if lo.endswith(" " + unit) else f"{lo}–{hi}"
        if self.kind == "lognormal" and self.b is not None:
            return f"median {duration_text(self.a)}, p95 {duration_text(self.b)}"
        if self.kind == "exponential":
            return f"exponential, mean {duration_text(self.a)}"
        return duration_text(self.a)

    def p95(self) -> Decimal:
        """The 95th percentile in seconds: ``a`` when fixed, 95% of the way up a range, a lognormal's stated
        p95, and mean × ln 20 for an exponential (float ``math.log``, as a ``Decimal`` of its shortest repr).
        Unlike :attr:`worst`, a range's p95 is below its top."""
        if self.kind == "uniform" and self.b is not None:
            return self.a + (self.b - self.a) * Decimal("0.95")
        if self.kind == "lognormal" and self.b is not None:
            return self.b
        if self.kind == "exponential":
            return Decimal(repr(float(self.a) * math.log(20)))
        return self.a


def duration_text(seconds: Decimal) -> str:
    """Seconds in the largest unit that divides them: ``3 h``, ``90 min``, ``4.5 s``."""
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:,.0f} {unit}"
    return f"{seconds.normalize():,f} s"


def parse_duration_spec(value: Any) -> DurationSpec:
    if isinstance(value, dict):
        if len(value) != 1:
            raise ValueError(
                "a duration distribution is one of {lognormal: {median, p95}}, {exponential: {mean}}, {uniform: {low, high}}"
            )
        ((kind, params),) = value.items()
        if not isinstance(params, dict):
            raise ValueError(f"{kind} takes a mapping of parameters")
        try:
            if kind == "lognormal":
                median, p95 = parse_duration(str(params["median"])), parse_duration(str(params["p95"]))
                if median <= 0:
                    raise ValueError("lognormal median must be above 0s")
                if p95 <= median:
                    raise ValueError(
                        "lognormal p95 must be above the median (when they are equal, write the fixed duration)"
                    )
                return DurationSpec("lognormal", median, p95)
            if kind == "exponential":
                mean = parse_duration(str(params["mean"]))
                if mean <= 0:
                    raise ValueError("exponential mean must be above 0s")
                return DurationSpec("exponential", mean)
            if kind == "uniform":
                return _uniform(parse_duration(str(params["low"])), parse_duration(str(params["high"])))
        except KeyError as exc:
            raise ValueError(f"{kind} needs {exc.args[0]}") from None
        except UnitError as exc:
            raise ValueError(str(exc)) from None
        raise ValueError(f"unknown distribution {kind!r}; use lognormal, exponential or uniform")
    if isinstance(value, str) and (m := _RANGE.match(value)):
        unit = m["unit"]
        lo_unit = m["lo_unit"] or unit
        return _uniform(parse_duration(f"{m['lo']}{lo_unit}"), parse_duration(f"{m['hi']}{unit}"))
    try:
        seconds = parse(value, Kind.DURATION)
    except UnitError as exc:
        raise ValueError(f"{exc}; or a range such as 3-5min, or {{lognormal: {{median: 4min, p95: 7min}}}}") from None
    assert isinstance(seconds, Decimal)
    return DurationSpec("fixed", seconds)


def _uniform(low: Decimal, high: Decimal) -> DurationSpec:
    if high < low:
        raise ValueError("a range's upper end must not be below its lower end")
    return DurationSpec("uniform", low, high)


def _duration_spec(value: Any) -> DurationSpec:
    return value if isinstance(value, DurationSpec) else parse_duration_spec(value)


_DISTRIBUTION = {"type": "object", "additionalProperties": {"type": "string"}}

JobDuration = Annotated[
    DurationSpec,
    BeforeValidator(_duration_spec),
    WithJsonSchema(
        {
            "description": f"{ACCEPTED[Kind.DURATION]}; a range such as 3-5min; or a distribution: "
            "{lognormal: {median: 4min, p95: 7min}}, {exponential: {mean: 4min}}, {uniform: {low: 3min, high: 5min}}",
            "anyOf": [
                {"type": "string"},
                {"type": "number"},
                {
                    "type": "object",
                    "properties": {"lognormal": _DISTRIBUTION, "exponential": _DISTRIBUTION, "uniform": _DISTRIBUTION},
                    "additionalProperties": False,
                },
            ],
        }
    ),
]
"""A per-item duration in any of its forms (fixed, range, distribution), parsed into a :class:`DurationSpec`."""


class Retries(BaseModel):
    model_config = ConfigDict(extra="forbid")

    failure_rate: Share = Field(default=Decimal(0), description="share of attempts that fail, below 100%, e.g. 2%")
    max: int = Field(default=0, ge=0, le=100, description="retries per item (at most 100)")
    backoff: Seconds = Field(default=Decimal(0), description="wait before a retry, e.g. 30s")

    @field_validator("failure_rate")
    @classmethod
    def _below_one(cls, value: Decimal) -> Decimal:
        if value >= 1:
            raise ValueError("failure_rate must be below 100% (every attempt failing never finishes)")
        return value

    def attempts_per_item(self) -> float:
        """Expected attempts per item: 1 + p + p² + … + p^max = (1 − p^(max+1)) / (1 − p)."""
        p, r = float(self.failure_rate), self.max
        return (1 - p ** (r + 1)) / (1 - p) if p < 1 else float(r + 1)


class Job(BaseModel):
    """A batch: ``items`` run on the resource ``runs_on``, each calling rate-limited resources."""

    model_config = ConfigDict(extra="forbid")

    items: Annotated[int, WithJsonSchema(uncertain_schema({"type": "integer", "minimum": 1, "maximum": 1_000_000}))] = (
        Field(
            gt=0,
            le=1_000_000,
            description="how many items (at most 1,000,000; docs/limits.md); a range such as 2000-3000",
        )
    )
    runs_on: str = Field(description="the resource (by name) that executes the items")
    duration: JobDuration = Field(description="per item (wall time)")
    cpu_time: Seconds | None = Field(
        default=None,
        description="CPU time per item, where the platform bills or limits CPU rather than wall time (Workers, "
        "Vercel); an item that waits on APIs uses little of it. Without it, the wall time is used as CPU time",
    )
    memory: Bytes | None = Field(default=None, description="per item, e.g. 700MB")
    concurrency: int | None = Field(
        default=None, ge=1, le=1_000_000, description="at most this many at once (default: the platform's limit)"
    )
    calls: dict[str, Decimal | dict[str, Decimal]] = Field(
        default_factory=dict,
        description="per item: resource -> calls, or resource -> {usage key or API method: amount}",
    )
    retries: Retries = Field(default_factory=Retries)
    start: datetime | None = Field(default=None, description="when the batch starts, with a UTC offset")
    deadline: Seconds | None = Field(
        default=None,
        description="the batch must finish within this, e.g. 3h: held against the 95th percentile makespan",
    )
    runs_per_month: Decimal = Field(
        default=Decimal(1), ge=0, le=100_000, description="how often the batch runs a month (for cost)"
    )

    _uncertain: dict[str, Uncertain] = PrivateAttr(default_factory=dict)
    """Uncertain inputs by key (``items``); the field holds its median."""

    @model_validator(mode="wrap")
    @classmethod
    def _ranges(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        return with_ranges(data, handler, {"items": (Kind.NUMBER, True, between(1, 1_000_000, "items"))})

    @field_validator("calls", mode="before")
    @classmethod
    def _calls(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError("calls maps a resource name to calls per item (a number or {usage key: amount})")
        out: dict[str, Any] = {}
        for name, amount in value.items():
            try:
                if isinstance(amount, dict):
                    out[name] = {k: parse(v, Kind.NUMBER) for k, v in amount.items()}
                else:
                    out[name] = parse(amount, Kind.NUMBER)
            except UnitError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return out

    @field_validator("deadline", mode="after")
    @classmethod
    def _deadline(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value <= 0:
            raise ValueError("a deadline must be above 0 (e.g. 3h)")
        return value

    @model_validator(mode="after")
    def _simulable(self) -> Job:
        """items × expected attempts per item within the simulator's bound (docs/limits.md)."""
        attempts = self.items * self.retries.attempts_per_item()
        if attempts > MAX_ATTEMPTS:
            raise ValueError(
                f"{self.items:,} items at {self.retries.attempts_per_item():.3g} expected attempts each need "
                f"{attempts:,.0f} attempts, more than the {MAX_ATTEMPTS:,} one simulated run allows; "
                "split the batch or lower retries"
            )
        return self

    @field_validator("start", mode="after")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(
                "start needs a UTC offset, e.g. 2026-11-23T09:00:00+09:00 (daily quotas reset on the provider's clock)"
            )
        if value is not None and not 1970 <= value.year < 2200:
            raise ValueError("start is a date from 1970 to 2199 (docs/limits.md)")
        return value


Jobs = dict[str, Job]
"""The ``jobs:`` section: name -> job (the type the section registry names)."""
