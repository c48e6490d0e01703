"""The HTML reports in a real browser (headless Chromium through selenium): they load from file:// with no
console errors, unpack the packed chart library, show the totals, draw their charts inside their boxes (limits in
human units, over-quota bars red, names as text), stay under the size target, and a screenshot is kept.

Skips when Chromium, its driver or selenium is missing, unless INFRAFIT_REQUIRE_BROWSER=1 (CI), then fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infrafit.decisions import compare, diff
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.plan.loader import load_plan, plan_from_data
from infrafit.report import render
from tests.report.test_html import SIZE_TARGET

ROOT = Path(__file__).resolve().parents[2]
RED = "rgb(209, 56, 61)"  # page.BAD, #d1383d, as the browser computes a bar's fill

CHROMIUM = os.environ.get("INFRAFIT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("INFRAFIT_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
]


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).exists() or shutil.which(path)):
            return f"{path} is not installed"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("INFRAFIT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"INFRAFIT_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="infrafit-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def plan(name: str, type_: str, count: int) -> Result:
    return evaluate(
        plan_from_data(
            {
                "name": name,
                "quotas": {"aws.ec2.standard_vcpu": 4},
                "resources": {
                    "web": {"service": "aws.ec2", "region": "us-east-1", "type": type_, "count": count},
                    "queue": {"service": "aws.sqs", "usage": {"requests": "3M/month"}},
                    "run": {
                        "service": "gcp.cloud_run",
                        "cpu": 1,
                        "memory": "512MiB",
                        "usage": {"requests": "3M/month", "duration": "200ms", "concurrency": 1},
                    },
                },
            }
        )
    )


def load(browser: Any, page: Path) -> str:
    """Open the file, wait for the charts, fail on any console error; return the page's visible text.
    The file must be under the size target."""
    assert page.stat().st_size < SIZE_TARGET, f"{page.name} is {page.stat().st_size:,} bytes"
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser")  # drop what earlier pages logged
    browser.get(page.resolve().as_uri())
    WebDriverWait(browser, 30).until(
        lambda d: (
            d.execute_script("return document.readyState") == "complete"
            and len(d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot svg.main-svg"))
            >= len(d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot"))
            > 0
        )
    )
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == [], errors
    return str(browser.find_element(By.TAG_NAME, "body").text)


def charts(browser: Any) -> list[dict[str, float]]:
    return list(
        browser.execute_script(
            "return [...document.querySelectorAll('.chart')].map(c => ({box: c.getBoundingClientRect().width,"
            " plots: c.querySelectorAll('.js-plotly-plot').length,"
            " svg: c.querySelector('svg.main-svg') ? c.querySelector('svg.main-svg').getBoundingClientRect().width : 0,"
            " bars: c.querySelectorAll('.point, .slice, .scatterlayer .trace, .annotation').length}))"
        )
    )


def screenshot(browser: Any, path: Path) -> None:
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1280, min(int(height) + 40, 8000))
    browser.save_screenshot(str(path))
    browser.set_window_size(1280, 1600)
    assert path.stat().st_size > 10_000


def test_check_report_in_a_browser(browser: Any, tmp_path: Path) -> None:
    # Whatever the catalog's prices, the page must show the evaluated monthly and yearly totals.
    result = plan("shop", "t3.medium", 2)
    page = tmp_path / "check.html"
    page.write_text(render("check", "html", [result]), encoding="utf-8")
    text = load(browser, page)
    total = f"${result.total_monthly_cost:,.2f}"
    assert total in text and f"${result.total_monthly_cost * 12:,.2f}" in text
    drawn = charts(browser)
    assert len(drawn) == 4  # cost by resource, by category, free tier, quotas
    assert_fit(drawn)
    screenshot(browser, tmp_path / "check.png")


def assert_fit(drawn: list[dict[str, float]]) -> None:
    for chart in drawn:
        assert chart["plots"] == 1 and chart["bars"] > 0
        assert 0 < chart["svg"] <= chart["box"], "a chart is wider than its box"


def chart_text(browser: Any, title: str) -> str:
    """The text drawn inside the chart under ``title`` (tick labels, bar texts, annotations)."""
    return str(
        browser.execute_script(
            "const c=[...document.querySelectorAll('.chart')].find(c=>c.querySelector('h3').textContent.startsWith("
            "arguments[0])); return c ? [...c.querySelectorAll('svg text')].map(t=>t.textContent).join('\\n') : '';",
            title,
        )
    )


def test_example_reports_in_a_browser(browser: Any, tmp_path: Path) -> None:
    # seed004-cloudflare: each item needs 700 MB where Workers allow 128 MB (the packaged catalog): the limits
    # chart says so in megabytes and names the resource; the job that cannot run is said so on the chart.
    cloudflare = evaluate(load_plan(ROOT / "examples/seed004-cloudflare.yaml"), replications=3)
    aws = evaluate(load_plan(ROOT / "examples/seed004-aws.yaml"), replications=3)
    page = tmp_path / "simulate.html"
    page.write_text(render("simulate", "html", [cloudflare, aws]), encoding="utf-8")
    text = load(browser, page)
    assert text.index("seed004-cloudflare: simulation") < text.index("Cost and checks: seed004-cloudflare")
    assert_fit(charts(browser))
    limits = chart_text(browser, "Quotas and limits")
    assert "700 MB / 128 MB" in limits and "analyzer" in limits and "700,000,000" not in limits
    throughput = chart_text(browser, "Batch throughput")
    assert "analyze cannot run" in throughput
    # Source links read as addresses: at most two lines each, never a few letters a line.
    lines = browser.execute_script(
        "return [...document.querySelectorAll('a.src')].filter(a=>a.offsetParent)"
        ".map(a=>Math.round(a.getBoundingClientRect().height/parseFloat(getComputedStyle(a).lineHeight)))"
    )
    assert lines and max(lines) <= 2
    screenshot(browser, tmp_path / "simulate.png")

    # seed003: 26 vCPU before and after against a quota of 16: both bars red, the limit drawn across both.
    before = evaluate(load_plan(ROOT / "examples/seed003-before.yaml"))
    after = evaluate(load_plan(ROOT / "examples/seed003-after.yaml"))
    page = tmp_path / "diff-seed003.html"
    page.write_text(render("diff", "html", diff(before, after)), encoding="utf-8")
    load(browser, page)
    assert_fit(charts(browser))
    fills = browser.execute_script(
        "const c=[...document.querySelectorAll('.chart')].find(c=>c.querySelector('h3').textContent"
        ".startsWith('Quotas before')); return [...c.querySelectorAll('.barlayer .point path')]"
        '.map(p=>{const f=getComputedStyle(p).fill, m=f.match(/url\\("#(.+)"\\)/);'
        "return m ? getComputedStyle(document.getElementById(m[1]).querySelector('path')).stroke : f;});"
    )  # the hatched (before) bar's fill is a pattern: its stripes carry the colour
    assert fills == [RED, RED]
    assert "limit 16" in chart_text(browser, "Quotas before")
    screenshot(browser, tmp_path / "diff-seed003.png")


def test_names_are_text_in_the_browser(browser: Any, tmp_path: Path) -> None:
    evil = '<a href="https://evil.example/phish">Click to approve</a>'
    result = plan(evil, "t3.medium", 2)
    result.resources[0].name = evil
    page = tmp_path / "evil.html"
    page.write_text(render("check", "html", [result]), encoding="utf-8")
    load(browser, page)
    links = browser.execute_script("return [...document.querySelectorAll('svg a')].map(a=>a.outerHTML)")
    assert links == []
    assert evil in chart_text(browser, "Monthly cost by resource")


def test_compare_and_diff_reports_in_a_browser(browser: Any, tmp_path: Path) -> None:
    big, small = plan("big", "t3.medium", 2), plan("small", "t3.small", 2)
    page = tmp_path / "compare.html"
    page.write_text(render("compare", "html", compare([big, small])), encoding="utf-8")
    text = load(browser, page)
    assert "The cheapest plan that fits is small" in text
    assert f"${big.total_monthly_cost:,.2f}" in text and f"${small.total_monthly_cost:,.2f}" in text
    assert len(charts(browser)) >= 2
    assert_fit(charts(browser))
    screenshot(browser, tmp_path / "compare.png")

    page = tmp_path / "diff.html"
    page.write_text(render("diff", "html", diff(big, small)), encoding="utf-8")
    text = load(browser, page)
    assert "-$30.37" in text  # 2 × 730 × (0.0208 - 0.0416)
    assert len(charts(browser)) == 3  # before/after, waterfall, quotas
    assert_fit(charts(browser))
    screenshot(browser, tmp_path / "diff.png")
