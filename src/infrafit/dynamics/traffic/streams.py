"""Request streams and the TTL fetch map: which requests a cache sends on, exactly, without a per-request loop.

A cache with a non-sliding TTL ``T`` fetches at the first request at or after ``last fetch + T``. For pollers
with fixed phases that is a map on the phase index (the next fetch depends only on which phase fetched last), so
a month of any number of requests reduces to iterating the map until it repeats (at most one step per client)
and tiling its cycle: the work grows with the fetches, not the requests. Poisson arrivals renew at every fetch
(memoryless): the fetch gaps are ``T + Exp(λ)``. An explicit stream (what an upstream cache passed on) uses the
same map through ``searchsorted``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "Explicit",
    "Periodic",
    "Poisson",
    "Stream",
    "count",
    "sliding_fetches",
    "ttl_fetch_index",
    "ttl_fetches",
]

Floats = npt.NDArray[np.float64]

EPS = 1e-6
"""A request within a microsecond of the expiry counts as at it: ties (a TTL equal to the period) resolve the same
way whichever way the times were computed."""


@dataclass(frozen=True, kw_only=True)
class Periodic:
    """Requests at ``lo + phase + k·period`` in ``[lo, hi)``, one phase per client (sorted, in ``[0, period)``).

    ``warm``: the cache was already in its steady state at ``lo`` (a continuous month), rather than empty (a
    session that starts after a gap longer than any TTL)."""

    phases: Floats
    period: float
    lo: float
    hi: float
    warm: bool = False


@dataclass(frozen=True, kw_only=True)
class Poisson:
    """Open arrivals at ``rate`` per second in ``[lo, hi)``."""

    rate: float
    lo: float
    hi: float
    seed: int = 0


@dataclass(frozen=True, kw_only=True)
class Explicit:
    """Requests at the given sorted times (what an upstream layer passed on)."""

    times: Floats


Stream = Periodic | Poisson | Explicit


def count(stream: Stream) -> float:
    """Requests in the stream (the expectation for Poisson arrivals)."""
    if isinstance(stream, Explicit):
        return float(len(stream.times))
    if isinstance(stream, Poisson):
        return stream.rate * (stream.hi - stream.lo)
    span = stream.hi - stream.lo
    return float(np.sum(np.maximum(np.ceil((span - stream.phases) / stream.period), 0)))


def ttl_fetches(stream: Stream, ttl: float) -> Explicit:
    """The times a non-sliding TTL cache fetches from the next layer (cache-aside, a CDN's s-maxage)."""
    if ttl <= 0:
        raise ValueError("a cache with no TTL passes every request on; do not call the fetch map")
    if isinstance(stream, Explicit):
        return Explicit(times=stream.times[ttl_fetch_index(stream.times, ttl)])
    if isinstance(stream, Poisson):
        return _poisson_fetches(stream, ttl)
    return _periodic_fetches(stream, ttl)


def ttl_fetch_index(times: Floats, ttl: float) -> npt.NDArray[np.int64]:
    """Indices of the requests that fetch: the first, then the first at or after each fetch + ``ttl``.

    The successor of every request is found at once (``searchsorted``); only the chain of fetches is walked."""
    if len(times) == 0:
        return np.zeros(0, dtype=np.int64)
    nxt = np.searchsorted(times, times + (ttl - EPS), side="left").tolist()
    n = len(times)
    out = []
    i = 0
    while i < n:
        out.append(i)
        i = nxt[i]
    return np.asarray(out, dtype=np.int64)


def sliding_fetches(stream: Stream, ttl: float, chunk: int = 1 << 20) -> Explicit:
    """A sliding TTL (refreshed on every read) misses exactly when the gap since the previous request is ``ttl``
    or more (and on the first request)."""
    if isinstance(stream, Explicit):
        given = stream.times
        if len(given) == 0:
            return stream
        keep = np.concatenate(([True], np.diff(given) >= ttl))
        return Explicit(times=given[keep])
    if isinstance(stream, Periodic):
        s, p = stream.phases, stream.period
        if len(s) == 0:
            return Explicit(times=np.zeros(0))
        gaps = np.diff(np.concatenate((s[-1:] - p, s)))  # gap before each phase, cyclically
        first = stream.lo + s[0]
        sel = s[gaps >= ttl]
        periods = math.ceil((stream.hi - stream.lo) / p) + 1
        tiled = (stream.lo + sel[None, :] + p * np.arange(periods)[:, None]).ravel()
        tiled = np.sort(tiled[tiled < stream.hi])
        if not stream.warm and (len(tiled) == 0 or tiled[0] != first):
            tiled = np.concatenate(([first], tiled))
        return Explicit(times=tiled)
    rng = np.random.default_rng(stream.seed)
    out: list[Floats] = []
    t: float = stream.lo
    last: float = -math.inf
    while t < stream.hi:
        arrivals = t + np.cumsum(rng.exponential(1 / stream.rate, chunk))
        arrivals = arrivals[arrivals < stream.hi]
        if len(arrivals) == 0:
            break
        gaps = np.diff(np.concatenate(([last], arrivals)))
        out.append(arrivals[gaps >= ttl])
        last = t = float(arrivals[-1])
        if len(arrivals) < chunk:
            break
    return Explicit(times=np.concatenate(out) if out else np.zeros(0))


def _poisson_fetches(stream: Poisson, ttl: float) -> Explicit:
    """Fetch gaps of a TTL cache under Poisson arrivals: ``T`` plus the wait for the next arrival, ``Exp(λ)``."""
    rng = np.random.default_rng(stream.seed)
    mean_gap = ttl + 1 / stream.rate
    n = int((stream.hi - stream.lo) / mean_gap * 1.1) + 64
    start = stream.lo + rng.exponential(1 / stream.rate)  # the first request finds the cache empty
    gaps = ttl + rng.exponential(1 / stream.rate, n)
    times = start + np.concatenate(([0.0], np.cumsum(gaps)))
    while times[-1] < stream.hi:  # pragma: no cover - the 10% margin nearly always suffices
        more = times[-1] + np.cumsum(ttl + rng.exponential(1 / stream.rate, n))
        times = np.concatenate((times, more))
    return Explicit(times=times[times < stream.hi])


def _periodic_fetches(stream: Periodic, ttl: float) -> Explicit:
    """The fetch map on phase indices, iterated until it repeats, then its cycle tiled over the window."""
    s, p = stream.phases, stream.period
    n = len(s)
    if n == 0:
        return Explicit(times=np.zeros(0))
    x = s + (ttl - EPS)
    q = np.floor(x / p)
    k = np.searchsorted(s, x - q * p, side="left")
    wrap = k == n
    k[wrap] = 0
    q[wrap] += 1
    dt = (q * p + s[k] - s).tolist()
    nxt = k.tolist()
    # A warm month starts the map well before lo (the transient lasts at most n steps of at most T + P each).
    back = p * (math.ceil(n * (ttl + p) / p) + 1) if stream.warm else 0.0
    t = stream.lo + float(s[0]) - back
    seen = [-1] * n
    times: list[float] = []
    j = 0
    while t < stream.hi and seen[j] < 0:
        seen[j] = len(times)
        times.append(t)
        t += dt[j]
        j = nxt[j]
    arr = np.asarray(times)
    if t < stream.hi:  # the map repeats: tile the cycle up to hi
        c = seen[j]
        cycle = arr[c:]
        duration = t - cycle[0]
        reps = math.ceil((stream.hi - cycle[0]) / duration) + 1
        first = max(0, math.floor((stream.lo - cycle[-1]) / duration))
        tiled = (cycle[None, :] + duration * np.arange(first, reps)[:, None]).ravel()
        arr = np.concatenate((arr[:c], tiled))
    return Explicit(times=arr[(arr >= stream.lo) & (arr < stream.hi)])
