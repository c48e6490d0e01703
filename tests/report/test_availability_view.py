"""The availability section in every report: check's table, simulate's distributions, the JSON contract and the
HTML histogram (plotly only there)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from infrafit.cli import app

SEED000 = "examples/seed000-hybrid-free-tier.yaml"
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def test_json_contract() -> None:
    code, out = invoke("check", SEED000, "--format", "json")
    assert code == 1  # monitor_on_standby is an error
    (entry,) = json.loads(out)["availability"]
    assert list(entry)[:6] == [
        "name",
        "standby_hours",
        "detection_minutes",
        "unserved_minutes_per_month",
        "false_failovers_per_month",
        "free_tier_fit_probability",
    ]
    assert set(entry["standby_hours"]) >= {"p50", "p95"}
    # seed 000: detection p50 ≈ 3.0, p95 ≈ 6 − √0.5 = 5.29 min (see the simulator's closed-form tests)
    assert abs(entry["detection_minutes"]["p50"] - 3.0) < 0.05
    assert abs(entry["detection_minutes"]["p95"] - 5.29) < 0.05
    assert entry["free_tier_fit_probability"] == 1.0


def test_simulate_shows_the_distribution() -> None:
    code, out = invoke("simulate", SEED000, "--width", "140")
    assert code == 0
    assert "bot: standby h by month" in out and "4,000 simulated months" in out
    assert "minutes nobody answers" in out and "false failovers" in out


def test_html_draws_the_standby_histogram(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    invoke("check", SEED000, "--format", "html", "-o", str(target))
    assert "Standby running hours per month" in target.read_text()


def test_json_does_not_import_plotly() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from infrafit.cli import app; "
        f"CliRunner().invoke(app, ['check', '{SEED000}', '--format', 'json']); "
        "assert 'plotly' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
