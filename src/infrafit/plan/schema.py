"""The plan's JSON Schema, for editors (yaml-language-server) and validation elsewhere.

Everything comes from the models: quantity types carry their accepted forms (:mod:`infrafit.plan.quantities`) and
sections come from the registry. Only ``usage`` is written here, because which keys it takes is a table, not a model.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema

from infrafit.plan.model import plan_model
from infrafit.plan.quantities import quantity_schema
from infrafit.plan.usage import USAGE_KINDS

__all__ = ["PlanJsonSchema", "plan_json_schema"]

_FIELDS = ("model-field", "dataclass-field", "typed-dict-field")


class PlanJsonSchema(GenerateJsonSchema):
    """Keeps a type's description (the units a quantity accepts) beside the field's own, instead of replacing it."""

    def generate_inner(self, schema: Any) -> JsonSchemaValue:
        metadata = schema.get("metadata") or {}
        updates = metadata.get("pydantic_js_updates") or {}
        if schema.get("type") not in _FIELDS or "description" not in updates:
            return super().generate_inner(schema)
        own = updates["description"]
        rest = {k: v for k, v in updates.items() if k != "description"}
        field: CoreSchema = {**schema, "metadata": {**metadata, "pydantic_js_updates": rest}}
        out = dict(super().generate_inner(field))
        units = out.get("description") or _nullable_description(out)
        out["description"] = f"{own}; {units}" if units and units != own else own
        return out


def _nullable_description(schema: JsonSchemaValue) -> str | None:
    """The description of ``X`` in ``X | None`` (``anyOf: [X, null]``), so an optional quantity shows its units too."""
    members = [m for m in schema.get("anyOf", ()) if m != {"type": "null"}]
    return members[0].get("description") if len(members) == 1 else None


def plan_json_schema() -> str:
    schema = plan_model().model_json_schema(mode="validation", schema_generator=PlanJsonSchema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "infrafit plan"
    schema["$defs"]["Resource"]["properties"]["usage"] = {
        "type": "object",
        "description": "monthly usage; which keys a service takes: `infrafit catalog show SERVICE`",
        "properties": {key: quantity_schema(kind) for key, kind in USAGE_KINDS.items()},
        "additionalProperties": False,
    }
    return json.dumps(schema, indent=2) + "\n"
