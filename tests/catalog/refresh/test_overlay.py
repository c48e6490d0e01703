"""The overlay document: packaged shapes kept, provenance never stretched over facts that were not refreshed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from infrafit.catalog.model import ProviderCatalog
from infrafit.catalog.refresh.money import Step
from infrafit.catalog.refresh.overlay import build, merge
from infrafit.catalog.refresh.records import Entry, Listing
from infrafit.catalog.refresh.resolve import Quote
from infrafit.catalog.refresh.rules import Match, Rule

D = Decimal
OLD = {"source": "https://example.com/old", "as_of": "2025-01-01", "evidence": "third_party"}


def toy() -> dict[str, Any]:
    return {
        "provider": "toy",
        "name": "Toy Cloud",
        "as_of": "2025-01-01",
        "services": {
            "vm": {
                "name": "VM",
                "category": "compute",
                "model": "instance",
                "regions": ["r1", "r2"],
                "meters": {
                    "instance": {"label": "hours", "unit": "hour", "category": "compute"},
                    "disk": {
                        "label": "disk",
                        "unit": "GB-month",
                        "category": "storage",
                        "price": {"usd": "0.10", "regions": {"r2": "0.12"}, **OLD},
                    },
                    "ops": {
                        "label": "ops",
                        "unit": "request",
                        "category": "requests",
                        "price": {"usd": "0.40", "per": 1000000, **OLD},
                    },
                },
                "types": {"small": {"vcpu": 2, "memory": "2GiB", "hourly": {"r1": "0.02", "r2": "0.03"}, **OLD}},
            }
        },
    }


def quote(
    rule_id: str, fact: str, tiers: tuple[tuple[Decimal | None, Decimal], ...], region: str = "r1", day: int = 1
) -> Quote:
    listing = Listing(
        provider="aws",
        code="ToyOffer",
        version=f"2026110{day}000000",
        published=date(2026, 11, day),
        url=f"https://pricing.example/ToyOffer/2026110{day}000000/{region}/index.json",
        regions=frozenset({region}),
    )
    rule = Rule(id=rule_id, fact=fact, offer="ToyOffer", region=region, unit="Hrs", match=Match(family="x"))
    entry = Entry(
        ref=f"SKU-{rule_id}",
        unit="Hrs",
        steps=(Step(start=D(0), usd=tiers[0][1]),),
        listing=listing,
        as_of=listing.published,
    )
    return Quote(rule=rule, tiers=tiers, entries=(entry,))


def test_a_type_is_refreshed_only_with_every_region() -> None:
    packaged = toy()
    only_r1 = [quote("small.r1", "services.vm.types.small.hourly.r1", ((None, D("0.021")),))]
    overlay, written, missing = build(packaged, packaged, only_r1)
    assert "types" not in overlay.get("services", {}).get("vm", {})
    assert written == []
    assert [(m.fact, m.reason) for m in missing] == [
        ("services.vm.types.small.hourly", "not refreshed: regions missing: r2 (not in the inputs)")
    ]
    both = [*only_r1, quote("small.r2", "services.vm.types.small.hourly.r2", ((None, D("0.03")),), "r2", day=3)]
    overlay, written, missing = build(packaged, packaged, both)
    node = overlay["services"]["vm"]["types"]["small"]
    assert node["hourly"] == {"r1": "0.021", "r2": "0.03"}
    assert node["evidence"] == "price_list"
    assert node["source"] == "https://pricing.example/ToyOffer/20261101000000/r1/index.json"  # first region's list
    assert node["as_of"] == date(2026, 11, 1)  # the older of the two lists (Nov 1 and Nov 3)
    assert {w.fact: w.status for w in written} == {
        "services.vm.types.small.hourly.r1": "changed",  # 0.02 -> 0.021
        "services.vm.types.small.hourly.r2": "unchanged",
    }
    assert next(w for w in written if w.fact.endswith("r1")).percent == D("5.00")  # (0.021 - 0.02) / 0.02
    assert missing == []


def test_a_whole_price_pins_its_uncited_regions_to_their_old_source() -> None:
    packaged = toy()
    overlay, _, _ = build(packaged, packaged, [quote("disk", "services.vm.meters.disk.price", ((None, D("0.11")),))])
    price = overlay["services"]["vm"]["meters"]["disk"]["price"]
    assert price["usd"] == "0.11" and price["evidence"] == "price_list"
    # r2's 0.12 was cited by the price as a whole: it keeps that citation, not the new list's
    assert price["regions"]["r2"]["usd"] == "0.12"
    assert price["regions"]["r2"]["source"] == OLD["source"]
    assert price["regions"]["r2"]["evidence"] == "third_party"
    merged = ProviderCatalog.model_validate(merge(packaged, overlay))
    disk = merged.services["vm"].meters["disk"].price
    assert disk is not None and disk.usd == D("0.11") and disk.source.startswith("https://pricing.example/")


def test_a_regional_price_is_its_own_cited_form() -> None:
    packaged = toy()
    overlay, written, _ = build(
        packaged, packaged, [quote("disk.r2", "services.vm.meters.disk.price.regions.r2", ((None, D("0.125")),), "r2")]
    )
    price = overlay["services"]["vm"]["meters"]["disk"]["price"]
    assert set(price) == {"regions"}  # the price's own citation (for r1) is untouched
    assert price["regions"]["r2"]["usd"] == "0.125" and price["regions"]["r2"]["evidence"] == "price_list"
    assert [(w.fact, w.old, w.new) for w in written] == [
        ("services.vm.meters.disk.price.regions.r2", ((None, D("0.12")),), ((None, D("0.125")),))
    ]
    ProviderCatalog.model_validate(merge(packaged, overlay))


def test_a_flat_price_that_became_tiered_keeps_a_valid_shape() -> None:
    packaged = toy()
    tiers = ((D(10**11), D("0.5")), (None, D("0.4")))
    overlay, written, _ = build(packaged, packaged, [quote("ops", "services.vm.meters.ops.price", tiers)])
    price = overlay["services"]["vm"]["meters"]["ops"]["price"]
    assert price["usd"] is None  # the old flat figure is cleared, else the merge would hold both forms
    assert price["tiers"] == [{"up_to": "100000000000", "usd": "0.5"}, {"up_to": None, "usd": "0.4"}]
    merged = ProviderCatalog.model_validate(merge(packaged, overlay))
    ops = merged.services["vm"].meters["ops"].price
    assert ops is not None and ops.per == 1000000 and ops.tiers is not None and len(ops.tiers) == 2
    assert written[0].status == "changed" and written[0].percent == D("25.00")  # first tier 0.40 -> 0.50


def test_a_fact_the_catalog_did_not_have_is_new() -> None:
    packaged = toy()
    overlay, written, _ = build(
        packaged, packaged, [quote("disk.r3", "services.vm.meters.disk.price.regions.r3", ((None, D("0.2")),), "r3")]
    )
    assert written[0].status == "new" and written[0].percent is None
    ProviderCatalog.model_validate(merge(packaged, overlay))
