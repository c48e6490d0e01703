"""`infrafit catalog refresh` through the command line: the report in each format, exit codes, the overlay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.cli import app

from .conftest import FIXTURES


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_text_report(tmp_path: Path) -> None:
    code, out, err = invoke(
        "catalog", "refresh", "aws", "--from", str(FIXTURES / "aws"), "--out", str(tmp_path), "--width", "160"
    )
    assert code == 0
    assert f"wrote {tmp_path / 'aws.yaml'}" in err and f"wrote {tmp_path / 'overlay.yaml'}" in err
    assert "4 changed, 49 unchanged, 0 new, 4 missing from the price lists, 2 malformed entries skipped." in out
    assert "ec2.types.t3.small.hourly.us-east-1" in out and "+0.96%" in out  # 0.0208 -> 0.021
    assert "Rules that matched nothing: ec2.t3.nano.us-east-1, ec2.t3.2xlarge.ap-northeast-2." in out
    assert "seed004-aws.yaml" in out  # examples/ is read by default from the working folder


def test_json_report(tmp_path: Path) -> None:
    code, out, _ = invoke(
        "catalog",
        "refresh",
        "gcp",
        "--from",
        str(FIXTURES / "gcp"),
        "--out",
        str(tmp_path),
        "-f",
        "json",
        "--examples",
        str(tmp_path / "none"),
    )
    assert code == 0
    data = json.loads(out)
    assert data["version"] == 1 and data["provider"] == "gcp"
    assert data["counts"] == {
        "changed": 11,
        "unchanged": 60,
        "new": 0,
        "missing": 1,
        "unmatched": 1,
        "not_covered": 0,
        "skipped": 1,
    }
    pd_ssd = next(f for f in data["facts"] if f["fact"] == "services.persistent_disk.meters.storage.price.types.pd-ssd")
    # 0.17 -> 0.00023 per GiB-hour x 744 hours = 0.17112: (0.17112 - 0.17) / 0.17 = +0.66 %
    assert pd_ssd["new"] == [{"up_to": None, "usd": "0.17112"}] and pd_ssd["percent"] == "0.66"
    assert data["examples"] == []


def test_markdown_report_for_a_pull_request(tmp_path: Path) -> None:
    code, out, _ = invoke(
        "catalog",
        "refresh",
        "aws",
        "--from",
        str(FIXTURES / "aws" / "AmazonS3-us-east-1.json"),
        "--out",
        str(tmp_path),
        "-f",
        "markdown",
    )
    assert code == 0
    assert out.startswith("## Catalog refresh: aws\n")
    assert "| `s3.meters.class_b.price` | $0.0004 | $0.00044 | +10.00% |" in out
    assert "### Example plans, monthly total" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["catalog", "refresh", "aws"], "--from FILE_OR_DIR"),
        (["catalog", "refresh", "azure", "--from", "."], "no price lists are read for 'azure'"),
        (["catalog", "refresh", "aws", "--from", "nowhere.json"], "nowhere.json: no such file or folder"),
        (["catalog", "refresh", "gcp", "--fetch"], "INFRAFIT_GCP_API_KEY"),
    ],
)
def test_bad_input_is_exit_2_without_a_traceback(args: list[str], message: str, tmp_path: Path) -> None:
    code, _, err = invoke(*args, "--out", str(tmp_path))
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "overlay.yaml").exists()


def test_default_out_is_the_config_folder(tmp_path: Path) -> None:
    code, _, err = invoke("catalog", "refresh", "aws", "--from", str(FIXTURES / "aws" / "AWSLambda-us-east-1.json"))
    assert code == 0
    home = tmp_path / "config" / "infrafit" / "catalog"  # XDG_CONFIG_HOME, set by conftest
    assert (home / "aws.yaml").exists() and f"wrote {home / 'overlay.yaml'}" in err
