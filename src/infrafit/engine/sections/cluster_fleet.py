"""``infrafit fleet``: the cheapest mix of node types for one cluster of a plan, under the vCPU quota left after the
plan's other instances. Node prices come from the catalog through the same pricing as ``check`` (boot volume
included); allocatable per type follows the cluster's reservation model and DaemonSets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from infrafit.catalog.lookup import Catalog
from infrafit.engine.bind import bind
from infrafit.engine.ledger import Facts
from infrafit.engine.quotas import count_quotas
from infrafit.engine.sections.cluster_nodes import eligible_groups, pod_items, shape, workloads
from infrafit.errors import InputError, Problem, did_you_mean
from infrafit.kube.fleet import FleetAnswer, NodeType, cheapest_fleet
from infrafit.plan.model import Plan
from infrafit.services import ModelError

if TYPE_CHECKING:
    from infrafit.catalog.overlay import OverlayUse

__all__ = ["FleetReport", "plan_fleet"]


@dataclass(kw_only=True)
class FleetReport:
    plan: str
    cluster: str
    types: list[str]
    quota: int | None
    quota_note: str
    answer: FleetAnswer
    current: dict[str, int] = field(default_factory=dict)
    current_cost: Decimal = Decimal(0)
    current_vcpu: Decimal = Decimal(0)
    prices: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    catalog_as_of: date | None = None
    """The packaged date of the provider pricing the nodes."""
    catalog_overlay: OverlayUse | None = None
    """The catalog overlay the nodes were priced with (None: the packaged catalog alone)."""


def _problem(plan: Plan, message: str, path: tuple[str | int, ...]) -> InputError:
    where = plan.locate(path)
    return InputError([Problem(message, path, plan.file, *(where or (None, None)))])


def _quota_left(plan: Plan, catalog: Catalog, provider: str, region: str | None) -> tuple[int | None, str]:
    """The vCPU quota on the cluster's provider less what the plan's own instances use of it."""
    contexts = []
    for name, res in plan.resources.items():
        try:
            contexts.append(bind(name, res, plan, catalog))
        except ModelError:
            continue
    uses = count_quotas(contexts, plan, catalog, Facts())
    prov, _ = catalog.service(provider)
    for qkey, quota in prov.quotas.items():
        full = f"{prov.provider}.{qkey}"
        if provider not in quota.services or quota.measure != "vcpu":
            continue
        limit = plan.quotas.get(full, quota.default)
        if limit is None:
            return None, f"{full} has no limit in the plan or the catalog: no quota applied"
        other = sum((u.used for u in uses if u.key == full and (u.region in (None, region))), Decimal(0))
        left = int(limit - other)
        return left, f"{full}: {int(limit)} vCPU less {int(other)} used by the plan's other instances = {left}"
    return None, "no vCPU quota applies to this provider"


def plan_fleet(
    plan: Plan,
    catalog: Catalog,
    cluster_name: str,
    types: list[str],
    *,
    quota: int | None = None,
    max_nodes: int | None = None,
    time_limit: float = 8.0,
) -> FleetReport:
    """The cheapest fleet for ``cluster_name`` of ``plan`` over ``types`` (raises InputError for bad names)."""
    clusters = plan.section("clusters")
    if cluster_name not in clusters:
        raise _problem(
            plan, f"the plan has no cluster {cluster_name!r}{did_you_mean(cluster_name, clusters)}", ("clusters",)
        )
    cluster = clusters[cluster_name]
    try:
        loads = workloads(cluster_name, cluster, plan)
        groups_of = {w: eligible_groups(cluster_name, cluster, w, spec) for w, spec in loads.items()}
        daemons = [w for w in loads.values() if w.daemonset]
        disk = next((g.disk for g in cluster.node_groups.values() if g.disk is not None), None)
        try:
            shapes = {t: shape(cluster_name, cluster, "fleet", t, disk, None, daemons, plan, catalog) for t in types}
        except ModelError as exc:
            raise InputError([Problem(f"--types: {exc}")]) from None
        current: dict[str, int] = {}
        cur_cost, cur_vcpu = Decimal(0), Decimal(0)
        for g, spec in cluster.node_groups.items():
            s = shape(cluster_name, cluster, g, spec.type, spec.disk, spec.max_pods, [], plan, catalog)
            current[spec.type] = current.get(spec.type, 0) + spec.count
            cur_cost += s.monthly * spec.count
            cur_vcpu += s.vcpu * spec.count
    except ModelError as exc:
        raise _problem(plan, str(exc), exc.path) from None
    notes = []
    if quota is None:
        region = next(iter(shapes.values())).ctx.region if shapes else None
        quota, quota_note = _quota_left(plan, catalog, cluster.provider, region)
    else:
        quota_note = "--quota"
    if any(w.groups() for w in loads.values()) or any(g.dedicated for g in cluster.node_groups.values()):
        notes.append("node_group pins and dedicated groups are not kept: the fleet is one pool for every workload")
    del groups_of
    node_types = [
        NodeType(
            name=t,
            vcpu=int(s.vcpu),
            cpu_m=s.free.cpu_m,
            memory=s.free.memory,
            pods=s.free.pods,
            monthly=float(s.monthly),
        )
        for t, s in shapes.items()
    ]
    items = pod_items(loads)
    node_provider = catalog.service(cluster.provider)[0]
    answer = cheapest_fleet(items, node_types, quota=quota, max_nodes=max_nodes, time_limit=time_limit)
    if not answer.feasible and quota is not None and not answer.reason.startswith("a pod of"):
        smallest = cheapest_fleet(items, node_types, max_nodes=max_nodes, time_limit=time_limit, objective="vcpu")
        if smallest.feasible:
            answer.smallest_quota = smallest.vcpu
    return FleetReport(
        plan=plan.name,
        cluster=cluster_name,
        types=types,
        quota=quota,
        quota_note=quota_note,
        answer=answer,
        current=current,
        current_cost=cur_cost,
        current_vcpu=cur_vcpu,
        prices={t: float(s.monthly) for t, s in shapes.items()},
        notes=notes,
        catalog_as_of=node_provider.as_of,
        catalog_overlay=catalog.overlay_use([node_provider.provider]),
    )
