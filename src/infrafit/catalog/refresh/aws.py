"""Read AWS Price List Bulk API offer files in constant memory.

An offer file holds ``products`` (SKU -> productFamily and attributes) and then ``terms`` (OnDemand: SKU -> offer
term -> priceDimensions). The EC2 file of one region is hundreds of megabytes, so it is streamed twice with ijson:
first the products, keeping only the SKUs some rule's filter matches, then the on-demand terms of those SKUs.
Nothing else is kept; every object is dropped as soon as it has been looked at.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from infrafit.catalog.refresh.money import PriceError, Step, decimal
from infrafit.catalog.refresh.records import Entry, Listing, Scan, Skipped
from infrafit.catalog.refresh.rules import Match, Rule
from infrafit.catalog.refresh.sources import Head, ijson_module
from infrafit.errors import InputError, Problem

BASE_URL = "https://pricing.us-east-1.amazonaws.com"
OFFER_INDEX = "/offers/v1.0/aws/index.json"
BUFFER = 1 << 18  # ijson's C backend queues a buffer's items at once: 256 KB keeps that small and reads fast


def publication_date(text: object, where: str) -> date:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).date()
    except ValueError:
        raise InputError([Problem(f"publicationDate {text!r} is not a date", file=where)]) from None


def offer_url(code: str, version: str, region: str | None) -> str:
    """The version-pinned address AWS publishes this offer file at (the region index's currentVersionUrl)."""
    tail = f"/{region}" if region else ""
    return f"{BASE_URL}/offers/v1.0/aws/{code}/{version}{tail}/index.json"


def _matches(match: Match, product: dict[str, Any], attrs: dict[str, Any]) -> bool:
    if match.family is not None and product.get("productFamily") != match.family:
        return False
    return all(attrs.get(k) == v for k, v in match.attributes.items())


def scan_offer(head: Head, rules: list[Rule], url: str | None = None) -> Scan:
    """Read one offer file for the rules that name its offer; ``url`` is where it was downloaded from."""
    path = head.path
    code = head.scalars.get("offerCode")
    version = head.scalars.get("version")
    if not code or not version or "publicationDate" not in head.scalars:
        raise InputError(
            [
                Problem(
                    "an AWS offer file needs offerCode, version and publicationDate before its products", file=str(path)
                )
            ]
        )
    published = publication_date(head.scalars["publicationDate"], str(path))
    mine = [r for r in rules if r.offer == code]
    # filters by the region they require, then by the value of their first attribute (instanceType, volumeApiName):
    # each product is looked up in a few dicts and tested against the one or two filters that can match it
    groups: dict[tuple[str, str], dict[str, dict[str | None, list[tuple[Rule, int, Match]]]]] = {}
    for rule in mine:
        for index, term in enumerate(rule.terms):
            key = next(iter(term.match.attributes), "")
            table = groups.setdefault((rule.region_attribute, rule.region), {}).setdefault(key, defaultdict(list))
            table[term.match.attributes.get(key)].append((rule, index, term.match))
    region_attrs = sorted({attr for attr, _ in groups} | {"regionCode"})
    seen_regions: dict[str, set[str]] = {attr: set() for attr in region_attrs}
    wanted: dict[str, list[tuple[str, int]]] = {}
    scan = Scan()
    ijson = ijson_module()
    with path.open("rb") as fh:
        for sku, product in ijson.kvitems(fh, "products", use_float=False, buf_size=BUFFER):
            attrs = product.get("attributes") if isinstance(product, dict) else None
            if not isinstance(attrs, dict):
                scan.skipped.append(Skipped(where=f"{path}: products.{sku}", reason="a product without attributes"))
                continue
            for attr in region_attrs:
                value = attrs.get(attr)
                if isinstance(value, str):
                    seen_regions[attr].add(value)
            for (attr, region), tables in groups.items():
                if attrs.get(attr) != region:
                    continue
                for key, table in tables.items():
                    for rule, index, match in table.get(attrs.get(key) if key else None, ()):
                        if _matches(match, product, attrs):
                            wanted.setdefault(sku, []).append((rule.id, index))
    regions = frozenset(r for values in seen_regions.values() for r in values)
    home = seen_regions["regionCode"] or regions
    listing = Listing(
        provider="aws",
        code=str(code),
        version=str(version),
        published=published,
        url=url or offer_url(str(code), str(version), next(iter(home)) if len(home) == 1 else None),
        regions=regions,
        files=(str(path),),
    )
    scan.listings.append(listing)
    if not wanted:
        return scan
    with path.open("rb") as fh:  # stops once every wanted SKU is priced: the Reserved terms after are never read
        for sku, terms in ijson.kvitems(fh, "terms.OnDemand", use_float=False, buf_size=BUFFER):
            keys = wanted.get(sku)
            if keys is None:
                continue
            where = f"{path}: terms.OnDemand.{sku}"
            try:
                unit, steps = _term_steps(terms, where)
            except PriceError as exc:
                scan.skipped.append(Skipped(where=where, reason=str(exc)))
                for want in keys:
                    scan.broken[want] = f"its entry {sku} is malformed ({exc})"
                continue
            entry = Entry(ref=str(sku), unit=unit, steps=steps, listing=listing, as_of=published)
            for want in keys:
                scan.found.setdefault(want, []).append(entry)
            del wanted[sku]
            if not wanted:
                break
    for sku, keys in wanted.items():  # a product with no on-demand price (Reserved only, or retired)
        for want in keys:
            scan.broken.setdefault(want, f"its entry {sku} has no on-demand price")
    return scan


def _term_steps(terms: object, where: str) -> tuple[str, tuple[Step, ...]]:
    """The one on-demand offer term of a SKU as its unit and price steps (beginRange/endRange must chain)."""
    if not isinstance(terms, dict) or len(terms) != 1:
        count = len(terms) if isinstance(terms, dict) else 0
        raise PriceError(f"expected one on-demand offer term, found {count}")
    ((term_code, term),) = terms.items()
    dims = term.get("priceDimensions") if isinstance(term, dict) else None
    if not isinstance(dims, dict) or not dims:
        raise PriceError(f"{term_code}: no priceDimensions")
    rows: list[tuple[Any, Any, Step]] = []
    units: set[str] = set()
    for rate, dim in dims.items():
        at = f"{term_code}.priceDimensions.{rate}"
        if not isinstance(dim, dict):
            raise PriceError(f"{at}: not an object")
        per_unit = dim.get("pricePerUnit")
        usd = per_unit.get("USD") if isinstance(per_unit, dict) else None
        price = decimal(usd, f"{at}.pricePerUnit.USD")
        if price < 0:
            raise PriceError(f"{at}.pricePerUnit.USD: negative price {usd!r}")
        begin = decimal(dim.get("beginRange", "0"), f"{at}.beginRange")
        end_raw = dim.get("endRange", "Inf")
        end = None if str(end_raw) == "Inf" else decimal(end_raw, f"{at}.endRange")
        units.add(str(dim.get("unit", "")))
        rows.append((begin, end, Step(start=begin, usd=price)))
    if len(units) != 1:
        raise PriceError(f"{term_code}: price dimensions in several units ({', '.join(sorted(units))})")
    rows.sort(key=lambda r: r[0])
    for (_, end, _), (begin, _, _) in pairwise(rows):
        if end != begin:
            raise PriceError(f"{term_code}: price ranges do not chain ({end} then {begin})")
    if rows[-1][1] is not None:
        raise PriceError(f"{term_code}: the last price range ends at {rows[-1][1]}, not Inf")
    return units.pop(), tuple(r[2] for r in rows)


def region_urls(head: Head) -> dict[str, str]:
    """A region index as region -> absolute offer-file URL (its ``currentVersionUrl``)."""
    ijson = ijson_module()
    out: dict[str, str] = {}
    with head.path.open("rb") as fh:
        for region, info in ijson.kvitems(fh, "regions"):
            if isinstance(info, dict) and isinstance(info.get("currentVersionUrl"), str):
                out[str(region)] = absolute(info["currentVersionUrl"])
    return out


def indexed_versions(heads: list[Head]) -> dict[tuple[str, str], str]:
    """(offer code, region) -> the version the region indexes given call current (read from currentVersionUrl:
    /offers/v1.0/aws/<offer>/<version>/<region>/index.json)."""
    out: dict[tuple[str, str], str] = {}
    for head in heads:
        for region, url in region_urls(head).items():
            parts = url.split("/offers/v1.0/aws/", 1)[-1].split("/")
            if len(parts) >= 3:
                out[(parts[0], region)] = parts[1]
    return out


def absolute(url: str, base: str = BASE_URL) -> str:
    return url if url.startswith(("http://", "https://")) else base.rstrip("/") + "/" + url.lstrip("/")
