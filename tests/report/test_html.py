"""The HTML report as a file: self-contained (no fetches), plotly inlined once, stable, escaped; and the other
formats never import plotly."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from infrafit.decisions import compare, diff
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.engine.sections.job_report import JobReport
from infrafit.plan.loader import plan_from_data
from infrafit.report import render

ROOT = Path(__file__).resolve().parents[2]


def plan(name: str, type_: str, count: int, quota: int = 4) -> Result:
    return evaluate(
        plan_from_data(
            {
                "name": name,
                "quotas": {"aws.ec2.standard_vcpu": quota},
                "resources": {
                    "web": {"service": "aws.ec2", "region": "us-east-1", "type": type_, "count": count},
                    "queue": {"service": "aws.sqs", "usage": {"requests": "3M/month"}},
                },
            }
        )
    )


def assert_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]+src=", page), "no external scripts"
    assert not re.search(r"<link[^>]+href=\"http", page), "no external stylesheets"
    # plotly.js itself once, in the head (its licence banner opens the bundle) ...
    assert page.count("plotly.js v") == 1
    bundle = page.index("plotly.js v")
    rest = page[:bundle] + page[page.index("</script>", bundle) :]
    # ... and nothing outside it points at a CDN (the bundle's own defaults name one for maps, unused here).
    assert "cdn.plot.ly" not in rest and "https://cdn" not in rest
    assert page.count("Plotly.newPlot(") >= 1


def test_check_html() -> None:
    # 2 × t3.medium = $60.736 + SQS (3M - 1M free) × $0.40/M = $0.80 -> $61.536.
    result = plan("<b>shop</b>", "t3.medium", 2)
    page = render("check", "html", [result])
    assert_self_contained(page)
    assert "$61.54" in page and "$738.43" in page  # yearly: 61.536 × 12 = 738.432
    assert "&lt;b&gt;shop&lt;/b&gt;" in page and "<b>shop</b>" not in page
    assert page == render("check", "html", [result])  # stable: numbered chart ids, no time stamps
    assert 'id="chart-1"' in page


def test_compare_and_diff_html() -> None:
    a, b = plan("big", "t3.medium", 2), plan("small", "t3.small", 2)
    page = render("compare", "html", compare([a, b]))
    assert_self_contained(page)
    assert 'cheapest plan that fits is <b class="ok">small</b>' in page
    page = render("diff", "html", diff(a, b))
    assert_self_contained(page)
    assert "-$30.37" in page  # 2 × 730 × (0.0208 - 0.0416)


def test_jobs_hook_draws_a_throughput_chart() -> None:
    result = plan("batch", "t3.small", 1)
    result.sections["jobs"] = [
        JobReport(
            name="videos",
            runs_on="batch",
            service="aws.ec2",
            items=100,
            makespan_hours_p50=2.0,
            items_per_hour=50.0,
            timeline=[(1.0, 50), (2.0, 100)],
        )
    ]
    page = render("check", "html", [result])
    assert "Batch throughput" in page and "videos" in page and "2.0 h" in page


def test_other_formats_do_not_import_plotly() -> None:
    code = (
        "import sys; from infrafit.cli import app; from infrafit.report import render;"
        "from infrafit.decisions import compare, diff; from tests.report.test_html import plan;"
        "a = plan('a', 't3.small', 1); b = plan('b', 't3.micro', 1);"
        "[render(k, f, p) for f in ('json', 'table', 'markdown') for k, p in"
        " (('check', [a]), ('compare', compare([a, b])), ('diff', diff(a, b)))];"
        "assert 'plotly' not in sys.modules, 'plotly imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
