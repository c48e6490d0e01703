"""What the `traffic:` section answers for one entry (the JSON keys live in the report's TrafficView)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LayerUse", "TrafficReport"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerUse:
    """Requests reaching one layer in the month, and how many it passed on (its misses and revalidations)."""

    layer: str
    """``browser``, ``cdn``, ``cache`` (``cache_2`` for a second one), or ``origin``."""
    detail: str = ""
    """The CDN's provider or the cache's mode."""
    requests_per_month: float
    passed_per_month: float
    hit_ratio: float


@dataclass(slots=True, kw_only=True)
class TrafficReport:
    """One traffic entry's month: requests per layer, hit ratios, the age of what clients see, derived usage."""

    name: str
    origin: str
    origin_service: str
    arrivals: str
    """How clients ask, in words: ``100 clients every 60 s`` or ``5/s open arrivals``."""
    client_requests_per_month: float
    origin_requests_per_month: float
    layers: list[LayerUse] = field(default_factory=list)
    staleness_p50: float = 0.0
    staleness_p95: float = 0.0
    staleness_mean: float = 0.0
    staleness_histogram: list[tuple[float, float]] = field(default_factory=list)
    """(upper edge in seconds, share of client requests) bins of the age clients see."""
    stale_share: float = 0.0
    """Share of the CDN's answers that were a stale copy while it revalidated in the background."""
    derived: dict[str, dict[str, float]] = field(default_factory=dict)
    """Derived line name -> usage key -> amount per month."""
    rules: list[str] = field(default_factory=list)
    """Provider rules applied, each with its source."""
    assumptions: list[str] = field(default_factory=list)
    seed: int = 0

    @property
    def hit_ratio(self) -> dict[str, float]:
        return {use.layer: use.hit_ratio for use in self.layers if use.layer != "origin"}
