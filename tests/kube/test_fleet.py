"""The cheapest fleet: known answers worked by hand, the quota, and the smallest quota when none fits."""

from __future__ import annotations

from infrafit.kube.fleet import NodeType, cheapest_fleet
from infrafit.kube.packing import Item

MIB = 1024**2
# Self-managed (reserved: none) t3 nodes: 2,000m, capacity − 100 MiB, 110 pods; on-demand us-east-1 × 730 h.
SMALL = NodeType(name="t3.small", vcpu=2, cpu_m=2000, memory=1948 * MIB, pods=110, monthly=15.184)
MEDIUM = NodeType(name="t3.medium", vcpu=2, cpu_m=2000, memory=3996 * MIB, pods=110, monthly=30.368)
LARGE = NodeType(name="t3.large", vcpu=2, cpu_m=2000, memory=8092 * MIB, pods=110, monthly=60.736)


def test_memory_bound_fleet_picks_the_cheapest_per_gib() -> None:
    # 12 pods of 250m / 1,500 MiB: one per t3.small (1,948 MiB), two per t3.medium (3,996), five per t3.large
    # (8,092 ≥ 7,500). Cost per pod: small $15.18, medium $15.18, large $12.15 -> 2 × large (10 pods, $121.47)
    # + 1 × medium for the last 2 ($30.37) = $151.84; 3 × large = $182.21 is dearer; 2 large + 2 small
    # = $151.84 too (a tie). CPU: 5 × 250 = 1,250m ≤ 2,000m per large.
    answer = cheapest_fleet([Item(name="w", count=12, cpu_m=250, memory=1500 * MIB)], [SMALL, MEDIUM, LARGE])
    assert answer.feasible and answer.optimal
    assert abs(answer.monthly_cost - (2 * 60.736 + 30.368)) < 1e-6
    assert answer.binding == "memory"


def test_cpu_bound_fleet() -> None:
    # 7 pods of 1,000m / 100 MiB: two per node of any type (2,000m) -> 4 nodes; cheapest: 4 × t3.small = $60.74.
    answer = cheapest_fleet([Item(name="w", count=7, cpu_m=1000, memory=100 * MIB)], [SMALL, MEDIUM, LARGE])
    assert answer.counts == {"t3.small": 4} and answer.vcpu == 8 and answer.binding == "cpu"


def test_quota_binds_and_infeasible_gives_the_smallest_quota() -> None:
    items = [Item(name="w", count=12, cpu_m=250, memory=1500 * MIB)]
    # Under 4 vCPU (two nodes): 2 × t3.large hold 10 pods, not 12 -> no fleet.
    none = cheapest_fleet(items, [SMALL, MEDIUM, LARGE], quota=4)
    assert not none.feasible and "4 vCPUs" in none.reason
    # The fewest vCPUs: 3 nodes (2 large + 1 medium or 3 large) = 6 vCPU.
    fewest = cheapest_fleet(items, [SMALL, MEDIUM, LARGE], objective="vcpu")
    assert fewest.vcpu == 6
    # Quota 6: the cheapest 3-node fleet is 2 × large + 1 × medium ($151.84), and the quota is all used.
    at6 = cheapest_fleet(items, [SMALL, MEDIUM, LARGE], quota=6)
    assert abs(at6.monthly_cost - 151.84) < 0.01 and at6.binding == "quota"


def test_a_pod_larger_than_every_type() -> None:
    answer = cheapest_fleet([Item(name="big", count=1, cpu_m=4000, memory=MIB)], [SMALL, MEDIUM])
    assert not answer.feasible and "fits no candidate type" in answer.reason
