"""`import kubernetes`: manifests into a clusters section the clusters engine can check."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from infrafit.importers import run_import
from infrafit.importers.yamlout import render_yaml
from infrafit.plan.clusters import pod_request
from infrafit.plan.loader import load_plan


def test_workloads(fixtures: Path) -> None:
    draft = run_import("kubernetes", fixtures / "k8s", cluster="prod")
    workloads = draft.body["clusters"]["prod"]["workloads"]
    assert list(workloads) == ["shop/api", "db", "node-exporter", "report"]  # Services skipped, List unpacked
    assert workloads["shop/api"]["replicas"] == 3
    assert workloads["db"]["kind"] == "StatefulSet" and workloads["db"]["replicas"] == 2
    assert workloads["node-exporter"]["daemonset"] is True
    assert workloads["report"]["always_on"] is False
    assert any(f.code == "no_requests" and f.subject == "report" for f in draft.findings)


def test_init_containers_count_as_kubernetes_counts_them(fixtures: Path) -> None:
    draft = run_import("kubernetes", fixtures / "k8s")
    plan = load_plan("k8s.yaml", text=render_yaml(draft))
    api = plan.section("clusters")["main"].workloads["shop/api"]
    # app containers 250m + 100m + the native sidecar 50m (restartPolicy: Always) = 400m CPU,
    # 256 + 64 + 32 = 352 MiB; the migrate init container (1 CPU, 1 GiB) is larger on both, so it decides.
    assert pod_request(api) == (Decimal(1), Decimal(2**30))
    assert [c.name for c in api.init_containers] == ["migrate"]
