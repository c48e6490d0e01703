"""How much work a simulation may take on, so a hostile or mistyped job is refused instead of eating the machine.

A replication keeps a few numbers per item and per attempt, so its memory grows with the job; these bounds keep
one replication under a few hundred megabytes and one call to ``simulate`` within seconds
(docs/limits.md states them for plan authors). Beyond the per-call budget, replications are cut, never the
items: a batch that large has a makespan that barely varies from run to run.
"""

from __future__ import annotations

import math
from datetime import datetime

from infrafit.dynamics.errors import InfeasibleJob

MAX_ATTEMPTS_PER_RUN = 5_000_000
"""Expected attempts (items × attempts per item) one replication may simulate."""
MAX_ATTEMPTS_PER_CALL = 4_000_000
"""Expected attempts over all replications of one ``simulate`` call; replications are cut to fit."""
FIRST_YEAR, LAST_YEAR = 1970, 2199
"""Starts outside these years overflow the calendar arithmetic of daily resets (year 9999 + a year)."""
MIN_COST = 1e-9
"""The smallest non-zero cost of one attempt on a limiter; below it a budget holds more than 10^18 attempts."""


class JobTooLarge(InfeasibleJob):
    """The job needs more simulated attempts than :data:`MAX_ATTEMPTS_PER_RUN`."""


def check_start(name: str, start: datetime | None) -> None:
    if start is not None and not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise ValueError(f"job {name!r}: start must be between {FIRST_YEAR} and {LAST_YEAR}, got {start.isoformat()}")


def check_work(name: str, attempts: float) -> None:
    """Refuse a replication that would need more than :data:`MAX_ATTEMPTS_PER_RUN` attempts."""
    if not math.isfinite(attempts) or attempts > MAX_ATTEMPTS_PER_RUN:
        raise JobTooLarge(
            f"job {name!r} needs about {attempts:,.0f} attempts per run, more than the simulator's limit of "
            f"{MAX_ATTEMPTS_PER_RUN:,}; split the batch into smaller jobs or lower retries.max"
        )


def affordable_replications(requested: int, attempts: float) -> int:
    """``requested``, cut so that all replications together stay within :data:`MAX_ATTEMPTS_PER_CALL`."""
    if attempts <= 0 or requested < 1:
        return requested  # nothing to cut (a bad count is refused by the caller)
    return max(1, min(requested, int(MAX_ATTEMPTS_PER_CALL // attempts)))
