"""Workloads read from Kubernetes YAML: Deployments, StatefulSets, ReplicaSets, DaemonSets, Jobs and CronJobs, in
files of one or many documents (``---``), ``List`` objects included, as ``helm template`` or ``kustomize build``
print them. Other kinds (Services, ConfigMaps...) are skipped. The result is plain data shaped like a plan workload
(``replicas``, ``containers``, ``init_containers``, ``daemonset``, ``always_on``, ``kind``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

__all__ = ["ManifestError", "read_manifests"]

_KINDS = {"Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "Job", "CronJob"}


class ManifestError(ValueError):
    """A manifest that cannot be read: the file and what is wrong."""


def _files(where: Path) -> list[Path]:
    if where.is_dir():
        return sorted(p for p in where.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if where.is_file():
        return [where]
    raise ManifestError(f"{where}: no such file or folder of manifests")


def _containers(spec: dict[str, Any], key: str) -> list[dict[str, Any]]:
    out = []
    for c in spec.get(key) or []:
        res = c.get("resources") or {}
        out.append(
            {
                "name": str(c.get("name", "")),
                "requests": {k: v for k, v in (res.get("requests") or {}).items() if k in ("cpu", "memory")},
                "limits": {k: v for k, v in (res.get("limits") or {}).items() if k in ("cpu", "memory")},
            }
        )
    return out


def _pod_spec(doc: dict[str, Any]) -> dict[str, Any]:
    spec = doc.get("spec") or {}
    if doc["kind"] == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    return ((spec.get("template") or {}).get("spec")) or {}


def _workload(doc: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kind = doc["kind"]
    meta = doc.get("metadata") or {}
    name = str(meta.get("name", "unnamed"))
    ns = meta.get("namespace")
    spec = doc.get("spec") or {}
    pod = _pod_spec(doc)
    replicas = 1
    if kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        replicas = int(spec.get("replicas", 1))
    elif kind == "Job":
        replicas = int(spec.get("parallelism", 1))
    workload: dict[str, Any] = {
        "kind": kind,
        "replicas": replicas,
        "daemonset": kind == "DaemonSet",
        "always_on": kind not in ("Job", "CronJob"),
    }
    init = [c for c in _containers(pod, "initContainers")]
    apps = _containers(pod, "containers")
    # A restartable init container (a native sidecar) runs beside the app containers for the pod's whole life.
    sidecars = [
        c for c, raw in zip(init, pod.get("initContainers") or [], strict=True) if raw.get("restartPolicy") == "Always"
    ]
    workload["containers"] = apps + sidecars
    workload["init_containers"] = [c for c in init if c not in sidecars]
    selector = pod.get("nodeSelector") or {}
    group = selector.get("eks.amazonaws.com/nodegroup") or selector.get("cloud.google.com/gke-nodepool")
    if group:
        workload["node_group"] = str(group)
    return (f"{ns}/{name}" if ns else name), workload


def _documents(path: Path) -> list[dict[str, Any]]:
    try:
        docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise ManifestError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    out: list[dict[str, Any]] = []
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        if doc.get("kind") == "List":
            out += [d for d in doc.get("items") or [] if isinstance(d, dict)]
        else:
            out.append(doc)
    return out


def read_manifests(where: Path) -> dict[str, dict[str, Any]]:
    """Workload name (``namespace/name`` where a namespace is set) -> workload fields, in file order."""
    found: dict[str, dict[str, Any]] = {}
    for path in _files(where):
        for doc in _documents(path):
            if doc.get("kind") not in _KINDS:
                continue
            try:
                name, workload = _workload(doc)
            except (TypeError, ValueError, AttributeError) as exc:
                raise ManifestError(f"{path}: {doc.get('kind')} cannot be read ({exc})") from None
            if name in found:
                raise ManifestError(f"{path}: {doc['kind']} {name} is defined twice")
            found[name] = workload
    return found
