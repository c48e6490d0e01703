"""``infrafit import kubernetes``: manifests (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs; multi-document,
``List`` objects, Helm or kustomize output) to a ``clusters:`` section whose workloads are the manifests' pods.

The manifests are read by the clusters section's own reader (:mod:`infrafit.kube.manifests`), so a plan that
points ``manifests:`` at the folder and a plan imported from it see the same pods: init containers kept apart
(the scheduler counts the largest of them against the sum of the app containers), native sidecars counted with
the app containers. Node groups are not in manifests: they are left to fill.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from infrafit.catalog.lookup import Catalog
from infrafit.errors import InputError, Problem
from infrafit.importers import importer
from infrafit.importers.draft import Draft, Finding

__all__ = ["import_kubernetes"]


def _container(c: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.get("name", "")}
    for key in ("requests", "limits"):
        if c.get(key):
            out[key] = {k: str(v) for k, v in c[key].items()}
    return out


@importer("kubernetes")
def import_kubernetes(
    path: Path, *, cluster: str = "main", provider: str = "aws.ec2", name: str | None = None,
    catalog: Catalog | None = None,
) -> Draft:
    """A plan draft with one cluster: the manifests' workloads, node groups to fill."""
    from infrafit.kube.manifests import ManifestError, read_manifests

    try:
        workloads = read_manifests(path)
    except ManifestError as exc:
        raise InputError([Problem(str(exc))]) from None
    service = (catalog or Catalog()).service(provider)[1]
    node_type = service.default_type or next(iter(service.types), None)
    if node_type is None:
        raise InputError([Problem(f"{provider} has no instance types to run nodes on; give --provider aws.ec2 or gcp.compute_engine")])
    title = name or (path.name if path.is_dir() else path.stem) or "kubernetes"
    draft = Draft(name=title, source=f"{path} (Kubernetes manifests)")
    draft.put(("name",), title)
    draft.body["resources"] = {}
    base = ("clusters", cluster)
    draft.put((*base, "provider"), provider, "catalog service that prices the nodes")
    draft.put((*base, "node_groups", "general", "type"), node_type, "FILL the nodes' instance type")
    draft.put((*base, "node_groups", "general", "count"), 3, "FILL how many nodes")
    draft.put((*base, "workloads"), {})
    for wname, w in workloads.items():
        entry: dict[str, Any] = {"kind": w["kind"]}
        if not w.get("daemonset"):
            entry["replicas"] = w.get("replicas", 1)
        else:
            entry["daemonset"] = True
        if not w.get("always_on", True):
            entry["always_on"] = False
        entry["containers"] = [_container(c) for c in w.get("containers") or []]
        if w.get("init_containers"):
            entry["init_containers"] = [_container(c) for c in w["init_containers"]]
        if w.get("node_group"):
            entry["node_group"] = w["node_group"]
        draft.body["clusters"][cluster]["workloads"][wname] = entry
        bare = [c.get("name", "") for c in w.get("containers") or [] if not c.get("requests") and not c.get("limits")]
        if bare:
            draft.findings.append(Finding(
                code="no_requests", severity="info", subject=wname,
                message=f"container(s) {', '.join(bare)} request no CPU or memory: the scheduler counts them as 0",
            ))
    if not workloads:
        draft.findings.append(Finding(
            code="no_workloads", severity="warning", subject=str(path),
            message="no Deployments, StatefulSets, DaemonSets, Jobs or CronJobs found",
        ))
    return draft
