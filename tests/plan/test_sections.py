"""A section registered from outside appears in the plan, its errors and its schema, with no plan module edited."""

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from pydantic import BaseModel, ConfigDict

from infrafit.errors import InputError
from infrafit.plan.loader import load_plan
from infrafit.plan.model import Plan, plan_model
from infrafit.plan.quantities import Bytes, Seconds
from infrafit.plan.schema import plan_json_schema
from infrafit.sections import SectionSpec, register_section, unregister_section
from infrafit.units import ACCEPTED, Kind


class Toy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    size: Bytes
    every: Seconds = Decimal(60)


class Shelf(BaseModel):
    model_config = ConfigDict(extra="forbid")

    width: Bytes


@pytest.fixture
def toys() -> Iterator[None]:
    register_section(
        SectionSpec(key="toys", model=dict[str, Toy], engine="toy:Engine", view="toy:View", description="toy things")
    )
    try:
        yield
    finally:
        unregister_section("toys")


@pytest.fixture
def shelf() -> Iterator[None]:
    register_section(SectionSpec(key="shelf", model=Shelf, engine="x:E", view="x:V", description="one shelf"))
    try:
        yield
    finally:
        unregister_section("shelf")


TOY_PLAN = """name: x
resources: {}
toys:
  ball:
    size: 2GiB
    every: 5min
  kite: {size: 500MB}
"""


@pytest.mark.usefixtures("toys")
def test_a_registered_section_is_loaded_and_validated() -> None:
    plan = load_plan("plan.yaml", text=TOY_PLAN)
    assert isinstance(plan, Plan)
    toys = plan.section("toys")
    assert toys == {"ball": Toy(size=Decimal(2 * 2**30), every=Decimal(300)), "kite": Toy(size=Decimal(500 * 10**6))}
    assert toys["kite"].every == Decimal(60)
    assert plan.section("jobs") == {} and plan.jobs == {}


@pytest.mark.usefixtures("toys")
def test_a_plan_without_the_section_reads_it_as_empty() -> None:
    plan = load_plan("plan.yaml", text="name: x\nresources: {}\n")
    assert plan.section("toys") == {}


@pytest.mark.usefixtures("toys")
def test_unknown_key_in_a_section_suggests_from_its_model() -> None:
    with pytest.raises(InputError) as info:
        load_plan("plan.yaml", text=TOY_PLAN.replace("every: 5min", "evry: 5min"))
    (msg,) = [str(p) for p in info.value.problems]
    assert msg == "plan.yaml:6:5: toys.ball.evry: unknown key 'evry' (did you mean every?)"
    with pytest.raises(InputError) as info:
        load_plan("plan.yaml", text=TOY_PLAN.replace("{size: 500MB}", "{size: 500MB, colour: red}"))
    (msg,) = [str(p) for p in info.value.problems]
    assert msg == "plan.yaml:7:23: toys.kite.colour: unknown key 'colour' (valid: every, size)"


@pytest.mark.usefixtures("toys")
def test_a_section_value_with_bad_units_is_located() -> None:
    with pytest.raises(InputError) as info:
        load_plan("plan.yaml", text=TOY_PLAN.replace("2GiB", "2"))
    (msg,) = [str(p) for p in info.value.problems]
    assert msg.startswith("plan.yaml:5:5: toys.ball.size: 2 needs a unit")


@pytest.mark.usefixtures("toys")
def test_a_section_is_in_the_json_schema_with_its_units() -> None:
    schema = json.loads(plan_json_schema())
    toys = schema["properties"]["toys"]
    assert toys["description"] == "toy things"
    assert toys["additionalProperties"] == {"$ref": "#/$defs/Toy"}
    props = schema["$defs"]["Toy"]["properties"]
    assert props["size"]["description"] == ACCEPTED[Kind.BYTES]
    assert props["every"]["description"] == ACCEPTED[Kind.DURATION]


@pytest.mark.usefixtures("shelf")
def test_a_single_model_section_defaults_to_none() -> None:
    assert load_plan("plan.yaml", text="name: x\nresources: {}\n").section("shelf") is None
    plan = load_plan("plan.yaml", text="name: x\nresources: {}\nshelf: {width: 1KB}\n")
    assert plan.section("shelf") == Shelf(width=Decimal(1000))
    with pytest.raises(InputError, match=r"plan.yaml:3:9: shelf.wdth: unknown key 'wdth' \(did you mean width\?\)"):
        load_plan("plan.yaml", text="name: x\nresources: {}\nshelf: {wdth: 1KB}\n")


def test_the_plan_model_follows_the_registry() -> None:
    before = plan_model()
    assert "toys" not in before.model_fields and "jobs" in before.model_fields
    assert plan_model() is before  # cached while the registry is unchanged
    register_section(SectionSpec(key="toys", model=dict[str, Toy], engine="e", view="v", description="toy things"))
    try:
        assert "toys" in plan_model().model_fields
    finally:
        unregister_section("toys")
    assert "toys" not in plan_model().model_fields
    with pytest.raises(InputError, match=r"unknown key 'toys'"):
        load_plan("plan.yaml", text=TOY_PLAN)


def test_section_names_an_unregistered_key() -> None:
    plan = load_plan("plan.yaml", text="name: x\nresources: {}\n")
    with pytest.raises(KeyError, match="no plan section 'toys'"):
        plan.section("toys")


def test_a_section_may_not_shadow_a_core_key() -> None:
    register_section(SectionSpec(key="budget", model=dict[str, Toy], engine="e", view="v", description="clash"))
    try:
        with pytest.raises(ValueError, match="clashes with the plan's own key 'budget'"):
            plan_model()
    finally:
        unregister_section("budget")
