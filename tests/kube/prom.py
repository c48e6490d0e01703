"""A real Prometheus for tests and the benchmark: write series as OpenMetrics, backfill them with promtool, serve.

`promtool tsdb create-blocks-from openmetrics` (Prometheus 2.42, Debian's) re-reads its whole input once per
two-hour block, so long histories are written as one file per block and backfilled file by file. The server runs
on a loopback port with retention long enough for fixed past timestamps, and is stopped within a bounded time.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

BLOCK = 7200  # promtool's block length, seconds

PROMETHEUS = shutil.which("prometheus") or ("/usr/bin/prometheus" if Path("/usr/bin/prometheus").exists() else None)
PROMTOOL = shutil.which("promtool") or ("/usr/bin/promtool" if Path("/usr/bin/promtool").exists() else None)


def need_prometheus() -> tuple[str, str]:
    """The binaries, or a skip (a failure when INFRAFIT_REQUIRE_PROMETHEUS=1, as in CI)."""
    if PROMETHEUS and PROMTOOL:
        return PROMETHEUS, PROMTOOL
    reason = "prometheus/promtool not installed (Debian package `prometheus`)"
    if os.environ.get("INFRAFIT_REQUIRE_PROMETHEUS") == "1":
        pytest.fail(f"INFRAFIT_REQUIRE_PROMETHEUS=1 but {reason}")
    pytest.skip(reason)


@dataclass
class Series:
    """One series: name, labels, sample times (Unix seconds) and values."""

    name: str
    labels: dict[str, str]
    times: np.ndarray
    values: np.ndarray

    def head(self) -> str:
        inner = ",".join(f'{k}="{v}"' for k, v in sorted(self.labels.items()))
        return f"{self.name}{{{inner}}} "


@dataclass
class Dataset:
    """Series to backfill; kept grouped by metric name (OpenMetrics wants a family's lines together)."""

    series: list[Series] = field(default_factory=list)

    def add(self, name: str, labels: dict[str, str], times: np.ndarray, values: np.ndarray | float) -> None:
        vals = np.broadcast_to(np.asarray(values, dtype=np.float64), times.shape)
        self.series.append(Series(name, labels, times.astype(np.int64), vals))

    def write_blocks(self, folder: Path) -> list[Path]:
        """One OpenMetrics file per two-hour block; returns the files."""
        folder.mkdir(parents=True, exist_ok=True)
        ordered = sorted(self.series, key=lambda s: s.name)
        lo = min(int(s.times.min()) for s in ordered if len(s.times))
        hi = max(int(s.times.max()) for s in ordered if len(s.times))
        files = []
        for block in range(lo // BLOCK * BLOCK, hi + 1, BLOCK):
            lines: list[str] = []
            for s in ordered:
                keep = (s.times >= block) & (s.times < block + BLOCK)
                if not keep.any():
                    continue
                head = s.head()
                lines.extend(
                    f"{head}{v!r} {t}\n" for t, v in zip(s.times[keep].tolist(), s.values[keep].tolist(), strict=True)
                )
            if lines:
                path = folder / f"block-{block}.om"
                path.write_text("".join(lines) + "# EOF\n")
                files.append(path)
        return files


def backfill(files: Iterable[Path], tsdb: Path, promtool: str, workers: int = 2) -> None:
    """Run promtool on each file into ``tsdb`` (files cover disjoint blocks, so runs do not overlap)."""
    tsdb.mkdir(parents=True, exist_ok=True)

    def one(path: Path) -> None:
        subprocess.run(
            [promtool, "tsdb", "create-blocks-from", "openmetrics", "--quiet", str(path), str(tsdb)],
            check=True,
            capture_output=True,
            timeout=600,
        )

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, list(files)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(tsdb: Path, prometheus: str, *, ready_within: float = 60.0) -> Iterator[str]:
    """Prometheus on 127.0.0.1 over ``tsdb``; yields its URL; stopped (then killed) on exit."""
    port = _free_port()
    config = tsdb.parent / f"prometheus-{port}.yml"
    config.write_text("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    args = [
        prometheus,
        f"--config.file={config}",
        f"--storage.tsdb.path={tsdb}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--storage.tsdb.retention.time=100y",
        "--storage.tsdb.min-block-duration=2h",
        "--storage.tsdb.max-block-duration=2h",  # no compaction of the backfilled blocks while tests run
        "--log.level=warn",
    ]
    log = (tsdb.parent / f"prometheus-{port}.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_within
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prometheus exited with {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"prometheus not ready within {ready_within:.0f}s; see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def counter(times: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """A counter sampled at ``times`` whose rate between sample i-1 and i is ``rates[i]`` (rates[0] unused)."""
    gaps = np.diff(times.astype(np.float64), prepend=float(times[0]))
    return np.cumsum(gaps * rates)
