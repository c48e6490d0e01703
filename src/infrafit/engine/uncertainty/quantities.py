"""Each line's meter quantities for every sample, without calling its billing model once per sample.

A billing model is a function of the line's usage; almost all are multilinear in it (requests × duration × memory,
hours × count). So a line whose inputs vary is evaluated at the corners of its inputs' sampled box (2^k calls for k
inputs) and interpolated multilinearly, which is exact for a multilinear model; the interpolation is then checked
against the model itself at samples at the box's edges and inside it. A model that is not multilinear there (a
billed minimum, a step of started units) fails that check and is evaluated sample by sample instead (once per
distinct value, so a count or a choice of scenarios stays cheap).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from infrafit.engine.meters import meter_quantities
from infrafit.plan.model import Resource
from infrafit.plan.uncertain import InputPath, Uncertain
from infrafit.plan.usage import USAGE_KINDS
from infrafit.services import MODELS, Context, ModelError, convert_usage

__all__ = ["SampledLine", "sample_line"]

Floats = npt.NDArray[np.float64]
MAX_CORNERS_INPUTS = 4
"""Lines with more varying inputs than this are evaluated sample by sample (2^k corners grow quickly)."""
PROBES = 6
RELATIVE_TOLERANCE = 1e-7
"""How close the interpolation must come to the model at the probes, relative to the meter's largest value: far
below a cent on any bill, far above float noise."""


@dataclass(kw_only=True)
class SampledLine:
    """One priced line over a set of samples: what it is bound to, its copies and its meters' quantities."""

    ctx: Context
    """Bound at the point plan: the view, region and type every sample shares."""
    count: Floats
    quantities: dict[str, Floats]
    """meter -> quantity per sample, in the order the billing model gives them (the order pools are drawn in)."""
    varies: bool = False
    origin: str = "plan"


class _Sampled:
    """A resource with a few fields replaced, for one sample: everything else is read from the plan's resource.

    Billing models read a resource's attributes only, so this stands in for a validated copy at a tenth of the
    cost (a pydantic copy per sample dominated the per-sample path)."""

    __slots__ = ("_base", "count", "usage")

    def __init__(self, base: Resource, usage: dict[str, Any], count: int) -> None:
        self._base = base
        self.usage = usage
        self.count = count

    def __getattr__(self, name: str) -> Any:
        return getattr(self._base, name)


def _at(ctx: Context, fields: dict[str, Any]) -> Context:
    res: Resource = ctx.resource
    usage = res.usage
    if len(fields) > ("count" in fields):
        usage = {**usage, **{k[6:]: v for k, v in fields.items() if k.startswith("usage.")}}
    return _bound(ctx, _Sampled(getattr(res, "_base", res), usage, fields.get("count", res.count)))


def _bound(ctx: Context, shim: _Sampled) -> Context:
    """``ctx`` over ``shim``: a new context each time, since a context caches its resource's count."""
    return Context(
        ctx.name, cast(Resource, shim), ctx.view, ctx.region, ctx.type_name, ctx.instance_type, ctx.month_hours
    )


def _evaluate(ctx: Context, keys: list[str], inputs: list[Uncertain], xs: tuple[float, ...]) -> dict[str, float]:
    fields = {k: u.value(x) for k, u, x in zip(keys, inputs, xs, strict=True)}
    try:
        return {m: float(q) for m, q in meter_quantities(_at(ctx, fields)).items()}
    except ModelError as exc:
        shown = ", ".join(f"{k} {u.show(x)}" for k, u, x in zip(keys, inputs, xs, strict=True))
        raise ModelError(f"{exc} (at {shown})", ("resources", ctx.name, *exc.path)) from None


def sample_line(
    ctx: Context,
    varying: dict[str, tuple[InputPath, Uncertain]],
    values: dict[InputPath, Floats],
    n: int,
    *,
    origin: str = "plan",
) -> SampledLine:
    """The line's quantities over ``n`` samples; ``varying`` maps a field (``usage.requests``, ``count``) to its input."""
    base = {m: float(q) for m, q in meter_quantities(ctx).items()}
    count = np.full(n, float(ctx.resource.count))
    if not varying:
        return SampledLine(ctx=ctx, count=count, quantities={m: np.full(n, q) for m, q in base.items()}, origin=origin)
    keys = list(varying)
    inputs = [varying[k][1] for k in keys]
    columns = [values[varying[k][0]] for k in keys]
    if "count" in varying:
        count = np.rint(values[varying["count"][0]]).astype(float)
    got = _multilinear(ctx, keys, inputs, columns, n, base) if len(keys) <= MAX_CORNERS_INPUTS else None
    if got is None:
        got = _each(ctx, keys, inputs, columns, n, base)
    return SampledLine(ctx=ctx, count=count, quantities=got, varies=True, origin=origin)


def _multilinear(
    ctx: Context, keys: list[str], inputs: list[Uncertain], columns: list[Floats], n: int, base: dict[str, float]
) -> dict[str, Floats] | None:
    lows = [float(c.min()) for c in columns]
    highs = [float(c.max()) for c in columns]
    corners: dict[tuple[int, ...], dict[str, float]] = {}
    for bits in product((0, 1), repeat=len(keys)):
        xs = tuple(highs[i] if b else lows[i] for i, b in enumerate(bits))
        corners[bits] = _evaluate(ctx, keys, inputs, xs)
    meters = list(dict.fromkeys([*base, *(m for c in corners.values() for m in c)]))
    spans = [h - lo for lo, h in zip(lows, highs, strict=True)]
    weights = [(c - lo) / s if s > 0 else np.zeros(n) for c, lo, s in zip(columns, lows, spans, strict=True)]
    out = {m: np.zeros(n) for m in meters}
    for bits, quantities in corners.items():
        factor = np.ones(n)
        for w, b in zip(weights, bits, strict=True):
            factor = factor * (w if b else 1 - w)
        for m, q in quantities.items():
            if q:
                out[m] += q * factor
    rng = np.random.default_rng(n)
    probes = {int(np.argmin(columns[0])), int(np.argmax(columns[0])), *rng.integers(0, n, PROBES).tolist()}
    for i in sorted(probes):
        exact = _evaluate(ctx, keys, inputs, tuple(float(c[i]) for c in columns))
        for m in meters:
            scale = max([abs(q.get(m, 0.0)) for q in corners.values()] + [1e-12])
            if abs(exact.get(m, 0.0) - out[m][i]) > RELATIVE_TOLERANCE * scale:
                return None
    return out


def _each(
    ctx: Context, keys: list[str], inputs: list[Uncertain], columns: list[Floats], n: int, base: dict[str, float]
) -> dict[str, Floats]:
    """Sample by sample, once per distinct value: one context whose few varying fields are set per sample (the
    model is what costs; everything around it is kept out of the loop)."""
    rows = np.stack(columns, axis=1)
    distinct, index = np.unique(rows, axis=0, return_inverse=True)
    res: Resource = ctx.resource
    shim = _Sampled(getattr(res, "_base", res), dict(res.usage), res.count)
    for key in ctx.view.service.defaults:  # the catalog's defaults read once, not parsed again per sample
        if key in USAGE_KINDS and key not in shim.usage and (default := ctx.usage(key)) is not None:
            shim.usage[key] = default
    at = _bound(ctx, shim)
    model = MODELS[ctx.view.model]
    fed = [(key, m.from_usage, m.factor) for key, m in ctx.view.meters.items() if m.from_usage]
    usage_keys = [(i, k.removeprefix("usage.")) for i, k in enumerate(keys) if k.startswith("usage.")]
    count_at = keys.index("count") if "count" in keys else None
    found: list[dict[str, float]] = []
    for row in distinct.tolist():
        for i, key in usage_keys:
            shim.usage[key] = inputs[i].value(row[i])
        if count_at is not None:
            shim.count = round(row[count_at])
            at = _bound(ctx, shim)  # the old context holds the previous row's count
        try:
            quantities = model(at)
            for key, usage, factor in fed:
                if key not in quantities:
                    quantities[key] = convert_usage(at, usage, key) * factor * at.count
        except ModelError:
            _evaluate(ctx, keys, inputs, tuple(row))  # raises it again, located and with the values drawn
            raise
        found.append({m: float(q) for m, q in quantities.items()})
    meters = list(dict.fromkeys([*base, *(m for q in found for m in q)]))
    index = index.reshape(-1)
    return {m: np.array([q.get(m, 0.0) for q in found])[index] for m in meters}
