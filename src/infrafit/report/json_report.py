"""JSON output of ``check`` and ``simulate``, and the JSON of each record that ``compare`` and ``diff`` reuse. The
core keys are a public contract (PRODUCT.md); money values are JSON numbers."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from infrafit.engine.result import Component, Finding, PoolUse, QuotaUse, ResourceResult, Result
from infrafit.report import renderer
from infrafit.report.sections.base import section_reports, sections_of, views


def num(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: integers stay integers, others become floats (rounded to 6 places)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 6))


def component_json(c: Component) -> dict[str, Any]:
    return {
        "name": c.name,
        "meter": c.meter,
        "category": c.category,
        "quantity": num(c.quantity),
        "unit": c.unit,
        "free_quantity": num(c.free_quantity),
        "billable_quantity": num(c.billable_quantity),
        "unit_price": num(c.unit_price),
        "cost": num(c.cost),
        "price": c.price_text,
        "pools": c.pools,
        "source": c.source,
        "as_of": c.as_of.isoformat() if c.as_of else None,
    }


def resource_json(r: ResourceResult) -> dict[str, Any]:
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
        "components": [component_json(c) for c in r.components],
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


def result_to_dict(result: Result) -> dict[str, Any]:
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
        "resources": [resource_json(r) for r in result.resources],
        "free_tier": [pool_json(p) for p in result.free_tier],
        "quotas": [quota_json(q) for q in result.quotas],
        "findings": [finding_json(f) for f in result.findings],
        "catalog": {
            "as_of": result.catalog_as_of.isoformat(),
            "oldest_fact_used": result.oldest_fact.isoformat() if result.oldest_fact else None,
        },
        "overrides": [{"path": o.path, "old": plain(o.old), "new": plain(o.new)} for o in result.overrides],
    }
    for view, reports in sections_of(result):
        out[view.key] = [view.to_json(r) for r in reports]
    return out


def simulated_json(result: Result) -> dict[str, Any]:
    """Each simulated section's reports, the key present even when the plan has none."""
    reports = section_reports(result)
    return {v.key: [v.to_json(r) for r in reports.get(v.key, [])] for v in views() if v.simulated}


@renderer("check", "json")
def render_json(results: list[Result], **_: Any) -> str:
    data: Any = result_to_dict(results[0]) if len(results) == 1 else [result_to_dict(r) for r in results]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@renderer("simulate", "json")
def render_simulate_json(results: list[Result], **_: Any) -> str:
    data = [{"plan": r.plan, **simulated_json(r)} for r in results]
    return json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False) + "\n"
