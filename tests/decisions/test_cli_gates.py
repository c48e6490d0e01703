"""Exit codes CI gates on: 0 pass, 1 a gate failed (reason on stderr), 2 bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.cli import app

# Monthly costs (730 h, us-east-1): t3.micro $7.592, t3.small $15.184, t3.medium $30.368; 2 vCPU each.
PLAN = """name: {name}
quotas: {{aws.ec2.standard_vcpu: 4}}
resources:
  vm: {{service: aws.ec2, region: us-east-1, type: {type}, count: {count}}}
"""


@pytest.fixture
def plans(tmp_path: Path) -> dict[str, str]:
    out = {}
    for key, type_, count in (
        ("micro", "t3.micro", 1),  # $7.592, fits
        ("small", "t3.small", 1),  # $15.184, fits
        ("medium", "t3.medium", 2),  # $60.736, fits (4 vCPU)
        ("over", "t3.micro", 3),  # $22.776, 6 vCPU > 4: quota_exceeded
    ):
        path = tmp_path / f"{key}.yaml"
        path.write_text(PLAN.format(name=key, type=type_, count=count))
        out[key] = str(path)
    return out


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_compare_exit_codes(plans: dict[str, str], tmp_path: Path) -> None:
    code, out, _ = cli("compare", plans["small"], plans["micro"], plans["over"], "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["cheapest_fitting"] == "micro"
    assert [(p["plan"], p["total_monthly_cost"], p["fits"], p["errors"]) for p in data["plans"]] == [
        ("small", 15.184, True, 0),
        ("micro", 7.592, True, 0),
        ("over", 22.776, False, 1),
    ]
    # --max-cost applies to each plan: $22.776 and $15.184 are above $10.
    code, _, err = cli("compare", plans["small"], plans["micro"], plans["over"], "--max-cost", "10USD")
    assert code == 1
    assert "small: $15.18/month is above --max-cost $10.00" in err and "over: $22.78/month" in err
    assert cli("compare", plans["small"], plans["micro"], "--max-cost", "20")[0] == 0
    # No plan fits -> 1, unless told not to fail on errors.
    code, _, err = cli("compare", plans["over"], plans["over"])
    assert code == 1 and "no plan fits" in err
    assert cli("compare", plans["over"], plans["over"], "--no-fail-on-error")[0] == 0
    # Bad input -> 2.
    assert cli("compare", plans["small"])[0] == 2
    assert cli("compare", plans["small"], str(tmp_path / "missing.yaml"))[0] == 2
    assert cli("compare", plans["small"], plans["micro"], "--max-cost", "lots")[0] == 2


def test_diff_exit_codes(plans: dict[str, str]) -> None:
    # micro -> small: +$7.592 a month, +100%.
    code, out, _ = cli("diff", plans["micro"], plans["small"], "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["before"]["total_monthly_cost"], data["after"]["total_monthly_cost"]) == (7.592, 15.184)
    assert data["delta_monthly_cost"] == 7.592 and data["delta_percent"] == 100
    code, _, err = cli("diff", plans["micro"], plans["small"], "--max-increase", "10%")
    assert code == 1 and "grows by 100.0% (+$7.59), more than --max-increase 10%" in err
    assert cli("diff", plans["micro"], plans["small"], "--max-increase", "100%")[0] == 0
    code, _, err = cli("diff", plans["micro"], plans["small"], "--max-increase", "5USD")
    assert code == 1 and "grows by $7.59, more than --max-increase $5.00" in err
    assert cli("diff", plans["micro"], plans["small"], "--max-increase", "8 USD")[0] == 0
    # A decrease passes any increase gate.
    assert cli("diff", plans["small"], plans["micro"], "--max-increase", "0%")[0] == 0
    # --max-cost checks the after side only: $15.184 > $15, $7.592 < $15.
    code, _, err = cli("diff", plans["micro"], plans["small"], "--max-cost", "15USD")
    assert code == 1 and "small (after): $15.18/month is above --max-cost $15.00" in err
    assert cli("diff", plans["small"], plans["micro"], "--max-cost", "15USD")[0] == 0
    # The after side has an error finding -> 1; the before side's errors do not count.
    code, _, err = cli("diff", plans["micro"], plans["over"])
    assert code == 1 and "over (after): 1 error finding(s)" in err
    assert cli("diff", plans["over"], plans["micro"])[0] == 0
    assert cli("diff", plans["micro"], plans["over"], "--no-fail-on-error")[0] == 0
    # Bad input -> 2.
    assert cli("diff", plans["micro"], plans["small"], "--max-increase", "a lot")[0] == 2
    assert cli("diff", plans["micro"], "nowhere.yaml")[0] == 2


def test_output_file_is_written_before_the_gate_fails(plans: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "comment.md"
    code, _, err = cli("diff", plans["micro"], plans["small"], "-f", "markdown", "-o", str(out), "--max-increase", "1%")
    assert code == 1 and "fail:" in err
    assert out.read_text().startswith("### infrafit diff: micro → small")


def test_the_report_comes_before_the_reasons_in_one_log(plans: dict[str, str]) -> None:
    # stdout and stderr read as one stream (a CI log): the report first, then why the job failed.
    result = CliRunner().invoke(app, ["diff", plans["micro"], plans["small"], "--max-increase", "5USD"])
    assert result.exit_code == 1
    assert result.output.startswith("micro → small")
    assert result.output.endswith("fail: monthly cost grows by $7.59, more than --max-increase $5.00\n")


def test_at_applies_the_cost_gates_at_a_percentile(plans: dict[str, str]) -> None:
    # These plans have no uncertain usage, so p95 is the point total: small $15.184 > $10 at any percentile.
    code, _, err = cli("check", plans["small"], "--max-cost", "10USD", "--at", "p95")
    assert code == 1
    assert "fail: small: p95 $15.18/month (no cost range: its point total) is above --max-cost $10.00" in err
    assert cli("check", plans["small"], "--max-cost", "20USD", "--at", "p95")[0] == 0
    assert cli("check", plans["small"], "--max-cost", "20USD", "--at", "point")[0] == 0
    code, _, err = cli("compare", plans["small"], plans["micro"], "--max-cost", "10USD", "--at", "p50")
    assert code == 1 and "small: p50 $15.18/month" in err
    # micro -> small at p95: +$7.59, +100%.
    code, _, err = cli("diff", plans["micro"], plans["small"], "--max-increase", "10%", "--at", "p95")
    assert code == 1 and "p95 monthly cost grows by 100.0% (+$7.59), more than --max-increase 10%" in err


def test_at_is_checked_as_a_usage_error(plans: dict[str, str]) -> None:
    code, _, err = cli("check", plans["small"], "--max-cost", "10USD", "--at", "95")
    assert code == 2 and "give point (the headline total) or a percentile from p0 to p100" in err
    code, _, err = cli("check", plans["small"], "--at", "p95")  # a percentile with no gate to apply it to
    assert code == 2 and "applies to --max-cost and --max-increase" in err
    assert cli("compare", plans["small"], plans["micro"], "--at", "p101", "--max-cost", "1")[0] == 2
    assert cli("diff", plans["micro"], plans["small"], "--at", "p95")[0] == 2
    assert cli("check", plans["small"], "--at", "point")[0] == 0  # the default, said aloud
