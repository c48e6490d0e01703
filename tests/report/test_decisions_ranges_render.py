"""compare and diff with cost ranges, in JSON (validated against check's schema of a cost range), Markdown and the terminal; and the
same reports without ranges keep their shape."""

from __future__ import annotations

import json

import jsonschema
import numpy as np

from infrafit.decisions import compare, diff
from infrafit.report import render
from infrafit.report.json_schema import report_json_schema
from tests.decisions.ranged import toy_result

# a: the toy queue at 12M operations ($5.00, every input at its median), samples spread evenly over $1–$19:
# 1,001 steps of $0.018, so p5 = 1 + 0.05 × 18 = $1.90, p50 = $10.00, p95 = $18.10, mean $10.00.
# b: 14M operations, $6.00 flat. Per sample b is cheaper when a is above $6: steps 278..1000, 723 of 1,001
# = 0.7223; a is cheaper in 278 = 0.2777.
EVEN = list(np.linspace(1, 19, 1001))
# The schema of check's ``cost_distribution``: compare's per-plan and diff's per-side ranges must have its shape.
DISTRIBUTION_SCHEMA = json.loads(report_json_schema())["properties"]["cost_distribution"]

COMPARE_RANGES = {
    "type": "object",
    "properties": {
        "ranked_by": {"const": "p50"},
        "probability_note": {"type": ["string", "null"]},
        "plans": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "cost_distribution": DISTRIBUTION_SCHEMA,
                    "cheapest_probability": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                    "rank": {"type": ["integer", "null"], "minimum": 1},
                },
                "required": ["cost_distribution", "cheapest_probability", "rank"],
            },
        },
    },
    "required": ["ranked_by", "probability_note", "plans"],
}


def test_compare_json_with_ranges() -> None:
    data = json.loads(
        render("compare", "json", compare([toy_result("a", "12M/month", EVEN), toy_result("b", "14M/month")]))
    )
    jsonschema.validate(data, COMPARE_RANGES)
    a, b = data["plans"]
    core = ("p5", "p50", "p95", "mean", "samples", "seed", "budget_exceeded_probability")
    assert {k: a["cost_distribution"][k] for k in core} == {
        "p5": 1.9,
        "p50": 10.0,
        "p95": 18.1,
        "mean": 10.0,
        "samples": 1001,
        "seed": 0,
        "budget_exceeded_probability": None,
    }
    assert b["cost_distribution"] is None  # no uncertain usage: its total is every percentile
    assert (a["cheapest_probability"], b["cheapest_probability"]) == (0.2777, 0.7223)
    assert (a["rank"], b["rank"]) == (2, 1)
    assert data["cheapest_fitting"] == "b" and data["ranked_by"] == "p50" and data["probability_note"] is None
    assert (a["total_monthly_cost"], b["total_monthly_cost"]) == (5, 6)  # the point totals stay


def test_compare_and_diff_json_without_ranges_keep_their_keys() -> None:
    data = json.loads(render("compare", "json", compare([toy_result("a", "12M/month"), toy_result("b", "14M/month")])))
    assert "ranked_by" not in data and "cost_distribution" not in data["plans"][0]
    d = json.loads(render("diff", "json", diff(toy_result("a", "12M/month"), toy_result("a", "14M/month"))))
    assert "delta_p50" not in d and "cost_distribution" not in d["after"]


def test_diff_json_with_ranges() -> None:
    # before $6.00 flat; after p50 $10.00, p95 $18.10: Δp50 = +$4.00, Δp95 = +$12.10; the point total -$1.00.
    data = json.loads(render("diff", "json", diff(toy_result("s", "14M/month"), toy_result("s", "12M/month", EVEN))))
    jsonschema.validate(data["before"]["cost_distribution"], DISTRIBUTION_SCHEMA)
    jsonschema.validate(data["after"]["cost_distribution"], DISTRIBUTION_SCHEMA)
    assert data["before"]["cost_distribution"] is None and data["after"]["cost_distribution"]["p95"] == 18.1
    assert (data["delta_p50"], data["delta_p95"], data["delta_monthly_cost"]) == (4.0, 12.1, -1)


def test_compare_markdown_and_table_with_ranges() -> None:
    cmp = compare([toy_result("a", "12M/month", EVEN), toy_result("b", "14M/month")])
    md = render("compare", "markdown", cmp)
    assert "**b** is the cheapest plan that fits by median cost: p50 $6.00/month (p5–p95 $6.00), cheapest in 72%" in md
    assert "| p50 | $10.00 | $6.00 |" in md
    assert "| p5–p95 | $1.90–$18.10 | $6.00 |" in md
    assert "| P(cheapest) | 28% | 72% |" in md and "| rank by p50 | 2 | 1 |" in md
    assert "| p50 vs cheapest | +$4.00 | $0.00 |" in md and "| vs cheapest |" not in md  # 10.00 - 6.00
    table = render("compare", "table", cmp, width=120)
    assert "cheapest that fits by median cost: b" in table
    assert "$1.90–$18.10" in table and "28%" in table and "72%" in table


def test_compare_says_when_draws_are_not_common() -> None:
    cmp = compare([toy_result("a", "12M/month", [1.0] * 4), toy_result("b", "12M/month", [2.0] * 8)])
    assert "sample counts differ (4, 8)" in render("compare", "markdown", cmp)
    assert json.loads(render("compare", "json", cmp))["probability_note"].startswith("sample counts differ (4, 8)")


def test_diff_markdown_and_table_with_ranges() -> None:
    d = diff(toy_result("s", "14M/month"), toy_result("s", "12M/month", EVEN))
    md = render("diff", "markdown", d)
    assert "· p50 +$4.00 · p95 +$12.10" in md.splitlines()[2]  # on the headline, beside the point total's change
    assert "| p50 | $6.00 | $10.00 | +$4.00 |" in md and "| p95 | $6.00 | $18.10 | +$12.10 |" in md
    table = render("diff", "table", d, width=120)
    assert "p50 +$4.00  p95 +$12.10" in table
    assert "+$12.10" in table.split("Totals")[1]
