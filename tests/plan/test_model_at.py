from typing import Annotated, Any

from pydantic import BaseModel

from infrafit.plan.jobs import Job, Retries
from infrafit.plan.loader import model_at
from infrafit.plan.model import Plan, Resource, plan_model


class Inner(BaseModel):
    k: int = 0


class Other(BaseModel):
    z: int = 0


class Outer(BaseModel):
    items: list[Inner] | None = None
    named: Annotated[dict[str, Inner], "a note"] = {}
    either: Inner | Other | None = None
    free: dict[str, Any] = {}


def test_walks_fields_mappings_and_lists_to_the_model_at_the_error() -> None:
    model = plan_model()
    assert model_at(model, ("budgt",)) is model
    assert model_at(model, ("resources", "api", "memroy")) is Resource
    assert model_at(model, ("jobs", "b", "concurrancy")) is Job
    assert model_at(model, ("jobs", "b", "retries", "maxx")) is Retries


def test_unwraps_optional_annotated_and_union_members() -> None:
    assert model_at(Outer, ("items", 0, "x")) is Inner
    assert model_at(Outer, ("named", "a", "x")) is Inner
    assert model_at(Outer, ("either", "Other", "x")) is Other


def test_free_form_mappings_have_no_model() -> None:
    assert model_at(Outer, ("free", "a", "x")) is None
    assert model_at(plan_model(), ("resources", "api", "usage", "x")) is None
    assert model_at(Plan, ("nope", "x")) is None
