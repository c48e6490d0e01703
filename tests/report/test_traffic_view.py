"""The traffic view in every output: check's table, simulate's distributions, the HTML funnel, the JSON contract."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from infrafit.cli import app

EXAMPLE = "examples/seed002-dashboard-cache.yaml"
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def test_json_contract_keys() -> None:
    code, out = invoke("check", EXAMPLE, "--format", "json")
    assert code == 1  # edge requests and Redis commands exceed their free caps
    (entry,) = json.loads(out)["traffic"]
    assert list(entry)[:5] == [
        "name",
        "client_requests_per_month",
        "origin_requests_per_month",
        "hit_ratio",
        "staleness_seconds",
    ]
    assert set(entry["hit_ratio"]) == {"browser", "cdn"}
    assert {"p50", "p95"} <= set(entry["staleness_seconds"])
    # 100 pollers every 60.08 s (60 s + 80 ms latency): 100 × 2,628,000 / 60.08 = 4,374,168 ± the phase fencepost
    assert abs(entry["client_requests_per_month"] - 100 * 2_628_000 / 60.08) <= 100


def test_simulate_shows_the_distribution_and_rules() -> None:
    code, out = invoke("simulate", EXAMPLE, "--width", "140")
    assert code in (0, 1)
    assert "age of the data clients see" in out
    assert "rule: Vercel serves a stale copy" in out
    assert "Usage the traffic implies" in out


def test_html_draws_a_funnel(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "r.html"
    code, _ = invoke("check", EXAMPLE, "--format", "html", "-o", str(target))
    assert code in (0, 1)
    html = target.read_text()
    assert "Requests per layer" in html and "funnel" in html
