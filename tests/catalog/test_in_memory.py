"""A catalog built in memory: tests about arithmetic pin their own prices and read no provider file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from infrafit.catalog.lookup import Catalog, UnknownName
from infrafit.catalog.model import ProviderCatalog
from infrafit.engine.evaluate import evaluate
from infrafit.errors import InputError
from infrafit.plan.loader import load_plan

D = Decimal
SOURCE = {"source": "https://example.com/pricing", "as_of": "2026-01-15"}


def toy_provider() -> dict[str, Any]:
    """One queue service: $0.50 per million operations, the first 2 million of each month free."""
    return {
        "provider": "toy",
        "name": "Toy Cloud",
        "as_of": "2026-01-15",
        "services": {
            "queue": {
                "name": "Toy Queue",
                "category": "requests",
                "usage": ["operations"],
                "meters": {
                    "operations": {
                        "label": "Queue operations",
                        "unit": "operation",
                        "category": "requests",
                        "from_usage": "operations",
                        "price": {"usd": "0.50", "per": 1_000_000, **SOURCE},
                    }
                },
                "free": [
                    {
                        "pool": "toy.queue.operations",
                        "meters": ["operations"],
                        "amount": 2_000_000,
                        "unit": "operation",
                        **SOURCE,
                    }
                ],
            }
        },
        "quotas": {
            "queues": {"name": "Queues per account", "scope": "account", "services": ["toy.queue"], **SOURCE},
        },
    }


PLAN = """
name: toy
resources:
  jobs:
    service: toy.queue
    usage: {operations: 7M/month}
"""


def test_a_plan_is_priced_against_an_in_memory_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFRAFIT_CATALOG_DIR", str(tmp_path))  # an empty folder: no provider file to read
    catalog = Catalog.from_data({"toy": toy_provider()})
    result = evaluate(load_plan("toy.yaml", text=PLAN), catalog)
    # 7,000,000 operations - 2,000,000 free = 5,000,000 billable × $0.50 / 1,000,000 = $2.50
    (resource,) = result.resources
    (line,) = resource.components
    assert (line.quantity, line.free_quantity, line.billable_quantity) == (D(7_000_000), D(2_000_000), D(5_000_000))
    assert line.cost == D("2.50")
    assert result.total_monthly_cost == D("2.50")
    assert result.catalog_as_of.isoformat() == "2026-01-15"


def test_provider_objects_are_accepted_and_the_packaged_providers_are_not() -> None:
    catalog = Catalog(providers={"toy": ProviderCatalog.model_validate(toy_provider())})
    assert catalog.provider_names() == ["toy"]
    assert catalog.service_keys() == ["toy.queue"]
    assert catalog.quota("toy.queues").name == "Queues per account"
    with pytest.raises(UnknownName, match=r"unknown service 'gcp\.cloud_run'"):
        catalog.service("gcp.cloud_run")
    with pytest.raises(UnknownName, match=r"did you mean toy\.queue\?"):
        catalog.service("toy.queu")
    with pytest.raises(UnknownName, match="unknown provider 'aws'"):
        catalog.provider("aws")


def test_overrides_apply_to_an_in_memory_catalog() -> None:
    overrides = {"toy.queue": {"meters": {"operations": {"price": {"usd": "0.80"}}}}}
    for catalog in (
        Catalog.from_data({"toy": toy_provider()}, overrides),
        Catalog(overrides, providers={"toy": ProviderCatalog.model_validate(toy_provider())}),
    ):
        result = evaluate(load_plan("toy.yaml", text=PLAN), catalog)
        # 5,000,000 billable × $0.80 / 1,000,000 = $4.00
        assert result.total_monthly_cost == D("4.00")
        ((fact, old, new),) = catalog.used_overrides
        assert fact == "toy.queue.meters.operations.price.usd"
        assert (D(str(old)), new) == (D("0.50"), "0.80")


def test_an_override_of_a_service_outside_the_in_memory_catalog_is_refused() -> None:
    with pytest.raises(InputError, match="override of an unknown service"):
        Catalog.from_data({"toy": toy_provider()}, {"gcp.cloud_run": {"regions": ["x"]}})


def test_a_provider_must_be_keyed_by_its_own_name() -> None:
    with pytest.raises(ValueError, match="key it by its own name"):
        Catalog(providers={"other": ProviderCatalog.model_validate(toy_provider())})
