"""`infrafit selfhost`: one command shows both sides' monthly cost, whether the desktop holds it, and writes a valid
Compose file (seed 001's "done when")."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from infrafit.cli import app
from infrafit.report.sections.selfhost import SelfHostView
from infrafit.selfhost.compose import schema

SEED = Path("examples/seed001-leaving-the-cloud.yaml")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_seed001_both_sides_and_a_valid_compose_file(tmp_path: Path) -> None:
    compose = tmp_path / "docker-compose.yml"
    code, out, _ = invoke("selfhost", str(SEED), "--compose", str(compose), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data)[2:7] == ["machine_fits", "monthly_tco", "cloud_monthly_cost", "break_even_months", "services"]
    # the desktop: $2,400 / 36 = 66.67 + 8,670 KRW / 1,400 = 6.19 + Gemini via API key 67.50 = 140.36
    assert data["monthly_tco"] == pytest.approx(140.36, abs=0.01)
    # the cloud plan it replaces (seed001-cloud.yaml, also checked by its golden report)
    assert data["cloud_monthly_cost"] == pytest.approx(193.41, abs=0.01)
    # 2,400 / (193.41 − 6.19 − 67.50) = 20.05 months
    assert data["break_even_months"] == pytest.approx(2400 / (193.4052 - 6.1929 - 67.50), abs=0.01)
    assert data["machine_fits"] is True
    assert {s["resource"] for s in data["services"]} >= {"events", "sell-orders", "logging", "load-balancer"}
    assert all({"resource", "counterpart", "cpu", "memory"} <= set(s) for s in data["services"])
    jsonschema.validate(
        {k: v for k, v in data.items() if k not in ("version", "plan", "compose", "findings")},
        SelfHostView().json_schema(),
    )
    written = yaml.safe_load(compose.read_text())
    jsonschema.Draft201909Validator(schema()).validate(written)
    assert {"rabbitmq", "loki", "grafana", "alloy", "cloudflared", "price-monitor"} <= set(written["services"])
    assert written["services"]["services"]["deploy"]["replicas"] == 9
    assert compose.read_text().startswith("# Compose file for the self-hosted counterparts of seed001")


def test_table_and_markdown_say_both_sides() -> None:
    code, out, _ = invoke("selfhost", str(SEED), "--width", "120")
    assert code == 0
    assert "self-hosted $140.36/month vs cloud $193.41/month; break-even 20.0 months" in out
    code, md, _ = invoke("selfhost", str(SEED), "--format", "markdown")
    assert code == 0 and md.startswith("## seed001-leaving-the-cloud: self-hosted $140.36/month")


def test_a_plan_without_the_section_is_exit_2() -> None:
    code, _, err = invoke("selfhost", "examples/seed001-cloud.yaml")
    assert code == 2 and "no selfhost: section" in err


def test_a_machine_that_cannot_hold_it_is_exit_1(tmp_path: Path) -> None:
    shutil.copy("examples/seed001-cloud.yaml", tmp_path / "seed001-cloud.yaml")
    plan = tmp_path / "small.yaml"
    plan.write_text(SEED.read_text().replace("cpus: 16", "cpus: 2").replace("memory: 64GiB", "memory: 4GiB"))
    code, out, err = invoke("selfhost", str(plan))
    assert code == 1 and "does NOT hold it" in out and "cannot hold" in err
    assert "selfhost_does_not_fit" in out


def test_compose_never_overwrites_the_plan(tmp_path: Path) -> None:
    shutil.copy("examples/seed001-cloud.yaml", tmp_path / "seed001-cloud.yaml")
    plan = tmp_path / "after.yaml"
    shutil.copy(SEED, plan)
    code, _, _ = invoke("selfhost", str(plan), "--compose", str(plan))
    assert code == 2 and plan.read_text() == SEED.read_text()
