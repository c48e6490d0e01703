"""The plan's JSON Schema, for editors (yaml-language-server) and validation elsewhere."""

from __future__ import annotations

import json

from infrafit.plan.model import Plan
from infrafit.plan.usage import USAGE_KINDS
from infrafit.units import ACCEPTED, Kind


def plan_json_schema() -> str:
    schema = Plan.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "infrafit plan"
    # Quantities are strings with units; say which in the schema so editors show it.
    for name in ("memory", "disk"):
        schema["$defs"]["Resource"]["properties"][name] = {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": ACCEPTED[Kind.BYTES],
        }
    schema["$defs"]["Resource"]["properties"]["usage"] = {
        "type": "object",
        "description": "monthly usage; which keys a service takes: `infrafit catalog show SERVICE`",
        "properties": {
            key: {"type": ["string", "number"], "description": ACCEPTED[kind]} for key, kind in USAGE_KINDS.items()
        },
        "additionalProperties": False,
    }
    job = schema["$defs"]["Job"]["properties"]
    dist = {"type": "object", "additionalProperties": {"type": "string"}}
    job["duration"] = {
        "description": "per item: 4min, a range 3-5min, or {lognormal: {median: 4min, p95: 7min}}, "
        "{exponential: {mean: 4min}}, {uniform: {low: 3min, high: 5min}}",
        "anyOf": [
            {"type": "string"},
            {"type": "number"},
            {
                "type": "object",
                "properties": {"lognormal": dist, "exponential": dist, "uniform": dist},
                "additionalProperties": False,
            },
        ],
    }
    schema["$defs"].pop("DurationSpec", None)
    job["memory"] = {"anyOf": [{"type": "string"}, {"type": "null"}], "description": ACCEPTED[Kind.BYTES]}
    schema["properties"]["budget"] = {
        "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}],
        "description": "monthly ceiling, e.g. '25 USD'",
    }
    return json.dumps(schema, indent=2) + "\n"
