"""The plan's JSON Schema says which units every quantity field takes, from the field types alone."""

import json
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from infrafit.plan.jobs import JobDuration
from infrafit.plan.model import plan_model
from infrafit.plan.quantities import Bytes, Count, Cpu, DataPerPeriod, Hours, Money, PerPeriod, Power, Seconds, Share
from infrafit.plan.schema import plan_json_schema
from infrafit.plan.usage import USAGE_KINDS
from infrafit.units import ACCEPTED, Kind

# Each quantity type and a phrase its schema must show (worked out from units.ACCEPTED, not from the output).
QUANTITIES: list[tuple[Any, str]] = [
    (Bytes, "powers of 1,024"),
    (Seconds, "200ms, 30s, 5min"),
    (Money, "25 USD"),
    (Share, "20%"),
    (Count, "plain number"),
    (Hours, "146h"),
    (Power, "65W"),
    (PerPeriod, "5M/month"),
    (DataPerPeriod, "400MB/month"),
    (Cpu, "500m (Kubernetes millicores"),
    (JobDuration, "lognormal: {median: 4min, p95: 7min}"),
]


def _members(tp: Any) -> list[Any]:
    if get_origin(tp) is Union or get_origin(tp) is types.UnionType:
        return [a for a in get_args(tp) if a is not type(None)]
    return [tp]


def _is_quantity(tp: Any, metadata: list[Any], quantity: Any) -> bool:
    if tp == quantity:
        return True
    base, *marks = get_args(quantity)
    return tp is base and all(m in metadata for m in marks)


def _phrase(field: FieldInfo) -> str | None:
    """The units phrase for a field typed as a quantity, an optional quantity or a mapping to quantities."""
    candidates = _members(field.annotation)
    candidates += [get_args(c)[-1] for c in candidates if get_origin(c) is dict]
    for tp in candidates:
        for quantity, phrase in QUANTITIES:
            if _is_quantity(tp, list(field.metadata) if tp is field.annotation else [], quantity):
                return phrase
    return None


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []

    def visit(tp: Any) -> None:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp not in found:
                found.append(tp)
                for field in tp.model_fields.values():
                    visit(field.annotation)
            return
        for arg in get_args(tp):
            visit(arg)

    visit(root)
    return found


def _descriptions(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["description"]] if isinstance(node.get("description"), str) else []
        return own + [d for value in node.values() for d in _descriptions(value)]
    if isinstance(node, list):
        return [d for item in node for d in _descriptions(item)]
    return []


def test_every_quantity_field_shows_its_units() -> None:
    schema = json.loads(plan_json_schema())
    root = plan_model()
    checked: set[tuple[str, str]] = set()
    for model in _models(root):
        props = schema["properties"] if model is root else schema["$defs"][model.__name__]["properties"]
        for name, field in model.model_fields.items():
            phrase = _phrase(field)
            if phrase is None:
                continue
            assert any(phrase in d for d in _descriptions(props[name])), (model.__name__, name, props[name])
            checked.add(("Plan" if model is root else model.__name__, name))
    assert {
        ("Resource", "memory"),
        ("Resource", "disk"),
        ("Resource", "cpu"),
        ("Job", "memory"),
        ("Job", "duration"),
        ("Retries", "backoff"),
        ("Retries", "failure_rate"),
        ("Plan", "budget"),
        ("Plan", "quotas"),
    } <= checked


def test_a_fields_own_words_are_kept_beside_the_units() -> None:
    schema = json.loads(plan_json_schema())
    backoff = schema["$defs"]["Retries"]["properties"]["backoff"]["description"]
    assert backoff == "wait before a retry, e.g. 30s; " + ACCEPTED[Kind.DURATION]
    memory = schema["$defs"]["Resource"]["properties"]["memory"]["description"]
    assert memory == "memory, e.g. 512Mi, 2GiB (stored in bytes); " + ACCEPTED[Kind.BYTES]


def test_quantities_that_need_a_unit_are_strings() -> None:
    schema = json.loads(plan_json_schema())
    assert schema["$defs"]["Retries"]["properties"]["backoff"]["type"] == "string"
    assert schema["properties"]["quotas"]["additionalProperties"]["type"] == ["string", "number"]
    cpu = schema["$defs"]["Resource"]["properties"]["cpu"]["anyOf"]
    assert {"type": "null"} in cpu and any(m.get("type") == ["string", "number"] for m in cpu)


def test_usage_keys_show_their_units() -> None:
    usage = json.loads(plan_json_schema())["$defs"]["Resource"]["properties"]["usage"]
    assert set(usage["properties"]) == set(USAGE_KINDS)
    assert usage["properties"]["storage"]["description"] == ACCEPTED[Kind.BYTES]
    assert usage["properties"]["requests"]["description"] == ACCEPTED[Kind.RATE]
    assert usage["properties"]["hours"]["type"] == ["string", "number"]
    assert usage["additionalProperties"] is False


def test_the_schema_has_no_hand_made_duration_definition() -> None:
    schema = json.loads(plan_json_schema())
    assert schema["title"] == "infrafit plan"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    defs = set(schema["$defs"])
    assert {"Job", "Resource", "Retries"} <= defs  # sections (clusters: ...) add their own models
    assert not [d for d in defs if "duration" in d.lower()]
    assert "jobs" in schema["properties"]
