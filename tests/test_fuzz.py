"""Mutated example plans either work or raise InputError, within a time and memory bound (issue 9, item 15).

Hypothesis picks the example and the mutations (benchmarks/fuzz.py applies them: dropped keys, typos, swapped
types, hostile leaves, raw text edits), so a failure shrinks to the smallest edit that breaks the tool. The
budget here is fixed (a few hundred cases, about ten seconds); ``python benchmarks/fuzz.py --cases N`` runs
longer with the same mutations.
"""

from __future__ import annotations

import importlib.util
import resource
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def _load_fuzz() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "fuzz.py"
    spec = importlib.util.spec_from_file_location("infrafit_fuzz", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()

CASES = 200
SECONDS_PER_CASE = 10.0
MEMORY_HEADROOM = 1536 * 2**20  # bytes of address space the fuzzing may add to the test process


def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


@pytest.fixture(scope="module")
def memory_bound() -> object:
    """A soft address-space limit above what the process uses now: a runaway allocation fails the case."""
    if not Path("/proc/self/status").exists():
        yield None
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _vm_size() + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield cap
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


mutations = st.lists(
    st.builds(
        fuzz.Mutation,
        kind=st.sampled_from(fuzz.WEIGHTED),
        where=st.integers(min_value=0, max_value=10**6),
        what=st.integers(min_value=0, max_value=10**6),
    ),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=CASES,
    deadline=None,  # the per-case bound is checked below, with a clearer message
    derandomize=True,  # the same cases on every run, so CI is stable; benchmarks/fuzz.py explores further
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(example=st.sampled_from(fuzz.EXAMPLES), edits=mutations)
def test_mutated_plans_work_or_raise_input_error(memory_bound: object, example: Path, edits: list[object]) -> None:
    text = fuzz.mutate(example, edits)
    began = time.perf_counter()
    outcome = fuzz.exercise(text)  # anything but InputError propagates and fails the case
    elapsed = time.perf_counter() - began
    assert outcome in ("ok", "input error")
    assert elapsed < SECONDS_PER_CASE, f"{elapsed:.1f} s for {example.name} with {edits}"


def test_the_fuzzer_reaches_the_engine() -> None:
    """Not every mutation is refused: some mutated plans evaluate and render, so the engine is fuzzed too."""
    tally = fuzz.run(40, seed=3, report=lambda _line: None)
    assert tally["ok"] > 0 and tally["input error"] > 0
    assert tally["finding"] == 0 and tally["slow"] == 0
