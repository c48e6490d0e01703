"""Traffic through cache layers: exact fetch maps for pollers and open arrivals (see :mod:`.streams`) and the
month of a client population through browser, CDN and server-side caches (see :mod:`.model`)."""

from infrafit.dynamics.traffic.model import CacheLayer, CdnLayer, Clients, LayerCount, TrafficRun, poll_cycle, run
from infrafit.dynamics.traffic.streams import Explicit, Periodic, Poisson, count, ttl_fetch_index, ttl_fetches

__all__ = [
    "CacheLayer",
    "CdnLayer",
    "Clients",
    "Explicit",
    "LayerCount",
    "Periodic",
    "Poisson",
    "TrafficRun",
    "count",
    "poll_cycle",
    "run",
    "ttl_fetch_index",
    "ttl_fetches",
]
