"""Recommendations as strategic-merge patches, one file per workload, for ``kubectl patch`` or a kustomization.

Each patch sets ``resources.requests.cpu``, ``requests.memory`` and ``limits.memory`` of the named containers and
nothing else (the CPU limit is left as it is).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from infrafit.kube.rightsize import Recommendation
from infrafit.kube.settings import cpu_text, memory_text

__all__ = ["patch_document", "write_patches"]

_API = {
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "ReplicaSet": "apps/v1",
    "Job": "batch/v1",
    "CronJob": "batch/v1",
}


def patch_document(kind: str, name: str, namespace: str, recs: Sequence[Recommendation]) -> dict[str, Any]:
    """The patch for one workload's containers."""
    containers = []
    for r in recs:
        resources: dict[str, Any] = {}
        if r.cpu_request is not None:
            resources.setdefault("requests", {})["cpu"] = cpu_text(r.cpu_request)
        if r.memory_request is not None:
            resources.setdefault("requests", {})["memory"] = memory_text(r.memory_request)
        if r.memory_limit is not None:
            resources["limits"] = {"memory": memory_text(r.memory_limit)}
        containers.append({"name": r.container, "resources": resources})
    pod: dict[str, Any] = {"template": {"spec": {"containers": containers}}}
    spec = {"jobTemplate": {"spec": pod}} if kind == "CronJob" else pod
    return {"apiVersion": _API[kind], "kind": kind, "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def write_patches(recs: Sequence[Recommendation], folder: Path) -> list[Path]:
    """One ``<namespace>-<kind>-<name>.yaml`` per workload in ``folder``; bare pods have no template and are skipped."""
    grouped: dict[tuple[str, str, str], list[Recommendation]] = {}
    for r in recs:
        if r.kind in _API:
            grouped.setdefault((r.namespace, r.kind, r.workload), []).append(r)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for (ns, kind, name), items in sorted(grouped.items()):
        path = folder / re.sub(r"[^A-Za-z0-9_.-]", "_", f"{ns}-{kind.lower()}-{name}.yaml")
        path.write_text(yaml.safe_dump(patch_document(kind, name, ns, items), sort_keys=False), encoding="utf-8")
        written.append(path)
    return written
