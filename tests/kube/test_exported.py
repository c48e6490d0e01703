"""Right-sizing from an exported CSV file, the plan's node-count effect, the plan copy and the manifest patches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from infrafit.cli import app
from infrafit.kube.exported import CsvSource
from infrafit.kube.metrics import MetricsError
from infrafit.kube.rightsize import RightsizeSettings, rightsize

MI = 2**20
PLAN = """\
name: shop
resources: {}
clusters:
  prod:
    provider: aws.ec2
    region: us-east-1
    node_groups:
      general: {type: t3.medium, count: 3}
    reserved: eks
    workloads:
      api: {replicas: 4, requests: {cpu: 800m, memory: 1Gi}, limits: {memory: 2Gi}}
      db: {replicas: 1, requests: {cpu: "1", memory: 2Gi}, limits: {memory: 2Gi}}
"""


def _csv(path: Path) -> Path:
    """Four hours at 60 s: api pods at 0.3 cores and 400Mi, db at 0.5 cores and 800Mi."""
    lines = ["timestamp,namespace,pod,container,cpu,memory,workload,kind,cpu_request,memory_request,memory_limit"]
    for k in range(241):
        t = 1_750_000_000 + 60 * k
        for i in range(4):
            lines.append(f"{t},shop,api-{i},api,300m,400Mi,api,Deployment,800m,1Gi,2Gi")
        lines.append(f"{t},shop,db-0,postgres,0.5,{800 * MI},db,StatefulSet,1,2Gi,2Gi")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_csv_known_answers(tmp_path: Path) -> None:
    result = rightsize(CsvSource(_csv(tmp_path / "m.csv")), RightsizeSettings(history="4h", step="60s"))
    found = {r.workload: r for r in result.recommendations}
    # api: 300m; 400Mi × 1.15 = 460Mi. db: 500m; 800Mi × 1.15 = 920Mi. Current values from the file.
    assert found["api"].cpu_request == pytest.approx(0.3) and found["api"].memory_limit == 460 * MI
    assert found["db"].cpu_request == pytest.approx(0.5) and found["db"].memory_request == 920 * MI
    assert found["api"].current.cpu_request == pytest.approx(0.8) and found["api"].current.memory_limit == 2 * 1024 * MI
    # 4 pods × 241 samples; 4 h of history: no warning.
    assert found["api"].samples == 964 and found["api"].pods == 4 and found["api"].warnings == ()


def test_csv_errors_name_the_line_and_the_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,namespace,pod,container,cpu,memroy\n")
    with pytest.raises(MetricsError, match=r"bad.csv:1: unknown column 'memroy' \(did you mean 'memory'\?\)"):
        CsvSource(bad)
    bad.write_text("timestamp,namespace,pod,container,cpu,memory\n1750000000,ns,p,c,0.1,300MB\n")
    with pytest.raises(MetricsError, match=r"bad.csv:2: memory: .*Mi, not MB"):
        CsvSource(bad)


def test_plan_effect_node_count(tmp_path: Path) -> None:
    # Before: 4 × 800m + 1,000m = 4,200m on EKS t3.medium nodes of 1,930m allocatable: db + one api per node
    # (1,800m), then two api (1,600m), then one: 3 nodes. After: 4 × 300m + 500m = 1,700m and
    # 4 × 460 + 920 = 2,760Mi fit one node (1,930m / 3,554Mi): 1 node of the 3, a third of their cost.
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    out = CliRunner().invoke(
        app,
        ["rightsize", "--from", str(_csv(tmp_path / "m.csv")), "--history", "4h", "--step", "60s", "--plan", str(plan), "-f", "json"],
    )
    assert out.exit_code == 0, out.output
    effect = json.loads(out.stdout)["plan"]
    assert effect["before"]["nodes_used"] == 3 and effect["after"]["nodes_used"] == 1
    assert effect["after"]["used_nodes_cost"] == pytest.approx(effect["before"]["used_nodes_cost"] / 3)
    assert effect["before"]["requested_cpu"] == pytest.approx(4.2) and effect["after"]["requested_cpu"] == pytest.approx(1.7)
    assert sorted(effect["changed"]) == ["api", "db"]


def test_write_plan_is_a_copy_and_patches_are_written(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    metrics = str(_csv(tmp_path / "m.csv"))
    args = ["rightsize", "--from", metrics, "--history", "4h", "--step", "60s", "--plan", str(plan)]
    refused = CliRunner().invoke(app, [*args, "--write-plan", str(plan)])
    assert refused.exit_code == 2 and "is the plan itself" in refused.output
    assert plan.read_text() == PLAN
    out = CliRunner().invoke(app, [*args, "--write-plan", str(tmp_path / "new.yaml"), "--patch", str(tmp_path / "patches")])
    assert out.exit_code == 0, out.output
    new = yaml.safe_load((tmp_path / "new.yaml").read_text())["clusters"]["prod"]["workloads"]
    assert new["api"]["requests"] == {"cpu": "300m", "memory": "460Mi"} and new["api"]["limits"] == {"memory": "460Mi"}
    assert new["db"]["requests"] == {"cpu": "500m", "memory": "920Mi"}
    patch = yaml.safe_load((tmp_path / "patches" / "shop-deployment-api.yaml").read_text())
    container = patch["spec"]["template"]["spec"]["containers"][0]
    assert patch["kind"] == "Deployment" and patch["metadata"] == {"name": "api", "namespace": "shop"}
    assert container == {"name": "api", "resources": {"requests": {"cpu": "300m", "memory": "460Mi"}, "limits": {"memory": "460Mi"}}}


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--percentile", "120"], "--percentile '120'"),
        (["--history", "14 days"], "not a duration"),
        (["--buffer", "15"], "--buffer '15'"),
    ],
)
def test_bad_settings_exit_2(tmp_path: Path, flags: list[str], message: str) -> None:
    out = CliRunner().invoke(app, ["rightsize", "--from", str(_csv(tmp_path / "m.csv")), *flags])
    assert out.exit_code == 2 and message in out.output


def test_a_source_is_required() -> None:
    out = CliRunner().invoke(app, ["rightsize"])
    assert out.exit_code == 2 and "--prometheus URL or --from FILE" in out.output
