"""`rightsize --plan` prices the plan with the catalog overlay in force; its report names that overlay in every
format (and nothing about catalogs without one, as before)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.catalog.lookup import Catalog
from infrafit.cli import app
from tests.kube.test_exported import PLAN, _csv

MANIFEST = """\
format: 1
providers:
  aws: {refreshed: 2026-11-20, published: 2026-11-01, version: "20261101000000", sources: [https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20261101000000/us-east-1/index.json]}
"""
AWS = """\
services:
  ec2:
    types:
      t3.medium: {hourly: {us-east-1: "0.0500"}, as_of: 2026-11-01}
"""


@pytest.fixture
def args(tmp_path: Path) -> list[str]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    metrics = str(_csv(tmp_path / "m.csv"))
    return ["rightsize", "--from", metrics, "--history", "4h", "--step", "60s", "--plan", str(plan)]


def _overlay(directory: Path) -> str:
    directory.mkdir()
    (directory / "overlay.yaml").write_text(MANIFEST)
    (directory / "aws.yaml").write_text(AWS)
    return str(directory)


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_plan_effect_names_the_overlay_it_priced_with(args: list[str], tmp_path: Path) -> None:
    overlay = _overlay(tmp_path / "overlay")
    data = json.loads(run(*args, "--catalog", overlay, "-f", "json"))
    # Three t3.medium nodes at the overlay's $0.0500 an hour: 3 × 730 × 0.0500 = $109.50 a month.
    assert data["plan"]["before"]["monthly_cost"] == pytest.approx(109.50)
    assert data["catalog_overlay"] == {
        "path": overlay,
        "providers": {"aws": {"published": "2026-11-01", "version": "20261101000000"}},
    }
    packaged = Catalog(overlay=None).provider("aws").as_of
    phrase = f"catalog: packaged {packaged} + overlay {overlay} (aws price list 2026-11-01)"
    for fmt in ("table", "markdown"):
        assert phrase in run(*args, "--catalog", overlay, "-f", fmt, "--width", "200"), fmt


def test_plain_report_without_the_phrase(args: list[str]) -> None:
    data = json.loads(run(*args, "-f", "json"))
    # The packaged t3.medium, read from the catalog: 3 nodes × 730 h.
    hourly = Catalog(overlay=None).service("aws.ec2")[1].types["t3.medium"].hourly["us-east-1"]
    assert data["plan"]["before"]["monthly_cost"] == pytest.approx(float(3 * 730 * hourly))
    assert data["catalog_overlay"] is None
    for fmt in ("table", "markdown"):
        out = run(*args, "-f", fmt)
        assert "catalog:" not in out and "catalog as of" not in out and "+ overlay" not in out, fmt
    no_plan = args[: args.index("--plan")]
    assert json.loads(run(*no_plan, "-f", "json"))["catalog_overlay"] is None
