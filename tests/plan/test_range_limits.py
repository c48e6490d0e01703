"""docs/limits.md, "Cost ranges": each stated limit of a range, run one step past it on the command line (exit 2
with a located message, never a traceback), and the limit itself accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.cli import app

VM = "name: t\nresources:\n  vm:\n    service: aws.ec2\n    type: t3.small\n"
FN = "name: t\nresources:\n  fn:\n    service: aws.lambda\n    usage:\n      duration: 100ms\n      requests: {}\n"


def check(tmp_path: Path, text: str, *args: str) -> tuple[int, str]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    result = CliRunner().invoke(app, ["check", str(plan), "-f", "json", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (VM + "    count: 1-1000001\n", "count is a whole number from 0 to 1,000,000"),
        (VM + "    usage: {uptime: 50%-101%}\n", "uptime is at most 100%"),
        (VM + "    usage: {hours: 700-745}\n", "hours are at most 744"),
        (FN.format("5M-2M/month"), "low above high"),
        (FN.format("{lognormal: {median: 0/month, p95: 5M/month}}"), "lognormal needs 0 < median <= p95"),
        (FN.format("{triangular: {low: 1M/month, mode: 6M/month, high: 5M/month}}"), "low <= mode <= high"),
        (FN.format('{choice: {"1M/month": 70%, "5M/month": 20%}}'), "choice weights sum to 90%, not 100%"),
        (FN.format('{choice: {"1M/month": 0.7, "5M/month": 0.3}}'), "expected a percentage"),
        (FN.format("2M/month-100K/day"), "one end is per month, another per day"),
        (FN.format("1M/month-2000000000000000/month"), "resources.fn.usage.requests"),
    ],
)
def test_a_range_end_past_its_field_limit_is_refused(tmp_path: Path, text: str, needle: str) -> None:
    code, out = check(tmp_path, text)
    assert code == 2 and needle in out and "plan.yaml:" in out


@pytest.mark.parametrize(
    "text",
    [
        VM + "    count: 0-1000000\n",
        VM + "    usage: {uptime: 50%-100%}\n",
        FN.format('{choice: {"1M/month": 70%, "5M/month": 30%}}'),
        FN.format("2-5M/month"),
    ],
)
def test_the_limits_themselves_are_accepted(tmp_path: Path, text: str) -> None:
    code, out = check(tmp_path, text, "--samples", "100")
    assert code == 0, out


@pytest.mark.parametrize(
    ("model", "key", "bad", "good", "says"),
    [
        ("jobs:Job", "items", "0-10", "1-1000000", "items is a whole number from 1 to 1,000,000"),
        ("traffic:TrafficEntry", "clients", "1-100001", "1-100000", "clients is a whole number from 1 to 100,000"),
    ],
)
def test_job_items_and_traffic_clients_are_bounded_too(model: str, key: str, bad: str, good: str, says: str) -> None:
    import importlib

    import pydantic

    module, name = model.split(":")
    cls = getattr(importlib.import_module(f"infrafit.plan.{module}"), name)

    def errors(value: str) -> str:  # only the ranged field matters here; other required fields may be missing
        try:
            cls.model_validate({key: value})
        except pydantic.ValidationError as exc:
            return str(exc)
        return ""

    assert says in errors(bad)
    assert "whole number from" not in errors(good)


def test_samples_are_bounded_from_0_to_100000(tmp_path: Path) -> None:
    text = FN.format("2M-5M/month")
    assert check(tmp_path, text, "--samples", "100001")[0] == 2
    assert check(tmp_path, text, "--samples", "-1")[0] == 2
    assert check(tmp_path, text, "--seed", "-1")[0] == 2
    code, out = check(tmp_path, text, "--samples", "0")
    assert code == 0 and '"cost_distribution": null' in out


def test_a_draw_the_plan_cannot_take_is_an_input_error(tmp_path: Path) -> None:
    # Ends within 744 h, but the plan's month is 730 h: draws above 730 cannot be priced. The median, 722 h, can.
    text = VM + "    usage: {hours: 700-744}\n"
    code, out = check(tmp_path, text)
    assert code == 2
    assert "plan.yaml:6:" in out and "resources.vm.usage.hours: a range reaches a value that cannot be priced" in out
    assert check(tmp_path, text, "--samples", "0")[0] == 0
    # A lognormal's tail has no upper end: with a p95 of 99%, some draws pass 100% uptime.
    code, out = check(tmp_path, VM + "    usage: {uptime: {lognormal: {median: 80%, p95: 99%}}}\n")
    assert code == 2 and "uptime is at most 100%" in out


def test_a_lognormal_tail_past_a_field_bound_is_refused_at_its_key(tmp_path: Path) -> None:
    # count takes 0..1,000,000. A lognormal with median 10 and p95 900,000 has sigma = ln(90,000)/1.645 = 6.93: among
    # 2,000 draws the largest is about exp(ln 10 + 3.5 × 6.93) ≈ 3e11, far past the bound; it is never priced.
    code, out = check(tmp_path, VM + "    count: {lognormal: {median: 10, p95: 900000}}\n")
    assert code == 2
    assert "plan.yaml:6:" in out and "resources.vm.count" in out
    assert "count is a whole number from 0 to 1,000,000" in out
