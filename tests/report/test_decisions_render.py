"""Renderers of compare and diff: JSON contract keys, Markdown that reads the same on every run, tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from infrafit.decisions import compare, diff
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.plan.loader import plan_from_data
from infrafit.report import render

QUOTA = {"aws.ec2.standard_vcpu": 4}


def ec2(type_: str, count: int = 1) -> dict[str, object]:
    return {"service": "aws.ec2", "region": "us-east-1", "type": type_, "count": count}


def before() -> Result:
    # 2 × t3.medium ($60.736) + t3.micro ($7.592) = $68.328; 6 vCPU > 4.
    return evaluate(
        plan_from_data(
            {"name": "shop", "quotas": QUOTA, "resources": {"web": ec2("t3.medium", 2), "cache": ec2("t3.micro")}}
        )
    )


def after() -> Result:
    # 2 × t3.small ($30.368) + S3 80 GB ($1.84) = $32.208; 4 vCPU.
    return evaluate(
        plan_from_data(
            {
                "name": "shop",
                "quotas": QUOTA,
                "resources": {"web": ec2("t3.small", 2), "files": {"service": "aws.s3", "usage": {"storage": "80GiB"}}},
            }
        )
    )


def test_diff_json_contract() -> None:
    data = json.loads(render("diff", "json", diff(before(), after())))
    assert data["before"]["total_monthly_cost"] == 68.328
    assert data["after"]["total_monthly_cost"] == 32.208
    assert data["delta_monthly_cost"] == -36.12
    assert data["delta_yearly_cost"] == -433.44
    assert round(data["delta_percent"], 2) == -52.86
    assert [(r["name"], r["status"]) for r in data["resources"]] == [
        ("web", "changed"),
        ("cache", "removed"),
        ("files", "added"),
    ]
    assert data["resources"][0]["changes"][0] == {"field": "type", "before": "t3.medium", "after": "t3.small"}
    assert (data["before"]["vcpu"], data["after"]["vcpu"]) == (6, 4)
    assert data["quotas"][0]["over_before"] and not data["quotas"][0]["over_after"]
    assert "quota_exceeded" in [f["code"] for f in data["findings"]["disappeared"]]


def test_compare_json_contract() -> None:
    data = json.loads(render("compare", "json", compare([before(), after()])))
    assert set(data) >= {"plans", "cheapest_fitting"}
    assert data["cheapest_fitting"] == "shop"
    assert data["cheapest_fitting_index"] == 1
    first = data["plans"][0]
    assert {"plan", "total_monthly_cost", "fits", "errors"} <= set(first)
    assert (first["plan"], first["total_monthly_cost"], first["fits"], first["errors"]) == ("shop", 68.328, False, 1)
    assert first["error_findings"][0]["code"] == "quota_exceeded"
    assert first["total_yearly_cost"] == 819.936  # 68.328 × 12
    assert first["cost_by_category"]["compute"] == 68.328


def test_diff_markdown_summary_first_and_stable() -> None:
    text = render("diff", "markdown", diff(before(), after()))
    again = render("diff", "markdown", diff(before(), after()))  # evaluated afresh
    assert text == again
    head = text.split("<details>")[0]
    assert "**$68.33 → $32.21/month** (-$36.12, -52.9%)" in head
    assert "✅ fits (before: does not fit: 1 quota exceeded)" in head
    assert "| `aws.ec2.standard_vcpu` (us-east-1) used / limit | 6 / 4 ❌ | 4 / 4 ✅ | -2 |" in head
    assert "✅ resolved: quota_exceeded" in head
    assert text.count("<details>") == text.count("</details>") >= 3
    # Changed resources, largest change first.
    rows = [line for line in text.splitlines() if line.startswith(("| web", "| cache", "| files"))]
    assert [r.split(" |")[0] for r in rows] == ["| web", "| cache", "| files"]


def test_markdown_is_the_same_in_another_process() -> None:
    """No set ordering, ids or times leak into the text: a fresh interpreter (other hash seed) agrees."""
    code = (
        "import sys; from tests.report.test_decisions_render import before, after;"
        "from infrafit.decisions import diff, compare; from infrafit.report import render;"
        "sys.stdout.write(render('diff', 'markdown', diff(before(), after())));"
        "sys.stdout.write(render('compare', 'markdown', compare([before(), after()])))"
    )
    root = Path(__file__).resolve().parents[2]
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert runs[0] == render("diff", "markdown", diff(before(), after())) + render(
        "compare", "markdown", compare([before(), after()])
    )


def test_compare_markdown_and_table() -> None:
    cmp = compare([before(), after()])
    md = render("compare", "markdown", cmp)
    assert md.startswith("### infrafit compare: 2 plans\n\n**shop #2** is the cheapest plan that fits: $32.21/month")
    assert "| **verdict** | ❌ does not fit: 1 quota exceeded | ✅ **cheapest that fits** |" in md
    table = render("compare", "table", cmp, width=160)
    assert "cheapest that fits" in table and "$68.33" in table and "quota: aws.ec2.standard_vcpu us-east-1" in table


def test_diff_table() -> None:
    text = render("diff", "table", diff(before(), after()), width=160)
    assert "$68.33 → $32.21/month" in text
    assert "type t3.medium → t3.small; memory 4 GiB → 2 GiB" in text
    assert "resolved" in text
