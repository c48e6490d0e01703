"""A day of a small cluster's metrics with known percentiles and peaks, and the answers worked out by hand.

Times are fixed (END is a multiple of the 75 s step and of the 15 s scrape), so the query grid is
START, START + 75 s, ..., END and every 75 s rate window holds whole scrapes of one constant rate.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from tests.kube.prom import Dataset, counter

MI = 2**20
STEP = 75
SCRAPE = 15
END = 23_333_333 * STEP  # 1,749,999,975 = 2025-06-15T14:26:15Z
START = END - 86_400
END_ISO = datetime.fromtimestamp(END, UTC).isoformat()


def _times(start: int, end: int, every: int = SCRAPE) -> np.ndarray:
    return np.arange(start, end + 1, every, dtype=np.int64)


def _container(
    data: Dataset,
    ns: str,
    pod: str,
    container: str,
    times: np.ndarray,
    cpu: np.ndarray | float,
    memory: np.ndarray | float,
) -> None:
    labels = {
        "namespace": ns,
        "pod": pod,
        "container": container,
        "image": f"example/{container}:1",
        "id": f"/{pod}/{container}",
    }
    rates = np.broadcast_to(np.asarray(cpu, dtype=float), times.shape)
    data.add("container_cpu_usage_seconds_total", labels, times, counter(times, rates))
    data.add("container_memory_working_set_bytes", labels, times, memory)


def _owner(data: Dataset, ns: str, pod: str, kind: str, name: str, start: int, end: int) -> None:
    labels = {"namespace": ns, "pod": pod, "owner_kind": kind, "owner_name": name, "owner_is_controller": "true"}
    data.add("kube_pod_owner", labels, _times(start, end, 60), 1.0)


def _resources(data: Dataset, ns: str, pod: str, container: str, start: int, end: int, **values: float) -> None:
    for key, value in values.items():
        which, resource = key.split("_")
        unit = "core" if resource == "cpu" else "byte"
        labels = {"namespace": ns, "pod": pod, "container": container, "resource": resource, "unit": unit}
        data.add(f"kube_pod_container_resource_{which}", labels, _times(start, end, 60), value)


def build() -> Dataset:
    """The cluster, namespace by namespace (see EXPECTED for what each container should get)."""
    data = Dataset()
    day = _times(START, END)
    # shop/api (Deployment via two ReplicaSets, i.e. a rollout two hours in).
    # Pod a: rate 0.3 in every fifth 75 s block (230 of its 1,152 rate points), else 0.2; one 400Mi spike at
    # 10 h 30 s, between two grid points. Pod b: a flat 0.25. Pod c (old ReplicaSet, first two hours): 0.1.
    block = np.ceil((day - START) / STEP).astype(int)
    _container(
        data,
        "shop",
        "api-6f7c9-aaaaa",
        "api",
        day,
        np.where(block % 5 == 0, 0.3, 0.2),
        np.where(day == START + 36_030, 400 * MI, 200 * MI),
    )
    _container(data, "shop", "api-6f7c9-bbbbb", "api", day, 0.25, 300 * MI)
    early = _times(START, START + 7200)
    _container(data, "shop", "api-5d4b8-ccccc", "api", early, 0.1, 100 * MI)
    # cAdvisor's pod-level (container="") and pause-container series must be left out: they would dominate.
    for other in ("", "POD"):
        labels = {"namespace": "shop", "pod": "api-6f7c9-aaaaa", "container": other}
        data.add("container_cpu_usage_seconds_total", labels, day, counter(day, np.full(day.shape, 5.0)))
        data.add("container_memory_working_set_bytes", labels, day, 4000 * MI)
    for pod, rs in (("api-6f7c9-aaaaa", "api-6f7c9"), ("api-6f7c9-bbbbb", "api-6f7c9")):
        _owner(data, "shop", pod, "ReplicaSet", rs, START, END)
        _resources(
            data, "shop", pod, "api", START, END, requests_cpu=0.4, requests_memory=512 * MI, limits_memory=1024 * MI
        )
    _owner(data, "shop", "api-5d4b8-ccccc", "ReplicaSet", "api-5d4b8", START, START + 7200)
    _resources(
        data,
        "shop",
        "api-5d4b8-ccccc",
        "api",
        START,
        START + 7200,
        requests_cpu=0.5,
        requests_memory=1024 * MI,
        limits_memory=1024 * MI,
    )
    for rs in ("api-6f7c9", "api-5d4b8"):
        data.add(
            "kube_replicaset_owner",
            {"namespace": "shop", "replicaset": rs, "owner_kind": "Deployment", "owner_name": "api"},
            _times(START, END, 60),
            1.0,
        )
    # shop/db: a StatefulSet using less than the floors.
    _container(data, "shop", "db-0", "postgres", day, 0.005, 50 * MI)
    _owner(data, "shop", "db-0", "StatefulSet", "db", START, END)
    _resources(
        data,
        "shop",
        "db-0",
        "postgres",
        START,
        END,
        requests_cpu=1.0,
        requests_memory=2048 * MI,
        limits_memory=2048 * MI,
    )
    # shop/report: a CronJob's Job that ran for one hour.
    hour = _times(START + 3600, START + 7200)
    _container(data, "shop", "report-28000000-x7k2p", "report", hour, 0.5, 200 * MI)
    _owner(data, "shop", "report-28000000-x7k2p", "Job", "report-28000000", START + 3600, START + 7200)
    data.add(
        "kube_job_owner",
        {"namespace": "shop", "job_name": "report-28000000", "owner_kind": "CronJob", "owner_name": "report"},
        _times(START + 3600, START + 7200, 60),
        1.0,
    )
    # ops/node-exporter: a DaemonSet on two nodes.
    for node in ("n1", "n2"):
        pod = f"node-exporter-{node}"
        _container(data, "ops", pod, "node-exporter", day, 0.02, 30 * MI)
        _owner(data, "ops", pod, "DaemonSet", "node-exporter", START, END)
        _resources(
            data,
            "ops",
            pod,
            "node-exporter",
            START,
            END,
            requests_cpu=0.05,
            requests_memory=64 * MI,
            limits_memory=64 * MI,
        )
    # ops/worker: OOM-killed at its 256Mi limit half-way through the day.
    _container(data, "ops", "worker-77f8d-qqqqq", "worker", day, 0.1, 250 * MI)
    _owner(data, "ops", "worker-77f8d-qqqqq", "ReplicaSet", "worker-77f8d", START, END)
    data.add(
        "kube_replicaset_owner",
        {"namespace": "ops", "replicaset": "worker-77f8d", "owner_kind": "Deployment", "owner_name": "worker"},
        _times(START, END, 60),
        1.0,
    )
    _resources(
        data,
        "ops",
        "worker-77f8d-qqqqq",
        "worker",
        START,
        END,
        requests_cpu=0.1,
        requests_memory=256 * MI,
        limits_memory=256 * MI,
    )
    oom = {"namespace": "ops", "pod": "worker-77f8d-qqqqq", "container": "worker", "reason": "OOMKilled"}
    data.add("kube_pod_container_status_last_terminated_reason", oom, _times(START + 43_200, END, 60), 1.0)
    return data


# (namespace, kind, workload, container) -> (CPU cores, memory bytes), at the defaults (p95, 15%, 10m, 100Mi):
EXPECTED = {
    # p95 of pod a: rank 0.95 × 1,151 = 1,093.45 lies among the top 230 values (ranks 922..1,151), all 0.3; pod b
    # 0.25, pod c 0.1: the highest pod gives 300m. Peak 400Mi (the spike) × 1.15 = 460Mi.
    ("shop", "Deployment", "api", "api"): (0.3, 460 * MI),
    # 5m and 50Mi × 1.15 = 57.5Mi are under the floors: 10m and 100Mi.
    ("shop", "StatefulSet", "db", "postgres"): (0.01, 100 * MI),
    # 500m; 200Mi × 1.15 = 230Mi; under three hours of history.
    ("shop", "CronJob", "report", "report"): (0.5, 230 * MI),
    # 20m; 30Mi × 1.15 = 34.5Mi is under the 100Mi floor.
    ("ops", "DaemonSet", "node-exporter", "node-exporter"): (0.02, 100 * MI),
    # 100m; OOM at the 256Mi limit: max(250 × 1.15 = 287.5, 256 + 100 = 356, 256 × 1.2 = 307.2) = 356Mi.
    ("ops", "Deployment", "worker", "worker"): (0.1, 356 * MI),
}
