"""Clients through cache layers to an origin: requests reaching each layer over a month, and the age of what the
clients see.

Pure library: it knows clients, periods, TTLs and stale windows, nothing of plans or providers (the engine turns a
provider's rules into a :class:`CdnLayer`). Counts come from the exact fetch maps in :mod:`.streams` over the
whole month; ages come from the same maps run request by request over a sample window, so each request's age is
the age at its layer plus the age, upstream, of the copy it was given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from infrafit.dynamics.distributions import Duration
from infrafit.dynamics.traffic.streams import (
    Explicit,
    Periodic,
    Poisson,
    Stream,
    count,
    sliding_fetches,
    ttl_fetch_index,
    ttl_fetches,
)

__all__ = ["CacheLayer", "CdnLayer", "Clients", "LayerCount", "TrafficRun", "poll_cycle", "run"]

Floats = npt.NDArray[np.float64]
DAY = 86400.0
SAMPLE_REQUESTS = 200_000


@dataclass(frozen=True, kw_only=True)
class Clients:
    """Who asks. Pollers: ``count`` clients every ``every`` s (the next tick armed ``latency`` after a response);
    open arrivals: ``rate`` per second. ``active`` is the share of each day they ask (one session a day), or 1."""

    count: int = 1
    every: float | None = None
    rate: float | None = None
    latency: float = 0.0
    active: float = 1.0
    dedupe: float = 0.0
    """SWR's dedupingInterval: a request blocks the hook's own ticks for latency + dedupe."""
    browser_max_age: float = 0.0
    """max-age the browser's HTTP cache honours (0: none)."""


@dataclass(frozen=True, kw_only=True)
class CdnLayer:
    """A shared cache per location: fresh for ``ttl``, then stale-served for ``swr`` while one request revalidates
    in the background (``swr = 0``: the request waits for the origin). ``ttl = 0``: nothing is cached."""

    ttl: float
    swr: float = 0.0
    locations: int = 1


@dataclass(frozen=True, kw_only=True)
class CacheLayer:
    """A server-side cache: ``aside`` (TTL set by the filling miss), ``sliding`` (TTL refreshed by every read) or
    ``write_through`` (a producer rewrites it every ``write_every``; reads never miss)."""

    mode: str
    ttl: float = 0.0
    write_every: Duration | None = None


Layer = CdnLayer | CacheLayer


@dataclass(frozen=True, kw_only=True)
class LayerCount:
    name: str
    requests: float
    """Requests reaching the layer in the month."""
    passed: float
    """Requests it sent on to the next layer (its misses and revalidations)."""

    @property
    def hit_ratio(self) -> float:
        return 1 - self.passed / self.requests if self.requests else 0.0


@dataclass(kw_only=True)
class TrafficRun:
    client_requests: float
    """Requests the clients' code makes in the month (poll ticks, de-duplicated ones included)."""
    layers: list[LayerCount] = field(default_factory=list)
    origin_requests: float = 0.0
    ages: Floats = field(default_factory=lambda: np.zeros(0))
    """Age in seconds of the data each sampled client request is shown."""
    stale_share: float = 0.0
    """Share of CDN-served requests answered with a stale copy while it revalidated."""

    def age(self, q: float) -> float:
        return float(np.quantile(self.ages, q)) if len(self.ages) else 0.0


def poll_cycle(every: float, dedupe: float, latency: float) -> tuple[float, int]:
    """(seconds between the requests one SWR hook sends, ticks per request). A request blocks the hook for
    ``latency + dedupe``; its ticks come at ``latency + k·every``, and the first with ``k·every > dedupe`` fires
    (vercel/swr use-swr.ts: the next tick is armed after the revalidation settles)."""
    k = math.floor(dedupe / every) + 1
    return latency + k * every, k


def run(
    clients: Clients,
    layers: list[Layer],
    *,
    month_s: float,
    seed: int = 0,
    produced_every: Duration | None = None,
) -> TrafficRun:
    """A month of the clients through the layers (the first ``CdnLayer`` splits them across its locations).
    ``produced_every``: how often the origin's data is rewritten (its age adds to what clients see)."""
    sessions, window = (1.0, month_s) if clients.active >= 1 else (month_s / DAY, clients.active * DAY)
    warm = clients.active >= 1
    rng = np.random.default_rng(seed)
    phases = rng.uniform(0, 1, clients.count)
    streams, ticks_per_request, browser_every = _client_streams(clients, layers, window, warm, phases, seed)
    per_session = sum(count(s) for s in streams)
    out = TrafficRun(client_requests=per_session * ticks_per_request * browser_every * sessions)
    if clients.dedupe > 0 or clients.browser_max_age > 0:
        out.layers.append(LayerCount(name="browser", requests=out.client_requests, passed=per_session * sessions))
    for index, layer in enumerate(layers):
        arriving = sum(count(s) for s in streams)
        streams = _pass(layer, streams, index)
        passed = sum(count(s) for s in streams)
        out.layers.append(LayerCount(name=_name(layer), requests=arriving * sessions, passed=passed * sessions))
    out.origin_requests = sum(count(s) for s in streams) * sessions
    _ages(out, clients, layers, window, warm, phases, seed, produced_every)
    return out


def _name(layer: Layer) -> str:
    return "cdn" if isinstance(layer, CdnLayer) else "cache"


def _client_streams(
    clients: Clients, layers: list[Layer], window: float, warm: bool, phases: Floats, seed: int
) -> tuple[list[Stream], int, int]:
    """The requests leaving the browsers, one stream per CDN location, with the ticks each stands for and the
    polls one network request serves from the browser's HTTP cache. ``phases`` are uniform in [0, 1)."""
    locations = next((layer.locations for layer in layers if isinstance(layer, CdnLayer)), 1)
    if clients.rate is not None:
        rate = clients.rate / locations
        return [Poisson(rate=rate, lo=0.0, hi=window, seed=seed + i) for i in range(locations)], 1, 1
    assert clients.every is not None
    period, ticks = poll_cycle(clients.every, clients.dedupe, clients.latency)
    browser = max(1, math.ceil(clients.browser_max_age / period)) if clients.browser_max_age > 0 else 1
    scaled = phases * period * browser
    out: list[Stream] = [
        Periodic(phases=np.sort(scaled[i::locations]), period=period * browser, lo=0.0, hi=window, warm=warm)
        for i in range(locations)
    ]
    return out, ticks, browser


def _pass(layer: Layer, streams: list[Stream], index: int) -> list[Stream]:
    """What a layer sends on: per location for a CDN, one merged stream for a server-side cache."""
    if isinstance(layer, CdnLayer):
        if layer.ttl <= 0:
            return streams
        return [ttl_fetches(s, layer.ttl) for s in streams]
    merged = _merge(streams)
    if layer.mode == "write_through":
        return [Explicit(times=np.zeros(0))]
    if layer.mode == "sliding":
        return [sliding_fetches(merged, layer.ttl)]
    return [ttl_fetches(merged, layer.ttl)]


def _merge(streams: list[Stream]) -> Stream:
    if len(streams) == 1:
        return streams[0]
    times = [s.times if isinstance(s, Explicit) else _materialise(s) for s in streams]
    return Explicit(times=np.sort(np.concatenate(times)))


def _materialise(stream: Stream, limit: float = math.inf) -> Floats:
    """A stream's request times up to ``limit`` (a sample window, or the whole of a stream a cache must see)."""
    if isinstance(stream, Explicit):
        return stream.times[stream.times < limit]
    hi = min(stream.hi, limit)
    if isinstance(stream, Poisson):
        rng = np.random.default_rng(stream.seed + 7919)
        n = int(stream.rate * (hi - stream.lo) * 1.2) + 64
        t = stream.lo + np.cumsum(rng.exponential(1 / stream.rate, n))
        return t[t < hi]
    k = math.ceil((hi - stream.lo) / stream.period)
    t = (stream.lo + stream.phases[None, :] + stream.period * np.arange(k)[:, None]).ravel()
    return np.sort(t[t < hi])


# -- ages ------------------------------------------------------------------------------------------------------


def _ages(
    out: TrafficRun,
    clients: Clients,
    layers: list[Layer],
    window: float,
    warm: bool,
    phases: Floats,
    seed: int,
    produced_every: Duration | None,
) -> None:
    """Each sampled request's age: its layer's age plus the upstream age of the copy it got, layer by layer."""
    rng = np.random.default_rng(seed + 104729)
    if clients.rate is not None:
        per_s = clients.rate
        period, ticks, browser = 0.0, 1, 1
    else:
        assert clients.every is not None
        period, ticks = poll_cycle(clients.every, clients.dedupe, clients.latency)
        browser = max(1, math.ceil(clients.browser_max_age / period)) if clients.browser_max_age > 0 else 1
        per_s = clients.count / (period * browser)
    longest = max([_reach(layer) for layer in layers] + [period * browser, 1.0])
    # Enough requests for stable percentiles, and at least a few cycles of the slowest layer after a warm-up.
    span = min(window, 2 * longest + max(SAMPLE_REQUESTS / max(per_s, 1e-9), 5 * longest))
    burn = min(2 * longest, span / 2) if warm else 0.0
    sample = _client_streams(clients, layers, span, warm, phases, seed)[0]
    arrivals = [_materialise(s, span) for s in sample]
    chain = _chain(arrivals, layers, rng, out, produced_every)
    keep = [a >= burn for a in arrivals]
    net = np.concatenate([age[k] for age, k in zip(chain, keep, strict=True)]) if chain else np.zeros(0)
    if len(net) == 0:
        return
    extra = [0.0]
    if clients.every is not None:  # de-duplicated ticks and HTTP-cache hits show the copy the request got
        base = [0.0] + [clients.latency + j * clients.every for j in range(1, ticks)]
        extra = [e + b * period for b in range(browser) for e in base]
    out.ages = (net[None, :] + np.asarray(extra)[:, None]).ravel()


def _reach(layer: Layer) -> float:
    if isinstance(layer, CdnLayer):
        return 2 * layer.ttl
    if layer.write_every is not None:
        return float(layer.write_every.a) + float(layer.write_every.b or 0)
    return layer.ttl


def _chain(
    arrivals: list[Floats],
    layers: list[Layer],
    rng: np.random.Generator,
    out: TrafficRun,
    producer: Duration | None,
) -> list[Floats]:
    """Ages per location's arrivals after all layers (the innermost first, then outward); the origin answers
    with data as old as its producer left it."""
    if not layers:
        if producer is None:
            return [np.zeros(len(a)) for a in arrivals]
        return [_producer_ages(producer, len(a), rng) for a in arrivals]
    layer, rest = layers[0], layers[1:]
    if isinstance(layer, CdnLayer):
        results = [_cdn_ages(a, layer) for a in arrivals]
        shown = sum(len(a) for a in arrivals)
        out.stale_share = sum(int(r[2]) for r in results) / shown if shown else 0.0
        fetched = [a[r[1]] for a, r in zip(arrivals, results, strict=True)]
        upstream = _chain(fetched, rest, rng, out, producer)
        return [r[0] + up[r[3]] for r, up in zip(results, upstream, strict=True)]
    merged = np.concatenate(arrivals) if arrivals else np.zeros(0)
    order = np.argsort(merged, kind="stable")
    times = merged[order]
    if layer.mode == "write_through":
        assert layer.write_every is not None
        local = _producer_ages(layer.write_every, len(times), rng)
    else:
        if layer.mode == "sliding":
            idx = (
                np.flatnonzero(np.concatenate(([True], np.diff(times) >= layer.ttl)))
                if len(times)
                else np.zeros(0, np.int64)
            )
        else:
            idx = ttl_fetch_index(times, layer.ttl)
        gov = np.searchsorted(idx, np.arange(len(times)), side="right") - 1
        local = times - times[idx][gov]
        inner = _chain([times[idx]], rest, rng, out, producer)[0]
        local = local + inner[gov]
    ages = np.empty_like(local)
    ages[order] = local
    bounds = np.cumsum([0] + [len(a) for a in arrivals])
    return [ages[bounds[i] : bounds[i + 1]] for i in range(len(arrivals))]


def _cdn_ages(times: Floats, layer: CdnLayer) -> tuple[Floats, npt.NDArray[np.int64], int, npt.NDArray[np.int64]]:
    """(local age per request, fetch indices, stale-served count, the index into the fetches of the copy each
    request was given). A request that triggers a background revalidation inside the stale window gets the old
    copy; otherwise a fetching request waits and gets the new one (age 0 here)."""
    n = len(times)
    if layer.ttl <= 0:
        idx = np.arange(n, dtype=np.int64)
        return np.zeros(n), idx, 0, idx
    idx = ttl_fetch_index(times, layer.ttl)
    gov = np.searchsorted(idx, np.arange(n), side="right") - 1
    local = times - times[idx][gov]
    copy = gov.copy()
    fetch_pos = np.arange(len(idx))
    prev_gap = np.diff(times[idx], prepend=-np.inf)
    stale = (fetch_pos > 0) & (prev_gap < layer.ttl + layer.swr) & (layer.swr > 0)
    fetch_local = np.where(stale, prev_gap, 0.0)
    local[idx] = fetch_local
    copy[idx] = np.where(stale, fetch_pos - 1, fetch_pos)
    return local, idx, int(stale.sum()), copy


def _producer_ages(every: Duration, n: int, rng: np.random.Generator) -> Floats:
    """The data's age at a random moment when a producer rewrites it every ``every``: a length-biased interval
    times a uniform position (mean E[W²]/2E[W], the inspection paradox)."""
    if n == 0:
        return np.zeros(0)
    w = every.sample(rng, 4 * n + 64)
    chosen = w[:n] if np.all(w == w[0]) else rng.choice(w, size=n, p=w / w.sum())
    return np.asarray(chosen * rng.uniform(0, 1, n), dtype=np.float64)
