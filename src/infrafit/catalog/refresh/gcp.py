"""Read Google Cloud Billing Catalog API SKU listings (``services/{id}/skus``), streamed SKU by SKU.

A listing is one JSON page ``{"skus": [...], "nextPageToken": ...}`` per request; pages may sit in separate files
or be concatenated in one. A SKU's price is its ``pricingInfo`` entry in effect (the newest ``effectiveTime`` not in
the future): ``pricingExpression.tieredRates`` of ``startUsageAmount`` (in ``usageUnit``) and ``unitPrice`` (Money:
``units`` + ``nanos``), with ``baseUnitConversionFactor`` base units in one usage unit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from infrafit.catalog.refresh.money import PriceError, Step, decimal, google_money
from infrafit.catalog.refresh.records import Entry, Listing, Scan, Skipped
from infrafit.catalog.refresh.rules import Match, Rule
from infrafit.catalog.refresh.sources import Head, ijson_module

BASE_URL = "https://cloudbilling.googleapis.com"


def service_url(service: str) -> str:
    """The SKU listing's address, without the API key (a key never goes into a source)."""
    return f"{BASE_URL}/v1/services/{service}/skus"


def _service_of(sku: dict[str, Any]) -> str | None:
    name = sku.get("name")
    if isinstance(name, str) and name.startswith("services/") and "/skus/" in name:
        return name.split("/")[1]
    return None


def _matches(match: Match, sku: dict[str, Any], region: str) -> bool:
    found = sku.get("category")
    category: dict[str, Any] = found if isinstance(found, dict) else {}
    checks = (
        (match.sku_id, sku.get("skuId")),
        (match.description, sku.get("description")),
        (match.resource_family, category.get("resourceFamily")),
        (match.resource_group, category.get("resourceGroup")),
        (match.usage_type, category.get("usageType")),
    )
    if any(want is not None and want != have for want, have in checks):
        return False
    regions = sku.get("serviceRegions")
    return isinstance(regions, list) and region in regions


def _when(text: object) -> datetime:
    try:
        when = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise PriceError(f"effectiveTime {text!r} is not a time") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def sku_price(
    sku: dict[str, Any], now: datetime | None = None
) -> tuple[str, tuple[Step, ...], str | None, Decimal | None, datetime]:
    """The SKU's price in effect: (usage unit, steps, base unit, base units per usage unit, effective time)."""
    infos = sku.get("pricingInfo")
    if not isinstance(infos, list) or not infos:
        raise PriceError("no pricingInfo")
    dated = [(_when(i.get("effectiveTime")), i) for i in infos if isinstance(i, dict)]
    if not dated:
        raise PriceError("no pricingInfo")
    now = now or datetime.now(UTC)
    current = [d for d in dated if d[0] <= now] or dated
    when, info = max(current, key=lambda d: d[0])
    expr = info.get("pricingExpression")
    if not isinstance(expr, dict):
        raise PriceError("pricingInfo without pricingExpression")
    unit = expr.get("usageUnit")
    if not isinstance(unit, str) or not unit:
        raise PriceError("pricingExpression without usageUnit")
    rates = expr.get("tieredRates")
    if not isinstance(rates, list) or not rates:
        raise PriceError("pricingExpression without tieredRates")
    steps = []
    for i, rate in enumerate(rates):
        price = rate.get("unitPrice") if isinstance(rate, dict) else None
        if not isinstance(price, dict):
            raise PriceError(f"tieredRates[{i}] without unitPrice")
        currency = price.get("currencyCode", "USD")
        if currency != "USD":
            raise PriceError(f"tieredRates[{i}] is in {currency}; list the SKUs with currencyCode=USD")
        usd = google_money(price.get("units"), price.get("nanos"))
        if usd < 0:
            raise PriceError(f"tieredRates[{i}]: negative price")
        steps.append(
            Step(start=decimal(rate.get("startUsageAmount", 0), f"tieredRates[{i}].startUsageAmount"), usd=usd)
        )
    factor = expr.get("baseUnitConversionFactor")
    base = decimal(factor, "baseUnitConversionFactor") if factor is not None else None
    base_unit = expr.get("baseUnit") if isinstance(expr.get("baseUnit"), str) else None
    return unit, tuple(steps), base_unit, base, when


def scan_skus(heads: list[Head], rules: list[Rule], urls: dict[str, str] | None = None) -> Scan:
    """Read every SKU page; one listing per service found, its regions the union of its SKUs' serviceRegions."""
    ijson = ijson_module()
    scan = Scan()
    per_service: dict[str, dict[str, Any]] = {}
    filters: dict[str, list[tuple[str, int, Match, str]]] = {}  # by service: each SKU tested only against its own
    for rule in rules:
        for i, term in enumerate(rule.terms):
            filters.setdefault(rule.offer, []).append((rule.id, i, term.match, rule.region))
    for head in heads:
        with head.path.open("rb") as fh:
            for index, sku in enumerate(ijson.items(fh, "skus.item", use_float=False, multiple_values=True)):
                where = f"{head.path}: skus[{index}]"
                if not isinstance(sku, dict):
                    scan.skipped.append(Skipped(where=where, reason="a SKU that is not an object"))
                    continue
                service = _service_of(sku)
                if service is None:
                    scan.skipped.append(Skipped(where=where, reason="no name services/<id>/skus/<id>"))
                    continue
                where = f"{head.path}: skus[{index}] ({sku.get('skuId', '?')})"
                info = per_service.setdefault(service, {"regions": set(), "files": [], "newest": None, "hits": []})
                if str(head.path) not in info["files"]:
                    info["files"].append(str(head.path))
                regions = sku.get("serviceRegions")
                if isinstance(regions, list):
                    info["regions"].update(r for r in regions if isinstance(r, str))
                keys = [(rid, i) for rid, i, match, region in filters.get(service, ()) if _matches(match, sku, region)]
                try:
                    unit, steps, base_unit, factor, when = sku_price(sku)
                except PriceError as exc:
                    scan.skipped.append(Skipped(where=where, reason=str(exc)))
                    for key in keys:
                        scan.broken[key] = f"its entry {sku.get('skuId', '?')} is malformed ({exc})"
                    continue
                if info["newest"] is None or when > info["newest"]:
                    info["newest"] = when
                if keys:
                    info["hits"].append((keys, str(sku.get("skuId", "?")), unit, steps, base_unit, factor, when))
    for service, info in sorted(per_service.items()):
        newest: datetime = info["newest"] or datetime.now(UTC)
        listing = Listing(
            provider="gcp",
            code=service,
            version=newest.isoformat().replace("+00:00", "Z"),
            published=newest.date(),
            url=(urls or {}).get(service, service_url(service)),
            regions=frozenset(info["regions"]),
            files=tuple(info["files"]),
        )
        scan.listings.append(listing)
        for keys, ref, unit, steps, base_unit, factor, when in info["hits"]:
            entry = Entry(
                ref=ref,
                unit=unit,
                steps=steps,
                listing=listing,
                as_of=when.date(),
                base_unit=base_unit,
                base_factor=factor,
            )
            for key in keys:
                scan.found.setdefault(key, []).append(entry)
    return scan
