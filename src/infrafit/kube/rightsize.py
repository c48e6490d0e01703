"""Requests and limits from measured use: the math on arrays, and the run over a metrics source.

Per container of a workload (all its pods, across rollouts), following KRR's simple strategy and VPA's OOM rule:

- CPU request = the ``percentile`` (default p95, linear interpolation as NumPy and PromQL's ``quantile`` do) of each
  pod's CPU rate, taking the highest pod; no CPU limit is proposed;
- memory request = memory limit = the peak working set × (1 + ``buffer``) (default 15%);
- after an OOM kill in the window, at least max(limit + ``oom_margin``, limit × (1 + ``oom_factor``)), since the
  working set is capped at the limit and the peak understates what the container wanted;
- floors (default 10m CPU, 100Mi memory); CPU rounded up to a millicore, memory up to a MiB;
- a warning when the history spans less than ``min_history`` or holds fewer than ``min_samples`` points.
"""

from __future__ import annotations

import math
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infrafit.kube.metrics import Floats, Inventory, MetricsSource, Usage, Window
from infrafit.kube.owners import workload_of
from infrafit.kube.settings import MIB, RightsizeSettings, format_duration

__all__ = ["Current", "Recommendation", "RightsizeResult", "RightsizeSettings", "recommend", "rightsize"]


@dataclass(frozen=True, kw_only=True)
class Current:
    """A container's requests and limits now (cores, bytes); None where none is set or it is not known."""

    cpu_request: float | None = None
    cpu_limit: float | None = None
    memory_request: float | None = None
    memory_limit: float | None = None


@dataclass(frozen=True, kw_only=True)
class Recommendation:
    """New requests and limits for one container of one workload (cores, bytes)."""

    namespace: str
    kind: str
    workload: str
    container: str
    cpu_request: float | None
    memory_request: float | None
    memory_limit: float | None
    current: Current
    samples: int
    """CPU points the percentile was taken over (all pods)."""
    pods: int
    history_seconds: float
    oom_killed: bool = False
    warnings: tuple[str, ...] = ()


@dataclass(kw_only=True)
class RightsizeResult:
    """Recommendations and how they were made (settings, window, source, queries sent)."""

    settings: RightsizeSettings
    window: Window
    source: str
    recommendations: list[Recommendation]
    queries: int | None = None
    plan_effect: Any = None
    """Set by the caller when a plan is given (see :mod:`infrafit.kube.plan_effect`)."""
    notes: list[str] = field(default_factory=list)


def ceil_millicores(cores: float) -> float:
    """Cores rounded up to a whole millicore (float noise below a micro-core is not rounded up)."""
    return math.ceil(cores * 1000 - 1e-6) / 1000


def ceil_mib(size: float) -> float:
    """Bytes rounded up to a whole MiB."""
    return float(math.ceil(size / MIB - 1e-9) * MIB)


def _row_stats(usage: Usage, percentile: float) -> tuple[Floats, Floats, Any, Any, Any]:
    """Per row: CPU percentile, memory peak, CPU sample count, first and last grid index with any data."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows (a container seen in one metric only)
        cpu_q = np.nanpercentile(usage.cpu, percentile, axis=1) if usage.keys else np.empty(0)
        mem_peak = np.nanmax(usage.memory, axis=1) if usage.keys else np.empty(0)
    seen = ~(np.isnan(usage.cpu) & np.isnan(usage.memory))
    any_seen = seen.any(axis=1)
    first = np.where(any_seen, seen.argmax(axis=1), -1)
    last = np.where(any_seen, seen.shape[1] - 1 - seen[:, ::-1].argmax(axis=1), -1)
    return cpu_q, mem_peak, (~np.isnan(usage.cpu)).sum(axis=1), first, last


def recommend(usage: Usage, inventory: Inventory, settings: RightsizeSettings) -> list[Recommendation]:
    """One recommendation per (workload, container) of a namespace, from its arrays and kube-state-metrics."""
    cpu_q, mem_peak, samples, first, last = _row_stats(usage, settings.percentile)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for row, (pod, container) in enumerate(usage.keys):
        kind, name = workload_of(pod, inventory)
        groups.setdefault((kind, name, container), []).append(row)
    out = []
    for (kind, name, container), rows in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2])):
        idx = np.array(rows)
        seen = idx[first[idx] >= 0]
        span = float((last[seen].max() - first[seen].min()) * usage.window.step) if len(seen) else 0.0
        newest = [usage.keys[r] for r in sorted(rows, key=lambda r: -last[r])]
        current = _current(newest, inventory)
        oom = any(usage.keys[r] in inventory.oom_killed for r in rows)
        out.append(
            _recommend_one(
                namespace=usage.namespace,
                kind=kind,
                workload=name,
                container=container,
                cpu=cpu_q[idx],
                peak=mem_peak[idx],
                samples=int(samples[idx].sum()),
                pods=len({usage.keys[r][0] for r in rows}),
                span=span,
                current=current,
                oom=oom,
                settings=settings,
            )
        )
    return out


def _current(keys_newest_first: list[tuple[str, str]], inventory: Inventory) -> Current:
    """Requests and limits of the newest pod that kube-state-metrics reported them for."""
    for key in keys_newest_first:
        req, lim = inventory.requests.get(key), inventory.limits.get(key)
        if req is not None or lim is not None:
            req, lim = req or {}, lim or {}
            return Current(
                cpu_request=req.get("cpu"),
                cpu_limit=lim.get("cpu"),
                memory_request=req.get("memory"),
                memory_limit=lim.get("memory"),
            )
    return Current()


def _recommend_one(
    *,
    namespace: str,
    kind: str,
    workload: str,
    container: str,
    cpu: Floats,
    peak: Floats,
    samples: int,
    pods: int,
    span: float,
    current: Current,
    oom: bool,
    settings: RightsizeSettings,
) -> Recommendation:
    notes: list[str] = []
    cpu_known, peak_known = cpu[~np.isnan(cpu)], peak[~np.isnan(peak)]
    cpu_request = memory = None
    if len(cpu_known):
        cpu_request = max(ceil_millicores(float(cpu_known.max())), float(settings.cpu_floor))
    else:
        notes.append("no CPU samples; CPU request left as it is")
    if len(peak_known) or oom:
        top = float(peak_known.max()) if len(peak_known) else 0.0
        memory = top * (1 + float(settings.buffer))
        if oom:
            base = current.memory_limit if current.memory_limit is not None else top
            bump = max(base + float(settings.oom_margin), base * (1 + float(settings.oom_factor)))
            memory = max(memory, bump)
            notes.append("OOM-killed in the window: memory raised above the limit it was killed at")
        memory = ceil_mib(max(memory, float(settings.memory_floor)))
    else:
        notes.append("no memory samples; memory left as it is")
    if span < settings.min_history:
        notes.append(
            f"only {format_duration(span) if span else 'one point'} of history (under "
            f"{format_duration(settings.min_history)}); the recommendation may be too low"
        )
    if samples < settings.min_samples:
        notes.append(f"only {samples} samples (under {settings.min_samples})")
    if cpu_request is not None and current.cpu_limit is not None and current.cpu_limit < cpu_request:
        notes.append("the CPU limit is below the new request; raise it or remove it")
    return Recommendation(
        namespace=namespace,
        kind=kind,
        workload=workload,
        container=container,
        cpu_request=cpu_request,
        memory_request=memory,
        memory_limit=memory,
        current=current,
        samples=samples,
        pods=pods,
        history_seconds=span,
        oom_killed=oom,
        warnings=tuple(notes),
    )


def rightsize(
    source: MetricsSource, settings: RightsizeSettings, *, label: str = "", workers: int = 4
) -> RightsizeResult:
    """Fetch each namespace's history from ``source`` and recommend; namespaces are fetched ``workers`` at a time."""
    end = settings.end.timestamp() if settings.end is not None else source.latest()
    window = Window.ending(end, history=settings.history, step=settings.step)
    namespaces = [settings.namespace] if settings.namespace else source.namespaces(window)

    def one(namespace: str) -> list[Recommendation]:
        return recommend(source.usage(namespace, window), source.inventory(namespace, window), settings)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(namespaces) or 1))) as pool:
        found = [rec for recs in pool.map(one, namespaces) for rec in recs]
    result = RightsizeResult(settings=settings, window=window, source=label, recommendations=found)
    result.queries = getattr(source, "queries", None)
    if not found:
        where = f"namespace {settings.namespace!r}" if settings.namespace else "any namespace"
        result.notes.append(
            f"no container history in {where} for the {format_duration(settings.history)} before the end"
        )
    return result
