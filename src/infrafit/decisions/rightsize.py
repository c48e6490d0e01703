"""What right-sizing does to a plan's cluster: the plan evaluated as it is and with the recommended requests and
limits (nodes the packing uses, unschedulable pods, requested against allocatable, monthly cost), and the plan
written out with the new values.

Workloads are matched by name (the plan's ``workloads:`` key, or a manifest's name, against the owning workload in
the metrics). A pod-level workload gets the sum over its containers; a workload with ``containers:`` gets each
container's own values. The CPU limit is not lowered; one below the new request is raised to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from infrafit.kube.rightsize import Recommendation
from infrafit.kube.settings import cpu_text, memory_text

if TYPE_CHECKING:
    from infrafit.catalog.overlay import OverlayUse

__all__ = ["ClusterFigures", "PlanEffect", "plan_effect", "write_plan"]


@dataclass(frozen=True, kw_only=True)
class ClusterFigures:
    nodes: int
    nodes_used: int
    vcpu: Decimal
    requested_cpu: float
    """Cores requested, DaemonSets included."""
    allocatable_cpu: float
    requested_memory_gib: float
    allocatable_memory_gib: float
    unschedulable: int
    monthly_cost: Decimal
    used_nodes_cost: Decimal
    """Monthly cost of only the nodes the packing uses (what removing the idle nodes would leave)."""

    def to_json(self) -> dict[str, Any]:
        return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in self.__dict__.items()}


@dataclass(kw_only=True)
class PlanEffect:
    cluster: str
    before: ClusterFigures
    after: ClusterFigures
    total_before: Decimal
    total_after: Decimal
    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    catalog_as_of: date | None = None
    catalog_overlay: OverlayUse | None = None
    """The catalog overlay the plan was priced with (None: the packaged catalog alone)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "cluster": self.cluster,
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "monthly_cost": {"before": float(self.total_before), "after": float(self.total_after)},
            "changed": self.changed,
            "notes": self.notes,
        }


def _pick_cluster(plan: Any, cluster: str | None) -> str:
    clusters = getattr(plan, "clusters", None) or {}
    if not clusters:
        raise ValueError(f"{plan.file or 'the plan'} has no clusters: section")
    if cluster is None:
        if len(clusters) > 1:
            raise ValueError(f"the plan has clusters {', '.join(clusters)}; choose one with --cluster")
        return str(next(iter(clusters)))
    if cluster not in clusters:
        raise ValueError(f"no cluster {cluster!r} in the plan; it has {', '.join(clusters)}")
    return cluster


def _figures(result: Any, name: str) -> ClusterFigures:
    report = next(r for r in result.sections.get("clusters", []) if r.name == name)
    price = {g.name: g.monthly_per_node for g in report.node_groups}
    busy = [n for n in report.per_node if n.pods > 0]
    used = sorted(report.per_node, key=lambda n: -n.cpu_m)[: report.nodes_used] if busy else []
    return ClusterFigures(
        nodes=report.nodes,
        nodes_used=report.nodes_used,
        vcpu=report.vcpu,
        requested_cpu=report.requested_cpu_m / 1000,
        allocatable_cpu=report.allocatable_cpu_m / 1000,
        requested_memory_gib=report.requested_memory / 2**30,
        allocatable_memory_gib=report.allocatable_memory / 2**30,
        unschedulable=report.unschedulable_pods,
        monthly_cost=report.monthly_cost,
        used_nodes_cost=sum((price[n.group] for n in used), Decimal(0)),
    )


def _resized(workload: Any, recs: Sequence[Recommendation]) -> Any:
    """A copy of the plan's workload with the recommended requests and limits."""
    w = workload.model_copy(deep=True)
    if not w.containers:
        cpus = [r.cpu_request for r in recs if r.cpu_request is not None]
        mems = [r.memory_request for r in recs if r.memory_request is not None]
        if cpus:
            w.requests.cpu = Decimal(str(round(sum(cpus), 3)))
        if mems:
            w.requests.memory = w.limits.memory = Decimal(int(sum(mems)))
    else:
        by_container = {r.container: r for r in recs}
        for c in w.containers:
            rec = by_container.get(c.name)
            if rec is None:
                continue
            if rec.cpu_request is not None:
                c.requests.cpu = Decimal(str(rec.cpu_request))
            if rec.memory_request is not None:
                c.requests.memory = c.limits.memory = Decimal(int(rec.memory_request))
    for part in [w, *w.containers]:
        if part.limits.cpu is not None and part.requests.cpu is not None and part.limits.cpu < part.requests.cpu:
            part.limits.cpu = part.requests.cpu
    return w


def _apply(plan: Any, name: str, recs: Sequence[Recommendation]) -> tuple[Any, list[str], list[str]]:
    """The plan with the cluster's workloads right-sized; (plan, changed, notes)."""
    from infrafit.engine.sections.cluster_nodes import workloads

    copy = plan.model_copy(deep=True)
    cluster = copy.clusters[name]
    known = workloads(name, cluster, copy)
    grouped: dict[str, list[Recommendation]] = {}
    for r in recs:  # a manifest's workload is named namespace/name; a plan's by its bare name
        key = f"{r.namespace}/{r.workload}" if f"{r.namespace}/{r.workload}" in known else r.workload
        grouped.setdefault(key, []).append(r)
    changed, notes = [], []
    for wname, items in grouped.items():
        if wname not in known:
            continue
        spaces = {r.namespace for r in items}
        if len(spaces) > 1:
            notes.append(f"{wname}: found in namespaces {', '.join(sorted(spaces))}; give --namespace to choose one")
            continue
        cluster.workloads[wname] = _resized(known[wname], items)
        changed.append(wname)
    missing = sorted(set(grouped) - set(known))
    if missing:
        notes.append(f"in the metrics but not in the cluster's workloads: {', '.join(missing)}")
    return copy, changed, notes


def plan_effect(path: Path, recs: Sequence[Recommendation], *, cluster: str | None = None) -> PlanEffect:
    """The plan at ``path`` evaluated as it is and right-sized."""
    from infrafit.catalog.lookup import Catalog
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan

    plan = load_plan(path)
    name = _pick_cluster(plan, cluster)
    resized, changed, notes = _apply(plan, name, recs)
    catalog = Catalog(plan.overrides)
    before, after = evaluate(plan, catalog), evaluate(resized, catalog)
    if not changed:
        notes.append("no workload of the cluster matched the metrics by name; nothing changed")
    return PlanEffect(
        cluster=name,
        before=_figures(before, name),
        after=_figures(after, name),
        total_before=before.total_monthly_cost,
        total_after=after.total_monthly_cost,
        changed=changed,
        notes=notes,
        catalog_as_of=before.catalog_as_of,
        catalog_overlay=before.catalog_overlay,
    )


def write_plan(path: Path, target: Path, recs: Sequence[Recommendation], *, cluster: str | None = None) -> list[str]:
    """Write a copy of the plan at ``path`` to ``target`` with the cluster's workloads right-sized (YAML comments
    are not kept); returns the workloads changed. Workloads only in manifests are left to ``--patch``."""
    from infrafit.fileio import write_atomic
    from infrafit.plan.loader import load_plan

    plan = load_plan(path)
    name = _pick_cluster(plan, cluster)
    resized, changed, _ = _apply(plan, name, recs)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = raw["clusters"][name].setdefault("workloads", {}) or {}
    written = []
    for wname in changed:
        if wname not in entries:
            continue
        w = resized.clusters[name].workloads[wname]
        entry = entries[wname]
        if w.containers:
            for raw_c, c in zip(entry.get("containers", []), w.containers, strict=False):
                raw_c["requests"], raw_c["limits"] = _resources(c.requests), _resources(c.limits)
        else:
            entry["requests"], entry["limits"] = _resources(w.requests), _resources(w.limits)
        written.append(wname)
    write_atomic(target, yaml.safe_dump(raw, sort_keys=False, allow_unicode=True))
    return written


def _resources(res: Any) -> dict[str, str]:
    out = {}
    if res.cpu is not None:
        out["cpu"] = cpu_text(float(res.cpu))
    if res.memory is not None:
        out["memory"] = memory_text(float(res.memory))
    return out
