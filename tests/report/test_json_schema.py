"""The JSON report's schema is generated from the records and holds for what the program writes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from infrafit.engine.evaluate import evaluate
from infrafit.plan.loader import load_plan
from infrafit.report import render
from infrafit.report.json_report import JSON_VERSION
from infrafit.report.json_schema import report_json_schema

EXAMPLES = sorted(Path("examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(report_json_schema())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("plan", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_report_validates(plan: Path, validator: jsonschema.Draft202012Validator) -> None:
    data = json.loads(render("check", "json", [evaluate(load_plan(plan))]))
    assert data["version"] == JSON_VERSION
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_the_schema_catches_a_wrong_report(validator: jsonschema.Draft202012Validator) -> None:
    data = json.loads(render("check", "json", [evaluate(load_plan(EXAMPLES[0]))]))
    data["total_monthly_cost"] = "12 USD"  # money is a JSON number, not a string
    del data["findings"]
    messages = {e.message for e in validator.iter_errors(data)}
    assert "'12 USD' is not of type 'number'" in messages
    assert "'findings' is a required property" in messages


def test_fields_carry_their_units_from_the_record_docstrings() -> None:
    schema = json.loads(report_json_schema())
    component = schema["properties"]["resources"]["items"]["properties"]["components"]["items"]["properties"]
    assert "USD per one" in component["unit_price"]["description"]
    pool = schema["properties"]["free_tier"]["items"]["properties"]
    assert "per month" in pool["free"]["description"] and "per ``period``" in pool["allowance"]["description"]
