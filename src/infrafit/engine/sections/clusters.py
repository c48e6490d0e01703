"""The ``clusters:`` section: each cluster's nodes (priced as the provider's instances, counted against its quotas),
whether its pods fit (allocatable after the reservation model and DaemonSets, first-fit-decreasing, CP-SAT when
that is not provably best), how full it is, and what each workload costs (OpenCost-style)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import ClassVar

from infrafit.engine.result import Finding, Severity
from infrafit.engine.sections.base import Line, Outcome, SectionEnv
from infrafit.engine.sections.cluster_nodes import Shape, eligible_groups, node_resource, pod_items, shape, workloads
from infrafit.engine.sections.cluster_report import (
    ClusterReport,
    NodeGroupReport,
    NodeUse,
    Unschedulable,
    WorkloadCost,
)
from infrafit.kube.packing import Bin, Item, Packing, pack
from infrafit.kube.reserve import MIB
from infrafit.plan.clusters import Cluster, Workload, pod_request

__all__ = ["ClustersSection"]

ZERO = Decimal(0)


def _mib(n: float) -> str:
    return f"{n / MIB:,.0f} MiB"


class ClustersSection:
    """Turns a plan's clusters into reports, findings and the node lines they add."""

    key: ClassVar[str] = "clusters"

    def run(self, value: dict[str, Cluster], env: SectionEnv) -> Outcome:
        outcome = Outcome()
        for name, cluster in value.items():
            outcome.reports.append(_cluster(name, cluster, env, outcome))
            if env.on_progress:
                env.on_progress(name)
        return outcome


def _cluster(name: str, cluster: Cluster, env: SectionEnv, outcome: Outcome) -> ClusterReport:
    plan, catalog = env.plan, env.catalog
    loads = workloads(name, cluster, plan)
    groups_of = {w: eligible_groups(name, cluster, w, spec) for w, spec in loads.items()}
    shapes: dict[str, Shape] = {}
    for g, spec in cluster.node_groups.items():
        daemons = [w for wn, w in loads.items() if w.daemonset and g in groups_of[wn]]
        shapes[g] = shape(name, cluster, g, spec.type, spec.disk, spec.max_pods, daemons, plan, catalog)
        if spec.count:
            res = node_resource(cluster, spec.type, spec.count, spec.disk)
            outcome.extra.append(Line(name=f"{g} [cluster {name}]", resource=res, origin=f"clusters:{name}"))
        _daemon_fit(name, g, shapes[g], loads, groups_of, outcome)
    bins: list[Bin] = []
    index: dict[str, list[int]] = {g: [] for g in cluster.node_groups}
    node_names: list[str] = []
    for g, spec in cluster.node_groups.items():
        for k in range(spec.count):
            index[g].append(len(bins))
            free = shapes[g].free
            bins.append(Bin(cpu_m=free.cpu_m, memory=free.memory, pods=free.pods))
            node_names.append(f"{g}-{k + 1}")
    items = pod_items(loads, index, groups_of)
    packing = pack(items, bins)
    report = _report(name, cluster, shapes, packing, bins, node_names, index, loads, groups_of)
    for item in items:
        left = packing.unschedulable.get(item.name)
        if not left:
            continue
        reason = _why(item.name, item.cpu_m, item.memory, [shapes[g] for g in groups_of[item.name]], cluster)
        reason += _short(item.name, items, bins)
        report.unschedulable.append(Unschedulable(workload=item.name, replicas=left, reason=reason))
        outcome.findings.append(
            Finding(
                severity=Severity.ERROR,
                code="pods_unschedulable",
                resource=None,
                message=f"cluster {name}: {left} of {item.count} pods of {item.name} cannot be scheduled "
                f"({item.cpu_m:,}m CPU, {_mib(item.memory)} each): {reason}",
                fix=f"add nodes or a larger type, or lower the requests; `infrafit fleet PLAN --cluster {name} "
                "--types ...` finds the cheapest fleet that holds every pod",
                value=Decimal(left),
                subject=f"cluster:{name}:{item.name}",
            )
        )
    return report


def _daemon_fit(
    name: str, g: str, s: Shape, loads: dict[str, Workload], groups_of: dict[str, list[str]], outcome: Outcome
) -> None:
    """DaemonSets that ask for more than a node of the group has: every node misses them."""
    if (
        s.daemon_cpu_m <= s.allocatable.cpu_m
        and s.daemon_memory <= s.allocatable.memory
        and s.daemon_pods <= s.max_pods
    ):
        return
    names = ", ".join(w for w, spec in loads.items() if spec.daemonset and g in groups_of[w])
    outcome.findings.append(
        Finding(
            severity=Severity.ERROR,
            code="daemonset_unschedulable",
            resource=None,
            message=f"cluster {name}: the DaemonSets ({names}) ask {s.daemon_cpu_m:,}m CPU and "
            f"{_mib(s.daemon_memory)} per node; a {s.type} node of group {g} has {s.allocatable.cpu_m:,}m and "
            f"{_mib(s.allocatable.memory)} allocatable",
            fix="a larger node type for the group, or smaller DaemonSet requests",
            subject=f"cluster:{name}:daemonsets:{g}",
        )
    )


def _why(wname: str, cpu_m: int, memory: int, shapes: list[Shape], cluster: Cluster) -> str:
    if not shapes:
        return "no node group it may run on (every group is dedicated)"
    if all(cpu_m > s.free.cpu_m or memory > s.free.memory for s in shapes):
        best = max(shapes, key=lambda s: (s.free.memory, s.free.cpu_m))
        return (
            f"larger than any node it may use: a {best.type} has {best.free.cpu_m:,}m CPU and "
            f"{_mib(best.free.memory)} free for pods after the reservation ({cluster.reserved if isinstance(cluster.reserved, str) else 'custom'}), "
            "the eviction threshold and DaemonSets"
        )
    return "the nodes it may use are full (their CPU, memory or pod slots are taken by larger pods placed first)"


def _short(wname: str, items: list[Item], bins: list[Bin]) -> str:
    """Where the pods' total request already exceeds what the nodes have free, say by how much."""
    words = []
    for label, need, have, unit in (
        ("CPU", sum(i.count * i.cpu_m for i in items), sum(b.cpu_m for b in bins), "m"),
        ("memory", sum(i.count * i.memory for i in items), sum(b.memory for b in bins), ""),
        ("pod slots", sum(i.count for i in items), sum(b.pods for b in bins), ""),
    ):
        if need > have:
            if label == "memory":
                words.append(f"the pods ask {_mib(need)} of memory, the nodes have {_mib(have)} free")
            else:
                words.append(f"the pods ask {need:,}{unit} {label}, the nodes have {have:,}{unit} free")
    return f"; in total {', and '.join(words)}" if words else ""


def _report(
    name: str,
    cluster: Cluster,
    shapes: dict[str, Shape],
    packing: Packing,
    bins: list[Bin],
    node_names: list[str],
    index: dict[str, list[int]],
    loads: dict[str, Workload],
    groups_of: dict[str, list[str]],
) -> ClusterReport:
    groups = []
    for g, spec in cluster.node_groups.items():
        s = shapes[g]
        groups.append(
            NodeGroupReport(
                name=g,
                type=spec.type,
                count=spec.count,
                vcpu=s.vcpu,
                memory=s.memory,
                max_pods=s.max_pods,
                max_pods_source=s.max_pods_source,
                reserved_cpu_m=s.keep.cpu_m,
                reserved_memory=s.keep.memory,
                eviction=s.keep.eviction,
                daemon_cpu_m=s.daemon_cpu_m,
                daemon_memory=s.daemon_memory,
                daemon_pods=s.daemon_pods,
                allocatable_cpu_m=s.allocatable.cpu_m,
                allocatable_memory=s.allocatable.memory,
                free_cpu_m=s.free.cpu_m,
                free_memory=s.free.memory,
                free_pods=s.free.pods,
                monthly_per_node=s.monthly,
                monthly_cost=s.monthly * spec.count,
                dedicated=spec.dedicated,
            )
        )
    per_node = []
    group_of_node = {j: g for g, js in index.items() for j in js}
    for j, node in enumerate(node_names):
        s = shapes[group_of_node[j]]
        per_node.append(
            NodeUse(
                node=node,
                group=group_of_node[j],
                pods=int(packing.pods_used[j]) + s.daemon_pods,
                cpu_m=int(packing.cpu_used[j]) + s.daemon_cpu_m,
                memory=int(packing.memory_used[j]) + s.daemon_memory,
                allocatable_cpu_m=s.allocatable.cpu_m,
                allocatable_memory=s.allocatable.memory,
                max_pods=s.max_pods,
            )
        )
    costs, idle = _costs(cluster, shapes, packing, node_names, group_of_node, loads, groups_of)
    used = _used(loads, packing, shapes, index, groups_of)
    report = ClusterReport(
        name=name,
        provider=cluster.provider,
        region=next(iter(shapes.values())).ctx.region,
        reserved=cluster.reserved if isinstance(cluster.reserved, str) else "custom",
        node_groups=groups,
        nodes=len(node_names),
        vcpu=sum((gr.vcpu * gr.count for gr in groups), ZERO),
        memory=sum(gr.memory * gr.count for gr in groups),
        monthly_cost=sum((gr.monthly_cost for gr in groups), ZERO),
        allocatable_cpu_m=sum(n.allocatable_cpu_m for n in per_node),
        allocatable_memory=sum(n.allocatable_memory for n in per_node),
        requested_cpu_m=sum(n.cpu_m for n in per_node),
        requested_memory=sum(n.memory for n in per_node),
        pods=sum(n.pods for n in per_node),
        per_node=per_node,
        costs=costs,
        idle_cost=idle,
        method=packing.method,
        optimal=packing.optimal,
        nodes_used=packing.nodes_used,
        lower_bound=packing.lower_bound,
        not_packed=[w for w, spec in loads.items() if not spec.always_on],
    )
    report.used_cpu_m, report.used_memory = used
    if any(s.max_pods_source == "the kubelet's default --max-pods" for s in shapes.values()):
        report.assumptions.append("pods per node: the kubelet's default of 110 (set max_pods on a node group)")
    return report


def _charged(w: Workload) -> tuple[int, int]:
    """Per pod, what cost allocation charges: max(request, use) per resource."""
    cpu, mem = pod_request(w)
    if w.used is not None:
        cpu = max(cpu, w.used.cpu or ZERO)
        mem = max(mem, w.used.memory or ZERO)
    return math.ceil(cpu * 1000), math.ceil(mem)


def _costs(
    cluster: Cluster,
    shapes: dict[str, Shape],
    packing: Packing,
    node_names: list[str],
    group_of_node: dict[int, str],
    loads: dict[str, Workload],
    groups_of: dict[str, list[str]],
) -> tuple[list[WorkloadCost], Decimal]:
    """Each node's price split into a price per millicore and per byte of its capacity (``cpu_cost_share`` on CPU);
    a pod pays for max(request, use) of the node it is on; what no pod pays for is idle."""
    share = cluster.cpu_cost_share
    rate = {
        g: (s.monthly * share / s.cpu_m if s.cpu_m else ZERO, s.monthly * (1 - share) / s.memory if s.memory else ZERO)
        for g, s in shapes.items()
    }
    total = sum((shapes[group_of_node[j]].monthly for j in range(len(node_names))), ZERO)
    out = []
    for wname, w in loads.items():
        if not w.always_on:
            continue
        cpu, mem = _charged(w)
        if w.daemonset:
            where = {j: 1 for j, g in group_of_node.items() if g in groups_of[wname]}
        else:
            where = packing.placed.get(wname, {})
        cost = sum(
            (n * (cpu * rate[group_of_node[j]][0] + mem * rate[group_of_node[j]][1]) for j, n in where.items()), ZERO
        )
        out.append(
            WorkloadCost(
                workload=wname,
                replicas=sum(where.values()),
                cpu_m=cpu,
                memory=mem,
                monthly_cost=cost,
                daemonset=w.daemonset,
            )
        )
    return out, total - sum((c.monthly_cost for c in out), ZERO)


def _used(
    loads: dict[str, Workload],
    packing: Packing,
    shapes: dict[str, Shape],
    index: dict[str, list[int]],
    groups_of: dict[str, list[str]],
) -> tuple[int | None, int | None]:
    """Measured use of the placed pods, when every always-on workload gives it."""
    live = {w: spec for w, spec in loads.items() if spec.always_on}
    if not live or any(spec.used is None for spec in live.values()):
        return None, None
    cpu = mem = 0
    for wname, spec in live.items():
        assert spec.used is not None
        n = (
            len([j for g in groups_of[wname] for j in index[g]])
            if spec.daemonset
            else sum(packing.placed.get(wname, {}).values())
        )
        cpu += n * math.ceil((spec.used.cpu or ZERO) * 1000)
        mem += n * math.ceil(spec.used.memory or ZERO)
    return cpu, mem
