"""The selfhost: section through evaluate, on an in-memory catalog whose prices the tests pin."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
import yaml

from infrafit.catalog.lookup import Catalog
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.engine.sections.selfhost_report import SelfHostReport
from infrafit.errors import InputError
from infrafit.plan.loader import load_plan

D = Decimal
SOURCE = {"source": "https://example.com/pricing", "as_of": "2026-01-15"}


def catalog() -> Catalog:
    """The packaged selfhost provider (identity meters) with its energy price pinned at 0.10 USD/kWh, and a toy
    `gcp` with a bus at $0.50 per million operations (2M free) and a secret store at $1 a secret."""
    raw = yaml.safe_load((resources.files("infrafit.catalog") / "data" / "selfhost.yaml").read_text())
    raw["services"]["machine"]["meters"]["energy"]["price"] = {"usd": "0.10", "per": 1, **SOURCE}
    meter = {"category": "requests", "from_usage": "operations", "unit": "operation"}
    gcp = {
        "provider": "gcp",
        "name": "Toy GCP",
        "as_of": "2026-01-15",
        "services": {
            "pubsub": {
                "name": "Bus",
                "category": "requests",
                "usage": ["operations"],
                "meters": {"operations": {**meter, "label": "ops", "price": {"usd": "0.50", "per": 10**6, **SOURCE}}},
                "free": [{"pool": "bus", "meters": ["operations"], "amount": 2_000_000, "unit": "operation", **SOURCE}],
            },
            "secret_manager": {
                "name": "Secrets",
                "category": "requests",
                "usage": ["secret_versions"],
                "meters": {
                    "versions": {
                        "label": "versions",
                        "unit": "version",
                        "category": "requests",
                        "from_usage": "secret_versions",
                        "price": {"usd": "1", "per": 1, **SOURCE},
                    }
                },
            },
        },
    }
    return Catalog.from_data({"selfhost": raw, "gcp": gcp})


CLOUD = """
name: cloud
resources:
  bus: {service: gcp.pubsub, usage: {operations: 10M/month}}
"""
MACHINE = "{cpus: 4, memory: 8GiB, price: 1200 USD, lifetime: 24 months, power: 120W}"


def run(text: str, path: Path | None = None) -> tuple[Result, SelfHostReport]:
    plan = load_plan(path) if path else load_plan("plan.yaml", text=text)
    result = evaluate(plan, catalog())
    return result, result.sections["selfhost"][0]


def test_each_tco_line_and_the_cloud_beside_it() -> None:
    # hardware 1,200 / 24 = 50; electricity 0.12 kW × 730 h × 0.20 = 17.52; uplink 5; labour 1 h × 30 = 30
    # → 102.52 a month. Cloud: (10M − 2M free) × 0.50 / 1M = 4.00. Running costs 52.52 > 4: never pays back.
    result, r = run(
        CLOUD + f"selfhost:\n  machine: {MACHINE}\n  electricity: 0.20 USD/kWh\n  uplink: 5 USD\n"
        "  labour: {hours: 1h/month, rate: 30 USD}\n"
    )
    assert {i.key: i.monthly_usd for i in r.tco} == pytest.approx(
        {"hardware": 50.0, "electricity": 17.52, "uplink": 5.0, "labour": 30.0}
    )
    assert r.monthly_tco == pytest.approx(102.52) and r.cloud_monthly_cost == pytest.approx(4.0)
    assert r.break_even_months is None
    assert result.total_monthly_cost == D("4")  # the plan is the cloud side: the machine is not added to it
    assert "selfhost_no_payback" in {f.code for f in result.findings}
    # RabbitMQ: 0.1 core and 256 MiB against 3.2 cores and 6.4 GiB of room
    assert r.machine_fits and r.services[0].counterpart == "RabbitMQ"
    assert r.compose["services"]["rabbitmq"]["image"] == "rabbitmq:4.1-management"


def test_replacing_a_cloud_plan_prices_the_machine_into_this_one(tmp_path: Path) -> None:
    # cloud 4.00 a month; the machine 50 + 17.52 = 67.52 is this plan's total, in a line of its own
    (tmp_path / "cloud.yaml").write_text(CLOUD)
    after = tmp_path / "after.yaml"
    after.write_text(
        f"name: after\nresources: {{}}\nselfhost:\n  replaces: cloud.yaml\n  machine: {MACHINE}\n"
        "  electricity: 0.20 USD/kWh\n"
    )
    result, r = run("", after)
    assert result.total_monthly_cost == D("67.52")
    (line,) = [x for x in result.resources if x.origin == "selfhost:machine"]
    assert line.service == "selfhost.machine" and line.monthly_cost == D("67.52")
    assert r.cloud_monthly_cost == pytest.approx(4.0) and r.replaces == "cloud.yaml"


def test_a_price_paid_back_by_the_saving(tmp_path: Path) -> None:
    # cloud: 200M ops → (200M − 2M) × 0.50 / 1M = 99.00; running: 17.52 electricity; 1,200 / (99 − 17.52) = 14.73
    _, r = run(
        "name: c\nresources:\n  bus: {service: gcp.pubsub, usage: {operations: 200M/month}}\n"
        f"selfhost:\n  machine: {MACHINE}\n  electricity: 0.20 USD/kWh\n"
    )
    assert r.break_even_months == pytest.approx(1200 / (99 - 17.52))


def test_kepco_tariff_priced_as_the_bills_difference() -> None:
    # 120 W × 730 h = 87.6 kWh on a 300 kWh household: 87.6 × 228.6 × 1.127 = 22,568.58 KRW ÷ 1,400 = 16.1204 USD
    _, r = run(
        CLOUD + f"selfhost:\n  machine: {MACHINE}\n"
        "  electricity: {tariff: kepco-residential-low, household_kwh: 300/month, fx: 1400 KRW/USD}\n"
    )
    (e,) = [i for i in r.tco if i.key == "electricity"]
    assert e.monthly_usd == pytest.approx(16.1204, abs=1e-4)
    assert "bill at 387.6 kWh − bill at 300.0 kWh" in e.detail


def test_on_anyway_hours_are_not_charged() -> None:
    # on 12 h a day regardless: 120 W × 365 h = 43.8 kWh × 0.20 = 8.76
    _, r = run(CLOUD + f"selfhost:\n  machine: {MACHINE}\n  electricity: 0.20 USD/kWh\n  on_anyway: 12h/day\n")
    assert [i.monthly_usd for i in r.tco if i.key == "electricity"] == pytest.approx([8.76])


def test_missing_power_and_price_are_assumed_out_loud() -> None:
    # the catalog's default draw, 60 W × 730 h = 43.8 kWh at the pinned 0.10 = 4.38; each default is a finding
    machine = "{cpus: 4, memory: 8GiB, price: 1200 USD}"
    result, r = run(CLOUD + f"selfhost:\n  machine: {machine}\n")
    assert [i.monthly_usd for i in r.tco if i.key == "electricity"] == pytest.approx([4.38])
    assert all(i.assumed for i in r.tco if i.key == "electricity")
    assumed = [f.message for f in result.findings if f.code == "selfhost_assumed"]
    assert any("60 W" in m for m in assumed) and any("electricity" in m for m in assumed)


def test_idle_max_power_with_utilization() -> None:
    # idle 22 W, max 263 W at 10%: 46.1 W × 730 h = 33.653 kWh × 0.20 = 6.7306
    machine = "{cpus: 4, memory: 8GiB, price: 1200 USD, power: {idle: 22W, max: 263W}, utilization: 10%}"
    _, r = run(CLOUD + f"selfhost:\n  machine: {machine}\n  electricity: 0.20 USD/kWh\n")
    assert r.average_watts == pytest.approx(46.1)
    assert [i.monthly_usd for i in r.tco if i.key == "electricity"] == pytest.approx([6.7306], abs=1e-4)


def test_a_machine_too_small_is_an_error_finding() -> None:
    # RabbitMQ needs 0.1 core; 0.1 × (1 − 20%) = 0.08 of room
    result, r = run(CLOUD + "selfhost:\n  machine: {cpus: 0.1, memory: 8GiB, price: 100 USD, power: 10W}\n")
    assert not r.machine_fits
    (f,) = [f for f in result.findings if f.code == "selfhost_does_not_fit"]
    assert "CPU 0.10 of 0.08 cores" in f.message


def test_plaintext_secrets_are_a_warning() -> None:
    text = (
        "name: c\nresources:\n  keys: {service: gcp.secret_manager, usage: {secret_versions: 3}}\n"
        f"selfhost:\n  machine: {MACHINE}\n  secrets: plaintext\n"
    )
    result, r = run(text)
    assert [f.severity for f in result.findings if f.code == "secrets_plaintext"] == ["warning"]
    assert r.services[0].cpu == 0  # a file: nothing runs


@pytest.mark.parametrize(
    ("machine", "electricity", "expected"),
    [
        (
            "{cpus: 4, memory: 8GiB, price: 1 USD, power: desktop-16c-tune}",
            "0.2 USD/kWh",
            "did you mean desktop-16c-tuned",
        ),
        (MACHINE, "{tariff: kepco-residential-low}", "give fx, e.g. fx: 1400 KRW/USD"),
        (MACHINE, "{tariff: kepco-residental-low, fx: 1400 KRW/USD}", "did you mean kepco-residential-low"),
    ],
)
def test_unusable_input_is_located(machine: str, electricity: str, expected: str) -> None:
    with pytest.raises(InputError, match=re.escape(expected)) as info:
        run(CLOUD + f"selfhost:\n  machine: {machine}\n  electricity: {electricity}\n")
    assert info.value.problems[0].line is not None


def test_replacing_a_missing_plan_is_located(tmp_path: Path) -> None:
    after = tmp_path / "after.yaml"
    after.write_text(f"name: a\nresources: {{}}\nselfhost:\n  replaces: nowhere.yaml\n  machine: {MACHINE}\n")
    with pytest.raises(InputError, match=r"replaces nowhere\.yaml") as info:
        run("", after)
    assert info.value.problems[0].line == 4
