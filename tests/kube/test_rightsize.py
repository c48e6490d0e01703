"""The recommendation math on arrays: percentile, highest pod, peak × buffer, floors, the OOM bump, warnings."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.kube.metrics import Inventory, Usage, Window
from infrafit.kube.owners import workload_of
from infrafit.kube.rightsize import RightsizeSettings, ceil_millicores, recommend
from infrafit.kube.settings import format_duration, parse_duration

MI = 2**20
DEFAULTS = RightsizeSettings()


def _usage(cpu: list[list[float]], memory: list[list[float]], step: float = 75.0) -> Usage:
    n = len(cpu[0])
    window = Window(start=0.0, end=(n - 1) * step, step=step)
    keys = [(f"api-rs-{i}", "app") for i in range(len(cpu))]
    return Usage(namespace="ns", window=window, keys=keys, cpu=np.array(cpu, dtype=float), memory=np.array(memory, dtype=float))


def _inventory(**extra: object) -> Inventory:
    inv = Inventory(namespace="ns", controller_owners={("ReplicaSet", "api-rs"): ("Deployment", "api")})
    for i in range(4):
        inv.pod_owners[f"api-rs-{i}"] = ("ReplicaSet", "api-rs")
    for k, v in extra.items():
        setattr(inv, k, v)
    return inv


def test_percentile_is_linear_interpolation_rounded_up_to_a_millicore() -> None:
    # Values 0.01..1.00: rank 0.95 × 99 = 94.05, between 0.95 and 0.96 -> 0.9505 cores -> 951m.
    cpu = [[i / 100 for i in range(1, 101)]]
    rec = recommend(_usage(cpu, [[200 * MI] * 100]), _inventory(), DEFAULTS)[0]
    assert (rec.kind, rec.workload, rec.container) == ("Deployment", "api", "app")
    assert rec.cpu_request == pytest.approx(0.951)
    assert rec.samples == 100


def test_the_highest_pod_sets_the_cpu_request() -> None:
    # Pod 0 at 0.2 throughout, pod 1 at 0.5: p95 per pod is 0.2 and 0.5; the request is 500m.
    rec = recommend(_usage([[0.2] * 200, [0.5] * 200], [[MI] * 200] * 2), _inventory(), DEFAULTS)[0]
    assert rec.cpu_request == pytest.approx(0.5)
    assert rec.pods == 2 and rec.samples == 400


def test_memory_is_the_peak_plus_the_buffer_and_request_equals_limit() -> None:
    # Peak 400Mi (once) × 1.15 = 460Mi, whatever the rest of the history.
    mem = [[200 * MI] * 199 + [400 * MI]]
    rec = recommend(_usage([[0.1] * 200], mem), _inventory(), DEFAULTS)[0]
    assert rec.memory_request == rec.memory_limit == 460 * MI
    # A 30% buffer: 400 × 1.3 = 520Mi.
    rec = recommend(_usage([[0.1] * 200], mem), _inventory(), RightsizeSettings(buffer="30%"))[0]
    assert rec.memory_request == 520 * MI


def test_floors() -> None:
    # 2m and 10Mi × 1.15 are under the default floors 10m and 100Mi; a 50m / 256Mi floor applies when set.
    usage = _usage([[0.002] * 200], [[10 * MI] * 200])
    rec = recommend(usage, _inventory(), DEFAULTS)[0]
    assert rec.cpu_request == pytest.approx(0.01) and rec.memory_request == 100 * MI
    rec = recommend(usage, _inventory(), RightsizeSettings(cpu_floor="50m", memory_floor="256Mi"))[0]
    assert rec.cpu_request == pytest.approx(0.05) and rec.memory_request == 256 * MI


def test_an_oom_kill_bumps_memory_above_the_limit_it_died_at() -> None:
    # Limit 1Gi, peak 1,000Mi: max(1000 × 1.15 = 1150, 1024 + 100 = 1124, 1024 × 1.2 = 1228.8) -> 1,229Mi (rounded up).
    inv = _inventory(oom_killed={("api-rs-0", "app")}, limits={("api-rs-0", "app"): {"memory": 1024.0 * MI}})
    rec = recommend(_usage([[0.1] * 200], [[1000 * MI] * 200]), inv, DEFAULTS)[0]
    assert rec.oom_killed
    assert rec.memory_request == 1229 * MI
    # Small limit 256Mi: the margin wins: 256 + 100 = 356 > 256 × 1.2 = 307.2 > 250 × 1.15 = 287.5.
    inv = _inventory(oom_killed={("api-rs-0", "app")}, limits={("api-rs-0", "app"): {"memory": 256.0 * MI}})
    assert recommend(_usage([[0.1] * 200], [[250 * MI] * 200]), inv, DEFAULTS)[0].memory_request == 356 * MI


def test_short_history_and_few_samples_warn() -> None:
    # 60 points at 75 s: 59 × 75 s = 73 min 45 s of history (< 3h) and 60 samples (< 100).
    rec = recommend(_usage([[0.1] * 60], [[MI] * 60]), _inventory(), DEFAULTS)[0]
    assert any("of history" in w for w in rec.warnings)
    assert any("only 60 samples" in w for w in rec.warnings)
    long = recommend(_usage([[0.1] * 200], [[MI] * 200]), _inventory(), DEFAULTS)[0]  # 199 × 75 s = 4h 8m 45s
    assert long.warnings == ()


def test_current_values_come_from_the_newest_pod() -> None:
    # Pod 0 stopped half-way (NaN after), pod 1 ran to the end: its requests are the current ones.
    cpu = [[0.1] * 100 + [np.nan] * 100, [0.1] * 200]
    inv = _inventory(requests={("api-rs-0", "app"): {"cpu": 1.0}, ("api-rs-1", "app"): {"cpu": 0.25}})
    rec = recommend(_usage(cpu, cpu), inv, DEFAULTS)[0]
    assert rec.current.cpu_request == 0.25


def test_owner_chain() -> None:
    inv = Inventory(
        namespace="ns",
        pod_owners={"a-1": ("ReplicaSet", "a-rs"), "j-1": ("Job", "j-123"), "s-0": ("StatefulSet", "s")},
        controller_owners={("ReplicaSet", "a-rs"): ("Deployment", "a"), ("Job", "j-123"): ("CronJob", "j")},
    )
    assert workload_of("a-1", inv) == ("Deployment", "a")
    assert workload_of("j-1", inv) == ("CronJob", "j")
    assert workload_of("s-0", inv) == ("StatefulSet", "s")
    assert workload_of("bare", inv) == ("Pod", "bare")


def test_durations_and_windows() -> None:
    assert parse_duration("14d") == 1_209_600 and parse_duration("1h30m") == 5400 and parse_duration("75s") == 75
    assert format_duration(1_209_600) == "14d" and format_duration(75) == "75s"
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("14 days")
    # 14 days at 75 s: 1,209,600 / 75 + 1 = 16,129 points; cut at 11,000 per query: 11,000 + 5,129.
    w = Window.ending(1_209_600.0, history=1_209_600.0, step=75.0)
    assert w.points == 16_129
    assert [c.points for c in w.chunks(11_000)] == [11_000, 5_129]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 8, allow_nan=False), min_size=2, max_size=50),
    st.lists(st.floats(0, 2**33, allow_nan=False), min_size=2, max_size=50),
    st.floats(1, 100),
)
def test_invariants(cpu: list[float], memory: list[float], percentile: float) -> None:
    n = min(len(cpu), len(memory))
    s = RightsizeSettings(percentile=percentile)
    rec = recommend(_usage([cpu[:n]], [memory[:n]]), _inventory(), s)[0]
    assert rec.cpu_request is not None and rec.memory_request is not None
    assert rec.cpu_request >= 0.01 and rec.memory_request >= 100 * MI
    assert rec.cpu_request >= ceil_millicores(float(np.percentile(cpu[:n], percentile))) - 1e-9
    assert rec.cpu_request <= max(ceil_millicores(max(cpu[:n])), 0.01) + 1e-9
    assert rec.memory_request >= max(memory[:n]) * 1.15 - 1
    assert rec.memory_request == rec.memory_limit
