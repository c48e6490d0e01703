"""`infrafit import terraform|kubernetes` read the catalog (types, regions, the node provider) through the same
overlay choice as every other command: `--catalog DIR`, `--no-overlay`, else the environment or config."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.catalog import overlay as ov
from infrafit.cli import app

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "tests" / "importers" / "fixtures" / "k8s"
LIST = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20261101000000/us-east-1/index.json"
MANIFEST = f"""\
format: 1
providers:
  aws: {{refreshed: 2026-11-20, published: 2026-11-01, version: "20261101000000", sources: [{LIST}]}}
"""
# An overlay holding a type the packaged catalog does not price (m5.xlarge: 4 vCPU, 16 GiB). What the import
# reads is only that the type exists; its price plays no part in a draft.
AWS = f"""\
services:
  ec2:
    types:
      m5.xlarge:
        vcpu: 4
        memory: 16GiB
        family: m
        hourly: {{us-east-1: "0.192"}}
        source: {LIST}
        as_of: 2026-11-01
        evidence: price_list
"""
TERRAFORM = """\
provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "big" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.xlarge"
}
"""
NOT_IN_CATALOG = "m5.xlarge is not in the catalog for aws.ec2"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    overlay, config = tmp_path / "overlay", tmp_path / "config"
    overlay.mkdir()
    (overlay / "overlay.yaml").write_text(MANIFEST)
    (overlay / "aws.yaml").write_text(AWS)
    config.mkdir()
    (config / "main.tf").write_text(TERRAFORM)
    return overlay, config


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["import", *args])
    return result.exit_code, result.stdout, result.stderr


def test_terraform_checks_types_against_the_overlay_given_by_flag(files: tuple[Path, Path]) -> None:
    overlay, config = files
    code, out, err = run("terraform", str(config))
    assert code == 0 and NOT_IN_CATALOG in err  # the packaged catalog alone: an unknown type
    code, out, err = run("terraform", str(config), "--catalog", str(overlay))
    assert code == 0 and NOT_IN_CATALOG not in err
    assert "type: m5.xlarge" in out


def test_terraform_no_overlay_beats_the_environment(files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    overlay, config = files
    monkeypatch.setenv(ov.OVERLAY_ENV, str(overlay))
    assert NOT_IN_CATALOG not in run("terraform", str(config))[2]
    code, _, err = run("terraform", str(config), "--no-overlay")
    assert code == 0 and NOT_IN_CATALOG in err


def test_kubernetes_takes_the_flags_and_refuses_a_missing_overlay(files: tuple[Path, Path], tmp_path: Path) -> None:
    overlay, _ = files
    code, out, _ = run("kubernetes", str(K8S), "--catalog", str(overlay))
    assert code == 0 and "provider: aws.ec2" in out
    code, _, err = run("kubernetes", str(K8S), "--catalog", str(tmp_path / "nowhere"))
    assert code == 2 and f"--catalog: no such overlay directory: {tmp_path / 'nowhere'}" in err
    code, _, err = run("kubernetes", str(K8S), "--catalog", str(overlay), "--no-overlay")
    assert code == 2 and "contradict" in err
