"""A section registered from outside (its plan model, its evaluation and its view) shows in every format of
``check`` and in ``compare``, with no report module edited: the renderers draw whatever sections a result has.
Prices are pinned by an in-memory catalog: $0.50 per million queue operations, the first 2 million free."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, ConfigDict

from infrafit.catalog.lookup import Catalog
from infrafit.decisions import compare
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.engine.sections.base import Line, Outcome, SectionEnv
from infrafit.plan.loader import load_plan
from infrafit.plan.model import Resource
from infrafit.report import render
from infrafit.report.grid import Cell, Column, Grid, Row
from infrafit.report.sections.base import BaseView
from infrafit.sections import SectionSpec, register_section, unregister_section
from tests.catalog.test_in_memory import toy_provider


class Echo(BaseModel):
    """The toy plan entry: `operations` more queue operations a month, billed beside resource `of`."""

    model_config = ConfigDict(extra="forbid")
    of: str
    operations: int


@dataclass(frozen=True, kw_only=True)
class EchoReport:
    name: str
    operations: int


class EchoSection:
    key: ClassVar[str] = "echoes"

    def run(self, value: dict[str, Echo], env: SectionEnv) -> Outcome:
        out = Outcome()
        for name, echo in value.items():
            out.reports.append(EchoReport(name=name, operations=echo.operations))
            usage = Resource(service="toy.queue", usage={"operations": f"{echo.operations}/month"})
            out.extra.append(Line(name=f"{echo.of} [echo {name}]", resource=usage, origin=f"echo:{name}"))
        return out


class EchoView(BaseView[EchoReport]):
    key = "echoes"
    title = "Echoes"

    def summary(self, reports: Sequence[EchoReport]) -> list[Grid]:
        columns = [Column(title="echo"), Column(title="operations", numeric=True)]
        rows = [Row(cells=[Cell(text=r.name), Cell(text=f"{r.operations:,}")]) for r in reports]
        return [Grid(title="Echoes", columns=columns, rows=rows)]

    def compare_rows(self, per_plan: Sequence[Sequence[EchoReport]]) -> list[Row]:
        totals = [Cell(text=f"{sum(r.operations for r in reports):,}") for reports in per_plan]
        return [Row(cells=[Cell(text="echoed operations"), *totals])]

    def to_json(self, report: EchoReport) -> dict[str, Any]:
        return {"name": report.name, "operations": report.operations}


def plan(name: str, echoed: int) -> str:
    return f"""
name: {name}
resources:
  q: {{service: toy.queue, usage: {{operations: 1M/month}}}}
echoes:
  e1: {{of: q, operations: {echoed}}}
"""


@pytest.fixture
def echoes() -> Iterator[None]:
    register_section(
        SectionSpec(key="echoes", model=dict[str, Echo], engine=EchoSection, view=EchoView, description="toy")
    )
    try:
        yield
    finally:
        unregister_section("echoes")


def evaluated(name: str, echoed: int) -> Result:
    return evaluate(load_plan(f"{name}.yaml", text=plan(name, echoed)), Catalog.from_data({"toy": toy_provider()}))


def test_the_toy_section_is_priced_as_a_derived_line(echoes: None) -> None:
    result = evaluated("loud", 3_000_000)
    # 1M (q) + 3M (the echo) = 4M operations against 2M free: 2M × $0.50/M = $1.00, all of it on the echo's line
    assert [(r.name, r.origin, r.monthly_cost) for r in result.resources] == [
        ("q", "plan", Decimal(0)),
        ("q [echo e1]", "echo:e1", Decimal(1)),
    ]
    assert result.sections["echoes"] == [EchoReport(name="e1", operations=3_000_000)]


def test_the_toy_section_shows_in_every_check_format(echoes: None) -> None:
    result = evaluated("loud", 3_000_000)
    text = render("check", "table", [result], width=100)
    assert "Echoes" in text and "e1" in text and "3,000,000" in text and "q [echo e1]" in text
    md = render("check", "markdown", [result])
    assert "| echo | operations |\n|---|---:|\n| e1 | 3,000,000 |\n" in md
    data = json.loads(render("check", "json", [result]))
    assert data["echoes"] == [{"name": "e1", "operations": 3_000_000}]
    assert data["total_monthly_cost"] == 1
    page = render("check", "html", [result])
    assert (
        '<h2>Echoes</h2><table><thead><tr><th>echo</th><th class="num">operations</th></tr></thead>'
        '<tbody><tr><td>e1</td><td class="num">3,000,000</td></tr></tbody></table>'
    ) in page


def test_the_toy_section_shows_in_compare(echoes: None) -> None:
    # quiet: 1M + 1M = 2M operations, all free ($0.00), so it is the cheapest that fits
    cmp = compare([evaluated("loud", 3_000_000), evaluated("quiet", 1_000_000)])
    assert cmp.cheapest_fitting == "quiet"
    md = render("compare", "markdown", cmp)
    assert "| echoed operations | 3,000,000 | 1,000,000 |" in md
    table = render("compare", "table", cmp, width=100)
    assert "echoed operations" in table and "3,000,000" in table
    data = json.loads(render("compare", "json", cmp))
    assert [p["echoes"] for p in data["plans"]] == [
        [{"name": "e1", "operations": 3_000_000}],
        [{"name": "e1", "operations": 1_000_000}],
    ]
    assert "<td>echoed operations</td>" in render("compare", "html", cmp)
