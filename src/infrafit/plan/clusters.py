"""The plan's ``clusters:``: Kubernetes clusters as node groups and the workloads scheduled onto them.

Names are a public contract (provider, region, node_groups, type, count, disk, reserved, workloads, replicas,
requests, limits, daemonset, init_containers, manifests). CPU and memory take Kubernetes quantities exactly as the
API server reads them (``500m``, ``0.5``, ``1e3``, ``100Ki``, ``1Gi``, ``1M``): CPU is kept in vCPUs, memory in bytes.
A pod's request is what the scheduler counts: the larger of its biggest init container and the sum of its app
containers, per resource.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from infrafit.kube.quantity import ACCEPTED, QuantityError, parse_quantity
from infrafit.plan.quantities import Bytes, Share

__all__ = [
    "Cluster",
    "Clusters",
    "Container",
    "KubeCpu",
    "KubeMemory",
    "NodeGroup",
    "Reservation",
    "Resources",
    "Workload",
    "pod_request",
]

ZERO = Decimal(0)


MAX_CORES = Decimal(4096)  # the plan's own `cpu` bound (docs/limits.md)
MAX_MEMORY = Decimal(64 * 2**40)  # 64 TiB, the plan's own `memory` bound


def _quantity(what: str, ceiling: Decimal, shown: str) -> Any:
    def convert(value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, Decimal):
            parsed = value
        else:
            try:
                parsed = parse_quantity(value)
            except QuantityError as exc:
                raise ValueError(f"{exc}; {what}") from None
        if not parsed.is_finite() or parsed < 0:
            raise ValueError(f"{what}; it cannot be negative or infinite")
        if parsed > ceiling:
            raise ValueError(f"{value!r} is more than {shown}, the most a plan takes (docs/limits.md)")
        return parsed

    return convert


KubeCpu = Annotated[
    Decimal,
    BeforeValidator(_quantity("CPU is in cores: 500m is half a core", MAX_CORES, "4,096 cores")),
    WithJsonSchema({"type": ["string", "number"], "description": f"CPU cores as {ACCEPTED}"}),
]
"""CPU in vCPUs (cores) from a Kubernetes quantity: ``500m`` -> 0.5, ``2`` -> 2, ``1e3`` -> 1000."""
KubeMemory = Annotated[
    Decimal,
    BeforeValidator(_quantity("memory is in bytes: 512Mi, 1Gi, 1G", MAX_MEMORY, "64 TiB")),
    WithJsonSchema({"type": ["string", "number"], "description": f"memory in bytes as {ACCEPTED}"}),
]
"""Memory in bytes from a Kubernetes quantity: ``1Gi`` -> 1,073,741,824, ``1M`` -> 1,000,000."""


class Resources(BaseModel):
    """A container's (or pod's) ``cpu`` and ``memory`` (requests, limits or measured use)."""

    model_config = ConfigDict(extra="forbid")

    cpu: KubeCpu | None = Field(default=None, description="cores, e.g. 500m or 0.5")
    memory: KubeMemory | None = Field(default=None, description="bytes, e.g. 512Mi or 1Gi")


class Container(BaseModel):
    """One container of a pod, as a manifest has it."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    requests: Resources = Field(default_factory=Resources)
    limits: Resources = Field(default_factory=Resources)

    def request(self) -> tuple[Decimal, Decimal]:
        """(cores, bytes) the scheduler counts: the request, else the limit (Kubernetes defaults one to the other)."""
        return (
            _first(self.requests.cpu, self.limits.cpu),
            _first(self.requests.memory, self.limits.memory),
        )


def _first(*values: Decimal | None) -> Decimal:
    return next((v for v in values if v is not None), ZERO)


class Workload(BaseModel):
    """Pods of one Deployment, StatefulSet, DaemonSet or Job: ``replicas`` copies with ``requests`` each."""

    model_config = ConfigDict(extra="forbid")

    replicas: int = Field(default=1, ge=0, le=100_000, description="pods (ignored for a DaemonSet: one on every node)")
    requests: Resources = Field(default_factory=Resources, description="per pod (the app containers together)")
    limits: Resources = Field(default_factory=Resources, description="per pod")
    containers: list[Container] = Field(
        default_factory=list, description="the pod's app containers, instead of pod-level requests/limits"
    )
    init_containers: list[Container] = Field(
        default_factory=list, description="run one at a time before the app containers; the largest one counts"
    )
    daemonset: bool = Field(default=False, description="one pod on every node (node-exporter, log shippers)")
    always_on: bool = Field(default=True, description="false for Jobs and CronJobs: not packed as standing load")
    node_group: str | list[str] | None = Field(
        default=None, description="only on these node groups (a nodeSelector or node affinity)"
    )
    used: Resources | None = Field(default=None, description="measured use per pod, e.g. {cpu: 250m, memory: 300Mi}")
    kind: str = Field(default="", description="the manifest kind it came from, when read from manifests")

    @model_validator(mode="after")
    def _one_form(self) -> Workload:
        if self.containers and (self.requests.cpu is not None or self.requests.memory is not None):
            raise ValueError("give either requests (for the whole pod) or containers, not both")
        return self

    def groups(self) -> list[str]:
        """The node groups it is pinned to (empty: any group that is not dedicated)."""
        if self.node_group is None:
            return []
        return [self.node_group] if isinstance(self.node_group, str) else list(self.node_group)


def pod_request(workload: Workload) -> tuple[Decimal, Decimal]:
    """(cores, bytes) one pod asks the scheduler for: per resource, the larger of the largest init container and the
    sum of the app containers (the Kubernetes rule for effective requests)."""
    if workload.containers:
        apps = [c.request() for c in workload.containers]
        cpu, mem = sum((a[0] for a in apps), ZERO), sum((a[1] for a in apps), ZERO)
    else:
        cpu = _first(workload.requests.cpu, workload.limits.cpu)
        mem = _first(workload.requests.memory, workload.limits.memory)
    for init in workload.init_containers:
        icpu, imem = init.request()
        cpu, mem = max(cpu, icpu), max(mem, imem)
    return cpu, mem


class NodeGroup(BaseModel):
    """Identical nodes of one instance type."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(description="instance type of the provider, e.g. t3.medium")
    count: int = Field(default=1, ge=0, le=10_000, description="nodes")
    disk: Bytes | None = Field(default=None, description="boot volume per node, e.g. 20GB (priced as the provider's)")
    dedicated: bool = Field(
        default=False, description="tainted: only workloads that name this group run here (a control-plane node)"
    )
    max_pods: int | None = Field(default=None, ge=1, le=1_000, description="pods per node, instead of the provider's figure")


class Reservation(BaseModel):
    """What each node keeps back for the system, when it is not one of the named models."""

    model_config = ConfigDict(extra="forbid")

    cpu: KubeCpu = Field(default=ZERO, description="kube-reserved + system-reserved CPU, e.g. 100m")
    memory: KubeMemory = Field(default=ZERO, description="kube-reserved + system-reserved memory, e.g. 500Mi")
    eviction: KubeMemory = Field(
        default=Decimal(100 * 1024 * 1024), description="the kubelet's hard eviction threshold (default 100Mi)"
    )


class Cluster(BaseModel):
    """A Kubernetes cluster: node groups priced as the provider's instances, and the workloads they must hold."""

    model_config = ConfigDict(extra="forbid")

    provider: str = Field(description="catalog service with instance types that prices the nodes, e.g. aws.ec2")
    region: str | None = Field(default=None, description="region of the nodes (default: the service's)")
    node_groups: dict[str, NodeGroup] = Field(description="name -> {type, count, disk}")
    reserved: Literal["eks", "gke", "none"] | Reservation = Field(
        default="none",
        description="what each node keeps for the system: eks | gke | none | {cpu: 100m, memory: 500Mi}",
    )
    workloads: dict[str, Workload] = Field(default_factory=dict, description="name -> pods and their requests")
    manifests: str | None = Field(
        default=None,
        description="a folder or file of Kubernetes YAML (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs; "
        "multi-document, Helm or kustomize output), relative to the plan",
    )
    cpu_cost_share: Share = Field(
        default=Decimal("0.5"),
        description="share of a node's price that cost per workload puts on its CPU (the rest on its memory)",
    )

    @field_validator("node_groups")
    @classmethod
    def _some_nodes(cls, value: dict[str, NodeGroup]) -> dict[str, NodeGroup]:
        if not value:
            raise ValueError("a cluster needs at least one node group, e.g. {general: {type: t3.medium, count: 3}}")
        return value

    @field_validator("cpu_cost_share")
    @classmethod
    def _share(cls, value: Decimal) -> Decimal:
        if not 0 <= value <= 1:
            raise ValueError("cpu_cost_share is between 0% and 100%")
        return value


Clusters = dict[str, Cluster]
"""The ``clusters:`` section: name -> cluster (the type the section registry names)."""
