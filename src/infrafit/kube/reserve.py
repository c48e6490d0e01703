"""What a node keeps for the system, and what is left for pods (allocatable).

allocatable = capacity − reservation (kube + system) − hard eviction threshold − the DaemonSets' pods.

Reservation models (known answers in tests/kube/test_reserve.py):

* ``eks`` (EKS-optimised AMIs): CPU by the ladder below; memory 11 MiB × max pods + 255 MiB; eviction 100 MiB.
* ``gke``: the same CPU ladder; memory 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next
  112 and 2% above 128 GiB (255 MiB on nodes under 1 GiB); eviction 100 MiB.
* ``none`` (kubeadm and other self-managed clusters): nothing reserved, the kubelet's default hard eviction
  threshold ``memory.available<100Mi``.

CPU ladder: 6% of the first core, 1% of the second, 0.5% of cores 3 and 4, 0.25% of every core above 4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["GIB", "MIB", "Allocatable", "Reserved", "allocatable", "cpu_ladder", "gke_memory", "reserved"]

MIB = 1024**2
GIB = 1024**3
EVICTION = 100 * MIB

_CPU_STEPS = (
    (1000, Fraction(6, 100)),
    (1000, Fraction(1, 100)),
    (2000, Fraction(5, 1000)),
    (None, Fraction(25, 10000)),
)
_Steps = tuple[tuple[int | None, Fraction], ...]
_GKE_MEMORY: _Steps = (
    (4 * GIB, Fraction(25, 100)),
    (4 * GIB, Fraction(20, 100)),
    (8 * GIB, Fraction(10, 100)),
    (112 * GIB, Fraction(6, 100)),
    (None, Fraction(2, 100)),
)


@dataclass(frozen=True, kw_only=True)
class Reserved:
    """Per node: CPU (millicores) and memory (bytes) reserved for the system, and the eviction threshold (bytes)."""

    cpu_m: int
    memory: int
    eviction: int


@dataclass(frozen=True, kw_only=True)
class Allocatable:
    """What pods may request on one node, after the reservation, eviction threshold and DaemonSets."""

    cpu_m: int
    memory: int
    pods: int


def _ladder(amount: int, steps: tuple[tuple[int | None, Fraction], ...]) -> Fraction:
    left, total = Fraction(amount), Fraction(0)
    for size, share in steps:
        part = left if size is None else min(left, Fraction(size))
        total += part * share
        left -= part
        if left <= 0:
            break
    return total


def cpu_ladder(capacity_m: int) -> int:
    """Millicores reserved on a node of ``capacity_m`` (rounded up): 2,000m -> 60 + 10 = 70m."""
    return math.ceil(_ladder(capacity_m, _CPU_STEPS))


def gke_memory(capacity: int) -> int:
    """Bytes GKE reserves on a node with ``capacity`` bytes of memory (rounded up): 4 GiB -> 1 GiB."""
    if capacity < GIB:
        return 255 * MIB
    return math.ceil(_ladder(capacity, _GKE_MEMORY))


def reserved(model: str, *, cpu_m: int, memory: int, max_pods: int) -> Reserved:
    """The reservation of a named model on a node of the given capacity."""
    if model == "eks":
        return Reserved(cpu_m=cpu_ladder(cpu_m), memory=(11 * max_pods + 255) * MIB, eviction=EVICTION)
    if model == "gke":
        return Reserved(cpu_m=cpu_ladder(cpu_m), memory=gke_memory(memory), eviction=EVICTION)
    if model == "none":
        return Reserved(cpu_m=0, memory=0, eviction=EVICTION)
    raise ValueError(f"unknown reservation model {model!r}; use eks, gke or none")


def allocatable(
    *,
    cpu_m: int,
    memory: int,
    max_pods: int,
    keep: Reserved,
    daemon_cpu_m: int = 0,
    daemon_memory: int = 0,
    daemon_pods: int = 0,
) -> Allocatable:
    """Capacity less the reservation, the eviction threshold and the DaemonSets' pods (never below zero)."""
    return Allocatable(
        cpu_m=max(cpu_m - keep.cpu_m - daemon_cpu_m, 0),
        memory=max(memory - keep.memory - keep.eviction - daemon_memory, 0),
        pods=max(max_pods - daemon_pods, 0),
    )
