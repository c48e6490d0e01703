"""The cheapest mix of node types and counts on which every pod fits, under a vCPU quota (OR-Tools CP-SAT).

Each candidate type is a number of interchangeable node slots (its allocatable already net of the reservation model
and the DaemonSets); a slot is bought or not, pods are assigned to bought slots, and the objective is the bought
slots' monthly price. Slots per type are bounded by the price of the best single-type first-fit fleet (no cheaper
answer can buy more of a type than that price pays for), by the quota and by ``max_nodes``. That fleet is also the
solver's hint, so a time-limited search returns at least it. The answer says whether CP-SAT proved it optimal, the
gap to its bound when not, and which constraint binds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from infrafit.kube.packing import Bin, Item, pack

__all__ = ["FleetAnswer", "NodeType", "cheapest_fleet"]

_KIB = 1024


@dataclass(frozen=True, kw_only=True)
class NodeType:
    """A candidate node type: its vCPUs (for the quota), allocatable per node and monthly price per node."""

    name: str
    vcpu: int
    cpu_m: int
    memory: int
    pods: int
    monthly: float


@dataclass(kw_only=True)
class FleetAnswer:
    """The fleet (type -> count), what it costs, and how sure the search is."""

    counts: dict[str, int] = field(default_factory=dict)
    monthly_cost: float = 0.0
    vcpu: int = 0
    feasible: bool = False
    optimal: bool = False
    gap: float | None = None
    """(cost − best bound) / cost when not proven optimal."""
    binding: str = ""
    """The constraint that holds the answer where it is: ``memory``, ``cpu``, ``pods`` or ``quota``."""
    utilization: dict[str, float] = field(default_factory=dict)
    reason: str = ""
    """Why there is no answer (infeasible)."""
    smallest_quota: int | None = None
    """When the quota rules every fleet out: the fewest vCPUs a fleet needs."""
    seconds: float = 0.0


def _single_type(items: Sequence[Item], t: NodeType, cap: int) -> tuple[int, dict[str, dict[int, int]]] | None:
    """Nodes of ``t`` alone that first fit needs and where it puts the pods, or None when ``cap`` nodes are not
    enough."""
    demand = max(
        math.ceil(sum(i.count * i.cpu_m for i in items) / t.cpu_m) if t.cpu_m else cap + 1,
        math.ceil(sum(i.count * i.memory for i in items) / t.memory) if t.memory else cap + 1,
        math.ceil(sum(i.count for i in items) / t.pods) if t.pods else cap + 1,
    )
    n = max(demand, 1)
    while n <= cap:
        p = pack(items, [Bin(cpu_m=t.cpu_m, memory=t.memory, pods=t.pods)] * n, time_limit=0)
        if not p.unschedulable:
            return p.nodes_used, p.placed
        n = max(n + 1, math.ceil(n * 1.25))
    return None


def cheapest_fleet(
    items: Sequence[Item],
    types: Sequence[NodeType],
    *,
    quota: int | None = None,
    max_nodes: int | None = None,
    time_limit: float = 6.0,
    objective: str = "cost",
) -> FleetAnswer:
    """The cheapest fleet (``objective="vcpu"``: the one with the fewest vCPUs) holding every item."""
    import time

    started = time.perf_counter()
    items = [i for i in items if i.count > 0]
    for item in items:
        if not any(i_fits(item, t) for t in types):
            return FleetAnswer(
                reason=f"a pod of {item.name} fits no candidate type (it asks {item.cpu_m}m CPU, "
                f"{item.memory / 2**20:,.0f} MiB)"
            )
    cap = max_nodes if max_nodes is not None else 10_000
    seeds: dict[str, int] = {}
    placements: dict[str, dict[str, dict[int, int]]] = {}
    for t in types:
        limit = cap if quota is None else min(cap, quota // max(t.vcpu, 1))
        found = _single_type(items, t, limit)
        if found is not None:
            seeds[t.name], placements[t.name] = found
    weight = {t.name: (t.monthly if objective == "cost" else t.vcpu) for t in types}
    if seeds:
        best = min(seeds, key=lambda k: weight[k] * seeds[k])
        upper = weight[best] * seeds[best]
    else:
        best, upper = "", math.inf
    bounds = {}
    for t in types:
        n = min(cap, sum(i.count for i in items if i_fits(i, t)))
        if quota is not None:
            n = min(n, quota // max(t.vcpu, 1))
        if upper < math.inf and weight[t.name] > 0:
            n = min(n, int(upper // weight[t.name]))
        bounds[t.name] = max(n, 0)
    hint = (best, seeds.get(best, 0), placements.get(best, {}))
    answer = _solve(items, types, bounds, hint, quota, max_nodes, time_limit, weight)
    answer.seconds = time.perf_counter() - started
    return answer


def i_fits(item: Item, t: NodeType) -> bool:
    return item.cpu_m <= t.cpu_m and item.memory <= t.memory and t.pods >= 1


def _solve(
    items: Sequence[Item],
    types: Sequence[NodeType],
    bounds: dict[str, int],
    hint: tuple[str, int, dict[str, dict[int, int]]],
    quota: int | None,
    max_nodes: int | None,
    time_limit: float,
    weight: dict[str, float],
) -> FleetAnswer:
    from ortools.sat.python import cp_model

    hint_type, hint_n, hint_placed = hint
    model = cp_model.CpModel()
    slots: list[tuple[NodeType, int, cp_model.IntVar]] = []
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for t in types:
        prev = None
        for k in range(bounds[t.name]):
            y = model.new_bool_var(f"{t.name}#{k}")
            if prev is not None:
                model.add_implication(y, prev)  # slots of a type are bought in order (no symmetric twins)
            model.add_hint(y, t.name == hint_type and k < hint_n)
            slots.append((t, k, y))
            prev = y
    for j, (t, k, y) in enumerate(slots):
        here = []
        for i, item in enumerate(items):
            if not i_fits(item, t):
                continue
            per_node = min(
                item.count,
                t.pods,
                t.cpu_m // item.cpu_m if item.cpu_m else t.pods,
                t.memory // item.memory if item.memory else t.pods,
            )
            x[i, j] = model.new_int_var(0, per_node, f"x{i}_{j}")
            model.add_hint(x[i, j], hint_placed.get(item.name, {}).get(k, 0) if t.name == hint_type else 0)
            here.append((item, x[i, j]))
        model.add(sum(it.cpu_m * v for it, v in here) <= t.cpu_m * y)
        model.add(sum(-(-it.memory // _KIB) * v for it, v in here) <= (t.memory // _KIB) * y)
        model.add(sum(v for _, v in here) <= t.pods * y)
    for i, item in enumerate(items):
        model.add(sum(v for (ii, _), v in x.items() if ii == i) == item.count)
    # The bought nodes' totals cover the pods' totals: implied by the assignment, but it gives the solver a
    # strong bound early (without it the LP bound is near zero and the gap stays wide).
    model.add(sum(t.cpu_m * y for t, _, y in slots) >= sum(i.count * i.cpu_m for i in items))
    model.add(sum((t.memory // _KIB) * y for t, _, y in slots) >= sum(i.count * -(-i.memory // _KIB) for i in items))
    model.add(sum(t.pods * y for t, _, y in slots) >= sum(i.count for i in items))
    if quota is not None:
        model.add(sum(t.vcpu * y for t, _, y in slots) <= quota)
    if max_nodes is not None:
        model.add(sum(y for _, _, y in slots) <= max_nodes)
    scale = {t.name: round(weight[t.name] * 10_000) for t in types}
    # Cost first; among fleets of equal cost, the one with fewer vCPUs (quota headroom), so answers are stable.
    model.minimize(sum((scale[t.name] * 1000 + t.vcpu) * y for t, _, y in slots))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 8
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return FleetAnswer(
            reason="no fleet of these types holds every pod"
            + (f" within {quota} vCPUs" if quota is not None else "")
            + (f" on at most {max_nodes} nodes" if max_nodes is not None else "")
        )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return FleetAnswer(reason=f"no fleet found within the {time_limit:g} s time limit")
    counts: dict[str, int] = {}
    for t, _, y in slots:
        if solver.value(y):
            counts[t.name] = counts.get(t.name, 0) + 1
    by_name = {t.name: t for t in types}
    cost = sum(by_name[n].monthly * c for n, c in counts.items())
    vcpu = sum(by_name[n].vcpu * c for n, c in counts.items())
    cap = {
        "cpu": sum(by_name[n].cpu_m * c for n, c in counts.items()),
        "memory": sum(by_name[n].memory * c for n, c in counts.items()),
        "pods": sum(by_name[n].pods * c for n, c in counts.items()),
    }
    need = {
        "cpu": sum(i.count * i.cpu_m for i in items),
        "memory": sum(i.count * i.memory for i in items),
        "pods": sum(i.count for i in items),
    }
    util = {k: (need[k] / cap[k] if cap[k] else 0.0) for k in cap}
    binding = max(util, key=lambda k: util[k])
    if quota is not None and vcpu == quota:
        binding = "quota"
    if max_nodes is not None and sum(counts.values()) == max_nodes:
        binding = "max_nodes"
    objective = solver.objective_value / 1000
    bound = solver.best_objective_bound / 1000
    optimal = status == cp_model.OPTIMAL
    gap = None if optimal or objective <= 0 else max(objective - bound, 0.0) / objective
    return FleetAnswer(
        counts=dict(sorted(counts.items())),
        monthly_cost=cost,
        vcpu=vcpu,
        feasible=True,
        optimal=optimal,
        gap=gap,
        binding=binding,
        utilization=util,
    )
