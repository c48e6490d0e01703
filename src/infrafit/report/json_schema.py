"""The JSON Schema of ``check --format json``, generated from the result records (field types and docstrings),
so CI users can validate what they consume and the schema cannot drift from the code (a test validates every
example's output against it).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import json
import types
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from infrafit.catalog.overlay import OverlayUse
from infrafit.engine.result import Component, Finding, OverrideUse, PoolUse, QuotaUse, ResourceResult
from infrafit.report.json_report import JSON_VERSION

__all__ = ["record_schema", "report_json_schema", "type_schema"]


@cache
def field_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings (a string literal right under a field) of a dataclass, by field name."""
    try:
        tree = ast.parse(inspect.getsource(cls))
    except (OSError, TypeError):  # pragma: no cover - no source (frozen app)
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    docs: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = " ".join(after.value.value.split())
    return docs


def type_schema(tp: Any) -> dict[str, Any]:
    """JSON Schema of a Python type as the JSON report writes it (Decimal -> number, date -> ISO string)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [type_schema(a) for a in args if a is not type(None)]
        nullable = any(a is type(None) for a in args)
        if len(options) == 1 and "type" in options[0] and nullable:
            single = dict(options[0])
            single["type"] = [single["type"], "null"] if isinstance(single["type"], str) else [*single["type"], "null"]
            return single
        return {"anyOf": options + ([{"type": "null"}] if nullable else [])}
    if origin in (list, tuple):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return {"type": "array", "prefixItems": [type_schema(a) for a in args], "minItems": len(args)}
        return {"type": "array", "items": type_schema(args[0]) if args else {}}
    if origin is dict:
        return {"type": "object", "additionalProperties": type_schema(args[1]) if len(args) == 2 else {}}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"type": "string", "enum": [m.value for m in tp]}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp in (float, Decimal):
        return {"type": "number"}
    if tp is str:
        return {"type": "string"}
    if tp is date:
        return {"type": "string", "format": "date"}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return record_schema(tp)
    return {}


def record_schema(
    cls: type,
    *,
    rename: dict[str, str] | None = None,
    drop: tuple[str, ...] = (),
    extra: dict[str, dict[str, Any]] | None = None,
    optional: tuple[str, ...] = (),
) -> dict[str, Any]:
    """An object schema from a dataclass: each field (renamed, or dropped) with its type and docstring."""
    rename = rename or {}
    hints = typing.get_type_hints(cls)
    docs = field_docs(cls)
    properties: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in drop:
            continue
        schema = type_schema(hints[f.name])
        if f.name in docs:
            schema = {**schema, "description": docs[f.name]}
        properties[rename.get(f.name, f.name)] = schema
    properties.update(extra or {})
    return {
        "type": "object",
        "description": " ".join((cls.__doc__ or "").split()),
        "properties": properties,
        "required": sorted(k for k in properties if k not in optional),
    }


def _num(description: str, nullable: bool = False) -> dict[str, Any]:
    return {"type": ["number", "null"] if nullable else "number", "description": description}


def _sections_schema() -> dict[str, Any]:
    from infrafit.report.sections.base import view
    from infrafit.sections import SECTIONS

    return {
        key: {
            "type": "array",
            "description": f"{spec.description} (present when the plan has `{key}:`)",
            "items": view(key).json_schema(),
        }
        for key, spec in SECTIONS.items()
    }


def _distribution_schema() -> dict[str, Any]:
    """``cost_distribution``: the cost range over the plan's uncertain inputs (null when it has none)."""
    from infrafit.engine.uncertainty.records import SensitivityRow

    row = record_schema(SensitivityRow, extra={"swing": _num("how far the cost moves across the input's range, USD")})
    share = {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}}
    properties: dict[str, Any] = {
        **{key: _num(f"the month's cost at its {key} over the samples, USD") for key in ("p5", "p50", "p95")},
        "mean": _num("the month's mean cost over the samples, USD"),
        "samples": {"type": "integer", "description": "joint draws of the plan's uncertain inputs"},
        "seed": {"type": "integer", "description": "the random seed (same seed, same draws)"},
        "budget_exceeded_probability": _num("share of samples above the budget; null without one", nullable=True),
        "pool_inside_probability": {**share, "description": "per free pool, the share of samples inside it"},
        "finding_probability": {**share, "description": "per error finding code, the share of samples raising it"},
        "sensitivity": {"type": "array", "items": row, "description": "each input at its p5 and p95; widest first"},
    }
    record = {"type": "object", "properties": properties, "required": sorted(properties)}
    return {"anyOf": [record, {"type": "null"}], "description": "the month's cost over the plan's ranges"}


def report_json_schema() -> str:
    """The schema of one plan's report (``check`` with several plans writes a JSON array of these)."""
    component = record_schema(Component, rename={"price_text": "price"})
    resource = record_schema(ResourceResult, drop=("origin",))
    resource["properties"]["components"] = {"type": "array", "items": component}
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "infrafit check report",
        "type": "object",
        "properties": {
            "version": {"type": "string", "const": JSON_VERSION, "description": "the shape's version"},
            "plan": {"type": "string", "description": "the plan's name"},
            "file": {"type": ["string", "null"]},
            "currency": {"type": "string", "const": "USD"},
            "month_hours": _num("hours in the billing month"),
            "month": {"type": "string", "description": "the calendar month priced (YYYY-MM), when the plan names one"},
            "total_monthly_cost": _num("USD per month"),
            "total_yearly_cost": _num("USD per year (12 months)"),
            "budget": _num("the plan's monthly budget in USD", nullable=True),
            "fits": {"type": "boolean", "description": "no error finding"},
            "cost_by_category": {"type": "object", "additionalProperties": {"type": "number"}},
            "resources": {"type": "array", "items": resource},
            "free_tier": {"type": "array", "items": record_schema(PoolUse)},
            "quotas": {"type": "array", "items": record_schema(QuotaUse)},
            "findings": {"type": "array", "items": record_schema(Finding)},
            "catalog": {
                "type": "object",
                "properties": {
                    "as_of": {"type": "string", "format": "date"},
                    "oldest_fact_used": {"type": ["string", "null"], "format": "date"},
                },
                "required": ["as_of", "oldest_fact_used"],
            },
            "catalog_overlay": {
                "anyOf": [record_schema(OverlayUse), {"type": "null"}],
                "description": "the catalog overlay (refreshed facts over the packaged catalog) priced with; null: none",
            },
            "overrides": {"type": "array", "items": record_schema(OverrideUse)},
            "cost_distribution": _distribution_schema(),
            **_sections_schema(),
        },
        "required": [
            "version",
            "plan",
            "currency",
            "month_hours",
            "total_monthly_cost",
            "fits",
            "resources",
            "free_tier",
            "quotas",
            "findings",
            "catalog",
            "catalog_overlay",
        ],
    }
    return json.dumps(schema, indent=2) + "\n"
