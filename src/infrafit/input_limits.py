"""The largest (and smallest non-zero) amounts a plan may write, by kind of quantity; docs/limits.md states them.

Far beyond any real plan, and small enough that the costs the engine derives from them stay exact in Decimal
arithmetic and fast to compute. Keyed by :class:`infrafit.units.Kind` values (plain strings), so this module
needs nothing from :mod:`infrafit.units`, which reads it.
"""

from __future__ import annotations

from decimal import Decimal

MAX_BYTES = Decimal(10**18)  # 1 EB
MAX_SECONDS = Decimal(366 * 86400)  # a year
MAX_PER_MONTH = Decimal(10**15)  # a quadrillion a month, whatever the period it is written with
MAX_NUMBER = Decimal(10**9)
MAX_HOURS = Decimal(10**6)
MAX_MONEY = Decimal(10**9)  # USD
MAX_POWER = Decimal(10**7)  # watts
MAX_PERCENT = Decimal(10**4)  # 1,000,000% (as a fraction); fields that are shares cap themselves at 100%
MIN_POSITIVE = Decimal("1e-9")  # a non-zero amount below this is a typo or an attack, not a plan

LIMITS: dict[str, Decimal] = {
    "bytes": MAX_BYTES,
    "duration": MAX_SECONDS,
    "number": MAX_NUMBER,
    "hours": MAX_HOURS,
    "percent": MAX_PERCENT,
    "money": MAX_MONEY,
    "power": MAX_POWER,
}
"""The top of each kind (rates are bounded per month instead: :data:`MAX_PER_MONTH`, and :data:`MAX_BYTES`)."""

LIMIT_TEXT: dict[str, str] = {
    "bytes": "sizes go up to 1 EB (10^18 bytes)",
    "duration": "durations go up to a year (366 days)",
    "number": "numbers go up to 1,000,000,000",
    "hours": "hours go up to 1,000,000",
    "percent": "percentages go up to 1,000,000%",
    "money": "amounts go up to 1,000,000,000 USD",
    "power": "power goes up to 10 MW",
    "rate": "rates go up to 10^15 a month (about 373 million a second)",
    "data_rate": "data rates go up to 10^18 bytes (1 EB) a month",
}
"""Each limit in words, for the error message."""
