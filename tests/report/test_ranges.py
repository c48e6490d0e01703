"""A cost range in check's reports: the line under the total, probabilities and sensitivity in every format, and the
``cost_distribution`` JSON key (null without ranges)."""

from __future__ import annotations

import json

import numpy as np

from infrafit.engine.evaluate import evaluate
from infrafit.engine.uncertainty.records import CostDistribution, SensitivityRow
from infrafit.plan.loader import load_plan
from infrafit.report import render
from infrafit.report.ranges import distribution_json, range_line

PLAN = "examples/ranges-seed004-aws.yaml"


def test_the_range_line_reads_as_the_brief_words_it() -> None:
    d = CostDistribution(
        samples=2000, seed=3, p5=1.1, p50=2.0, p95=2.9, mean=2.0, totals=np.zeros(1), budget_exceeded_probability=0.25
    )
    assert range_line(d) == (
        "range p5 $1.10 – p95 $2.90 (p50 $2.00, mean $2.00; 2,000 samples, seed 3); P(over budget) 25%"
    )
    row = SensitivityRow(input="a", low_text="1", high_text="2", cost_at_low=3.0, cost_at_high=1.0)
    d2 = CostDistribution(samples=1, seed=0, p5=0, p50=0, p95=0, mean=0, totals=np.zeros(1), sensitivity=[row])
    out = distribution_json(d2)
    assert out is not None and out["sensitivity"][0]["swing"] == 2.0 and out["budget_exceeded_probability"] is None


def test_check_reports_show_the_range_in_every_text_format() -> None:
    result = evaluate(load_plan(PLAN), samples=500, seed=1)
    table = render("check", "table", [result], width=120)
    markdown = render("check", "markdown", [result])
    for text in (table, markdown):
        assert "range p5 $" in text and "500 samples, seed 1" in text
        assert "resources.analyzer.usage.duration" in text  # the sensitivity table
    data = json.loads(render("check", "json", [result]))
    d = data["cost_distribution"]
    assert d["samples"] == 500 and d["seed"] == 1 and d["p5"] <= d["p50"] <= d["p95"]
    assert d["sensitivity"][0]["input"] == "resources.analyzer.usage.duration"


def test_a_plan_without_ranges_has_a_null_distribution() -> None:
    result = evaluate(load_plan("examples/seed004-gcp.yaml"))
    assert json.loads(render("check", "json", [result]))["cost_distribution"] is None
