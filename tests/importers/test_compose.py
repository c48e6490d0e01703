"""`import compose`: services as self-hosted components, read the way Docker Compose reads them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrafit.errors import InputError
from infrafit.importers import run_import
from infrafit.importers.compose import compose_bytes, interpolate


def test_bytes_are_binary() -> None:
    assert compose_bytes("1.5G") == 1_610_612_736  # 1.5 × 2^30, as compose-go's RAMInBytes reads it
    assert compose_bytes("512m") == 512 * 2**20
    assert compose_bytes("1gb") == 2**30
    assert compose_bytes("300k") == 300 * 1024
    assert compose_bytes(1073741824) == 2**30
    with pytest.raises(ValueError, match="not a Compose byte size"):
        compose_bytes("lots")


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["k", "m", "g"]))
def test_each_step_is_1024(n: int, unit: str) -> None:
    power = "kmg".index(unit) + 1
    assert compose_bytes(f"{n}{unit}") == Decimal(n) * 1024**power


def test_interpolation() -> None:
    env = {"A": "1", "EMPTY": ""}
    assert interpolate("${A:-9}", env) == "1"
    assert interpolate("${B:-9}", env) == "9"
    assert interpolate("${EMPTY:-9}", env) == "9"  # :- also replaces an empty value
    assert interpolate("${EMPTY-9}", env) == ""  # - only an unset one
    assert interpolate("${A:+yes}", env) == "yes"
    assert interpolate("$$A and $A", env) == "$A and 1"
    assert interpolate("${B:-${A}}", env) == "1"
    with pytest.raises(InputError, match="required variable B is not set: give B"):
        interpolate("${B:?give B}", env)


def _components(draft):  # type: ignore[no-untyped-def]
    return draft.body["selfhost"]["components"]


def test_default_services_only(fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TAG", raising=False)
    draft = run_import("compose", fixtures / "compose" / "docker-compose.yml", name="stack")
    comps = _components(draft)
    assert set(comps) == {"scout", "trader"}  # the rest sit in profiles that are not enabled
    assert {s.address for s in draft.unmapped} == {"rabbitmq", "redis", "promtail", "minio", "llm"}
    scout = comps["scout"]
    # .env: SCOUT_REPLICAS=2 and SCOUT_CPUS='1.5'; build: without image: gets Compose's <project>-<service>
    assert (scout["replicas"], scout["cpu"], scout["image"]) == (2, Decimal("1.5"), "stack-scout")
    assert scout["memory"] == "1536MiB"  # 1.5G = 1.5 × 1024 MiB
    assert any(f.code == "host_network" and f.subject == "scout" for f in draft.findings)
    trader = comps["trader"]
    # no limits: the reservations (0.25 CPU, 300m = 300 MiB) stand in; ${TAG-latest} with TAG unset
    assert (trader["cpu"], trader["memory"], trader["image"]) == (Decimal("0.25"), "300MiB", "ghcr.io/example/trader:latest")


def test_profiles_gpu_and_end_of_life(fixtures: Path) -> None:
    draft = run_import("compose", fixtures / "compose" / "docker-compose.yml", profiles=["infra", "gpu"])
    comps = _components(draft)
    assert comps["rabbitmq"]["memory"] == "1024MiB" and comps["rabbitmq"]["cpu"] == 1
    assert comps["redis"]["memory"] == "512MiB"
    assert comps["llm"]["gpu"] is True and comps["llm"]["memory"] == "24576MiB"
    codes = {(f.code, f.subject) for f in draft.findings}
    assert ("gpu_required", "llm") in codes
    assert ("eol_component", "promtail") in codes and ("eol_component", "minio") in codes
    assert "FILL" in draft.comments[("selfhost", "components", "promtail", "memory")]  # no limit given
    # together: rabbitmq 1 + redis 0.5 + promtail 0.1 (placeholder) + minio 0.1 (placeholder) + scout 2 × 1.5
    # + trader 0.25 + llm 0.1 (placeholder) = 5.05 CPUs
    assert draft.comments[("selfhost", "components")].startswith("together: 5.05 CPUs")


def test_not_a_compose_file(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text("version: '3'\n")
    with pytest.raises(InputError, match="services"):
        run_import("compose", path)
    path.write_text("services: [\n")
    with pytest.raises(InputError) as err:
        run_import("compose", path)
    assert err.value.problems[0].line is not None


def test_an_imported_compose_stack_is_costed_and_fitted_on_the_machine(tmp_path: Path) -> None:
    """The draft `import compose` writes loads as a plan, and its containers count in the machine's fit."""
    from infrafit.engine.evaluate import evaluate
    from infrafit.importers import run_import
    from infrafit.importers.yamlout import render_yaml
    from infrafit.plan.loader import load_plan

    fixture = Path(__file__).parent / "fixtures" / "compose" / "docker-compose.yml"
    draft = run_import("compose", fixture)
    plan = load_plan("imported.yaml", text=render_yaml(draft))
    (report,) = evaluate(plan).sections["selfhost"]
    # scout: 2 replicas × 1.5 CPUs + trader: 1 × 0.25 = 3.25 CPUs; the drafted 4-CPU machine keeps 20% headroom,
    # so 3.2 cores are usable: 3.25 does not fit.
    assert abs(report.cpu - 3.25) < 1e-9
    assert report.machine_fits is False
    # memory: 2 × 1,536 MiB + 300 MiB = 3,372 MiB
    assert report.memory == 3372 * 2**20
    assert {s.resource for s in report.services} >= {"scout", "trader"}
