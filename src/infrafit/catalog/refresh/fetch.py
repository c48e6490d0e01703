"""Download price lists from the providers' public endpoints (only under ``--fetch``; nothing else goes online).

AWS needs no key: the offer index names each offer's region index, which names each region's version-pinned
offer file. Google's Cloud Billing Catalog API needs an API key (``INFRAFIT_GCP_API_KEY``); its SKU listing is
paged with ``nextPageToken``. Each response is streamed to a file in ``folder`` (never held in memory), with a
timeout, and retried with backoff; failing that, one plain error line says what could not be reached.
``INFRAFIT_AWS_PRICING_URL`` / ``INFRAFIT_GCP_BILLING_URL`` point at another host (a mirror, or a test server).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from infrafit.errors import InputError, Problem

TIMEOUT = 60.0
ATTEMPTS = 3
BACKOFF = 1.0
KEY_VARIABLE = "INFRAFIT_GCP_API_KEY"


def aws_base() -> str:
    from infrafit.catalog.refresh.aws import BASE_URL

    return os.environ.get("INFRAFIT_AWS_PRICING_URL", BASE_URL).rstrip("/")


def gcp_base() -> str:
    from infrafit.catalog.refresh.gcp import BASE_URL

    return os.environ.get("INFRAFIT_GCP_BILLING_URL", BASE_URL).rstrip("/")


def _shown(url: str) -> str:
    """The URL without its query (an API key must never reach a message or a log)."""
    return url.split("?", 1)[0]


def download(
    url: str, target: Path, *, attempts: int | None = None, backoff: float | None = None, timeout: float | None = None
) -> Path:
    """Stream ``url`` into ``target`` (through a temporary name); retry network failures and 5xx/429 answers."""
    attempts = attempts or ATTEMPTS
    backoff = BACKOFF if backoff is None else backoff
    timeout = timeout or TIMEOUT
    tmp = target.with_name(target.name + ".part")
    last = ""
    for attempt in range(attempts):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "infrafit-catalog-refresh"})
            with urllib.request.urlopen(request, timeout=timeout) as response, tmp.open("wb") as fh:
                shutil.copyfileobj(response, fh, 1 << 20)
            tmp.replace(target)
            return target
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} {exc.reason}"
            if exc.code not in (429, 500, 502, 503, 504):
                break
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            last = str(reason) or type(exc).__name__
    tmp.unlink(missing_ok=True)
    host = urllib.parse.urlsplit(url).netloc
    raise InputError(
        [
            Problem(
                f"cannot download {_shown(url)} ({last}); check the connection to {host}, or "
                "download the price lists yourself and pass them with --from"
            )
        ]
    )


def _json(path: Path) -> object:
    try:
        return json.loads(path.read_bytes())
    except ValueError as exc:
        raise InputError(
            [Problem(f"the price-list server sent something that is not JSON: {exc}", file=str(path))]
        ) from None


def fetch_aws(offers: dict[str, set[str]], folder: Path) -> dict[str, str]:
    """Download each offer's file for each region wanted; returns file path -> its URL."""
    from infrafit.catalog.refresh.aws import OFFER_INDEX, absolute

    base = aws_base()
    index = _json(download(base + OFFER_INDEX, folder / "index.json"))
    known = index.get("offers", {}) if isinstance(index, dict) else {}
    urls: dict[str, str] = {}
    for code in sorted(offers):
        offer = known.get(code)
        if not isinstance(offer, dict) or not offer.get("currentRegionIndexUrl"):
            continue  # reported later, rule by rule, as "no input holds <offer> in <region>"
        region_index = folder / f"{code}-region_index.json"
        regions = _json(download(absolute(offer["currentRegionIndexUrl"], base), region_index))
        listed = regions.get("regions", {}) if isinstance(regions, dict) else {}
        region_index.unlink()
        for region in sorted(offers[code]):
            info = listed.get(region)
            if not isinstance(info, dict) or "currentVersionUrl" not in info:
                continue  # reported later as "no input holds <offer> in <region>"
            url = absolute(info["currentVersionUrl"], base)
            target = download(url, folder / f"{code}-{region}.json")
            urls[str(target)] = absolute(info["currentVersionUrl"])
    (folder / "index.json").unlink()
    return urls


def fetch_gcp(services: Iterable[str], folder: Path, *, page_size: int = 5000) -> dict[str, str]:
    """Download every page of each service's SKU listing (USD); returns service id -> listing URL (no key)."""
    from infrafit.catalog.refresh.gcp import service_url

    key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        raise InputError(
            [
                Problem(
                    f"--fetch for gcp needs a Cloud Billing API key in {KEY_VARIABLE} (an API key "
                    "of any project with the Cloud Billing API enabled)"
                )
            ]
        )
    out: dict[str, str] = {}
    for service in sorted(set(services)):
        token = ""
        page = 0
        while True:
            query = {"key": key, "currencyCode": "USD", "pageSize": str(page_size)}
            if token:
                query["pageToken"] = token
            url = f"{gcp_base()}/v1/services/{service}/skus?{urllib.parse.urlencode(query)}"
            target = download(url, folder / f"{service}-{page:03d}.json")
            data = _json(target)
            token = data.get("nextPageToken", "") if isinstance(data, dict) else ""
            page += 1
            if not token:
                break
        out[service] = service_url(service)
    return out
