"""Right-sizing against a real Prometheus (Debian's `prometheus`), backfilled with series of known answers.

Skipped when prometheus is not installed, unless INFRAFIT_REQUIRE_PROMETHEUS=1 (CI), then it fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.cli import app
from infrafit.kube.metrics import MetricsError, Window
from infrafit.kube.prometheus import PrometheusSource
from infrafit.kube.rightsize import RightsizeSettings, rightsize
from tests.kube import scenario
from tests.kube.prom import backfill, need_prometheus, serve

MI = scenario.MI


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary, promtool = need_prometheus()
    root = tmp_path_factory.mktemp("prometheus")
    backfill(scenario.build().write_blocks(root / "openmetrics"), root / "tsdb", promtool)
    with serve(root / "tsdb", binary) as url:
        yield url


def _settings(**extra: object) -> RightsizeSettings:
    return RightsizeSettings.model_validate({"history": "1d", "end": scenario.END_ISO, **extra})


def _by_key(result: object) -> dict[tuple[str, str, str, str], object]:
    return {(r.namespace, r.kind, r.workload, r.container): r for r in result.recommendations}  # type: ignore[attr-defined]


def test_recommendations_match_the_hand_worked_answers(prometheus: str) -> None:
    source = PrometheusSource(prometheus)
    result = rightsize(source, _settings())
    found = _by_key(result)
    assert set(found) == set(scenario.EXPECTED)
    for key, (cpu, memory) in scenario.EXPECTED.items():
        rec = found[key]
        assert rec.cpu_request == pytest.approx(cpu), key  # type: ignore[attr-defined]
        assert rec.memory_request == memory and rec.memory_limit == memory, key  # type: ignore[attr-defined]
    # Batched per namespace, whatever the pods: 1 namespace list + 2 namespaces × (CPU range, memory range over
    # 24 whole hours + memory instant for the last 75 s step, 6 kube-state-metrics instant queries).
    assert result.queries == 1 + 2 * 9


def test_owners_current_values_oom_and_short_history(prometheus: str) -> None:
    found = _by_key(rightsize(PrometheusSource(prometheus), _settings()))
    api = found[("shop", "Deployment", "api", "api")]
    # Three pods over two ReplicaSets of one Deployment; "current" is the newest pods' (400m, 512Mi, limit 1Gi),
    # not the old ReplicaSet's 500m / 1Gi.
    assert api.pods == 3  # type: ignore[attr-defined]
    assert api.current.cpu_request == pytest.approx(0.4)  # type: ignore[attr-defined]
    assert api.current.memory_request == 512 * MI and api.current.memory_limit == 1024 * MI  # type: ignore[attr-defined]
    assert api.current.cpu_limit is None  # type: ignore[attr-defined]
    # Pod a has 1,152 rate points (the first grid point has no earlier scrape), b 1,152, c 96 (two hours): 2,400.
    assert api.samples == 2400  # type: ignore[attr-defined]
    assert found[("ops", "Deployment", "worker", "worker")].oom_killed  # type: ignore[attr-defined]
    report = found[("shop", "CronJob", "report", "report")]
    assert any("of history" in w for w in report.warnings)  # type: ignore[attr-defined]
    assert not any("of history" in w for w in api.warnings)  # type: ignore[attr-defined]


def test_the_percentile_is_a_setting(prometheus: str) -> None:
    # p50: pod a's median is 0.2 (922 of 1,152 points), pod b's 0.25, so the highest pod gives 250m.
    found = _by_key(rightsize(PrometheusSource(prometheus), _settings(percentile=50)))
    assert found[("shop", "Deployment", "api", "api")].cpu_request == pytest.approx(0.25)  # type: ignore[attr-defined]


def test_memory_peaks_by_step_or_by_hour_block_agree(prometheus: str) -> None:
    # Hour blocks tile the grid exactly, so the 400Mi spike at 10 h 30 s is found either way: 460Mi.
    for block in (75.0, 3600.0, 5 * 3600.0):
        found = _by_key(rightsize(PrometheusSource(prometheus, memory_block=block), _settings(namespace="shop")))
        assert found[("shop", "Deployment", "api", "api")].memory_request == 460 * MI, block
        assert found[("shop", "CronJob", "report", "report")].memory_request == 230 * MI, block


def test_history_longer_than_one_query_is_cut_into_chunks(prometheus: str) -> None:
    # 1,153 grid points at 500 per query: 3 chunks for CPU; memory is 24 hour blocks + 1 instant; the same answers.
    source = PrometheusSource(prometheus, max_points=500)
    result = rightsize(source, _settings(namespace="shop"))
    assert result.queries == 3 + 2 + 6
    found = _by_key(result)
    assert found[("shop", "Deployment", "api", "api")].memory_request == 460 * MI  # type: ignore[attr-defined]
    assert found[("shop", "Deployment", "api", "api")].cpu_request == pytest.approx(0.3)  # type: ignore[attr-defined]


def test_a_refused_query_and_an_unreachable_server_are_plain_errors(prometheus: str) -> None:
    window = Window.ending(datetime.fromisoformat(scenario.END_ISO).timestamp(), history=3600, step=75)
    with pytest.raises(MetricsError, match="refused"):
        list(PrometheusSource(prometheus).range("rate(", window))
    with pytest.raises(MetricsError, match="cannot reach Prometheus"):
        PrometheusSource("http://127.0.0.1:9", timeout=2).namespaces(window)


def test_cli_json_contract(prometheus: str, tmp_path: Path) -> None:
    out = CliRunner().invoke(
        app,
        ["rightsize", "--prometheus", prometheus, "--history", "1d", "--end", scenario.END_ISO, "--format", "json"],
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    recs = doc["recommendations"]
    assert len(recs) == len(scenario.EXPECTED)
    keys = {"namespace", "workload", "container", "cpu_request", "memory_request", "memory_limit", "current", "samples"}
    assert all(keys <= set(r) for r in recs)
    api = next(r for r in recs if r["workload"] == "api")
    assert api["cpu_request"] == pytest.approx(0.3) and api["memory_limit"] == 460 * MI
    assert doc["queries"] == 19
