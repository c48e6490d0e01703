"""An offer file is streamed: memory stays flat when the file grows tenfold (tracemalloc peak, measured)."""

from __future__ import annotations

import gc
import importlib.util
import tracemalloc
from pathlib import Path
from types import ModuleType

from infrafit.catalog.refresh.aws import scan_offer
from infrafit.catalog.refresh.rules import load_rules
from infrafit.catalog.refresh.sources import head

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_refresh.py"


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_refresh", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def peak_of_scan(path: Path) -> int:
    rules = load_rules("aws")
    gc.collect()
    tracemalloc.start()
    scan = scan_offer(head(path), rules)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(scan.found) == 10  # the ten us-east-1 instance types the generator plants
    return peak


def test_memory_is_flat_when_the_file_grows_tenfold(tmp_path: Path) -> None:
    generate = bench().write_offer
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    generate(small, 3)
    generate(large, 30)
    assert large.stat().st_size > 9 * small.stat().st_size
    peak_small, peak_large = peak_of_scan(small), peak_of_scan(large)
    # Whole-file parsing would need several times the file (30 MB -> 100+ MB of objects); streaming holds the
    # items of one 256 KB read buffer at a time (about 1.7 MB measured), whatever the file's size.
    assert peak_large < 4 * 1024 * 1024, peak_large
    assert peak_large < 1.5 * peak_small + 512 * 1024, (peak_small, peak_large)
