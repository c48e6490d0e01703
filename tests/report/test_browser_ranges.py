"""The cost-range charts in a real browser: the check page's distribution of the month's cost with its p5, p50,
p95 and budget lines and the tornado of what drives the spread (widest on top); compare's p5–p95 bars with the
p50 and P(cheapest); diff's before and after ranges. Same harness as test_browser (skips without Chromium unless
INFRAFIT_REQUIRE_BROWSER=1)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from infrafit.decisions import compare, diff
from infrafit.engine.result import Result
from infrafit.engine.uncertainty.records import SensitivityRow
from infrafit.report import render
from tests.decisions.ranged import distribution, toy_result
from tests.report.test_browser import assert_fit, browser, chart_text, charts, load, screenshot

__all__ = ["browser"]  # the fixture, imported so pytest finds it here

ROWS = [
    # Listed narrowest first: the chart must put the widest swing on top.
    SensitivityRow(
        input="resources.cache.usage.storage", low_text="8GB", high_text="12GB", cost_at_low=4.8, cost_at_high=5.3
    ),
    SensitivityRow(
        input="resources.jobs.usage.operations",
        low_text="4M/month",
        high_text="40M/month",
        cost_at_low=1.0,
        cost_at_high=19.0,
    ),
]


def ranged(name: str) -> Result:
    """The toy queue ($5.00 at its median, 12M operations) with samples spread evenly over $1–$19 (p5 $1.90,
    p50 $10.00, p95 $18.10 by linear interpolation over 1,001 even steps) and a $15 budget."""
    result = toy_result(name, "12M/month")
    totals = np.linspace(1, 19, 1001)
    cd = distribution(totals, budget=15.0, sensitivity=ROWS)
    return replace(result, cost_distribution=cd, budget=Decimal(15))


def test_check_page_draws_the_cost_range_and_the_tornado(browser: Any, tmp_path: Path) -> None:
    page = tmp_path / "check-ranges.html"
    page.write_text(render("check", "html", [ranged("api")]), encoding="utf-8")
    text = load(browser, page)
    # Cards: p50 $10.00; p5–p95 $1.90–$18.10; over budget: (19 - 15) / 18 of the samples = 22%.
    assert "$10.00" in text and "$1.90–$18.10" in text and "22%" in text
    assert_fit(charts(browser))
    hist = chart_text(browser, "Monthly cost over 1,001 sampled months")
    for label in ("p5 $1.90", "p50 $10.00", "p95 $18.10", "budget $15.00 (over: 22%)", "inputs at median $5.00"):
        assert label in hist, label
    bars = browser.execute_script(
        "const c=[...document.querySelectorAll('.chart')].find(c=>c.querySelector('h3').textContent"
        ".startsWith('Monthly cost over')); return c.querySelectorAll('.barlayer .point').length"
    )
    assert bars == 40  # the histogram's bins
    tornado = chart_text(browser, "What drives the spread")
    assert "4M/month: $1.00" in tornado and "40M/month: $19.00" in tornado and "12GB: $5.30" in tornado
    assert "every input at its median: $5.00" in tornado
    # Widest on top: the operations row's tick sits above the storage row's.
    ys = browser.execute_script(
        "const c=[...document.querySelectorAll('.chart')].find(c=>c.querySelector('h3').textContent"
        ".startsWith('What drives')); return [...c.querySelectorAll('.ytick text')]"
        ".map(t=>[t.textContent, t.getBoundingClientRect().top]);"
    )
    order = [name for name, _ in sorted(ys, key=lambda x: x[1])]
    assert order == ["resources.jobs.usage.operations", "resources.cache.usage.storage"]
    screenshot(browser, tmp_path / "check-ranges.png")


def test_compare_and_diff_pages_draw_the_ranges(browser: Any, tmp_path: Path) -> None:
    # A: samples over $1–$19 (p50 $10.00); B: $6.00 flat (14M operations, no range). Per sample B is cheaper
    # when A's total is above $6: (19 - 6) / 18 of the even steps, about 72%; A about 28%.
    a, b = ranged("a"), toy_result("b", "14M/month")
    page = tmp_path / "compare-ranges.html"
    page.write_text(render("compare", "html", compare([a, b])), encoding="utf-8")
    text = load(browser, page)
    assert "The cheapest plan that fits by median cost is b" in text
    assert "P(cheapest) 72%" in text and "P(cheapest) 28%" in text
    assert_fit(charts(browser))
    spans = chart_text(browser, "Monthly cost range by plan")
    assert "p50 $10.00 · P(cheapest) 28%" in spans and "p50 $6.00 · P(cheapest) 72%" in spans
    screenshot(browser, tmp_path / "compare-ranges.png")

    page = tmp_path / "diff-ranges.html"
    page.write_text(render("diff", "html", diff(b, a)), encoding="utf-8")
    text = load(browser, page)
    # before $6.00 flat; after p50 $10.00, p95 $18.10: Δp50 +$4.00, Δp95 +$12.10 (the point total: -$1.00).
    assert "+$4.00" in text and "+$12.10" in text and "-$1.00" in text
    assert "Δp50 +$4.00, Δp95 +$12.10" in chart_text(browser, "Monthly cost range before and after")
    assert_fit(charts(browser))
    screenshot(browser, tmp_path / "diff-ranges.png")


def test_a_plan_with_ranges_from_the_engine(browser: Any, tmp_path: Path) -> None:
    # Two uncertain inputs priced by the Monte Carlo engine (packaged catalog): SQS requests 2M–20M a month
    # ($0.40 per million beyond 1M free: $0.40–$7.60, swing about $6.50 between its p5 and p95) and S3 storage
    # triangular 10–100 GB ($0.023 per GB-month: a swing of about $1.5). The tornado puts the requests on top.
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan

    plan = tmp_path / "ranged.yaml"
    plan.write_text(
        "name: ranged\nbudget: 5USD\nresources:\n"
        "  q: {service: aws.sqs, usage: {requests: 2M-20M/month}}\n"
        "  files: {service: aws.s3, usage: {storage: {triangular: {low: 10GB, mode: 40GB, high: 100GB}}}}\n"
    )
    result = evaluate(load_plan(plan), samples=1000)
    assert result.cost_distribution is not None and len(result.cost_distribution.sensitivity) == 2
    page = tmp_path / "engine-ranges.html"
    page.write_text(render("check", "html", [result]), encoding="utf-8")
    load(browser, page)
    assert_fit(charts(browser))
    ys = browser.execute_script(
        "const c=[...document.querySelectorAll('.chart')].find(c=>c.querySelector('h3').textContent"
        ".startsWith('What drives')); return [...c.querySelectorAll('.ytick text')]"
        ".map(t=>[t.textContent, t.getBoundingClientRect().top]);"
    )
    order = [name for name, _ in sorted(ys, key=lambda x: x[1])]
    assert len(order) == 2 and "requests" in order[0] and "storage" in order[1]
    assert "budget $5.00" in chart_text(browser, "Monthly cost over 1,000 sampled months")
    screenshot(browser, tmp_path / "engine-ranges.png")


def test_the_range_examples_in_a_browser(browser: Any, tmp_path: Path) -> None:
    # The examples whose founding documents give usage as a range: each check page draws its range and tornado
    # (seed000's and seed002's months stay inside free allowances: $0.00 in every sample, one bar, and the tornado
    # says no input moves the cost); compare against the point plan draws both plans' ranges.
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan

    root = Path(__file__).resolve().parents[2] / "examples"
    results = [
        evaluate(load_plan(root / f"ranges-{stem}.yaml"), samples=500, replications=3)
        for stem in ("seed000-uptime", "seed002-dashboard-cache", "seed004-aws")
    ]
    assert all(r.cost_distribution is not None for r in results)
    page = tmp_path / "range-examples.html"
    page.write_text(render("check", "html", results), encoding="utf-8")
    load(browser, page)
    assert_fit(charts(browser))
    titles = browser.execute_script("return [...document.querySelectorAll('.chart h3')].map(h=>h.textContent)")
    assert sum(t.startswith("Monthly cost over 500 sampled months") for t in titles) == 3
    assert sum(t.startswith("What drives the spread") for t in titles) == 3
    assert "What drives the spread (each input from its p5 to its p95): no input moves the cost" in titles
    screenshot(browser, tmp_path / "range-examples.png")

    point = evaluate(load_plan(root / "seed004-aws.yaml"), replications=3)
    page = tmp_path / "range-compare.html"
    page.write_text(render("compare", "html", compare([results[2], point])), encoding="utf-8")
    text = load(browser, page)
    assert "P(cheapest)" in text
    assert_fit(charts(browser))
