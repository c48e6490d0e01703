"""Guard rails on the packaged catalog: every name it uses resolves, and every fact says where it comes from.

The engine trusts these (an unknown model or meter is marked "cannot happen" there); a broken entry fails
here with a message naming the service and the key, not as a confusing error in somebody's plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import infrafit.catalog
from infrafit.catalog.loader import read_provider_file
from infrafit.catalog.lookup import Catalog
from infrafit.catalog.model import Meter, ProviderCatalog, Service, Sourced
from infrafit.plan.model import Resource
from infrafit.plan.usage import USAGE_KINDS
from infrafit.services import MODELS, Context
from infrafit.units import Kind

DATA = Path(infrafit.catalog.__file__).parent / "data"
PROVIDERS: dict[str, ProviderCatalog] = {p.stem: read_provider_file(p) for p in sorted(DATA.glob("*.yaml"))}
SERVICES = [(name, key, svc) for name, cat in PROVIDERS.items() for key, svc in sorted(cat.services.items())]
IDS = [f"{name}.{key}" for name, key, _ in SERVICES]

# A value of each kind, as a plan writes it: enough to make every model compute every line it can.
SAMPLE: dict[Kind, str] = {
    Kind.BYTES: "10GB",
    Kind.DURATION: "200ms",
    Kind.RATE: "1000/month",
    Kind.DATA_RATE: "10GB/month",
    Kind.NUMBER: "2",
    Kind.HOURS: "100h",
    Kind.PERCENT: "50%",
    Kind.MONEY: "$500",
    Kind.POWER: "30W",
}


def all_meters(svc: Service) -> Iterator[tuple[str, Meter]]:
    """Every meter of a service, its plans' included, labelled where it sits."""
    for key, meter in svc.meters.items():
        yield f"meters.{key}", meter
    for plan_name, plan in svc.plans.items():
        for key, meter in plan.meters.items():
            yield f"plans.{plan_name}.meters.{key}", meter


def sourced_facts(node: Any, path: str) -> Iterator[tuple[str, Sourced]]:
    """Every :class:`Sourced` fact under a catalog node, with its path from the provider down."""
    if isinstance(node, Sourced):
        yield path, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from sourced_facts(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from sourced_facts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from sourced_facts(value, f"{path}[{i}]")


def test_the_packaged_catalog_has_its_providers() -> None:
    assert {"aws", "gcp", "cloudflare", "vercel"} <= set(PROVIDERS)
    for name, cat in PROVIDERS.items():
        assert cat.provider == name, f"{name}.yaml says provider {cat.provider!r}"


@pytest.mark.parametrize(("provider", "key", "svc"), SERVICES, ids=IDS)
def test_the_model_is_registered(provider: str, key: str, svc: Service) -> None:
    assert svc.model in MODELS, f"{provider}.{key}: model {svc.model!r} is not registered (known: {sorted(MODELS)})"


@pytest.mark.parametrize(("provider", "key", "svc"), SERVICES, ids=IDS)
def test_usage_keys_are_known(provider: str, key: str, svc: Service) -> None:
    unknown = [f"usage: {u}" for u in svc.usage if u not in USAGE_KINDS]
    unknown += [
        f"{where}.from_usage: {m.from_usage}"
        for where, m in all_meters(svc)
        if m.from_usage is not None and m.from_usage not in USAGE_KINDS
    ]
    assert not unknown, f"{provider}.{key}: usage keys not in USAGE_KINDS: {unknown}"


@pytest.mark.parametrize(("provider", "key", "svc"), SERVICES, ids=IDS)
def test_from_usage_meters_read_keys_the_service_accepts(provider: str, key: str, svc: Service) -> None:
    unread = [
        f"{where}.from_usage: {m.from_usage}"
        for where, m in all_meters(svc)
        if m.from_usage is not None and m.from_usage not in svc.usage
    ]
    assert not unread, f"{provider}.{key}: meters fed by usage keys the service does not accept: {unread}"


def _context(provider: str, key: str, svc: Service, plan_name: str | None) -> Context:
    """A resource of the service with every usage key and sizing field it accepts set, priced on its own."""
    cat = PROVIDERS[provider]
    raw: dict[str, Any] = {
        "service": f"{provider}.{key}",
        "usage": {u: SAMPLE[USAGE_KINDS[u]] for u in svc.usage if u != "uptime"},  # `hours` wins over uptime
    }
    sizing = {"cpu": "1", "memory": "1GiB", "disk": "20GB", "count": 2}
    raw.update({f: v for f, v in sizing.items() if f in svc.fields})
    resource = Resource.model_validate(raw)
    type_name = svc.default_type or next(iter(svc.types or svc.variants), None)
    region = svc.default_region or cat.default_region or (svc.regions[0] if svc.regions else None)
    view = Catalog(providers={provider: cat}).view(f"{provider}.{key}", plan_name)
    return Context(
        name="probe",
        resource=resource,
        view=view,
        region=region,
        type_name=type_name,
        instance_type=svc.types.get(type_name) if type_name else None,
        month_hours=Decimal(730),
    )


@pytest.mark.parametrize(("provider", "key", "svc"), SERVICES, ids=IDS)
def test_the_model_computes_only_meters_the_service_has(provider: str, key: str, svc: Service) -> None:
    plan_names: list[str | None] = [*sorted(svc.plans)] or [None]
    for plan_name in plan_names:
        ctx = _context(provider, key, svc, plan_name)
        out = MODELS[svc.model](ctx)
        missing = sorted(set(out) - set(ctx.view.meters))
        where = f"{provider}.{key}" + (f" (plan {plan_name})" if plan_name else "")
        assert not missing, f"{where}: model {svc.model!r} computes {missing}, which are not meters of the service"


def test_every_fact_has_a_source_and_a_date() -> None:
    bad = []
    count = 0
    for name, cat in PROVIDERS.items():
        for path, fact in sourced_facts(cat, name):
            count += 1
            if not fact.source.strip():
                bad.append(f"{path}: empty source")
            if not isinstance(fact.as_of, date):
                bad.append(f"{path}: no as_of")
    assert not bad, "\n".join(bad)
    assert count > 100  # the walk reaches the facts: prices, pools, limits, types, notes, rate limits, quotas, fees


def test_the_walk_finds_each_kind_of_fact() -> None:
    kinds = {type(fact).__name__ for name, cat in PROVIDERS.items() for _, fact in sourced_facts(cat, name)}
    assert kinds >= {"Price", "FreePool", "Limit", "Note", "InstanceType", "Variant", "RateLimit", "Quota"}
