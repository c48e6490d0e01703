"""The section protocol end to end in the engine: a section that sets usage on a plan resource and adds a line of
its own, priced once over the shared pools; plan checks a section adds; pricing a hypothetical on a fresh ledger.
Prices are pinned by an in-memory catalog, so these tests are about the arithmetic, not the catalog's facts."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import ClassVar

import pytest
from pydantic import BaseModel, ConfigDict

from infrafit.catalog.lookup import Catalog
from infrafit.engine.bind import bind
from infrafit.engine.checks import PLAN_CHECKS
from infrafit.engine.evaluate import evaluate
from infrafit.engine.ledger import Ledger
from infrafit.engine.pricing import price
from infrafit.engine.result import Finding, Result, Severity
from infrafit.engine.sections.base import Line, Outcome, SectionEnv
from infrafit.plan.loader import load_plan
from infrafit.plan.model import Resource
from infrafit.plan.quantities import Count
from infrafit.sections import SectionSpec, register_section, unregister_section
from infrafit.units import Rate
from tests.catalog.test_in_memory import toy_provider

D = Decimal


class Relay(BaseModel):
    """A toy section entry: it sets `target`'s operations and adds `own` operations of its own."""

    model_config = ConfigDict(extra="forbid")
    target: str
    sets: Count
    own: Count


class RelaySection:
    key: ClassVar[str] = "relays"

    def run(self, value: dict[str, Relay], env: SectionEnv) -> Outcome:
        out = Outcome()
        for name, relay in value.items():
            out.reports.append({"name": name})
            out.sets[relay.target] = {"operations": Rate(relay.sets, "month")}
            derived = Resource(service="toy.queue", usage={"operations": f"{relay.own}/month"})
            out.extra.append(Line(name=f"{relay.target} [relay {name}]", resource=derived, origin=f"relay:{name}"))
            out.findings.append(
                Finding(severity=Severity.INFO, code="relay_seen", resource=relay.target, message=f"relay {name}")
            )
        return out


PLAN = """
name: relayed
resources:
  q:
    service: toy.queue
    usage: {operations: 7M/month}
relays:
  r1: {target: q, sets: 3000000, own: 1000000}
"""


@pytest.fixture
def relays() -> Iterator[None]:
    register_section(
        SectionSpec(key="relays", model=dict[str, Relay], engine=RelaySection, view="unused:View", description="toy")
    )
    try:
        yield
    finally:
        unregister_section("relays")


@pytest.fixture
def catalog() -> Catalog:
    return Catalog.from_data({"toy": toy_provider()})


def test_a_section_sets_usage_and_adds_a_line_priced_once_over_shared_pools(relays: None, catalog: Catalog) -> None:
    result = evaluate(load_plan("relayed.yaml", text=PLAN), catalog)
    q, derived = result.resources
    # q: its 7M is *replaced* by the section's 3M (set, not added): 3M - 2M free = 1M × $0.50/M = $0.50
    assert (q.name, q.origin, q.components[0].quantity) == ("q", "plan", D(3_000_000))
    assert q.monthly_cost == D("0.50")
    # the derived line draws on the same pool, already empty: 1M × $0.50/M = $0.50
    assert (derived.name, derived.origin) == ("q [relay r1]", "relay:r1")
    assert derived.components[0].free_quantity == 0 and derived.monthly_cost == D("0.50")
    assert result.total_monthly_cost == D("1.00")
    (pool,) = result.free_tier
    assert pool.used == D(4_000_000) and pool.free == D(2_000_000) and pool.billed == D(2_000_000)
    assert result.sections["relays"] == [{"name": "r1"}]
    # 4M asked of a 2M allowance: the pool is used up (a warning), and the section's own finding
    assert [f.code for f in result.findings] == ["free_tier_exhausted", "relay_seen"]


def test_a_section_can_add_a_plan_check(relays: None, catalog: Catalog) -> None:
    def over_a_dollar(result: Result) -> list[Finding]:
        if result.total_monthly_cost < 1:
            return []
        return [Finding(severity=Severity.WARNING, code="over_a_dollar", resource=None, message="$1 or more")]

    PLAN_CHECKS.append(over_a_dollar)
    try:
        result = evaluate(load_plan("relayed.yaml", text=PLAN), catalog)
    finally:
        PLAN_CHECKS.remove(over_a_dollar)
    assert {f.code for f in result.findings} == {"free_tier_exhausted", "relay_seen", "over_a_dollar"}


def test_a_hypothetical_is_priced_on_a_fresh_ledger_without_touching_the_evaluation(catalog: Catalog) -> None:
    plan = load_plan(
        "plain.yaml", text="name: plain\nresources:\n  q: {service: toy.queue, usage: {operations: 7M/month}}\n"
    )
    result = evaluate(plan, catalog)
    assert result.total_monthly_cost == D("2.50")  # (7M - 2M free) × $0.50/M
    candidate = Resource(service="toy.queue", usage={"operations": "2500000/month"})
    ledger = Ledger(plan.month_hours, plan.free_tier)
    priced = price(bind("candidate", candidate, plan, catalog), ledger)
    # a fresh ledger has the whole 2M allowance: (2.5M - 2M) × $0.50/M = $0.25
    assert priced.monthly_cost == D("0.25")
    assert ledger.pools.states["toy.queue.operations"].free == D(2_000_000)
    assert evaluate(plan, catalog).total_monthly_cost == D("2.50")  # the real evaluation is as it was


def test_lines_carry_their_origin_instead_of_a_name_convention(catalog: Catalog) -> None:
    text = "name: n\nresources:\n  'x [job y]': {service: toy.queue, usage: {operations: 1M/month}}\n"
    (res,) = evaluate(load_plan("n.yaml", text=text), catalog).resources
    assert res.origin == "plan"  # a user's resource named like a derived line is still the plan's own
