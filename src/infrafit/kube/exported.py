"""Container history from an exported file (CSV; Parquet when pyarrow is installed), one row per sample.

Columns: ``timestamp`` (Unix seconds or ISO 8601), ``namespace``, ``pod``, ``container``, ``cpu`` (cores in use:
``0.25`` or ``250m``), ``memory`` (working set: bytes or ``300Mi``). Optional: ``workload`` and ``kind`` (the owning
workload; without them each pod is its own), ``cpu_request``, ``cpu_limit``, ``memory_request``, ``memory_limit``
(the container's current values) and ``oom_killed`` (1/true when it was OOM-killed). Samples are placed on the
step grid; two samples in one step keep the larger.
"""

from __future__ import annotations

import csv
import difflib
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from infrafit.kube.metrics import Inventory, MetricsError, PodContainer, Usage, Window
from infrafit.kube.quantity import QuantityError, parse_quantity

__all__ = ["COLUMNS", "OPTIONAL", "CsvSource"]

COLUMNS = ("timestamp", "namespace", "pod", "container", "cpu", "memory")
OPTIONAL = ("workload", "kind", "cpu_request", "cpu_limit", "memory_request", "memory_limit", "oom_killed")
_TRUE = {"1", "true", "yes", "y"}


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) from a CSV or Parquet file."""
    if path.suffix.lower() in (".parquet", ".pq"):
        try:
            import pyarrow.parquet as pq  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            raise MetricsError(
                f"{path}: reading Parquet needs pyarrow, which is not installed; export CSV instead"
            ) from None
        table = pq.read_table(path)
        yield 1, {name: name for name in table.column_names}
        for n, row in enumerate(table.to_pylist(), start=2):
            yield n, row
        return
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        yield 1, {name: name for name in reader.fieldnames or []}
        for row in reader:
            yield reader.line_num, row


def _timestamp(text: Any) -> float:
    if isinstance(text, int | float):
        return float(text)
    if isinstance(text, datetime):
        return text.timestamp()
    value = str(text).strip()
    try:
        return float(value)
    except ValueError:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()


class CsvSource:
    """A file of samples read once into memory; answers the :class:`~infrafit.kube.metrics.MetricsSource` calls."""

    queries = None  # no server: nothing to count

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            raise MetricsError(f"{path}: no such file")
        columns: dict[str, list[Any]] = defaultdict(list)
        self._inventory: dict[str, Inventory] = {}
        for line, row in _rows(path):
            if line == 1 and all(k == v for k, v in row.items()):
                self._check_header(list(row))
                continue
            self._read(line, row, columns)
        if not columns["t"]:
            raise MetricsError(f"{path}: no samples")
        self._t = np.array(columns["t"])
        self._ns = np.array(columns["ns"])
        self._key = columns["key"]
        self._cpu = np.array(columns["cpu"], dtype=np.float64)
        self._mem = np.array(columns["mem"], dtype=np.float64)

    def _check_header(self, names: list[str]) -> None:
        missing = [c for c in COLUMNS if c not in names]
        unknown = [c for c in names if c not in COLUMNS + OPTIONAL]
        if missing or unknown:
            hints = []
            for u in unknown:
                close = difflib.get_close_matches(u, COLUMNS + OPTIONAL, n=1)
                hints.append(f"unknown column {u!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            if missing:
                hints.append(f"missing column(s) {', '.join(missing)}")
            raise MetricsError(
                f"{self.path}:1: {'; '.join(hints)}; columns are {', '.join(COLUMNS)} (+ {', '.join(OPTIONAL)})"
            )

    def _read(self, line: int, row: dict[str, Any], columns: dict[str, list[Any]]) -> None:
        where = f"{self.path}:{line}"
        try:
            t = _timestamp(row["timestamp"])
        except (ValueError, TypeError):
            raise MetricsError(
                f"{where}: timestamp {row['timestamp']!r} is neither Unix seconds nor ISO 8601"
            ) from None
        ns, pod, container = (str(row[c] or "") for c in ("namespace", "pod", "container"))
        values = {}
        for name in ("cpu", "memory", "cpu_request", "cpu_limit", "memory_request", "memory_limit"):
            raw = row.get(name)
            if raw is None or raw == "":
                continue
            try:
                values[name] = float(parse_quantity(raw))
            except QuantityError as exc:
                unit = "cores, e.g. 0.25 or 250m" if name.startswith("cpu") else "bytes, e.g. 314572800 or 300Mi"
                raise MetricsError(f"{where}: {name}: {exc}; expected {unit}") from None
        inv = self._inventory.setdefault(ns, Inventory(namespace=ns))
        key = (pod, container)
        if row.get("workload"):
            inv.workloads[pod] = (str(row.get("kind") or "Workload"), str(row["workload"]))
        for which, into in (("request", inv.requests), ("limit", inv.limits)):
            for res in ("cpu", "memory"):
                if f"{res}_{which}" in values:
                    into.setdefault(key, {})[res] = values[f"{res}_{which}"]
        if str(row.get("oom_killed") or "").strip().lower() in _TRUE:
            inv.oom_killed.add(key)
        columns["t"].append(t)
        columns["ns"].append(ns)
        columns["key"].append(key)
        columns["cpu"].append(values.get("cpu", np.nan))
        columns["mem"].append(values.get("memory", np.nan))

    def latest(self) -> float:
        return float(self._t.max())

    def namespaces(self, window: Window) -> list[str]:
        inside = (self._t >= window.start) & (self._t <= window.end)
        return sorted(set(self._ns[inside].tolist()))

    def usage(self, namespace: str, window: Window) -> Usage:
        picked = np.flatnonzero(
            (self._ns == namespace)
            & (self._t >= window.start - window.step / 2)
            & (self._t <= window.end + window.step / 2)
        )
        rows: dict[PodContainer, int] = {}
        row_of = np.array([rows.setdefault(self._key[i], len(rows)) for i in picked], dtype=np.int64)
        col = window.index(self._t[picked])
        keep = (col >= 0) & (col < window.points)
        cpu = np.full((len(rows), window.points), -np.inf)
        mem = np.full((len(rows), window.points), -np.inf)
        np.fmax.at(cpu, (row_of[keep], col[keep]), self._cpu[picked][keep])
        np.fmax.at(mem, (row_of[keep], col[keep]), self._mem[picked][keep])
        cpu[np.isinf(cpu)] = np.nan
        mem[np.isinf(mem)] = np.nan
        return Usage(namespace=namespace, window=window, keys=list(rows), cpu=cpu, memory=mem)

    def inventory(self, namespace: str, window: Window) -> Inventory:
        return self._inventory.get(namespace, Inventory(namespace=namespace))
