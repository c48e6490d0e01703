"""The records a cluster's evaluation hands to the report: node groups, per-node use, pods that do not fit, cost per
workload. CPU is in millicores, memory in bytes, money in USD a month."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["ClusterReport", "NodeGroupReport", "NodeUse", "Unschedulable", "WorkloadCost"]


@dataclass(kw_only=True)
class NodeGroupReport:
    name: str
    type: str
    count: int
    vcpu: Decimal
    """Per node."""
    memory: int
    """Bytes per node (capacity)."""
    max_pods: int
    max_pods_source: str
    reserved_cpu_m: int
    reserved_memory: int
    eviction: int
    daemon_cpu_m: int
    daemon_memory: int
    daemon_pods: int
    allocatable_cpu_m: int
    """Per node, after the reservation and eviction threshold (before DaemonSets): what ``kubectl`` shows."""
    allocatable_memory: int
    free_cpu_m: int
    """Per node, for the workloads: allocatable less the DaemonSets."""
    free_memory: int
    free_pods: int
    monthly_per_node: Decimal
    monthly_cost: Decimal
    dedicated: bool = False


@dataclass(kw_only=True)
class NodeUse:
    """One node: what is requested on it (DaemonSets included) against its allocatable."""

    node: str
    group: str
    pods: int
    cpu_m: int
    memory: int
    allocatable_cpu_m: int
    allocatable_memory: int
    max_pods: int


@dataclass(kw_only=True)
class Unschedulable:
    workload: str
    replicas: int
    reason: str


@dataclass(kw_only=True)
class WorkloadCost:
    """OpenCost-style: max(request, use) × the node's price per core and per byte; ``replicas`` placed pods."""

    workload: str
    replicas: int
    cpu_m: int
    """Per pod, as charged: max(request, use)."""
    memory: int
    monthly_cost: Decimal
    daemonset: bool = False


@dataclass(kw_only=True)
class ClusterReport:
    name: str
    provider: str
    region: str | None
    reserved: str
    node_groups: list[NodeGroupReport]
    nodes: int
    vcpu: Decimal
    memory: int
    monthly_cost: Decimal
    allocatable_cpu_m: int
    allocatable_memory: int
    requested_cpu_m: int
    requested_memory: int
    pods: int
    unschedulable: list[Unschedulable] = field(default_factory=list)
    used_cpu_m: int | None = None
    used_memory: int | None = None
    per_node: list[NodeUse] = field(default_factory=list)
    costs: list[WorkloadCost] = field(default_factory=list)
    idle_cost: Decimal = Decimal(0)
    method: str = "first-fit-decreasing"
    optimal: bool = False
    nodes_used: int = 0
    lower_bound: int = 0
    not_packed: list[str] = field(default_factory=list)
    """Jobs and CronJobs: listed, not packed as standing load."""
    assumptions: list[str] = field(default_factory=list)

    @property
    def memory_gib(self) -> float:
        return self.memory / 1024**3

    @property
    def utilization(self) -> dict[str, float]:
        """Requested over allocatable, for the whole cluster."""
        return {
            "cpu": self.requested_cpu_m / self.allocatable_cpu_m if self.allocatable_cpu_m else 0.0,
            "memory": self.requested_memory / self.allocatable_memory if self.allocatable_memory else 0.0,
        }

    @property
    def used_utilization(self) -> dict[str, float] | None:
        """Measured use over allocatable, when every workload gives its use."""
        if self.used_cpu_m is None or self.used_memory is None:
            return None
        return {
            "cpu": self.used_cpu_m / self.allocatable_cpu_m if self.allocatable_cpu_m else 0.0,
            "memory": self.used_memory / self.allocatable_memory if self.allocatable_memory else 0.0,
        }

    @property
    def unschedulable_pods(self) -> int:
        return sum(u.replicas for u in self.unschedulable)
