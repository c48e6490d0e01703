"""First-fit-decreasing against hand-worked packings, the lower bound, and CP-SAT where first fit falls short."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.kube.packing import Bin, Item, lower_bound, pack

MIB = 1024**2
T3_MEDIUM_EKS = Bin(cpu_m=1930, memory=3554 * MIB, pods=17)


def test_ten_api_pods_on_three_eks_t3_medium() -> None:
    # 600m each: floor(1,930 / 600) = 3 per node -> 9 placed, 1 left; 10 × 600 = 6,000m > 3 × 1,930 = 5,790m,
    # so no packing places all ten (lower bound 4 nodes > 3).
    p = pack([Item(name="api", count=10, cpu_m=600, memory=1024 * MIB)], [T3_MEDIUM_EKS] * 3)
    assert p.placed == {"api": {0: 3, 1: 3, 2: 3}}
    assert p.unschedulable == {"api": 1}
    assert p.lower_bound == 4


def test_max_pods_binds_before_cpu_and_memory() -> None:
    # t3.micro on EKS: 4 pods per node; 10 tiny pods need 3 nodes (4 + 4 + 2).
    p = pack([Item(name="tiny", count=10, cpu_m=10, memory=MIB)], [Bin(cpu_m=1940, memory=500 * MIB, pods=4)] * 3)
    assert p.placed == {"tiny": {0: 4, 1: 4, 2: 2}}
    assert p.optimal and p.nodes_used == p.lower_bound == 3


def test_meeting_the_lower_bound_proves_optimality() -> None:
    # Sizes 5,5,4,4,4,3,3,2 (sum 30) into bins of 10: FFD fills 5+5 | 4+4 (+2) | 4+3+3 -> 3 bins = ⌈30/10⌉.
    items = [
        Item(name="a", count=2, cpu_m=5, memory=1),
        Item(name="b", count=3, cpu_m=4, memory=1),
        Item(name="c", count=2, cpu_m=3, memory=1),
        Item(name="d", count=1, cpu_m=2, memory=1),
    ]
    p = pack(items, [Bin(cpu_m=10, memory=10**9, pods=100)] * 4)
    assert p.nodes_used == 3 and p.lower_bound == 3 and p.optimal and p.method == "first-fit-decreasing"


def test_cp_sat_places_what_first_fit_cannot() -> None:
    # Bins of 10; items 6,6 then 4,4,4,4 (sum 28, 3 bins). FFD (largest first): 6+4 | 6+4 | 4+4 -> fits.
    # Make FFD fail with two dimensions: A = (6 cpu, 1 mem) × 2, B = (4 cpu, 9 mem) × 2, bins (10, 10).
    # FFD puts A on bins 0 and 1, then B (needs 9 mem): bin 0 has 9 mem free -> B on 0, B on 1. Fits.
    # Pinned pods are where first fit can go wrong: C may run anywhere, D only on node 0.
    items = [
        Item(name="c", count=1, cpu_m=8, memory=1),
        Item(name="d", count=1, cpu_m=5, memory=1, allowed=frozenset({0})),
    ]
    bins = [Bin(cpu_m=10, memory=10, pods=10), Bin(cpu_m=10, memory=10, pods=10)]
    # FFD: c (8) first on node 0; d (5) only on node 0, which has 2 free -> unschedulable.
    # CP-SAT: c on node 1, d on node 0 -> every pod placed.
    p = pack(items, bins)
    assert p.method == "CP-SAT" and not p.unschedulable
    assert p.placed == {"c": {1: 1}, "d": {0: 1}}
    assert p.optimal


def test_lower_bound_heterogeneous() -> None:
    # Demand 2,500m; largest nodes first: 2,000 then 1,000 -> 2 nodes.
    items = [Item(name="x", count=5, cpu_m=500, memory=1)]
    assert lower_bound(items, [Bin(cpu_m=1000, memory=10, pods=9), Bin(cpu_m=2000, memory=10, pods=9)]) == 2


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 6), st.integers(50, 2000), st.integers(1, 2048)), min_size=1, max_size=8),
    st.integers(1, 8),
)
def test_placements_respect_every_dimension(workloads: list[tuple[int, int, int]], nodes: int) -> None:
    items = [Item(name=f"w{i}", count=n, cpu_m=c, memory=m * MIB) for i, (n, c, m) in enumerate(workloads)]
    bins = [T3_MEDIUM_EKS] * nodes
    p = pack(items, bins, time_limit=0.5)
    for j, b in enumerate(bins):
        assert p.cpu_used[j] <= b.cpu_m and p.memory_used[j] <= b.memory and p.pods_used[j] <= b.pods
    for item in items:  # every pod is placed or named unschedulable, none twice
        assert sum(p.placed.get(item.name, {}).values()) + p.unschedulable.get(item.name, 0) == item.count
    assert p.nodes_used >= min(p.lower_bound, nodes) or p.unschedulable
