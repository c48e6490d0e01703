"""Pods to the workloads that own them, the way kube-state-metrics' owner series chain them.

A Deployment's pods are owned by a ReplicaSet (``kube_pod_owner``), which is owned by the Deployment
(``kube_replicaset_owner``); a CronJob's pods by a Job, owned by the CronJob (``kube_job_owner``); StatefulSet and
DaemonSet pods name their owner directly. Every ReplicaSet a Deployment rolled through therefore maps to the one
Deployment, so the history of a workload spans its rollouts.
"""

from __future__ import annotations

from infrafit.kube.metrics import Inventory, Owner

__all__ = ["WORKLOAD_KINDS", "workload_of"]

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "ReplicaSet", "ReplicationController")
"""Kinds a right-sizing recommendation is made for (a bare pod is its own workload)."""

_MAX_DEPTH = 4  # Pod -> Job -> CronJob is the longest chain in practice; stop on a cycle in bad data


def workload_of(pod: str, inventory: Inventory) -> Owner:
    """The top controller of ``pod``: (kind, name), e.g. ("Deployment", "api"); ("Pod", pod) with no owner."""
    if pod in inventory.workloads:
        return inventory.workloads[pod]
    owner = inventory.pod_owners.get(pod)
    if owner is None:
        return ("Pod", pod)
    for _ in range(_MAX_DEPTH):
        parent = inventory.controller_owners.get(owner)
        if parent is None:
            break
        owner = parent
    return owner
