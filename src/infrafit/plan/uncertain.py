"""Uncertain quantities: a guess written as a range or a distribution wherever a quantity goes.

``requests: 2M-5M/month`` (uniform), ``{lognormal: {median: 3M/month, p95: 8M/month}}``,
``{triangular: {low: 1M/month, mode: 2M/month, high: 6M/month}}``, ``{choice: {1M/month: 70%, 5M/month: 30%}}``
(and ``{uniform: {low, high}}``). Every end is read with the field's own units, so a range takes exactly the units
the field takes. The plan keeps each such field at its median (the point plan every report prices as its headline)
and remembers the distribution beside it; :func:`with_values` gives the plan for any chosen input values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticCustomError

from infrafit.plan.usage import USAGE_RANGES, Range
from infrafit.units import Kind, Rate, UnitError, duration_text, format_bytes, parse

if TYPE_CHECKING:
    from infrafit.dynamics.uncertainty import Distribution
    from infrafit.plan.model import Plan

__all__ = [
    "FORMS",
    "InputPath",
    "KeyedError",
    "Uncertain",
    "between",
    "may_be_uncertain",
    "parse_uncertain",
    "take_uncertain",
    "uncertain_inputs",
    "uncertain_schema",
    "usage_bound",
    "with_ranges",
    "with_values",
]

InputPath = tuple[str, ...]
"""Where an input is written: ``("resources", "api", "usage", "requests")``, ``("jobs", "analyze", "items")``."""

FORMS = (
    "a range such as 2M-5M/month, {lognormal: {median: .., p95: ..}}, {triangular: {low: .., mode: .., high: ..}}, "
    '{uniform: {low: .., high: ..}} or {choice: {"1M/month": 70%, "5M/month": 30%}}'
)
_NAMES = ("uniform", "lognormal", "triangular", "choice")
_DASH = re.compile(r"\s*[-–]\s*")


@dataclass(frozen=True, kw_only=True)
class Uncertain:
    """One uncertain input: its distribution over plain floats in the field's base unit (per ``period`` for rates)."""

    text: str
    """As written, for messages."""
    kind: Kind
    dist: Distribution
    period: str | None = None
    """For a rate: the period every parameter is per."""
    whole: bool = False
    """A whole number (count, items, clients): samples are rounded."""
    check: Callable[[Decimal], str | None] | None = field(default=None, compare=False, repr=False)
    """The field's own bounds, which every draw must keep (a lognormal's tail is unbounded); None for rates."""

    def out_of_bounds(self, draws: Any) -> str | None:
        """Why the lowest or highest of ``draws`` is not a value the field takes, naming it; None when both are."""
        if self.check is None or self.period is not None or len(draws) == 0:
            return None
        for x in (float(min(draws)), float(max(draws))):
            value = Decimal(round(x)) if self.whole else Decimal(repr(x))
            if reason := self.check(value):
                return f"{self.text} draws {self.show(x)}: {reason}"
        return None

    def quantile(self, q: float) -> float:
        value = self.dist.quantile(q)
        return float(round(value)) if self.whole else value

    @property
    def median(self) -> float:
        return self.quantile(0.5)

    def value(self, x: float) -> Any:
        """The plan's value for ``x``: Decimal, Rate, or int for a whole number."""
        if self.whole:
            return round(x)
        amount = Decimal(repr(float(x)))
        return Rate(amount, self.period) if self.period is not None else amount

    def show(self, x: float) -> str:
        """``x`` as a plan would write it: 2.15M/month, 3.5min, 72.5%, 1.5GB."""
        if self.whole:
            return f"{round(x):,}"
        if self.kind is Kind.BYTES:
            return format_bytes(Decimal(repr(x)))
        if self.kind is Kind.DATA_RATE:
            return f"{format_bytes(Decimal(repr(x)))}/{self.period}"
        if self.kind is Kind.DURATION:
            return f"{x * 1000:.3g}ms" if x < 1 else duration_text(x)
        if self.kind is Kind.PERCENT:
            return f"{x * 100:.3g}%"
        if self.kind is Kind.MONEY:
            return f"${x:,.2f}"
        number = _compact(x)
        if self.kind is Kind.HOURS:
            return f"{number}h"
        return f"{number}/{self.period}" if self.period is not None else number


def _compact(x: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(x) >= size:
            return f"{x / size:.3g}{suffix}"
    return f"{x:.3g}"


def _float(value: Decimal | Rate, period: str | None) -> tuple[float, str | None]:
    if isinstance(value, Rate):
        if period is not None and value.period != period:
            raise UnitError(f"unit mismatch: one end is per {period}, another per {value.period}; use one period")
        return float(value.amount), value.period
    return float(value), period


def _one(raw: Any, kind: Kind, check: Callable[[Decimal], str | None] | None) -> Decimal | Rate:
    if isinstance(raw, str) and kind in (Kind.HOURS, Kind.NUMBER) and re.fullmatch(r"\d+(\.\d+)?", raw.strip()):
        raw = Decimal(raw.strip())  # an end of "600-700" is text; as a single value YAML gives a number
    value = parse(raw, kind)
    if check is not None and isinstance(value, Decimal) and (reason := check(value)):
        raise UnitError(f"{raw!r}: {reason}")
    return value


def _range_ends(text: str, kind: Kind, check: Callable[[Decimal], str | None] | None) -> tuple[Any, Any]:
    left, right = _DASH.split(text.strip(), maxsplit=1)
    if not left or not right:
        raise UnitError(f"{text!r}: a range is LOW-HIGH, e.g. 2M-5M/month or 3-5min")
    high = _one(right, kind, check)
    number = re.match(r"[\d.,]+", right)
    tail = right[number.end() :] if number else right
    candidates = [left] + [left + tail[i:] for i in range(len(tail)) if i == 0 or not tail[i - 1].isalpha()]
    candidates += [left + tail[i:] for i in range(len(tail)) if tail[i] in "/ "]
    for candidate in candidates:
        try:
            return _one(candidate, kind, check), high
        except UnitError:
            continue
    _one(left, kind, check)  # raises the low end's own error
    raise AssertionError  # pragma: no cover


def _params(form: str, body: Any, names: tuple[str, ...]) -> list[Any]:
    example = ", ".join(f"{n}: .." for n in names)
    if not isinstance(body, Mapping) or set(map(str, body)) != set(names):
        got = ", ".join(map(str, body)) if isinstance(body, Mapping) else repr(body)
        raise UnitError(f"{form} needs {' and '.join(names)} ({{{form}: {{{example}}}}}); got {got}")
    return [body[n] for n in names]


def may_be_uncertain(raw: Any) -> bool:
    """False for what can only be a single value (a number, text without a dash after its first character): the
    cheap test that keeps a plan of single values from paying for range parsing."""
    if isinstance(raw, str):
        return "-" in raw[1:] or "–" in raw[1:]
    return isinstance(raw, dict | Mapping)


def parse_uncertain(
    raw: Any, kind: Kind, *, whole: bool = False, check: Callable[[Decimal], str | None] | None = None
) -> Uncertain | None:
    """The distribution ``raw`` states, or None when it is a single value (left to the field's own parser).

    Raises UnitError, naming the accepted forms, for a range that cannot be read."""
    name: str | None = None
    if isinstance(raw, Mapping) and len(raw) == 1 and str(next(iter(raw))) in _NAMES:
        name = str(next(iter(raw)))
        body = raw[name]
    elif isinstance(raw, str) and _DASH.search(raw.strip()[1:]) and not raw.strip().startswith("-"):
        try:
            parse(raw, kind)
            return None
        except UnitError:
            pass
        name, body = "range", raw
    else:
        return None
    text = raw if isinstance(raw, str) else f"{{{name}: ...}}"
    try:
        dist, period = _distribution(name, body, kind, check)
    except UnitError as exc:
        raise UnitError(f"{text}: {exc}; an uncertain value is {FORMS}") from None
    from infrafit.dynamics.uncertainty.samplers import Uniform

    if whole and isinstance(dist, Uniform):  # each whole number of the range equally likely once rounded
        dist = Uniform(a=dist.a - 0.4999999, b=dist.b + 0.4999999)
    return Uncertain(text=str(text), kind=kind, dist=dist, period=period, whole=whole, check=check)


def _distribution(
    name: str, body: Any, kind: Kind, check: Callable[[Decimal], str | None] | None
) -> tuple[Distribution, str | None]:
    from infrafit.dynamics.uncertainty.samplers import Choice, LogNormal, Triangular, Uniform

    def read(raw: Any) -> Decimal | Rate:
        return _one(raw, kind, check)

    if name == "range":
        low, high = _range_ends(str(body), kind, check)
        a, period = _float(low, None)
        b, _ = _float(high, period)
        if a > b:
            raise UnitError("low above high; write the range from low to high")
        return Uniform(a=a, b=b), period
    if name == "uniform":
        low, high = _params(name, body, ("low", "high"))
        a, period = _float(read(low), None)
        b, _ = _float(read(high), period)
        if a > b:
            raise UnitError(f"low above high ({low} > {high})")
        return Uniform(a=a, b=b), period
    if name == "lognormal":
        median, p95 = _params(name, body, ("median", "p95"))
        m, period = _float(read(median), None)
        p, _ = _float(read(p95), period)
        if not 0 < m <= p:
            raise UnitError(f"lognormal needs 0 < median <= p95 (median {median}, p95 {p95})")
        return LogNormal(median=m, p95=p), period
    if name == "triangular":
        low, mode, high = _params(name, body, ("low", "mode", "high"))
        a, period = _float(read(low), None)
        m, _ = _float(read(mode), period)
        c, _ = _float(read(high), period)
        if not a <= m <= c:
            raise UnitError(f"triangular needs low <= mode <= high ({low}, {mode}, {high})")
        return Triangular(a=a, mode=m, c=c), period
    if not isinstance(body, Mapping) or not body:
        raise UnitError('choice maps each value to its weight, e.g. {choice: {"1M/month": 70%, "5M/month": 30%}}')
    values: list[float] = []
    weights: list[float] = []
    unit: str | None = None
    for value, weight in body.items():
        x, unit = _float(read(value), unit)
        share = parse(weight, Kind.PERCENT)
        assert isinstance(share, Decimal)
        values.append(x)
        weights.append(float(share))
    total = sum(weights)
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise UnitError(f"choice weights sum to {total * 100:g}%, not 100%")
    return Choice(values=tuple(values), weights=tuple(weights)), unit


def uncertain_schema(point: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a field that takes a single value (``point``) or an uncertain one."""
    quantity = {"type": ["string", "number"]}
    params = {"type": "object", "additionalProperties": quantity}
    forms = [
        {"type": "object", "properties": {n: params}, "required": [n], "additionalProperties": False} for n in _NAMES
    ]
    written = {"type": "string", "pattern": "[-–]", "description": "a range LOW-HIGH, e.g. 2M-5M/month or 2-6"}
    return {"anyOf": [point, written, *forms], "description": f"{point.get('description', '')}; or {FORMS}".lstrip("; ")}


def take_uncertain(
    data: Any, fields: Mapping[str, tuple[Kind, bool, Callable[[Decimal], str | None] | None]]
) -> tuple[Any, dict[str, Uncertain]]:
    """Replace each uncertain value of ``fields`` in a raw mapping by its median; return both.

    ``fields`` maps a key to (kind, whole, check). Raises UnitError (with the key) for an unreadable range."""
    if not isinstance(data, dict | Mapping):  # dict first: the ABC check is the slow one
        return data, {}
    found: dict[str, Uncertain] = {}
    out: dict[Any, Any] | None = None  # a copy, made only when a value changes: most plans have no range
    for key, (kind, whole, check) in fields.items():
        if key not in data:
            continue
        try:
            got = parse_uncertain(data[key], kind, whole=whole, check=check)
        except UnitError as exc:
            raise KeyedError(key, str(exc)) from None
        if got is not None:
            out = dict(data) if out is None else out
            found[key] = got
            out[key] = got.value(got.median)
    return (data if out is None else out), found


def between(low: int, high: int, what: str) -> Callable[[Decimal], str | None]:
    """A check that each end of a whole-number range lies within a field's own bounds."""
    says = f"{what} is a whole number from {low:,} to {high:,}"
    return Range(low=Decimal(low), high=Decimal(high), whole=True, says=says).check


def usage_bound(key: str) -> Callable[[Decimal], str | None] | None:
    """What each end of a ranged usage value must satisfy: a single value's bounds, and shares of the month."""
    bound = USAGE_RANGES.get(key)
    if bound is not None:
        return bound.check
    if key == "uptime":
        return lambda v: None if v <= 1 else "uptime is at most 100%"
    if key == "hours":
        return lambda v: None if v <= 744 else "hours are at most 744 (a 31-day month)"
    return None


def with_ranges(
    data: Any,
    handler: Callable[[Any], Any],
    fields: Mapping[str, tuple[Kind, bool, Callable[[Decimal], str | None] | None]],
    *,
    usage: bool = False,
) -> Any:
    """The body of a model's wrap validator: validate with medians, keep the distributions in ``_uncertain``.

    With ``usage``, ranged values the model's ``usage`` validator kept are moved out of it too."""
    try:
        data, found = take_uncertain(data, fields)
    except KeyedError as exc:  # the loader points at the key's line
        raise PydanticCustomError("usage_unit", "{message}", {"message": str(exc), "key": exc.key}) from None
    model = handler(data)
    for key, value in list(model.usage.items()) if usage else ():
        if isinstance(value, Uncertain):
            found[f"usage.{key}"] = value
            model.usage[key] = value.value(value.median)
    if found:
        model._uncertain = found
    return model


class KeyedError(ValueError):
    """An unreadable uncertain value, with the key it was written under (for a located error)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _ranges_of(model: Any) -> dict[str, Uncertain]:
    """A model's ``_uncertain`` (empty for a model without one), read from pydantic's private-attribute store: the
    attribute hook pydantic routes private names through costs more than the rest of a 10,000-resource walk."""
    private = getattr(model, "__pydantic_private__", None) or {}
    found: dict[str, Uncertain] = private.get("_uncertain") or {}
    return found


def uncertain_inputs(plan: Plan) -> dict[InputPath, Uncertain]:
    """Every uncertain input of the plan, in plan order (resources first, then sections in registry order)."""
    found: dict[InputPath, Uncertain] = {}
    for name, res in plan.resources.items():
        for key, value in _ranges_of(res).items():
            found[("resources", name, *key.split("."))] = value
    from infrafit.sections import SECTIONS

    for section in SECTIONS:
        if not plan.has_section(section):
            continue
        value = plan.section(section)
        entries = value.items() if isinstance(value, dict) else ()
        for name, entry in entries:
            for key, got in _ranges_of(entry).items():
                found[(section, str(name), *key.split("."))] = got
    return found


def with_values(plan: Plan, values: Mapping[InputPath, Any]) -> Plan:
    """The plan with each input of ``values`` (path -> the plan's value: Decimal, Rate or int) set in place.

    The one place an uncertain plan becomes a concrete one: its median, each sample and each sensitivity sweep."""
    if not values:
        return plan
    changed: dict[tuple[str, str], dict[str, Any]] = {}
    for path, value in values.items():
        changed.setdefault((path[0], path[1]), {})[".".join(path[2:])] = value
    resources = dict(plan.resources)
    sections: dict[str, dict[str, Any]] = {}
    for (where, name), fields in changed.items():
        if where == "resources":
            resources[name] = _set(resources[name], fields)
        else:
            entries = sections.setdefault(where, dict(plan.section(where)))
            entries[name] = _set(entries[name], fields)
    return plan.model_copy(update={"resources": resources, **sections})


def _set(model: Any, fields: dict[str, Any]) -> Any:
    update: dict[str, Any] = {}
    usage = {k.removeprefix("usage."): v for k, v in fields.items() if k.startswith("usage.")}
    if usage:
        update["usage"] = {**model.usage, **usage}
    update.update({k: v for k, v in fields.items() if not k.startswith("usage.")})
    return model.model_copy(update=update)
