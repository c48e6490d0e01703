"""The command ends its process without tearing down every object: exit codes and written output must be exactly
what they would be otherwise (0 fits, 1 does not, 2 bad input), with every byte flushed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "infrafit.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.mark.parametrize(
    ("example", "code"),
    [("seed001-cloud.yaml", 0), ("seed000-hybrid-free-tier.yaml", 1)],  # the second has an error finding
)
def test_exit_code_and_complete_report(example: str, code: int, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    done = _run("check", str(ROOT / "examples" / example), "--format", "json", "-o", str(out), cwd=tmp_path)
    assert done.returncode == code, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))  # the whole file: it parses
    assert report["plan"] == Path(example).stem
    assert f"wrote {out}" in done.stderr


def test_standard_output_is_flushed_before_the_process_ends(tmp_path: Path) -> None:
    done = _run("check", str(ROOT / "examples" / "seed001-cloud.yaml"), "--format", "json", cwd=tmp_path)
    assert done.returncode == 0
    assert json.loads(done.stdout)["plan"] == "seed001-cloud"


def test_bad_input_is_still_exit_2(tmp_path: Path) -> None:
    done = _run("check", str(tmp_path / "missing.yaml"), cwd=tmp_path)
    assert done.returncode == 2
    assert "missing.yaml" in done.stderr and "Traceback" not in done.stderr


def test_failing_gate_reason_reaches_stderr(tmp_path: Path) -> None:
    done = _run("check", str(ROOT / "examples" / "seed001-cloud.yaml"), "--max-cost", "1USD", cwd=tmp_path)
    assert done.returncode == 1
    assert "fail:" in done.stderr
