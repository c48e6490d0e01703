"""Every Google Cloud mapping rule, proved against the official-format SKU listings in tests/fixtures/pricelists/gcp.

Prices are Money (units + nanos x 1e-9) per usageUnit; a machine type is vCPUs x the E2 core SKU plus GiB x the
E2 RAM SKU; `per` is the catalog price's (100,000 Firestore operations, 1,000 Cloud Storage operations...).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from infrafit.catalog.refresh.resolve import Miss, Quote, resolve
from infrafit.catalog.refresh.rules import load_rules
from infrafit.catalog.refresh.run import scan_inputs

from .conftest import FIXTURES, Setup, resolve_expected, scan_fixtures

D = Decimal
# E2, USD per hour. Americas: core 21,811,590 nanos = 0.02181159 per vCPU-hour, RAM 2,923,530 = 0.00292353 per
# GiB-hour. Belgium: 0.02399275 and 0.003216245. Seoul: 0.02798 and 0.003760715.
E2 = {
    "Americas": {
        "e2-micro": "0.0083764275",  # 0.25 x 0.02181159 + 1 x 0.00292353 = 0.0054528975 + 0.00292353
        "e2-small": "0.016752855",  # 0.5 x 0.02181159 + 2 x 0.00292353 = 0.010905795 + 0.00584706
        "e2-medium": "0.03350571",  # 1 x 0.02181159 + 4 x 0.00292353 = 0.02181159 + 0.01169412
        "e2-standard-2": "0.06701142",  # 2 x 0.02181159 + 8 x 0.00292353 = 0.04362318 + 0.02338824
        "e2-standard-4": "0.13402284",  # 4 x 0.02181159 + 16 x 0.00292353 = 0.08724636 + 0.04677648
    },
    "Belgium": {
        "e2-micro": "0.0092144325",  # 0.0059981875 + 0.003216245
        "e2-small": "0.018428865",  # 0.011996375 + 0.00643249
        "e2-medium": "0.03685773",  # 0.02399275 + 0.01286498
        "e2-standard-2": "0.07371546",  # 0.0479855 + 0.02572996
        "e2-standard-4": "0.14743092",  # 0.095971 + 0.05145992
    },
    "Seoul": {
        "e2-micro": "0.010755715",  # 0.006995 + 0.003760715
        "e2-small": "0.02151143",  # 0.01399 + 0.00752143
        "e2-medium": "0.04302286",  # 0.02798 + 0.01504286
        "e2-standard-2": "0.08604572",  # 0.05596 + 0.03008572
        "e2-standard-4": "0.17209144",  # 0.11192 + 0.06017144
    },
}
TIER1 = ("us-central1", "us-east1", "us-west1", "europe-west1")
PLACE = {
    "us-central1": "Americas",
    "us-east1": "Americas",
    "us-west1": "Americas",
    "europe-west1": "Belgium",
    "asia-northeast3": "Seoul",
}


def flat(text: str) -> tuple[tuple[None, Decimal]]:
    return ((None, D(text)),)


EXPECTED: dict[str, tuple[tuple[Decimal | None, Decimal], ...] | str] = {
    **{f"compute_engine.{t}.{r}": flat(E2[p][t]) for r, p in PLACE.items() for t in E2[p]},
    # Standard PD, USD per GiB-month: 40,000,000 nanos = 0.04 (Seoul 52,000,000 = 0.052).
    **{f"compute_engine.boot_disk.{r}": flat("0.052" if r == "asia-northeast3" else "0.04") for r in PLACE},
    "persistent_disk.pd-standard.us-central1": flat("0.04"),
    "persistent_disk.pd-balanced.us-central1": flat("0.1"),
    # SSD PD quoted per GiBy.h at 230,000 nanos: 0.00023 x 744 GiB-hours in a GiB-month (the two base-unit
    # factors, 2,875,910,101,401,600 / 3,865,470,566,400) = 0.17112.
    "persistent_disk.pd-ssd.us-central1": flat("0.17112"),
    # Cloud Run: $0 first tier dropped (the free pool); tier 1 vCPU 24,000 nanos = 0.000024 per vCPU-second,
    # memory 2,600 nanos = 0.0000026 per GiB-second; tier 2 (Seoul) 33,600 and 3,500 nanos.
    **{f"cloud_run.vcpu_seconds.{r}": flat("0.0000336" if r == "asia-northeast3" else "0.000024") for r in PLACE},
    **{
        f"cloud_run.memory_gib_seconds.{r}": flat("0.0000035" if r == "asia-northeast3" else "0.0000026") for r in PLACE
    },
    "cloud_run.requests": flat("0.4"),  # 400 nanos per request x 1,000,000
    "cloud_storage.standard.us-central1": flat("0.02"),  # 20,000,000 nanos per GiB-month
    "cloud_storage.class_a.us-central1": flat("0.005"),  # 5,000 nanos x 1,000 operations
    "cloud_storage.class_b.us-central1": flat("0.0004"),  # 400 nanos x 1,000
    # Firestore per 100,000 operations: 600 nanos x 10^5 = 0.06; 300 -> 0.03; 1,800 -> 0.18; 900 -> 0.09;
    # 200 -> 0.02. Storage 180,000,000 nanos = 0.18 per GiB-month.
    "firestore.reads.nam5": flat("0.06"),
    "firestore.reads.us-central1": flat("0.03"),
    "firestore.writes.nam5": flat("0.18"),
    "firestore.writes.us-central1": flat("0.09"),
    "firestore.deletes.nam5": flat("0.02"),
    "firestore.deletes.us-central1": "retired or renamed",  # no "... Entity Deletes Iowa" SKU in the listing
    "firestore.storage.nam5": flat("0.18"),
    # Pub/Sub: $40 per TiB; catalog per 1,024 GiB, 1,024 GiB per TiB: 40 / 1024 x 1024 = 40.
    "pubsub.throughput": flat("40"),
    # Cloud Run instance-based billing, Tier 1: 18,000 nanos = 0.000018 per vCPU-second, 2,000 nanos = 0.000002 per
    # GiB-second ("Services CPU/Memory (Instance-based billing) in <region>", one SKU per region).
    **{f"cloud_run.instance.vcpu_seconds.{r}": flat("0.000018") for r in TIER1},
    **{f"cloud_run.instance.memory_gib_seconds.{r}": flat("0.000002") for r in TIER1},
    # External IP on a standard VM: 5,000,000 nanos = 0.005 per hour (not the Spot VM's 0.0025).
    "external_ip.standard_vm": flat("0.005"),
    # Secret Manager, $0 tiers dropped: 60,000,000 nanos = 0.06 per version-month; access 3,000 nanos x 10,000 = 0.03.
    "secret_manager.secret_versions": flat("0.06"),
    "secret_manager.access_operations": flat("0.03"),
    # Cloud Logging "Log Storage cost": $0 to 50 GiB dropped, then 500,000,000 nanos = 0.50 per GiB.
    "cloud_logging.ingestion": flat("0.5"),
    # Cloud SQL shared-core, PostgreSQL zonal, USD per hour: 10,500,000 nanos = 0.0105; 35,000,000 = 0.035.
    "cloud_sql.db-f1-micro.us-central1": flat("0.0105"),
    "cloud_sql.db-g1-small.us-central1": flat("0.035"),
}


@pytest.fixture(scope="module")
def setup() -> Setup:
    return scan_fixtures("gcp")


def test_every_rule_has_an_expectation() -> None:
    assert {r.id for r in load_rules("gcp")} == set(EXPECTED)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule(rule_id: str, setup: Setup) -> None:
    rule, got = resolve_expected(rule_id, setup, EXPECTED[rule_id])
    if got is not None:
        assert got.source == f"https://cloudbilling.googleapis.com/v1/services/{rule.offer}/skus"
        assert str(got.as_of) == "2026-11-01"  # effectiveTime 2026-11-01T08:00:00.000Z


def test_pages_in_separate_files_and_concatenated_are_all_read(
    setup: Setup,
) -> None:
    _, scan, _ = setup
    by_code = {x.code: x for x in scan.listings}
    assert len(by_code["6F81-5844-456A"].files) == 2  # compute-engine-page1.json and page2.json
    assert "asia-northeast3" in by_code["152E-C115-5142"].regions  # only on the second, concatenated page


def test_spot_sku_is_not_taken_for_on_demand(setup: Setup) -> None:
    rules, scan, _ = setup
    rule = next(r for r in rules if r.id == "compute_engine.e2-medium.us-central1")
    got = resolve(rule, scan, D(1))
    assert isinstance(got, Quote)
    assert [e.ref for e in got.entries] == ["CF4E-A0C7-E3BF", "F449-33EC-A5EF"]


def test_malformed_sku_is_skipped_with_where(setup: Setup) -> None:
    _, scan, _ = setup
    assert [(s.where.split("/")[-1], s.reason) for s in scan.skipped] == [
        ("cloud-storage.json: skus[3] (A703-5CB6-E0BF)", "unitPrice.nanos: '1.5' is not a whole number of billionths")
    ]


def test_firestore_skus_are_global_and_the_description_names_the_location(
    setup: Setup,
) -> None:
    """Every Firestore SKU lists serviceRegions ["global"]: the rule reads region `global` and the exact description
    tells nam5 ("Cloud Firestore Read Ops") from Iowa ("... Iowa") and from named databases ("... (named databases)")."""
    rules, scan, _ = setup
    by_code = {x.code: x for x in scan.listings}
    assert by_code["EE2C-7FAC-5E08"].regions == frozenset({"global"})
    for rule_id, sku in (("firestore.reads.nam5", "6A94-8525-876F"), ("firestore.reads.us-central1", "6A94-8525-8770")):
        rule = next(r for r in rules if r.id == rule_id)
        got = resolve(rule, scan, D(1))
        assert isinstance(got, Quote) and [e.ref for e in got.entries] == [sku]


def test_retired_cloud_run_names_no_longer_match(tmp_path: Path) -> None:
    """A listing still carrying the pre-rename "CPU Allocation Time" SKU has nothing the current rules read."""
    old = (
        (FIXTURES / "gcp" / "cloud-run.json")
        .read_text()
        .replace("Services CPU (Request-based billing)", "CPU Allocation Time")
    )
    (tmp_path / "cloud-run.json").write_text(old)
    rules = load_rules("gcp")
    scan = scan_inputs("gcp", [tmp_path], rules, {})
    rule = next(r for r in rules if r.id == "cloud_run.vcpu_seconds.us-central1")
    got = resolve(rule, scan, D(1))
    assert isinstance(got, Miss) and got.covered and "retired or renamed" in got.reason


def test_instance_based_sku_of_another_region_is_not_taken(setup: Setup) -> None:
    rules, scan, _ = setup
    rule = next(r for r in rules if r.id == "cloud_run.instance.vcpu_seconds.europe-west1")
    got = resolve(rule, scan, D(1))
    assert isinstance(got, Quote) and [e.ref for e in got.entries] == ["7A1C-2D3E-4F03"]


def test_every_rule_says_where_its_filter_was_confirmed() -> None:
    assert all(r.source for r in load_rules("gcp"))
