"""`infrafit fleet` and the clusters rows of `diff`, through the command line, on seed 003."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from infrafit.cli import app

ROOT = Path(__file__).resolve().parents[2]
AFTER = str(ROOT / "examples" / "seed003-after.yaml")
BEFORE = str(ROOT / "examples" / "seed003-before.yaml")
runner = CliRunner()
TYPES = "t3.small,t3.medium,t3.large"


def test_cheapest_fleet_for_seed003_under_16_vcpu() -> None:
    result = runner.invoke(app, ["fleet", AFTER, "--cluster", "prod", "--types", TYPES, "--quota", "16", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # Prometheus 500m/1Gi, storage worker 250m/512Mi, AI worker 500m/1Gi = 1,250m / 2,560 MiB. A t3.small holds
    # 1,948 MiB (2 GiB − 100 MiB eviction): two smalls ($15.18 each) or one medium ($30.37) tie at $30.37 a month,
    # 4 or 2 vCPU; nothing cheaper holds 2,560 MiB.
    assert abs(data["monthly_cost"] - 2 * 0.0208 * 730) < 1e-6
    assert data["optimal"] is True
    assert {"node_groups", "monthly_cost", "vcpu", "optimal"} <= set(data)


def test_no_fleet_under_the_quota_exits_1_with_the_smallest_quota() -> None:
    result = runner.invoke(app, ["fleet", AFTER, "--cluster", "prod", "--types", "t3.small", "--quota", "1"])
    assert result.exit_code == 1
    # One t3.small has 2 vCPU: a quota of 1 allows no node; two smalls (4 vCPU) hold the 2,560 MiB.
    assert "smallest quota that would work: 4 vCPU" in result.stdout


def test_bad_names_exit_2() -> None:
    bad = runner.invoke(app, ["fleet", AFTER, "--cluster", "prd", "--types", TYPES])
    assert bad.exit_code == 2 and "did you mean prod" in bad.output
    wrong = runner.invoke(app, ["fleet", AFTER, "--cluster", "prod", "--types", "t3.smal"])
    assert wrong.exit_code == 2 and "did you mean t3.small" in wrong.output


def test_diff_reports_clusters_before_and_after() -> None:
    result = runner.invoke(app, ["diff", BEFORE, AFTER, "-f", "json"])
    data = json.loads(result.stdout)
    before, after = data["sections"]["clusters"]["before"][0], data["sections"]["clusters"]["after"][0]
    # Same 26 vCPU; memory 40 -> 32 GiB; no pod left over on either side.
    assert (before["vcpu"], after["vcpu"]) == (26.0, 26.0)
    assert (before["memory_gib"], after["memory_gib"]) == (40.0, 32.0)
    assert before["unschedulable"] == after["unschedulable"] == []
    md = runner.invoke(app, ["diff", BEFORE, AFTER, "-f", "markdown"]).stdout
    assert "cluster prod: ai-worker/month" in md


# --- which catalog the fleet was priced with ----------------------------------------------------------------
OVERLAY_MANIFEST = """\
format: 1
providers:
  aws: {refreshed: 2026-11-20, published: 2026-11-01, version: "20261101000000", sources: [https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20261101000000/us-east-1/index.json]}
"""
OVERLAY_AWS = """\
services:
  ec2:
    types:
      t3.small: {hourly: {us-east-1: "0.0300"}, as_of: 2026-11-01}
"""


def _overlay(directory: Path) -> Path:
    directory.mkdir()
    (directory / "overlay.yaml").write_text(OVERLAY_MANIFEST)
    (directory / "aws.yaml").write_text(OVERLAY_AWS)
    return directory


def test_fleet_names_the_overlay_it_priced_with_in_every_format(tmp_path: Path) -> None:
    from infrafit.catalog.lookup import Catalog

    overlay = str(_overlay(tmp_path / "overlay"))
    args = ["fleet", AFTER, "--cluster", "prod", "--types", "t3.small", "--quota", "16", "--catalog", overlay]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    # The same two t3.small as above, now at the overlay's $0.0300 an hour: 2 × 730 × 0.0300 = $43.80.
    assert abs(data["monthly_cost"] - 43.80) < 1e-6
    assert data["catalog_overlay"] == {
        "path": overlay,
        "providers": {"aws": {"published": "2026-11-01", "version": "20261101000000"}},
    }
    packaged = Catalog(overlay=None).provider("aws").as_of
    phrase = f"catalog: packaged {packaged} + overlay {overlay} (aws price list 2026-11-01)"
    for fmt in ("table", "markdown"):
        out = runner.invoke(app, [*args, "-f", fmt, "--width", "200"]).stdout
        assert phrase in out, fmt


def test_fleet_without_an_overlay_reads_as_before() -> None:
    args = ["fleet", AFTER, "--cluster", "prod", "--types", TYPES, "--quota", "16"]
    assert json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)["catalog_overlay"] is None
    for fmt in ("table", "markdown"):
        out = runner.invoke(app, [*args, "-f", fmt]).stdout
        assert "catalog:" not in out and "catalog as of" not in out and "+ overlay" not in out, fmt
