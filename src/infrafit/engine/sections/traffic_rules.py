"""What each CDN provider does with the headers a `cdn:` layer states, each rule with its source.

The plan writes the shared cache's TTL as ``max_age`` (sent as ``s-maxage``) and an optional
``stale_while_revalidate``; the provider decides what is cached, whether stale copies are served while the
origin is asked in the background, and what max-age the browser receives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from infrafit.plan.traffic import CdnSpec

__all__ = ["SOURCES", "Effective", "effective"]

SOURCES = {
    "vercel_swr": "https://vercel.com/docs/caching/cache-control-headers",
    "vercel_collapsing": "https://vercel.com/docs/request-collapsing",
    "vercel_regions": "https://vercel.com/docs/regions",
    "vercel_browser": "https://vercel.com/docs/headers/cache-control-headers",
    "vercel_stale_forever": "https://github.com/remorses/nextjs-edge-vercel-stale-while-revalidate-bug",
    "cloudflare_smaxage": "https://developers.cloudflare.com/cache/concepts/revalidation/",
    "cloudflare_default": "https://developers.cloudflare.com/cache/concepts/default-cache-behavior/",
    "rfc5861": "https://www.rfc-editor.org/rfc/rfc5861",
}


@dataclass(frozen=True, kw_only=True)
class Effective:
    """The cache as it behaves: TTL, stale window (0: the request waits for the origin), whether it caches at all,
    whether the browser may keep a copy, and the rules that decided it (text with source)."""

    ttl: float
    swr: float
    caches: bool
    browser_keeps: bool
    rules: list[str] = field(default_factory=list)


def effective(cdn: CdnSpec) -> Effective:
    """The provider's reading of the layer's headers."""
    ttl = float(cdn.max_age)
    swr = None if cdn.stale_while_revalidate is None else float(cdn.stale_while_revalidate)
    if cdn.provider == "vercel":
        rules = [
            f"Vercel serves a stale copy after s-maxage and revalidates it in the background; the revalidation is a "
            f"function invocation, collapsed to one per region [{SOURCES['vercel_swr']}; {SOURCES['vercel_collapsing']}]",
            f"Vercel consumes s-maxage and sends the browser max-age=0, must-revalidate: no browser HTTP cache "
            f"[{SOURCES['vercel_browser']}]",
            f"each region caches on its own ({cdn.regions} region{'s' if cdn.regions != 1 else ''} with clients) "
            f"[{SOURCES['vercel_regions']}]",
        ]
        if swr is None:
            swr = math.inf
            rules.append(
                "s-maxage without stale-while-revalidate: Vercel's docs say stale is served until the background "
                f"revalidation completes, and a public repro shows it served indefinitely; taken as unbounded "
                f"[{SOURCES['vercel_swr']}; {SOURCES['vercel_stale_forever']}]"
            )
        return Effective(ttl=ttl, swr=swr, caches=ttl > 0, browser_keeps=False, rules=rules)
    if cdn.provider == "cloudflare":
        rules = [
            "Cloudflare ignores stale-while-revalidate when s-maxage is set (s-maxage implies proxy-revalidate): "
            f"an expired copy is revalidated while the request waits [{SOURCES['cloudflare_smaxage']}]",
            "Cloudflare passes Cache-Control to the browser untouched, so a max-age there is the browser's "
            f"[{SOURCES['cloudflare_default']}]",
        ]
        caches = cdn.cache_rule and ttl > 0
        if not cdn.cache_rule:
            rules.append(
                "Cloudflare caches by file extension and does not cache JSON or HTML by default: without a Cache "
                f"Rule every request reaches the origin [{SOURCES['cloudflare_default']}]"
            )
        return Effective(ttl=ttl, swr=0.0, caches=caches, browser_keeps=True, rules=rules)
    rules = [f"generic shared cache: stale-while-revalidate as RFC 5861 defines it [{SOURCES['rfc5861']}]"]
    return Effective(ttl=ttl, swr=swr or 0.0, caches=ttl > 0, browser_keeps=True, rules=rules)
