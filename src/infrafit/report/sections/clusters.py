"""The ``clusters:`` section's view: each cluster's nodes, allocatable and requests, pods that do not fit and cost
per workload in ``check``; every node in ``simulate``; a utilisation chart in HTML; rows for ``compare`` and ``diff``;
and the JSON contract (``name, nodes, vcpu, memory_gib, monthly_cost, unschedulable, utilization``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from infrafit.report.fmt import mem, money, qty
from infrafit.report.grid import Cell, Column, Grid, Row
from infrafit.report.sections.base import BaseView

if TYPE_CHECKING:
    from infrafit.engine.result import Result
    from infrafit.engine.sections.cluster_report import ClusterReport
    from infrafit.report.html.page import Page


def cores(millicores: int) -> str:
    """``1,930m`` below ten cores, else ``12.5`` cores."""
    return f"{millicores:,}m" if millicores < 10_000 else f"{millicores / 1000:,.1f}"


def share(value: float) -> str:
    return f"{value:.0%}"


def clusters_grid(reports: Sequence[ClusterReport]) -> Grid:
    rows = []
    notes: list[str] = []
    for c in reports:
        u = c.utilization
        bad = c.unschedulable_pods > 0
        rows.append(
            Row(
                cells=[
                    Cell(text=c.name, strong=True, tone="bad" if bad else ""),
                    Cell(text=f"{c.nodes:,}"),
                    Cell(text=qty(c.vcpu)),
                    Cell(text=mem(Decimal(c.memory))),
                    Cell(text=f"{cores(c.allocatable_cpu_m)} / {mem(Decimal(c.allocatable_memory))}"),
                    Cell(text=f"{share(u['cpu'])} / {share(u['memory'])}"),
                    Cell(text=f"{c.pods:,}"),
                    Cell(text=f"{c.unschedulable_pods:,}", tone="bad" if bad else "ok"),
                    Cell(text=money(c.monthly_cost)),
                ]
            )
        )
        used = c.used_utilization
        if used is not None:
            notes.append(
                f"{c.name}: measured use {share(used['cpu'])} of allocatable CPU, {share(used['memory'])} of memory"
            )
        proof = (
            "proven to use the fewest nodes" if c.optimal else f"lower bound {c.lower_bound:,} nodes, not proven best"
        )
        notes.append(f"{c.name}: {c.method} packs the pods on {c.nodes_used:,} of {c.nodes:,} nodes ({proof})")
        for u_ in c.unschedulable:
            notes.append(f"{c.name}: {u_.replicas} pod(s) of {u_.workload} do not fit: {u_.reason}")
        if c.not_packed:
            notes.append(f"{c.name}: not counted as standing load (Jobs, CronJobs): {', '.join(c.not_packed)}")
        notes += [f"{c.name}: {a}" for a in c.assumptions]
    columns = [
        Column(title="cluster", key=True),
        Column(title="nodes", numeric=True),
        Column(title="vCPU", numeric=True),
        Column(title="memory", numeric=True),
        Column(title="allocatable", numeric=True),
        Column(title="requested", numeric=True),
        Column(title="pods", numeric=True),
        Column(title="unschedulable", numeric=True),
        Column(title="nodes/month", numeric=True),
    ]
    return Grid(title="Clusters", columns=columns, rows=rows, notes=notes)


def groups_grid(reports: Sequence[ClusterReport]) -> Grid:
    """Per node group: capacity, what the system keeps, DaemonSets, and what is left for pods."""
    rows = []
    for c in reports:
        for g in c.node_groups:
            rows.append(
                Row(
                    cells=[
                        Cell(text=f"{c.name}/{g.name}"),
                        Cell(text=f"{g.count} × {g.type}"),
                        Cell(text=f"{g.vcpu * 1000:,.0f}m / {mem(Decimal(g.memory))}"),
                        Cell(text=f"{g.reserved_cpu_m:,}m / {mem(Decimal(g.reserved_memory + g.eviction))}"),
                        Cell(text=f"{g.allocatable_cpu_m:,}m / {mem(Decimal(g.allocatable_memory))}"),
                        Cell(text=f"{g.daemon_cpu_m:,}m / {mem(Decimal(g.daemon_memory))}"),
                        Cell(text=f"{g.free_pods:,} of {g.max_pods:,}"),
                        Cell(text=money(g.monthly_per_node)),
                    ]
                )
            )
    columns = [
        Column(title="node group", key=True),
        Column(title="nodes"),
        Column(title="capacity", numeric=True),
        Column(title="reserved+eviction", numeric=True),
        Column(title="allocatable", numeric=True),
        Column(title="DaemonSets", numeric=True),
        Column(title="pod slots", numeric=True),
        Column(title="per node/month", numeric=True),
    ]
    return Grid(title="Node groups", columns=columns, rows=rows)


def costs_grid(reports: Sequence[ClusterReport]) -> Grid:
    rows = []
    for c in reports:
        for w in sorted(c.costs, key=lambda w: (-w.monthly_cost, w.workload)):
            rows.append(
                Row(
                    cells=[
                        Cell(text=f"{c.name}/{w.workload}"),
                        Cell(text=f"{w.replicas:,}" + (" (DaemonSet)" if w.daemonset else "")),
                        Cell(text=f"{w.cpu_m:,}m / {mem(Decimal(w.memory))}"),
                        Cell(text=money(w.monthly_cost)),
                    ]
                )
            )
        rows.append(Row(cells=[Cell(text=f"{c.name} idle", tone="dim"), Cell(), Cell(), Cell(text=money(c.idle_cost))]))
    columns = [
        Column(title="workload", key=True),
        Column(title="pods", numeric=True),
        Column(title="charged per pod", numeric=True),
        Column(title="cost/month", numeric=True),
    ]
    return Grid(
        title="Cost per workload",
        columns=columns,
        rows=rows,
        notes=["each pod pays max(request, use) at its node's price per core and per byte; idle is what no pod pays"],
    )


def nodes_grid(c: ClusterReport) -> Grid:
    rows = [
        Row(
            cells=[
                Cell(text=n.node),
                Cell(text=f"{n.pods} of {n.max_pods}"),
                Cell(text=f"{n.cpu_m:,}m of {n.allocatable_cpu_m:,}m"),
                Cell(text=share(n.cpu_m / n.allocatable_cpu_m if n.allocatable_cpu_m else 0.0)),
                Cell(text=f"{mem(Decimal(n.memory))} of {mem(Decimal(n.allocatable_memory))}"),
                Cell(text=share(n.memory / n.allocatable_memory if n.allocatable_memory else 0.0)),
            ]
        )
        for n in c.per_node
    ]
    columns = [
        Column(title="node", key=True),
        Column(title="pods", numeric=True),
        Column(title="CPU requested", numeric=True),
        Column(title="CPU", numeric=True),
        Column(title="memory requested", numeric=True),
        Column(title="memory", numeric=True),
    ]
    return Grid(title=f"Nodes of {c.name} (DaemonSets included)", columns=columns, rows=rows)


class ClustersView(BaseView["ClusterReport"]):
    key = "clusters"
    title = "Kubernetes clusters"
    simulated = False

    def summary(self, reports: Sequence[ClusterReport]) -> list[Grid]:
        return [clusters_grid(reports), groups_grid(reports), costs_grid(reports)]

    def detail(self, result: Result, reports: Sequence[ClusterReport]) -> list[Grid | Cell]:
        return [nodes_grid(c) for c in reports]

    def charts(self, page: Page, reports: Sequence[ClusterReport]) -> list[str]:
        import plotly.graph_objects as go

        out = []
        for c in reports:
            names = [n.node for n in c.per_node]
            fig = go.Figure()
            fig.add_bar(
                name="CPU", x=names, y=[n.cpu_m / n.allocatable_cpu_m if n.allocatable_cpu_m else 0 for n in c.per_node]
            )
            fig.add_bar(
                name="memory",
                x=names,
                y=[n.memory / n.allocatable_memory if n.allocatable_memory else 0 for n in c.per_node],
            )
            fig.update_layout(yaxis_tickformat=".0%", barmode="group")
            out.append(page.figure(fig, f"{c.name}: requested share of each node's allocatable"))
        return out

    def compare_rows(self, per_plan: Sequence[Sequence[ClusterReport]]) -> list[Row]:
        """Per cluster: nodes and vCPU, allocatable, pods that do not fit, node cost; then cost per workload."""
        names: list[str] = []
        for plan in per_plan:
            names += [c.name for c in plan if c.name not in names]
        rows = []
        for name in names:
            found = [next((c for c in plan if c.name == name), None) for plan in per_plan]

            def each(fn: Any, found: list[ClusterReport | None] = found) -> list[Cell]:
                return [Cell(text="-" if c is None else fn(c)) for c in found]

            rows += [
                Row(cells=[Cell(text=f"cluster {name}: nodes (vCPU)"), *each(lambda c: f"{c.nodes} ({qty(c.vcpu)})")]),
                Row(
                    cells=[
                        Cell(text=f"cluster {name}: allocatable"),
                        *each(lambda c: f"{cores(c.allocatable_cpu_m)} / {mem(Decimal(c.allocatable_memory))}"),
                    ]
                ),
                Row(
                    cells=[Cell(text=f"cluster {name}: unschedulable pods"), *each(lambda c: f"{c.unschedulable_pods}")]
                ),
                Row(cells=[Cell(text=f"cluster {name}: nodes/month"), *each(lambda c: money(c.monthly_cost))]),
            ]
            workloads: list[str] = []
            for c in found:
                if c is not None:
                    workloads += [w.workload for w in c.costs if w.workload not in workloads]
            for w in workloads:
                cells = []
                for c in found:
                    hit = None if c is None else next((x for x in c.costs if x.workload == w), None)
                    cells.append(Cell(text="-" if hit is None else money(hit.monthly_cost)))
                rows.append(Row(cells=[Cell(text=f"cluster {name}: {w}/month"), *cells]))
        return rows

    def to_json(self, report: ClusterReport) -> dict[str, Any]:
        c = report
        return {
            "name": c.name,
            "nodes": c.nodes,
            "vcpu": float(c.vcpu),
            "memory_gib": c.memory_gib,
            "monthly_cost": float(c.monthly_cost),
            "unschedulable": [
                {"workload": u.workload, "replicas": u.replicas, "reason": u.reason} for u in c.unschedulable
            ],
            "utilization": c.utilization,
            "used_utilization": c.used_utilization,
            "provider": c.provider,
            "region": c.region,
            "reserved": c.reserved,
            "allocatable": {"cpu_millicores": c.allocatable_cpu_m, "memory_bytes": c.allocatable_memory},
            "requested": {"cpu_millicores": c.requested_cpu_m, "memory_bytes": c.requested_memory},
            "pods": c.pods,
            "packing": {
                "method": c.method,
                "optimal": c.optimal,
                "nodes_used": c.nodes_used,
                "lower_bound": c.lower_bound,
            },
            "node_groups": [
                {
                    "name": g.name,
                    "type": g.type,
                    "count": g.count,
                    "max_pods": g.max_pods,
                    "allocatable": {"cpu_millicores": g.allocatable_cpu_m, "memory_bytes": g.allocatable_memory},
                    "daemonsets": {"cpu_millicores": g.daemon_cpu_m, "memory_bytes": g.daemon_memory},
                    "monthly_per_node": float(g.monthly_per_node),
                }
                for g in c.node_groups
            ],
            "cost_per_workload": [
                {"workload": w.workload, "replicas": w.replicas, "monthly_cost": float(w.monthly_cost)} for w in c.costs
            ],
            "idle_cost": float(c.idle_cost),
            "not_packed": list(c.not_packed),
            "assumptions": list(c.assumptions),
        }

    def json_schema(self) -> dict[str, Any]:
        num = {"type": "number"}
        share_ = {"type": "object", "properties": {"cpu": num, "memory": num}, "required": ["cpu", "memory"]}
        return {
            "type": "object",
            "description": "a Kubernetes cluster: its nodes, whether its pods fit, and what it costs (USD a month)",
            "properties": {
                "name": {"type": "string"},
                "nodes": {"type": "integer"},
                "vcpu": num,
                "memory_gib": num,
                "monthly_cost": num,
                "unschedulable": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"workload": {"type": "string"}, "replicas": {"type": "integer"}},
                        "required": ["workload", "replicas"],
                    },
                },
                "utilization": share_,
                "used_utilization": {"anyOf": [share_, {"type": "null"}]},
                "cost_per_workload": {"type": "array"},
                "idle_cost": num,
            },
            "required": ["name", "nodes", "vcpu", "memory_gib", "monthly_cost", "unschedulable", "utilization"],
        }
