"""A cluster's parts as the packing library wants them: workloads (the plan's and its manifests'), node shapes with
their reservation, DaemonSets and price, and the pods as items. Shared by the section and by ``infrafit fleet``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from infrafit.catalog.lookup import Catalog
from infrafit.engine.bind import bind
from infrafit.engine.ledger import Ledger
from infrafit.engine.pricing import price
from infrafit.errors import did_you_mean
from infrafit.kube.packing import Item
from infrafit.kube.reserve import Allocatable, Reserved, allocatable, reserved
from infrafit.plan.clusters import Cluster, Workload, pod_request
from infrafit.plan.model import Plan, Resource
from infrafit.services import Context, ModelError

__all__ = ["DEFAULT_MAX_PODS", "Shape", "node_resource", "pod_items", "shape", "workloads"]

DEFAULT_MAX_PODS = 110
"""The kubelet's default ``--max-pods``, for clusters not on the EKS reservation model."""


@dataclass(frozen=True, kw_only=True)
class Shape:
    """One node of a type in a cluster: capacity, what the system keeps, what DaemonSets take, price."""

    type: str
    vcpu: Decimal
    cpu_m: int
    memory: int
    max_pods: int
    max_pods_source: str
    keep: Reserved
    daemon_cpu_m: int
    daemon_memory: int
    daemon_pods: int
    allocatable: Allocatable
    """Before DaemonSets (what the node reports)."""
    free: Allocatable
    """For the workloads: after DaemonSets."""
    monthly: Decimal
    """One node with its boot volume, priced on a fresh ledger."""
    ctx: Context


def workloads(name: str, cluster: Cluster, plan: Plan) -> dict[str, Workload]:
    """The plan's workloads after those read from ``manifests`` (a plan entry replaces a manifest's of that name)."""
    out: dict[str, Workload] = {}
    if cluster.manifests:
        from infrafit.kube.manifests import ManifestError, read_manifests

        base = Path(plan.file).parent if plan.file else Path.cwd()
        path = ("clusters", name, "manifests")
        try:
            found = read_manifests(base / cluster.manifests)
        except ManifestError as exc:
            raise ModelError(str(exc), path) from None
        for wname, data in found.items():
            try:
                out[wname] = Workload.model_validate(data)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise ModelError(f"{cluster.manifests}: {wname}: {where}: {first['msg']}", path) from None
    out.update(cluster.workloads)
    return out


def node_resource(cluster: Cluster, type_name: str, count: int, disk: Decimal | None) -> Resource:
    fields: dict[str, object] = {"service": cluster.provider, "type": type_name, "count": count}
    if cluster.region:
        fields["region"] = cluster.region
    if disk is not None:
        fields["disk"] = disk
    return Resource.model_validate(fields)


def _bind(name: str, group: str, res: Resource, plan: Plan, catalog: Catalog) -> Context:
    try:
        return bind(f"{group} [cluster {name}]", res, plan, catalog)
    except ModelError as exc:
        field = exc.path[-1] if exc.path else "type"
        where: tuple[str | int, ...] = ("clusters", name, "provider" if field == "service" else "node_groups")
        if field != "service":
            where = (*where, group, "region" if field == "region" else "type")
        if field == "region":
            where = ("clusters", name, "region")
        raise ModelError(str(exc), where) from None


def shape(
    name: str,
    cluster: Cluster,
    group: str,
    type_name: str,
    disk: Decimal | None,
    max_pods: int | None,
    daemons: list[Workload],
    plan: Plan,
    catalog: Catalog,
) -> Shape:
    """Bind, reserve and price one node of ``type_name``; ``daemons`` are the DaemonSets that run on it."""
    ctx = _bind(name, group, node_resource(cluster, type_name, 1, disk), plan, catalog)
    itype = ctx.instance_type
    if itype is None:
        raise ModelError(f"{cluster.provider} has no instance types to run nodes on", ("clusters", name, "provider"))
    cpu_m = int(itype.vcpu * 1000)
    memory = int(itype.memory_bytes)
    if max_pods is not None:
        pods, source = max_pods, "the plan"
    elif cluster.reserved == "eks" and itype.max_pods is not None:
        pods, source = itype.max_pods.value, itype.max_pods.source
    else:
        pods, source = DEFAULT_MAX_PODS, "the kubelet's default --max-pods"
    if isinstance(cluster.reserved, str):
        keep = reserved(cluster.reserved, cpu_m=cpu_m, memory=memory, max_pods=pods)
    else:
        r = cluster.reserved
        keep = Reserved(cpu_m=math.ceil(r.cpu * 1000), memory=math.ceil(r.memory), eviction=math.ceil(r.eviction))
    requests = [pod_request(d) for d in daemons]
    d_cpu = sum(math.ceil(c * 1000) for c, _ in requests)
    d_mem = sum(math.ceil(m) for _, m in requests)
    before = allocatable(cpu_m=cpu_m, memory=memory, max_pods=pods, keep=keep)
    after = allocatable(
        cpu_m=cpu_m,
        memory=memory,
        max_pods=pods,
        keep=keep,
        daemon_cpu_m=d_cpu,
        daemon_memory=d_mem,
        daemon_pods=len(daemons),
    )
    monthly = price(ctx, Ledger(plan.month_hours, plan.free_tier)).monthly_cost
    return Shape(
        type=type_name,
        vcpu=itype.vcpu,
        cpu_m=cpu_m,
        memory=memory,
        max_pods=pods,
        max_pods_source=source,
        keep=keep,
        daemon_cpu_m=d_cpu,
        daemon_memory=d_mem,
        daemon_pods=len(daemons),
        allocatable=before,
        free=after,
        monthly=monthly,
        ctx=ctx,
    )


def eligible_groups(name: str, cluster: Cluster, wname: str, workload: Workload) -> list[str]:
    """The node groups a workload may run on: those it names, else every group that is not dedicated."""
    pins = workload.groups()
    for pin in pins:
        if pin not in cluster.node_groups:
            raise ModelError(
                f"workload {wname} names no node group {pin!r}{did_you_mean(pin, cluster.node_groups)}",
                ("clusters", name, "workloads", wname, "node_group"),
            )
    if pins:
        return pins
    return [g for g, spec in cluster.node_groups.items() if not spec.dedicated]


def pod_items(
    workloads_: dict[str, Workload],
    index: dict[str, list[int]] | None = None,
    groups_of: dict[str, list[str]] | None = None,
) -> list[Item]:
    """Packable pods: always-on, non-DaemonSet workloads; ``index`` maps a node group to its node indices."""
    items = []
    for wname, w in workloads_.items():
        if w.daemonset or not w.always_on or w.replicas == 0:
            continue
        cpu, mem = pod_request(w)
        allowed = None
        if index is not None and groups_of is not None:
            allowed = frozenset(j for g in groups_of[wname] for j in index[g])
        items.append(
            Item(name=wname, count=w.replicas, cpu_m=math.ceil(cpu * 1000), memory=math.ceil(mem), allowed=allowed)
        )
    return items
