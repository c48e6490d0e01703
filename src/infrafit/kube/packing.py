"""Pods onto existing nodes, as a scheduler that fills the first node with room would: first-fit-decreasing.

Pods of one workload are identical, so first fit places them in runs: the first eligible node takes as many as its
free CPU, memory and pod slots allow, then the next (one NumPy pass over the nodes per workload). The nodes used
are held against a lower bound (the fewest nodes whose allocatable covers the total request in every dimension):
meeting it proves the packing uses the fewest nodes. When it is not met, or pods are left over while the cluster has
room in total, a CP-SAT model (OR-Tools, imported only then) tries to do better within a time limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = ["Bin", "Item", "Packing", "lower_bound", "pack"]

IntArray = npt.NDArray[np.int64]
_BIG = np.iinfo(np.int64).max // 4


@dataclass(frozen=True, kw_only=True)
class Item:
    """``count`` identical pods asking ``cpu_m`` millicores and ``memory`` bytes, allowed on nodes ``allowed``."""

    name: str
    count: int
    cpu_m: int
    memory: int
    allowed: frozenset[int] | None = None
    """Indices of the nodes it may run on (None: every node)."""


@dataclass(frozen=True, kw_only=True)
class Bin:
    """One node's allocatable: millicores, bytes, pod slots."""

    cpu_m: int
    memory: int
    pods: int


@dataclass(kw_only=True)
class Packing:
    """Where the pods went: ``placed[item] = {node: pods}``, and what did not fit."""

    placed: dict[str, dict[int, int]] = field(default_factory=dict)
    unschedulable: dict[str, int] = field(default_factory=dict)
    nodes_used: int = 0
    lower_bound: int = 0
    optimal: bool = False
    """Proven: every pod placed on as few nodes as possible (the lower bound is met, or CP-SAT proved it)."""
    method: str = "first-fit-decreasing"
    cpu_used: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    memory_used: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    pods_used: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))


def lower_bound(items: Sequence[Item], bins: Sequence[Bin]) -> int:
    """The fewest of these nodes that can hold the items' total request in every dimension (largest nodes first);
    ``len(bins) + 1`` when even all of them cannot."""
    best = 0
    for demand, sizes in (
        (sum(i.count * i.cpu_m for i in items), [b.cpu_m for b in bins]),
        (sum(i.count * i.memory for i in items), [b.memory for b in bins]),
        (sum(i.count for i in items), [b.pods for b in bins]),
    ):
        if demand <= 0:
            continue
        cum = np.cumsum(np.sort(np.asarray(sizes, dtype=np.int64))[::-1])
        k = int(np.searchsorted(cum, demand)) + 1
        best = max(best, k)
    return best


def _ffd(items: Sequence[Item], bins: Sequence[Bin]) -> Packing:
    cpu = np.array([b.cpu_m for b in bins], dtype=np.int64)
    mem = np.array([b.memory for b in bins], dtype=np.int64)
    slots = np.array([b.pods for b in bins], dtype=np.int64)
    free_cpu, free_mem, free_slots = cpu.copy(), mem.copy(), slots.copy()
    out = Packing()
    order = sorted(range(len(items)), key=lambda i: (-items[i].cpu_m, -items[i].memory, items[i].name))
    for idx in order:
        item = items[idx]
        if item.count <= 0:
            continue
        fit = free_slots.copy()
        if item.cpu_m > 0:
            fit = np.minimum(fit, free_cpu // item.cpu_m)
        if item.memory > 0:
            fit = np.minimum(fit, free_mem // item.memory)
        if item.allowed is not None:
            mask = np.zeros(len(bins), dtype=bool)
            mask[list(item.allowed)] = True
            fit[~mask] = 0
        before = np.cumsum(fit) - fit
        take = np.clip(np.minimum(fit, item.count - before), 0, None)
        nodes = np.flatnonzero(take)
        if nodes.size:
            out.placed[item.name] = {int(n): int(take[n]) for n in nodes}
            free_cpu -= take * item.cpu_m
            free_mem -= take * item.memory
            free_slots -= take
        left = item.count - int(take.sum())
        if left:
            out.unschedulable[item.name] = left
    out.cpu_used, out.memory_used, out.pods_used = cpu - free_cpu, mem - free_mem, slots - free_slots
    out.nodes_used = int(np.count_nonzero(out.pods_used))
    return out


def pack(items: Sequence[Item], bins: Sequence[Bin], *, time_limit: float = 2.0, max_vars: int = 5_000) -> Packing:
    """First-fit-decreasing, proven against the lower bound, else improved with CP-SAT where the model is small."""
    result = _ffd(items, bins)
    result.lower_bound = lower_bound(items, bins)
    if not result.unschedulable and result.nodes_used <= result.lower_bound:
        result.optimal = True
        return result
    totals_fit = result.lower_bound <= len(bins)
    pairs = sum(len(bins) if i.allowed is None else len(i.allowed) for i in items)
    if totals_fit and pairs <= max_vars and time_limit > 0:
        better = _cp_sat(items, bins, result, time_limit)
        if better is not None:
            return better
    return result


def _cp_sat(items: Sequence[Item], bins: Sequence[Bin], ffd: Packing, time_limit: float) -> Packing | None:
    """Place as many pods as possible, then on as few nodes as possible; FFD's placement is the hint."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    n = len(bins)
    used = [model.new_bool_var(f"u{j}") for j in range(n)]
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for i, item in enumerate(items):
        nodes = range(n) if item.allowed is None else sorted(item.allowed)
        for j in nodes:
            x[i, j] = model.new_int_var(0, item.count, f"x{i}_{j}")
            model.add_hint(x[i, j], ffd.placed.get(item.name, {}).get(j, 0))
        model.add(sum(x[i, j] for j in nodes) <= item.count)
    for j, b in enumerate(bins):
        here = [(i, x[i, j]) for i in range(len(items)) if (i, j) in x]
        model.add(sum(items[i].cpu_m * v for i, v in here) <= b.cpu_m * used[j])
        model.add(sum(items[i].memory * v for i, v in here) <= b.memory * used[j])
        model.add(sum(v for _, v in here) <= b.pods * used[j])
        model.add_hint(used[j], bool(ffd.pods_used[j]) if j < len(ffd.pods_used) else False)
    placed = sum(x.values())
    model.maximize(placed * (n + 1) - sum(used))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 8
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out = Packing(method="CP-SAT", lower_bound=ffd.lower_bound)
    cpu = np.zeros(n, np.int64)
    mem = np.zeros(n, np.int64)
    pods = np.zeros(n, np.int64)
    for (i, j), var in x.items():
        v = int(solver.value(var))
        if v:
            out.placed.setdefault(items[i].name, {})[j] = v
            cpu[j] += v * items[i].cpu_m
            mem[j] += v * items[i].memory
            pods[j] += v
    for item in items:
        left = item.count - sum(out.placed.get(item.name, {}).values())
        if left:
            out.unschedulable[item.name] = left
    out.cpu_used, out.memory_used, out.pods_used = cpu, mem, pods
    out.nodes_used = int(np.count_nonzero(pods))
    before = (sum(ffd.unschedulable.values()), ffd.nodes_used)
    after = (sum(out.unschedulable.values()), out.nodes_used)
    proven = status == cp_model.OPTIMAL
    if after >= before:  # first fit was already as good: CP-SAT may have proven it
        ffd.optimal = proven
        return ffd
    out.optimal = proven
    return out
