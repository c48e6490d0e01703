"""Container history from Prometheus's HTTP API (cAdvisor and kube-state-metrics series), batched per namespace.

For each namespace: one range query for CPU (cut into time chunks only where Prometheus caps a query at 11,000
points), one range and one instant query for memory peaks, and six instant queries for kube-state-metrics (pod
owners, ReplicaSet and Job owners, requests, limits, OOM kills). The count does not grow with pods, so a 1,000-pod namespace is a handful of
queries, not thousands of pod-name regexes.

- CPU: ``rate(container_cpu_usage_seconds_total[rate_window])`` at each step, in cores.
- Memory: ``max_over_time(container_memory_working_set_bytes[block])`` over hour blocks that tile the grid: every
  scraped sample counts (a spike between two steps is not missed), and the peak needs 48× fewer points than steps.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import numpy as np

from infrafit.kube.metrics import Floats, Inventory, MetricsError, PodContainer, Usage, Window, format_duration

__all__ = ["MAX_POINTS", "PrometheusSource"]

MAX_POINTS = 11_000
"""Prometheus refuses a range query of more points per series than this."""

_CONTAINERS = 'container!="",container!="POD"'  # cAdvisor's pod-level and pause-container series left out


def _label(value: str) -> str:
    """A label value quoted for PromQL."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class PrometheusSource:
    """Reads a Prometheus server at ``url`` (e.g. ``http://localhost:9090``); counts the queries it sends."""

    def __init__(
        self,
        url: str,
        *,
        rate_window: float | None = None,
        timeout: float = 120.0,
        max_points: int = MAX_POINTS,
        memory_block: float = 3600.0,
    ) -> None:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise MetricsError(f"{url!r} is not a Prometheus URL; give one such as http://localhost:9090")
        self.url = url.rstrip("/")
        self.rate_window = rate_window
        self.timeout = timeout
        self.max_points = max_points
        self.memory_block = memory_block
        self.queries = 0
        self._lock = threading.Lock()

    # -- HTTP ------------------------------------------------------------------------------------------------------

    def _post(self, path: str, params: dict[str, str]) -> bytes:
        """POST a query (long PromQL fits in a form body); the raw answer, or :class:`MetricsError`."""
        body = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(
            f"{self.url}/api/v1/{path}", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        with self._lock:
            self.queries += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")
            with contextlib.suppress(ValueError):
                detail = json.loads(detail).get("error", detail)
            raise MetricsError(f"Prometheus at {self.url} refused {params.get('query', path)!r}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise MetricsError(f"cannot reach Prometheus at {self.url}: {reason}") from None

    def _api(self, path: str, params: dict[str, str]) -> Any:
        """The ``data`` of an API answer."""
        return _data(self._post(path, params), self.url)

    def instant(self, query: str, at: float) -> list[dict[str, Any]]:
        """An instant query's vector: [{"metric": {...}, "value": [t, "v"]}, ...]."""
        data = self._api("query", {"query": query, "time": f"{at:.3f}"})
        return list(data.get("result", []))

    def range(self, query: str, window: Window) -> Iterator[tuple[dict[str, str], Floats, Floats]]:
        """(labels, timestamps, values) of each series of a range query, chunked under the server's point cap."""
        for chunk in window.chunks(self.max_points):
            params = {
                "query": query,
                "start": f"{chunk.start:.3f}",
                "end": f"{chunk.end:.3f}",
                "step": f"{chunk.step:g}",
            }
            yield from _matrix(self._post("query_range", params), self.url, grid=chunk)

    # -- MetricsSource ---------------------------------------------------------------------------------------------

    def latest(self) -> float:
        return time.time()

    def namespaces(self, window: Window) -> list[str]:
        history = format_duration(window.end - window.start + window.step)
        query = f"group by (namespace) (max_over_time(container_memory_working_set_bytes{{{_CONTAINERS}}}[{history}]))"
        return sorted({r["metric"].get("namespace", "") for r in self.instant(query, window.end)} - {""})

    def usage(self, namespace: str, window: Window) -> Usage:
        selector = f"{{namespace={_label(namespace)},{_CONTAINERS}}}"
        rate_window = format_duration(self.rate_window or window.step)
        # No `max by` on the server: Prometheus evaluates an aggregation step by step, about 5× slower over a long
        # range than the bare function; duplicate series of one container are merged here instead.
        cpu = f"rate(container_cpu_usage_seconds_total{selector}[{rate_window}])"

        def keyed(
            pieces: Iterator[tuple[dict[str, str], Floats, Floats]],
        ) -> Iterator[tuple[PodContainer, Floats, Floats]]:
            for labels, times, values in pieces:
                yield (labels.get("pod", ""), labels.get("container", "")), times, values

        return Usage.assemble(namespace, window, keyed(self.range(cpu, window)), keyed(self._peaks(selector, window)))

    def _peaks(self, selector: str, window: Window) -> Iterator[tuple[dict[str, str], Floats, Floats]]:
        """Memory peaks by blocks of ``memory_block`` seconds that tile the grid's span exactly: the peak of each
        block is the peak of its steps, so the container's peak is the same as from every step, from far fewer
        points. Full blocks come from one range query; the remainder at the end from one instant query."""
        metric = f"container_memory_working_set_bytes{selector}"
        per = max(1, round(self.memory_block / window.step))
        block = per * window.step
        last = window.start + (window.points - 1) * window.step
        origin = window.start - window.step  # the first step's window opens here
        full = int((last - origin) // block + 1e-9)
        if full:
            blocks = Window(start=origin + block, end=origin + full * block, step=block)
            yield from self.range(f"max_over_time({metric}[{format_duration(block)}])", blocks)
        rest = last - (origin + full * block)
        if rest > 0:
            for r in self.instant(f"max_over_time({metric}[{format_duration(rest)}])", last):
                yield r["metric"], np.array([float(r["value"][0])]), np.array([float(r["value"][1])])

    def inventory(self, namespace: str, window: Window) -> Inventory:
        ns = f"namespace={_label(namespace)}"
        history = format_duration(window.end - window.start + window.step)
        at = window.end
        inv = Inventory(namespace=namespace)

        def vector(metric: str, by: str, extra: str = "", fn: str = "max_over_time") -> list[dict[str, Any]]:
            return self.instant(f"max by ({by}) ({fn}({metric}{{{ns}{extra}}}[{history}]))", at)

        for r in vector("kube_pod_owner", "pod, owner_kind, owner_name"):
            m = r["metric"]
            if m.get("owner_kind", "<none>") != "<none>":
                inv.pod_owners[m["pod"]] = (m["owner_kind"], m["owner_name"])
        for metric, child, kind in (
            ("kube_replicaset_owner", "replicaset", "ReplicaSet"),
            ("kube_job_owner", "job_name", "Job"),
        ):
            for r in vector(metric, f"{child}, owner_kind, owner_name"):
                m = r["metric"]
                if m.get("owner_kind", "<none>") != "<none>" and m.get(child):
                    inv.controller_owners[(kind, m[child])] = (m["owner_kind"], m["owner_name"])
        for metric, into in (
            ("kube_pod_container_resource_requests", inv.requests),
            ("kube_pod_container_resource_limits", inv.limits),
        ):
            for r in vector(metric, "pod, container, resource", ',resource=~"cpu|memory"', fn="last_over_time"):
                m = r["metric"]
                into.setdefault((m["pod"], m["container"]), {})[m["resource"]] = float(r["value"][1])
        for r in vector("kube_pod_container_status_last_terminated_reason", "pod, container", ',reason="OOMKilled"'):
            if float(r["value"][1]) > 0:
                inv.oom_killed.add((r["metric"]["pod"], r["metric"]["container"]))
        return inv


def _data(raw: bytes, url: str) -> Any:
    try:
        payload = json.loads(raw)
    except ValueError:
        raise MetricsError(f"{url} did not answer with Prometheus JSON; is it a Prometheus server?") from None
    if payload.get("status") != "success":
        raise MetricsError(f"Prometheus at {url}: {payload.get('error', 'query failed')}")
    return payload["data"]


def _series(labels: dict[str, str], values: list[list[Any]]) -> tuple[dict[str, str], Floats, Floats]:
    times = np.fromiter((p[0] for p in values), dtype=np.float64, count=len(values))
    return labels, times, np.array([p[1] for p in values], dtype=np.float64)


_MARK, _VALUES = b'{"metric":', b',"values":['


def _matrix(raw: bytes, url: str, grid: Window | None = None) -> Iterator[tuple[dict[str, str], Floats, Floats]]:
    """The series of a matrix answer. Values (always quoted in Prometheus JSON) are converted by NumPy in one call
    per series, and a series with a point at every step of ``grid`` takes the grid's times without reading them:
    several times faster than a Python list per point (a 14-day answer holds millions). Any surprise falls back to
    ``json``."""
    if not raw.startswith(b'{"status":"success"'):
        data = _data(raw, url)
        yield from (_series(s["metric"], s["values"]) for s in data.get("result", []))
        return
    times_on_grid = grid.start + grid.step * np.arange(grid.points, dtype=np.float64) if grid is not None else None
    found: list[tuple[dict[str, str], Floats, Floats]] = []
    try:
        for part in raw.split(_MARK)[1:]:
            head, mark, rest = part.partition(_VALUES)
            end = rest.find(b"]]")
            if not mark or end < 0:
                raise ValueError("unexpected shape")
            body = rest[: end + 1]
            values = np.array(body.split(b'"')[1::2], dtype=np.float64)
            if times_on_grid is not None and len(values) == len(times_on_grid):
                times = times_on_grid
            else:
                numbers = np.fromstring(body.translate(None, b'[]"').decode(), sep=",")  # t, v, t, v, ...
                if len(numbers) != 2 * len(values):
                    raise ValueError("unread numbers")
                times = numbers[0::2].copy()
            found.append((json.loads(head), times, values))
    except (ValueError, DeprecationWarning):
        found = [_series(s["metric"], s["values"]) for s in _data(raw, url).get("result", [])]
    yield from found
