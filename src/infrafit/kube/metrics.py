"""Container metrics history: one protocol, read from Prometheus or from an exported CSV file.

The right-sizing math takes arrays (:class:`Usage`) and never a URL, so it is tested without a server. A source
answers per namespace: :class:`PrometheusSource` sends a fixed number of range queries for each namespace (CPU,
memory, split only where Prometheus caps the points of one query) plus one instant query for each kube-state-metrics
series, never one query per pod.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from infrafit.kube.settings import format_duration, parse_duration

__all__ = [
    "Inventory",
    "MetricsError",
    "MetricsSource",
    "Usage",
    "Window",
    "format_duration",
    "parse_duration",
]

Floats = npt.NDArray[np.float64]
PodContainer = tuple[str, str]
"""(pod, container) inside one namespace."""
Owner = tuple[str, str]
"""(kind, name), e.g. ("ReplicaSet", "api-7d9f8"), ("Deployment", "api")."""


class MetricsError(ValueError):
    """Metrics that cannot be read: an unreachable server, a refused query, a malformed file."""


@dataclass(frozen=True, kw_only=True)
class Window:
    """The evaluation grid: ``start``, ``start + step``, ... up to ``end`` (Unix seconds), as `query_range` uses."""

    start: float
    end: float
    step: float

    @classmethod
    def ending(cls, end: float, *, history: float, step: float) -> Window:
        """The grid of ``history`` seconds that ends at ``end``."""
        return cls(start=end - history, end=end, step=step)

    @property
    def points(self) -> int:
        return math.floor((self.end - self.start) / self.step + 1e-9) + 1

    def chunks(self, max_points: int) -> Iterator[Window]:
        """The grid cut into windows of at most ``max_points`` points (Prometheus refuses more than 11,000)."""
        first = 0
        while first < self.points:
            last = min(first + max_points, self.points) - 1
            yield Window(start=self.start + first * self.step, end=self.start + last * self.step, step=self.step)
            first = last + 1

    def index(self, timestamps: Floats) -> npt.NDArray[np.int64]:
        """The grid position of each timestamp (rounded, so float noise in a server's timestamps does not matter)."""
        return np.rint((timestamps - self.start) / self.step).astype(np.int64)


@dataclass(kw_only=True)
class Usage:
    """CPU (cores) and memory working set (bytes) of each (pod, container) of one namespace on a window's grid.

    Row ``i`` of both arrays is ``keys[i]``; NaN where the container was not running (or not scraped)."""

    namespace: str
    window: Window
    keys: list[PodContainer]
    cpu: Floats
    memory: Floats

    @classmethod
    def empty(cls, namespace: str, window: Window) -> Usage:
        shape = (0, window.points)
        return cls(namespace=namespace, window=window, keys=[], cpu=np.empty(shape), memory=np.empty(shape))

    @classmethod
    def assemble(
        cls,
        namespace: str,
        window: Window,
        cpu: Iterable[tuple[PodContainer, Floats, Floats]],
        memory: Iterable[tuple[PodContainer, Floats, Floats]],
    ) -> Usage:
        """Place (key, timestamps, values) pieces on the grid; pieces of one key (time chunks) fill one row."""
        rows: dict[PodContainer, int] = {}
        pieces: list[tuple[int, int, Floats, Floats]] = []
        for which, series in ((0, cpu), (1, memory)):
            for key, times, values in series:
                pieces.append((which, rows.setdefault(key, len(rows)), times, values))
        arrays = np.full((2, len(rows), window.points), np.nan)
        for which, row, times, values in pieces:
            idx = window.index(times)
            keep = (idx >= 0) & (idx < window.points)
            at = idx[keep]  # duplicate series of one container (cAdvisor labels) keep the larger value
            arrays[which, row, at] = np.fmax(arrays[which, row, at], values[keep])
        return cls(namespace=namespace, window=window, keys=list(rows), cpu=arrays[0], memory=arrays[1])


@dataclass(kw_only=True)
class Inventory:
    """What kube-state-metrics says about one namespace: who owns each pod, requests and limits, OOM kills."""

    namespace: str
    pod_owners: dict[str, Owner] = field(default_factory=dict)
    """pod -> its controller, e.g. ("ReplicaSet", "api-7d9f8")."""
    controller_owners: dict[Owner, Owner] = field(default_factory=dict)
    """A controller's own controller: ("ReplicaSet", "api-7d9f8") -> ("Deployment", "api"); Job -> CronJob."""
    requests: dict[PodContainer, dict[str, float]] = field(default_factory=dict)
    """(pod, container) -> {"cpu": cores, "memory": bytes}, the latest value seen."""
    limits: dict[PodContainer, dict[str, float]] = field(default_factory=dict)
    oom_killed: set[PodContainer] = field(default_factory=set)
    """Containers whose last termination in the window was an OOM kill."""
    workloads: dict[str, Owner] = field(default_factory=dict)
    """pod -> workload given outright (an exported file's ``workload`` column); wins over the owner chain."""


class MetricsSource(Protocol):
    """Where container history comes from; the right-sizing runner asks it per namespace."""

    def namespaces(self, window: Window) -> list[str]:
        """Namespaces with containers in the window."""
        ...

    def usage(self, namespace: str, window: Window) -> Usage:
        """CPU and memory of every container of ``namespace`` on ``window``'s grid."""
        ...

    def inventory(self, namespace: str, window: Window) -> Inventory:
        """Owners, current requests and limits, and OOM kills of ``namespace``'s pods."""
        ...

    def latest(self) -> float:
        """The default end of the history (now for a server; the last sample of a file)."""
        ...
