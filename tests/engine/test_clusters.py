"""The clusters section end to end on an in-memory catalog (prices pinned here), and seed 003 on the packaged one."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from infrafit.catalog.lookup import Catalog
from infrafit.engine.evaluate import evaluate
from infrafit.errors import InputError
from infrafit.plan.loader import load_plan

D = Decimal
SOURCE = {"source": "https://example.com/pricing", "as_of": "2026-01-15"}
ROOT = Path(__file__).resolve().parents[2]


def toy() -> dict[str, Any]:
    """Two node types: 2 vCPU / 4 GiB at $0.10 an hour (max pods 17), 2 vCPU / 8 GiB at $0.20; a vCPU quota."""
    return {
        "provider": "toy",
        "name": "Toy Cloud",
        "as_of": "2026-01-15",
        "services": {
            "vm": {
                "name": "Toy VM",
                "category": "compute",
                "model": "instance",
                "regions": ["r1"],
                "default_region": "r1",
                "usage": ["hours"],
                "fields": ["type", "count", "disk"],
                "meters": {"instance": {"label": "Instance hours", "unit": "hour", "category": "compute"}},
                "types": {
                    "m4": {
                        "vcpu": 2,
                        "memory": "4GiB",
                        "family": "t",
                        "hourly": {"r1": "0.10"},
                        "max_pods": {"value": 17, **SOURCE},
                        **SOURCE,
                    },
                    "m8": {"vcpu": 2, "memory": "8GiB", "family": "t", "hourly": {"r1": "0.20"}, **SOURCE},
                },
            }
        },
        "quotas": {"vcpu": {"name": "vCPUs", "services": ["toy.vm"], "default": 8, **SOURCE}},
    }


PLAN = """
name: k
month_hours: 100
resources:
  db: {service: toy.vm, type: m8}
clusters:
  prod:
    provider: toy.vm
    node_groups: {general: {type: m4, count: 3}}
    reserved: eks
    workloads:
      api: {replicas: 10, requests: {cpu: 600m, memory: 1Gi}}
      exporter: {daemonset: true, requests: {cpu: 50m, memory: 64Mi}}
"""


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Catalog:
    monkeypatch.setenv("INFRAFIT_CATALOG_DIR", str(tmp_path))
    return Catalog.from_data({"toy": toy()})


def test_fit_quota_and_cost(catalog: Catalog) -> None:
    result = evaluate(load_plan("k.yaml", text=PLAN), catalog)
    (c,) = result.sections["clusters"]
    # Per node (EKS, m4: 2,000m, 4,096 MiB, 17 pods): 1,930m / 3,554 MiB allocatable; the exporter leaves
    # 1,880m / 3,490 MiB / 16 slots for the api: floor(1,880 / 600) = 3 per node -> 9 of 10 placed.
    (g,) = c.node_groups
    assert (g.allocatable_cpu_m, g.allocatable_memory // 2**20) == (1930, 3554)
    assert (g.free_cpu_m, g.free_memory // 2**20, g.free_pods) == (1880, 3490, 16)
    assert [(u.workload, u.replicas) for u in c.unschedulable] == [("api", 1)]
    assert "pods_unschedulable" in {f.code for f in result.findings}
    # Nodes: 3 × $0.10 × 100 h = $30 on top of the db's $0.20 × 100 = $20.
    assert c.monthly_cost == D(30)
    assert result.total_monthly_cost == D(50)
    # Quota: db 2 + nodes 6 = 8 vCPU of the default 8.
    (q,) = result.quotas
    assert (q.used, q.limit) == (D(8), D(8))
    # Requested: 9 × 600 + 3 × 50 = 5,550m of 5,790m allocatable.
    assert (c.requested_cpu_m, c.allocatable_cpu_m) == (5550, 5790)


def test_cost_per_workload_opencost_style(catalog: Catalog) -> None:
    result = evaluate(load_plan("k.yaml", text=PLAN), catalog)
    (c,) = result.sections["clusters"]
    # A node costs $10 a month: $5 on its 2,000m (0.25¢ per millicore), $5 on its 4 GiB.
    # api: 9 pods × (600 × 5/2000 + 1 GiB × 5/4 GiB) = 9 × (1.5 + 1.25) = $24.75.
    # exporter: 3 × (50 × 5/2000 + 64 MiB × 5/4096 MiB) = 3 × (0.125 + 0.078125) = $0.609375.
    costs = {w.workload: w.monthly_cost for w in c.costs}
    assert costs == {"api": D("24.75"), "exporter": D("0.609375")}
    # Idle: $30 − 24.75 − 0.609375.
    assert c.idle_cost == D("4.640625")


def test_used_raises_the_charge_above_the_request(catalog: Catalog) -> None:
    text = PLAN.replace("requests: {cpu: 600m, memory: 1Gi}}", "requests: {cpu: 600m, memory: 1Gi}, used: {cpu: 800m}}")
    (c,) = evaluate(load_plan("k.yaml", text=text), catalog).sections["clusters"]
    api = next(w for w in c.costs if w.workload == "api")
    # max(600m, 800m) = 800m: 9 × (800 × 5/2000 + 1.25) = 9 × 3.25 = $29.25.
    assert api.monthly_cost == D("29.25")


def test_init_containers_count_as_kubernetes_counts_them(catalog: Catalog) -> None:
    text = PLAN.replace(
        "api: {replicas: 10, requests: {cpu: 600m, memory: 1Gi}}",
        "api: {replicas: 2, containers: [{requests: {cpu: 100m, memory: 100Mi}}, {requests: {cpu: 200m, memory: 100Mi}}],"
        " init_containers: [{requests: {cpu: 1, memory: 50Mi}}]}",
    )
    (c,) = evaluate(load_plan("k.yaml", text=text), catalog).sections["clusters"]
    api = next(w for w in c.costs if w.workload == "api")
    # CPU: max(1,000m init, 100 + 200 app) = 1,000m; memory: max(50Mi, 200Mi) = 200Mi.
    assert (api.cpu_m, api.memory) == (1000, 200 * 2**20)


def test_unknown_type_and_pin_are_located(catalog: Catalog) -> None:
    with pytest.raises(InputError, match=r"k.yaml:9:.*unknown type 'm5' for toy.vm \(valid: m4, m8\)"):
        evaluate(load_plan("k.yaml", text=PLAN.replace("type: m4", "type: m5")), catalog)
    bad = PLAN.replace("requests: {cpu: 600m, memory: 1Gi}}", "requests: {cpu: 600m, memory: 1Gi}, node_group: generl}")
    with pytest.raises(InputError, match=r"no node group 'generl'.*did you mean general"):
        evaluate(load_plan("k.yaml", text=bad), catalog)


def test_manifests_are_read(catalog: Catalog, tmp_path: Path) -> None:
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "all.yaml").write_text(
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  template:
    spec:
      initContainers: [{name: migrate, resources: {requests: {cpu: "1", memory: 64Mi}}}]
      containers: [{name: web, resources: {requests: {cpu: 250m, memory: 256Mi}}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: j, resources: {limits: {cpu: 2}}}]}}}}}
"""
    )
    plan = tmp_path / "p.yaml"
    plan.write_text(
        PLAN.replace("    workloads:", "    manifests: k8s\n    workloads:").replace(
            "      api: {replicas: 10, requests: {cpu: 600m, memory: 1Gi}}\n", ""
        )
    )
    (c,) = evaluate(load_plan(plan), catalog).sections["clusters"]
    web = next(w for w in c.costs if w.workload == "shop/web")
    # The init container's 1 CPU is above the app's 250m: each pod asks 1,000m / 256Mi; 4 fit (1 per 1,880m node,
    # 3 nodes -> 3 placed, 1 unschedulable).
    assert (web.cpu_m, web.memory, web.replicas) == (1000, 256 * 2**20, 3)
    assert c.not_packed == ["nightly"]


def test_seed003_after_on_the_packaged_catalog() -> None:
    result = evaluate(load_plan(ROOT / "examples" / "seed003-after.yaml"))
    (c,) = result.sections["clusters"]
    # 13 t3 nodes × 2 vCPU = 26; 1 large (8) + 4 micro (1) + 6 small (2) + 2 medium (4) = 32 GiB.
    assert (c.nodes, c.vcpu, c.memory_gib) == (13, D(26), 32.0)
    assert not c.unschedulable
    # t3.small on reserved: none: 2,048 − 100 = 1,948 MiB for the AI worker's 1Gi.
    ai = next(g for g in c.node_groups if g.name == "worker-ai")
    assert ai.allocatable_memory == 1948 * 2**20
    assert "quota_exceeded" in {f.code for f in result.findings}
    assert c.monthly_cost == result.total_monthly_cost


def test_eks_max_pods_come_from_the_catalog() -> None:
    catalog = Catalog()
    _, ec2 = catalog.service("aws.ec2")
    got = {t: ec2.types[t].max_pods.value for t in ("t3.micro", "t3.small", "t3.medium", "t3.large")}  # type: ignore[union-attr]
    assert got == {"t3.micro": 4, "t3.small": 11, "t3.medium": 17, "t3.large": 35}
