"""Allocatable per node under each reservation model: the worked answers of the EKS and GKE formulas."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from infrafit.kube.reserve import GIB, MIB, allocatable, cpu_ladder, gke_memory, reserved


def test_eks_t3_medium() -> None:
    # t3.medium: 2 vCPU, 4 GiB, max pods 17 (3 ENIs × (6 − 1) + 2).
    # CPU: 6% of 1,000m + 1% of 1,000m = 60 + 10 = 70m -> 2,000 − 70 = 1,930m.
    # Memory: 11 × 17 + 255 = 442 MiB reserved, + 100 MiB eviction -> 4,096 − 542 = 3,554 MiB.
    keep = reserved("eks", cpu_m=2000, memory=4 * GIB, max_pods=17)
    assert (keep.cpu_m, keep.memory, keep.eviction) == (70, 442 * MIB, 100 * MIB)
    a = allocatable(cpu_m=2000, memory=4 * GIB, max_pods=17, keep=keep)
    assert (a.cpu_m, a.memory, a.pods) == (1930, 3554 * MIB, 17)


def test_gke_4_gib_node() -> None:
    # 25% of the first 4 GiB = 1,024 MiB, + 100 MiB eviction -> 4,096 − 1,124 = 2,972 MiB.
    keep = reserved("gke", cpu_m=2000, memory=4 * GIB, max_pods=110)
    a = allocatable(cpu_m=2000, memory=4 * GIB, max_pods=110, keep=keep)
    assert a.memory == 2972 * MIB


def test_gke_memory_ladder_known_points() -> None:
    # 8 GiB: 25% × 4 + 20% × 4 = 1 + 0.8 = 1.8 GiB.
    assert gke_memory(8 * GIB) == -(-18 * GIB // 10)  # rounded up to the byte
    # 16 GiB: 1.8 + 10% × 8 = 2.6 GiB.
    assert gke_memory(16 * GIB) == -(-26 * GIB // 10)
    # 128 GiB: 2.6 + 6% × 112 = 9.32 GiB; 256 GiB: + 2% × 128 = 11.88 GiB.
    assert abs(gke_memory(128 * GIB) - 9.32 * GIB) < 1
    assert abs(gke_memory(256 * GIB) - 11.88 * GIB) < 1
    # Under 1 GiB: 255 MiB.
    assert gke_memory(GIB // 2) == 255 * MIB


def test_cpu_ladder_known_points() -> None:
    # 1 core 60m; 4 cores 60 + 10 + 5 + 5 = 80m; 8 cores 80 + 4 × 2.5 = 90m; 64 cores 80 + 60 × 2.5 = 230m.
    assert [cpu_ladder(n * 1000) for n in (1, 2, 4, 8, 64)] == [60, 70, 80, 90, 230]


def test_none_keeps_only_the_eviction_threshold_and_daemonsets_subtract() -> None:
    # t3.small: 2,048 MiB − 100 MiB = 1,948 MiB; a 100m/200Mi DaemonSet leaves 1,900m / 1,748 MiB and 109 slots.
    keep = reserved("none", cpu_m=2000, memory=2 * GIB, max_pods=110)
    a = allocatable(
        cpu_m=2000, memory=2 * GIB, max_pods=110, keep=keep, daemon_cpu_m=100, daemon_memory=200 * MIB, daemon_pods=1
    )
    assert (a.cpu_m, a.memory, a.pods) == (1900, 1748 * MIB, 109)


@given(st.integers(min_value=1, max_value=512), st.integers(min_value=1, max_value=1024))
def test_reservations_grow_with_the_node_and_never_exceed_it(cores: int, gib: int) -> None:
    for model in ("eks", "gke"):
        small = reserved(model, cpu_m=cores * 1000, memory=gib * GIB, max_pods=110)
        big = reserved(model, cpu_m=(cores + 1) * 1000, memory=(gib + 1) * GIB, max_pods=110)
        assert small.cpu_m <= big.cpu_m < (cores + 1) * 1000
        assert small.memory <= big.memory
