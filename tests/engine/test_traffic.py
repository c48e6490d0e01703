"""The traffic section end to end in the engine, over an in-memory catalog whose prices and allowances the tests
pin (so a price refresh never breaks the arithmetic): usage on the CDN, the origin and downstream; provider rules;
findings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from infrafit.catalog.lookup import Catalog
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.errors import InputError
from infrafit.plan.loader import load_plan

SOURCE = {"source": "https://example.com/pricing", "as_of": "2026-01-15"}


def _metered(usage: str, meter: str, pool: str, amount: int) -> dict[str, Any]:
    return {
        "name": meter,
        "category": "requests",
        "usage": [usage, "egress", "duration"],
        "meters": {
            meter: {"label": meter, "unit": "request", "category": "requests", "from_usage": usage},
        },
        "free": [{"pool": pool, "meters": [meter], "amount": amount, "unit": "request", "hard": True, **SOURCE}],
    }


def catalog() -> Catalog:
    """vercel.cdn with 1M free edge requests, vercel.functions with 1M free invocations, toy.redis with 500K
    free commands (hard caps), in the shape of the real entries."""
    vercel = {
        "provider": "vercel",
        "name": "Vercel",
        "as_of": "2026-01-15",
        "services": {
            "cdn": _metered("requests", "edge_requests", "v.edge", 1_000_000),
            "functions": _metered("requests", "invocations", "v.invocations", 1_000_000),
        },
    }
    toy = {
        "provider": "toy",
        "name": "Toy",
        "as_of": "2026-01-15",
        "services": {"redis": {**_metered("commands", "commands", "t.commands", 500_000), "usage": ["commands"]}},
    }
    return Catalog.from_data({"vercel": vercel, "toy": toy})


def plan(layers: str, clients: int = 100, extra: str = "") -> str:
    return f"""
name: dash
resources:
  api: {{service: vercel.functions}}
  redis: {{service: toy.redis}}
traffic:
  dashboard:
    clients: {clients}
    every: 60s
    response_size: 10KB
    layers:
{layers}
    origin: api
    per_origin_request:
      redis: {{commands: 21}}
{extra}
"""


VERCEL = "      - cdn: {provider: vercel, max_age: 30s, stale_while_revalidate: 60s}"


def check(text: str) -> Result:
    return evaluate(load_plan("dash.yaml", text=text), catalog(), seed=0)


def lines(result: Result) -> dict[str, Any]:
    return {r.name: r for r in result.resources}


def test_seed_002_edge_requests_exceed_hobby_while_invocations_fit() -> None:
    result = check(plan(VERCEL))
    (report,) = result.sections["traffic"]
    # 100 pollers every 60 s, all month: 100 × 2,628,000 / 60 = 4,380,000 edge requests (cache hits included).
    assert report.client_requests_per_month == 4_380_000
    # Origin: one revalidation per cycle of ~30.6 s (A9: 85,860 ± 197 over phase draws).
    assert report.origin_requests_per_month == pytest.approx(85_860, rel=0.01)
    derived = report.derived
    assert derived["vercel cdn [traffic dashboard]"]["requests"] == 4_380_000
    # egress = 4,380,000 × 10,000 bytes = 43.8 GB
    assert derived["vercel cdn [traffic dashboard]"]["egress"] == 43_800_000_000
    # Upstash bills each command of the pipeline: 21 per origin request.
    origin = report.origin_requests_per_month
    assert derived["redis [traffic dashboard]"]["commands"] == pytest.approx(21 * origin, abs=1)
    codes = {(f.code, f.resource) for f in result.findings}
    pools = {p.pool: p for p in result.free_tier}
    assert pools["v.edge"].used == Decimal(4_380_000)  # 4.38× the 1M allowance: refused beyond it
    assert pools["v.invocations"].used < 1_000_000
    assert any(code == "limit_exceeded" for code, _ in codes)


def test_one_open_tab_fits_and_23_exceed_hobby_edge_requests() -> None:
    # One always-open tab: 43,800 a month; 23 tabs: 1,007,400 > 1,000,000 (A5).
    one = check(plan(VERCEL, clients=1))
    assert one.sections["traffic"][0].client_requests_per_month == 43_800
    many = check(plan(VERCEL, clients=23))
    assert many.sections["traffic"][0].client_requests_per_month == 1_007_400
    pools = {p.pool: p for p in many.free_tier}
    assert pools["v.edge"].used > pools["v.edge"].allowance


def test_a_single_poller_with_swr_sees_data_one_period_old() -> None:
    result = check(plan(VERCEL, clients=1))
    (report,) = result.sections["traffic"]
    assert report.staleness_p50 == pytest.approx(60.0)  # the copy the previous poll revalidated (A10)
    assert report.origin_requests_per_month == 43_800  # every poll revalidates: a function run each
    assert "swr_adds_staleness" in {f.code for f in result.findings}


def test_the_browser_layer_that_cannot_hit_is_flagged() -> None:
    result = check(plan("      - browser: {dedupe: 30s}\n" + VERCEL))
    (report,) = result.sections["traffic"]
    assert report.hit_ratio["browser"] == 0.0  # dedupe 30 s < poll 60 s; Vercel sends max-age=0
    assert "cache_layer_ineffective" in {f.code for f in result.findings}


def test_cloudflare_without_a_cache_rule_caches_no_json() -> None:
    result = check(plan("      - cdn: {provider: cloudflare, max_age: 30s, stale_while_revalidate: 60s}"))
    (report,) = result.sections["traffic"]
    assert report.origin_requests_per_month == report.client_requests_per_month == 4_380_000
    assert "cdn_not_caching" in {f.code for f in result.findings}
    assert "vercel cdn [traffic dashboard]" not in report.derived  # Vercel edge requests only on Vercel's CDN
    # ... but api is a Vercel function: its invocations are the origin requests
    assert report.derived["api [traffic dashboard]"]["requests"] == 4_380_000


def test_cloudflare_ignores_swr_when_s_maxage_is_set() -> None:
    # Same origin count as the no-SWR cache, and the fetching request waits: age 0 at it, so a single poller
    # always sees fresh data (A6).
    rule = check(
        plan(
            "      - cdn: {provider: cloudflare, max_age: 30s, stale_while_revalidate: 60s, cache_rule: true}",
            clients=1,
        )
    )
    (report,) = rule.sections["traffic"]
    assert report.origin_requests_per_month == 43_800
    assert report.staleness_p95 == 0.0


def test_a_server_cache_behind_the_cdn() -> None:
    # 1,000 pollers every 10 s, CDN TTL 30 s = 3 periods: the client that fetched polls again exactly at expiry,
    # so the CDN fetches every 30 s (87,600 a month); the aside cache (TTL 300 s = 10 CDN cycles) sees a CDN fetch
    # exactly at its own expiry, so it fetches every 300 s: 2,628,000 / 300 = 8,760.
    text = plan(
        "      - cdn: {provider: generic, max_age: 30s}\n      - cache: {ttl: 5min, mode: aside}", clients=1000
    ).replace("every: 60s", "every: 10s")
    (report,) = check(text).sections["traffic"]
    assert report.client_requests_per_month == 262_800_000
    assert report.layers[1].requests_per_month == 87_600
    assert report.origin_requests_per_month == 8_760


def test_unknown_origin_is_a_located_error() -> None:
    with pytest.raises(InputError) as exc:
        check(plan(VERCEL).replace("origin: api", "origin: apx"))
    assert "did you mean" in str(exc.value)
