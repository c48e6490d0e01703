"""Self-hosting with no knowledge of plans: the cost of owning a machine (amortisation, power, progressive tariffs),
what each managed service becomes on it and what that needs, whether it all fits, and a Compose file for it.

The facts (power presets, tariffs, counterparts) are data files under ``data/`` with a source and a date each; the
Compose specification's JSON Schema is vendored beside them (``compose-spec.json``, see ``COMPOSE_SPEC.md``).
"""

from infrafit.selfhost.facts import Counterpart, PowerPreset, Tariff, Tier, counterparts, power_presets, tariffs
from infrafit.selfhost.footprint import Demand, Fit, Footprint, estimate, fit
from infrafit.selfhost.tco import TcoLine, amortised, average_watts, break_even_months, charged_hours, tariff_cost

__all__ = [
    "Counterpart",
    "Demand",
    "Fit",
    "Footprint",
    "PowerPreset",
    "Tariff",
    "TcoLine",
    "Tier",
    "amortised",
    "average_watts",
    "break_even_months",
    "charged_hours",
    "counterparts",
    "estimate",
    "fit",
    "power_presets",
    "tariff_cost",
    "tariffs",
]
