"""Clusters: packing pods onto nodes (first-fit-decreasing, NumPy) and the cheapest-fleet search (CP-SAT).

Targets: 5,000 pods packed in under 1 s; the cheapest fleet for 50 workloads over 6 node types within 10 s.
Run: .venv/bin/python benchmarks/bench_clusters.py
"""

from __future__ import annotations

import random
import time
import tracemalloc

from infrafit.kube.fleet import NodeType, cheapest_fleet
from infrafit.kube.packing import Bin, Item, pack

MIB = 1024**2


def workloads(n_pods: int, per_workload: int, seed: int = 1) -> list[Item]:
    rng = random.Random(seed)
    items = []
    left, i = n_pods, 0
    while left > 0:
        count = min(left, rng.randint(1, 2 * per_workload))
        items.append(
            Item(
                name=f"w{i}",
                count=count,
                cpu_m=rng.choice([100, 250, 500, 1000]),
                memory=rng.choice([128, 256, 512, 1024, 2048]) * MIB,
            )
        )
        left -= count
        i += 1
    return items


def bench_packing() -> None:
    print("packing (first-fit-decreasing, then the lower bound; CP-SAT skipped above 20,000 pairs)")
    for pods in (1_000, 5_000, 20_000):
        items = workloads(pods, 10)
        need_cpu = sum(i.count * i.cpu_m for i in items)
        nodes = need_cpu // 3800 + 5
        bins = [Bin(cpu_m=3920, memory=15 * 1024 * MIB, pods=58)] * nodes
        tracemalloc.start()
        t = time.perf_counter()
        p = pack(items, bins, time_limit=0)
        dt = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"  {pods:>6,} pods in {len(items):>5,} workloads on {nodes:>5,} nodes: {dt * 1000:7.1f} ms "
            f"({pods / dt:,.0f} pods/s), peak {peak / MIB:.1f} MiB, {p.nodes_used} nodes used "
            f"(lower bound {p.lower_bound}), {sum(p.unschedulable.values())} unschedulable"
        )


def bench_fleet() -> None:
    print("cheapest fleet (CP-SAT, 8 workers)")
    types = [
        NodeType(name="small", vcpu=2, cpu_m=1930, memory=1500 * MIB, pods=11, monthly=15.18),
        NodeType(name="medium", vcpu=2, cpu_m=1930, memory=3554 * MIB, pods=17, monthly=30.37),
        NodeType(name="large", vcpu=2, cpu_m=1930, memory=7400 * MIB, pods=35, monthly=60.74),
        NodeType(name="xlarge", vcpu=4, cpu_m=3920, memory=14800 * MIB, pods=58, monthly=121.47),
        NodeType(name="m.large", vcpu=2, cpu_m=1930, memory=7400 * MIB, pods=29, monthly=70.08),
        NodeType(name="c.large", vcpu=2, cpu_m=1930, memory=3554 * MIB, pods=29, monthly=62.05),
    ]
    for n_workloads in (10, 25, 50):
        rng = random.Random(7)
        items = [
            Item(
                name=f"w{i}",
                count=rng.randint(1, 6),
                cpu_m=rng.choice([100, 250, 500]),
                memory=rng.choice([128, 256, 512, 1024]) * MIB,
            )
            for i in range(n_workloads)
        ]
        t = time.perf_counter()
        a = cheapest_fleet(items, types)
        dt = time.perf_counter() - t
        proof = "optimal" if a.optimal else f"gap {a.gap:.1%}" if a.gap is not None else "no proof"
        print(
            f"  {n_workloads:>3} workloads ({sum(i.count for i in items):>3} pods) over {len(types)} types: "
            f"{dt:5.2f} s, {a.counts} ${a.monthly_cost:,.2f}/month, {proof}, binding {a.binding}"
        )


if __name__ == "__main__":
    bench_packing()
    bench_fleet()
