"""JSON output of ``check`` and ``simulate``, and the JSON of each record that ``compare`` and ``diff`` reuse. The
core keys are a public contract (PRODUCT.md); money values are JSON numbers."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency; the standard library is the fallback where it has no wheel
    orjson = None  # type: ignore[assignment]

from infrafit.engine.result import Component, Finding, PoolUse, QuotaUse, ResourceResult, Result
from infrafit.plan.yaml_reader import gc_paused
from infrafit.report import renderer
from infrafit.report.provenance import overlay_json
from infrafit.report.sections.base import section_reports, sections_of, views


@lru_cache(maxsize=16384)
def _number(value: Decimal, places: int | None) -> int | float:
    # Cached: a large plan repeats the same prices and quantities on every resource of a kind, and equal
    # Decimals (2 and 2.00) give the same JSON number.
    if not value.is_finite():
        return float(value)
    numerator, denominator = value.as_integer_ratio()
    if denominator == 1:
        return numerator
    return float(value if places is None else round(value, places))


def num(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: integers stay integers, others become floats (rounded to 6 places)."""
    return None if value is None else _number(value, 6)


def exact(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number at full precision (a float keeps 17 significant digits): for unit prices, where
    rounding to 6 places would turn $0.0000004 a request into 0."""
    return None if value is None else _number(value, None)


def component_json(c: Component) -> dict[str, Any]:
    return {
        "name": c.name,
        "meter": c.meter,
        "category": c.category,
        "quantity": num(c.quantity),
        "unit": c.unit,
        "free_quantity": num(c.free_quantity),
        "billable_quantity": num(c.billable_quantity),
        "unit_price": exact(c.unit_price),
        "cost": num(c.cost),
        "price": c.price_text,
        "pools": c.pools,
        "source": c.source,
        "as_of": c.as_of.isoformat() if c.as_of else None,
    }


def resource_json(r: ResourceResult, shared: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A resource's JSON; with ``shared``, a component record several lines share is written once and its dict
    reused (a large plan's lines alike past their allowances share one record: see engine.pricing)."""
    if shared is None:
        components = [component_json(c) for c in r.components]
    else:
        components = []
        for c in r.components:
            done = shared.get(id(c))
            if done is None:
                done = shared[id(c)] = component_json(c)
            components.append(done)
    return _resource_json(r, components)


def _resource_json(r: ResourceResult, components: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": r.name,
        "service": r.service,
        "region": r.region,
        "type": r.type,
        "plan": r.plan,
        "count": r.count,
        "category": r.category,
        "monthly_cost": num(r.monthly_cost),
        "vcpu": num(r.vcpu),
        "memory_bytes": num(r.memory_bytes),
        "components": components,
    }


def pool_json(p: PoolUse) -> dict[str, Any]:
    return {
        "pool": p.pool,
        "label": p.label,
        "allowance": num(p.allowance),
        "used": num(p.used),
        "unit": p.unit,
        "period": p.period,
        "free": num(p.free),
        "billed": num(p.billed),
        "billed_cost": num(p.billed_cost),
        "scope": p.scope,
        "kind": p.kind,
        "hard": p.hard,
        "resources": p.resources,
        "source": p.source,
        "as_of": p.as_of.isoformat(),
    }


def quota_json(q: QuotaUse) -> dict[str, Any]:
    return {
        "key": q.key,
        "name": q.name,
        "region": q.region,
        "limit": num(q.limit),
        "used": num(q.used),
        "unit": q.unit,
        "resources": q.resources,
        "source": q.source,
        "from_plan": q.from_plan,
    }


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "severity": f.severity,
        "code": f.code,
        "resource": f.resource,
        "message": f.message,
        "fix": f.fix,
        "source": f.source,
        "value": num(f.value),
        "limit": num(f.limit),
        "subject": f.subject,
    }


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return num(value)
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


JSON_VERSION = "1"
"""The version of the JSON reports' shape: raised when a key is renamed or removed (added keys keep it)."""


def result_to_dict(result: Result, *, share: bool = False) -> dict[str, Any]:
    """The check report's JSON as data. ``share`` reuses one dict for a component record several lines share (for
    writing it at once; a caller that edits the data should leave it off)."""
    from infrafit.report.ranges import distribution_json

    shared: dict[int, dict[str, Any]] | None = {} if share else None
    out: dict[str, Any] = {
        "version": JSON_VERSION,
        "plan": result.plan,
        "file": result.file,
        "currency": result.currency,
        "month_hours": num(result.month_hours),
        **({"month": result.month} if result.month else {}),
        "total_monthly_cost": num(result.total_monthly_cost),
        "total_yearly_cost": num(result.total_monthly_cost * 12),
        "budget": num(result.budget),
        "fits": result.fits,
        "cost_by_category": {k: num(v) for k, v in sorted(result.cost_by_category().items())},
        "resources": [resource_json(r, shared) for r in result.resources],
        "free_tier": [pool_json(p) for p in result.free_tier],
        "quotas": [quota_json(q) for q in result.quotas],
        "findings": [finding_json(f) for f in result.findings],
        "catalog": {
            "as_of": result.catalog_as_of.isoformat(),
            "oldest_fact_used": result.oldest_fact.isoformat() if result.oldest_fact else None,
        },
        "catalog_overlay": overlay_json(result.catalog_overlay),
        "overrides": [{"path": o.path, "old": plain(o.old), "new": plain(o.new)} for o in result.overrides],
        "cost_distribution": distribution_json(result.cost_distribution),
    }
    for view, reports in sections_of(result):
        out[view.key] = [view.to_json(r) for r in reports]
    return out


def simulated_json(result: Result) -> dict[str, Any]:
    """Each simulated section's reports, the key present even when the plan has none."""
    reports = section_reports(result)
    return {v.key: [v.to_json(r) for r in reports.get(v.key, [])] for v in views() if v.simulated}


def _default(value: Any) -> Any:
    """What the encoders do not know natively: Decimals as JSON numbers, anything else as :func:`plain` makes it."""
    if isinstance(value, Decimal):
        return num(value)
    converted = plain(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return converted


def dumps(data: Any) -> str:
    """JSON text indented by two spaces, UTF-8 kept, ending in a newline. orjson writes it in C (the standard
    encoder falls back to pure Python when indenting, which dominated large reports); the standard library takes
    over for what orjson refuses (integers beyond 64 bits)."""
    if orjson is not None:
        options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
        try:
            return orjson.dumps(data, default=_default, option=options).decode("utf-8")
        except (orjson.JSONEncodeError, TypeError):
            pass
    return json.dumps(data, indent=2, ensure_ascii=False, default=_default) + "\n"


@renderer("check", "json")
def render_json(results: list[Result], **_: Any) -> str:
    with gc_paused():  # a large report is a large tree of new dicts, none of them garbage
        data: Any = [result_to_dict(r, share=True) for r in results]
        data = data[0] if len(results) == 1 else data
        return dumps(data)


@renderer("simulate", "json")
def render_simulate_json(results: list[Result], **_: Any) -> str:
    data = [{"plan": r.plan, **simulated_json(r)} for r in results]
    return dumps(data[0] if len(data) == 1 else data)
