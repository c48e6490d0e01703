"""The HTML report as a file: self-contained (no fetches), the partial plotly.js packed in once, small, stable,
escaped (in the page and inside the charts); and the other formats never import plotly."""

from __future__ import annotations

import base64
import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

from infrafit.decisions import compare, diff
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.engine.sections.job_report import JobReport
from infrafit.plan.loader import load_plan, plan_from_data
from infrafit.report import render
from infrafit.report.html.bundle import BUNDLE_VERSION

ROOT = Path(__file__).resolve().parents[2]
SIZE_TARGET = 800_000  # bytes of any example report (they were ~4.8 MB with the whole of plotly.js inlined)
# Trace types the finance bundle registers (its `moduleType:"trace",name:"…"` entries, checked below).
BUNDLE_TRACES = {"bar", "candlestick", "funnel", "funnelarea", "histogram", "indicator", "ohlc", "pie", "scatter"}
BUNDLE_TRACES |= {"waterfall"}


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


def figures(page: str) -> list[dict[str, object]]:
    """The figures' JSON blocks, as the page's loader reads them."""
    return [
        json.loads(m) for m in re.findall(r'<script type="application/json" data-chart="[^"]+">(.*?)</script>', page)
    ]


def bundle(page: str) -> str:
    """The chart library packed in the page, unpacked as the browser does (base64, then gzip)."""
    found = re.findall(r'<script type="application/octet-stream" id="infrafit-plotly">([^<]*)</script>', page)
    assert len(found) == 1, "the chart library is packed in once"
    return gzip.decompress(base64.b64decode(found[0])).decode("utf-8")


def assert_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]+src=", page), "no external scripts"
    assert not re.search(r"<link[^>]+href=\"http", page), "no external stylesheets"
    js = bundle(page)
    assert js.startswith(f"/**\n* plotly.js (finance - minified) v{BUNDLE_VERSION}")
    # Outside the library nothing points at a CDN (the library's own defaults name one for maps, unused here).
    outside = re.sub(r'id="infrafit-plotly">[^<]*<', "", page)
    assert "cdn.plot.ly" not in outside and "https://cdn" not in outside
    charts = figures(page)
    assert len(charts) == page.count('class="plot"') >= 1
    assert outside.count("Plotly.newPlot(") == 1  # the loader draws every figure
    assert len(page.encode()) < SIZE_TARGET


def test_the_bundle_has_every_trace_type_the_reports_draw() -> None:
    # The finance bundle registers these trace modules; the reports draw bar, scatter, pie and waterfall, and
    # funnel and histogram are planned.
    js = bundle(render("check", "html", [plan("a", "t3.small", 1)]))
    registered = set(re.findall(r'moduleType:"trace",name:"([a-z0-9]+)"', js))
    assert registered == BUNDLE_TRACES
    assert {"bar", "scatter", "pie", "waterfall", "funnel", "histogram"} <= registered


def test_every_example_report_is_small_and_draws_only_bundled_traces() -> None:
    examples = sorted((ROOT / "examples").glob("seed*.yaml"))
    results = [evaluate(load_plan(p), replications=5) for p in examples]
    by_name = {r.plan: r for r in results}
    pages = [render("check", "html", [r]) for r in results]
    pages.append(render("simulate", "html", [by_name["seed004-cloudflare"], by_name["seed004-aws"]]))
    pages.append(render("compare", "html", compare([r for r in results if r.plan.startswith("seed004")])))
    pages.append(render("diff", "html", diff(by_name["seed003-before"], by_name["seed003-after"])))
    for page in pages:
        assert_self_contained(page)
        for fig in figures(page):
            for trace in fig["data"]:  # type: ignore[attr-defined]
                assert trace.get("type", "scatter") in BUNDLE_TRACES


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


def strings(node: object) -> list[str]:
    """Every string inside a figure: trace names, labels, hover and annotation texts, tick labels."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return []


def test_names_are_text_inside_the_charts() -> None:
    # Plotly draws <a href>, <b> and <span style> in names as rich text: every name reaches it as entities.
    evil = '<a href="https://evil.example/phish">Click to approve</a>'
    result = plan(evil, "t3.medium", 2, quota=2)  # 4 vCPU on a quota of 2: a quota bar too
    result.resources[0].name = evil
    result.sections["jobs"] = [
        JobReport(name=evil, runs_on="web", service="aws.ec2", items=10, timeline=[(1.0, 10)], replications=1),
        JobReport(name="<b>x</b>", runs_on="web", service="aws.ec2", items=1, feasible=False, reasons=[evil]),
    ]
    pages = [
        render("check", "html", [result]),
        render("compare", "html", compare([result, plan("<i>b</i>", "t3.small", 1)])),
        render("diff", "html", diff(result, plan("<i>b</i>", "t3.small", 1))),
    ]
    for page in pages:
        texts = [s for fig in figures(page) for s in strings(fig)]
        assert not [s for s in texts if "<a" in s or "<i>" in s or "<b>x" in s], "a name reached a chart as markup"
        assert any("&lt;a href=" in s for s in texts)
        assert '<a href="https://evil' not in page  # the page's own text is escaped too
    assert any("&lt;b&gt;x&lt;/b&gt; cannot run" in s for s in strings(figures(pages[0])))


def test_limits_read_in_human_units() -> None:
    from decimal import Decimal

    from infrafit.engine.result import Finding, Severity
    from infrafit.report.html.limits import finding_ceiling

    def bar(subject: str, value: int, limit: int, message: str = "") -> tuple[str, str]:
        f = Finding(
            severity=Severity.ERROR,
            code="limit_exceeded",
            resource="api",
            message=message,
            value=Decimal(value),
            limit=Decimal(limit),
            subject=subject,
        )
        c = finding_ceiling(f)
        assert c is not None
        return c.label, c.amounts

    # 700,000,000 B = 700 MB and 128,000,000 B = 128 MB (SI, as Cloudflare states its 128 MB).
    assert bar("limit:memory", 700_000_000, 128_000_000) == ("api: memory", "700 MB / 128 MB")
    # 900 s = 15 min, 300 s = 5 min.
    assert bar("limit:duration", 900, 300) == ("api: duration", "15 min / 5 min")
    # A job's item: which limit is in the message; the job is named beside the resource.
    assert bar("job:analyze", 700_000_000, 128_000_000, "job analyze: each item needs 700 MB; X allows 128 MB") == (
        "api, job analyze: memory per item",
        "700 MB / 128 MB",
    )
    assert bar("rate:units_per_day", 12_000, 10_000) == ("api: units a day", "12,000 / 10,000")


def test_the_example_limit_chart_says_megabytes() -> None:
    # seed004-cloudflare's analyzer job needs 700 MB per item where Workers allow 128 MB (the packaged catalog).
    page = render("check", "html", [evaluate(load_plan(ROOT / "examples/seed004-cloudflare.yaml"), replications=2)])
    labels = [s for fig in figures(page) for s in strings(fig)]
    assert any("700 MB / 128 MB" in s and "analyzer" in s for s in labels)
    assert not any("700,000,000" in s for s in labels)


def test_quota_bars_before_and_after_are_both_red_when_both_are_over() -> None:
    from infrafit.report.html.page import BAD

    # 3 × t3.medium = 6 vCPU and 4 × t3.small = 8 vCPU (2 each), both over a quota of 4.
    before, after = plan("before", "t3.medium", 3), plan("after", "t3.small", 4)
    page = render("diff", "html", diff(before, after))
    quota = next(f for f in figures(page) if any(t.get("name") == "before" for t in f["data"]))  # type: ignore[attr-defined]
    bars = {t["name"]: t for t in quota["data"] if t.get("type") == "bar"}  # type: ignore[attr-defined]
    assert bars["before"]["y"] == [6.0] and bars["after"]["y"] == [8.0]
    assert bars["before"]["marker"]["color"] == [BAD] and bars["after"]["marker"]["color"] == [BAD]
    # The limit is one line across both bars: from the left edge of "before" to the right edge of "after".
    lines = quota["layout"]["shapes"]  # type: ignore[index]
    assert [(s["x0"], s["x1"], s["y0"]) for s in lines] == [(-0.45, 0, 4.0), (0, 0.45, 4.0)]
    # Side by side in compare too: each plan's over-quota bar is red (6/4 = 150%, 8/4 = 200%), hatched apart.
    page = render("compare", "html", compare([before, after]))
    limits = next(f for f in figures(page) if "150%" in json.dumps(f))
    bars = {t["name"]: t for t in limits["data"] if t.get("type") == "bar"}  # type: ignore[attr-defined]
    assert bars["before"]["marker"]["color"] == [BAD] and bars["after"]["marker"]["color"] == [BAD]
    assert bars["before"]["marker"]["pattern"]["shape"] != bars["after"]["marker"]["pattern"]["shape"]


def test_throughput_lines_are_told_apart_with_band_resets_and_a_job_that_cannot_run() -> None:
    def job(name: str, feasible: bool = True) -> JobReport:
        return JobReport(
            name=name,
            runs_on="batch",
            service="aws.ec2",
            items=100,
            feasible=feasible,
            reasons=[]
            if feasible
            else ["each item needs 700 MB; X allows 128 MB [https://x.example/limits, as of 2026-01-01]"],
            timeline=[(1.0, 50), (25.0, 100)] if feasible else [],
            timeline_band=[(0.0, 0, 0), (1.0, 40, 60), (25.0, 100, 100)] if feasible else [],
            reset_hours=[24.0] if feasible else [],
            replications=20,
        )

    a, b = plan("a", "t3.small", 1), plan("b", "t3.small", 1)
    a.sections["jobs"], b.sections["jobs"] = [job("videos")], [job("videos")]
    c = plan("c", "t3.small", 1)
    c.sections["jobs"] = [job("videos", feasible=False)]
    page = render("compare", "html", compare([a, b, c]))
    fig = next(f for f in figures(page) if any("median run" in str(t.get("name")) for t in f["data"]))  # type: ignore[attr-defined]
    lines = [t for t in fig["data"] if "median run" in str(t.get("name"))]  # type: ignore[attr-defined]
    assert len(lines) == 2 and lines[0]["line"]["dash"] != lines[1]["line"]["dash"]
    assert lines[0]["marker"]["symbol"] != lines[1]["marker"]["symbol"]
    assert "same as a: videos" in lines[1]["name"]  # identical lines say so
    assert sum(1 for t in fig["data"] if t.get("fill") == "tonexty") == 2  # a p5–p95 band each  # type: ignore[attr-defined]
    resets = [s for s in fig["layout"]["shapes"] if s.get("line", {}).get("dash") == "dot"]  # type: ignore[index]
    assert [s["x0"] for s in resets] == [24.0]
    notes = [n["text"] for n in fig["layout"]["annotations"]]  # type: ignore[index]
    assert any("c: videos cannot run" in n and "700 MB" in n and "x.example" not in n for n in notes)


def test_findings_errors_in_full_info_folded_sources_not_repeated() -> None:
    result = evaluate(load_plan(ROOT / "examples/seed002-dashboard-cache.yaml"))
    page = render("check", "html", [result])
    findings = page[page.index("<h2>Findings") : page.index("<h2>Resources")]
    loud, _, folded = findings.partition('<details class="info">')
    errors = [f for f in result.findings if f.severity == "error"]
    infos = [f for f in result.findings if f.severity == "info"]
    assert errors and infos
    assert all(f.code in loud for f in errors) and all(f.code in folded for f in infos)
    assert f"{len(infos)} info notes" in folded
    for f in result.findings:
        if f.source:  # linked in the source column, not repeated in the message
            assert f"[{f.source}" not in findings
    # Usage refused beyond a hard cap under an error: never called free.
    assert "Everything here is inside free" not in page and "refused, not free" in page


def test_simulate_leads_with_the_simulation() -> None:
    result = evaluate(load_plan(ROOT / "examples/seed004-aws.yaml"), replications=3)
    page = render("simulate", "html", [result])
    assert_self_contained(page)
    assert page.index("seed004-aws: simulation") < page.index("Batch throughput") < page.index("Cost and checks")
    assert page.count("Batch throughput") == 1


def test_source_links_are_short_and_break_only_after_the_host() -> None:
    from infrafit.report.html.page import link, short_url

    assert short_url("https://developers.cloudflare.com/workers/platform/limits/") == (
        "developers.cloudflare.com/…/limits"
    )
    assert short_url("https://vercel.com/docs/plans/hobby") == "vercel.com/docs/plans/hobby"
    assert "><span>vercel.com/</span><wbr><span>docs/plans/hobby</span></a>" in link(
        "https://vercel.com/docs/plans/hobby"
    )
