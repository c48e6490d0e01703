"""`infrafit import ...` on the command line: a plan on stdout, a summary on stderr, exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from infrafit.cli import app
from tests.importers.conftest import EXAMPLE

runner = CliRunner()


def test_terraform_then_check(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = runner.invoke(app, ["import", "terraform", str(EXAMPLE), "--usage-file", str(EXAMPLE / "infracost-usage.yml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "not mapped: aws_nat_gateway.nat" in result.stderr
    checked = runner.invoke(app, ["check", str(out), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    web = next(r for r in json.loads(checked.stdout)["resources"] if r["name"] == "web")
    # two t3.small on demand in us-east-1, 730 h each: 2 × 730 × 0.0208 USD (the catalog's hourly price)
    assert abs(web["monthly_cost"] - 2 * 730 * 0.0208) < 0.01


def test_json_format_lists_everything() -> None:
    result = runner.invoke(app, ["import", "terraform", str(EXAMPLE), "-f", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["unmapped"] == [{"address": "aws_nat_gateway.nat", "type": "aws_nat_gateway", "reason": "no mapping for this type yet (not priced)"}]
    assert len(data["free"]) == 5 and "resources.db.usage.hours" in data["to_fill"]


def test_bad_input_exits_2(fixtures: Path) -> None:
    result = runner.invoke(app, ["import", "terraform", str(fixtures / "bad")])
    assert result.exit_code == 2
    assert "main.tf:3:" in result.stderr and "Traceback" not in result.output
    result = runner.invoke(app, ["import", "terraform", str(EXAMPLE), "--var", "novalue"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_compose_and_kubernetes(fixtures: Path) -> None:
    result = runner.invoke(app, ["import", "compose", str(fixtures / "compose" / "docker-compose.yml"), "--profile", "gpu"])
    assert result.exit_code == 0 and "gpu_required" in result.stdout
    result = runner.invoke(app, ["import", "kubernetes", str(fixtures / "k8s"), "--cluster", "prod"])
    assert result.exit_code == 0 and "shop/api:" in result.stdout
