"""The HTML reports in a real browser (headless Chromium through selenium): they load from file:// with no
console errors, show the totals, draw their plotly charts inside their boxes, and a screenshot is kept.

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
from infrafit.plan.loader import plan_from_data
from infrafit.report import render

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
    """Open the file, wait for the charts, fail on any console error; return the page's visible text."""
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
            " bars: c.querySelectorAll('.point, .slice, .scatterlayer .trace').length}))"
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
    for chart in drawn:
        assert chart["plots"] == 1 and chart["bars"] > 0
        assert 0 < chart["svg"] <= chart["box"], "a chart is wider than its box"
    screenshot(browser, tmp_path / "check.png")


def test_compare_and_diff_reports_in_a_browser(browser: Any, tmp_path: Path) -> None:
    big, small = plan("big", "t3.medium", 2), plan("small", "t3.small", 2)
    page = tmp_path / "compare.html"
    page.write_text(render("compare", "html", compare([big, small])), encoding="utf-8")
    text = load(browser, page)
    assert "The cheapest plan that fits is small" in text
    assert f"${big.total_monthly_cost:,.2f}" in text and f"${small.total_monthly_cost:,.2f}" in text
    assert len(charts(browser)) >= 2
    screenshot(browser, tmp_path / "compare.png")

    page = tmp_path / "diff.html"
    page.write_text(render("diff", "html", diff(big, small)), encoding="utf-8")
    text = load(browser, page)
    assert "-$30.37" in text  # 2 × 730 × (0.0208 - 0.0416)
    assert len(charts(browser)) == 3  # before/after, waterfall, quotas
    screenshot(browser, tmp_path / "diff.png")
