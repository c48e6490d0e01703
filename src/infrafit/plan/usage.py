"""The usage keys a plan may write under ``usage:`` and what each measures.

One table for all services: a service's catalog entry lists which of these it accepts, so a key's
meaning (and the units it takes) never differs between providers. :data:`USAGE_RANGES` bounds the keys
whose sensible values are narrower than their kind's (docs/limits.md); a platform's own ceiling (Cloud Run's
1,000 requests per instance) stays a catalog limit, reported as a finding, and hours or uptime beyond the
plan's month are refused by the engine, which knows the month's length.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from infrafit.units import Kind

USAGE_KINDS: dict[str, Kind] = {
    "requests": Kind.RATE,  # requests / invocations per period
    "duration": Kind.DURATION,  # wall time per request (or per run)
    "cpu_time": Kind.DURATION,  # CPU time per request, where billed apart from wall time
    "concurrency": Kind.NUMBER,  # requests served at once by one instance
    "hours": Kind.HOURS,  # running hours per month (default: all of them)
    "uptime": Kind.PERCENT,  # share of the month running, instead of hours
    "storage": Kind.BYTES,  # average stored over the month
    "egress": Kind.DATA_RATE,  # data sent out to the internet
    "ingress": Kind.DATA_RATE,
    "throughput": Kind.DATA_RATE,  # data through a message bus (Pub/Sub)
    "bandwidth": Kind.DATA_RATE,  # data read and written through a managed store (Upstash)
    "reads": Kind.RATE,  # document / row reads
    "writes": Kind.RATE,
    "deletes": Kind.RATE,
    "operations": Kind.RATE,  # queue / task operations; secret access operations
    "secret_versions": Kind.NUMBER,  # active secret versions stored (Secret Manager, per location)
    "logs": Kind.DATA_RATE,  # log data ingested (Cloud Logging, CloudWatch Logs)
    "data_processed": Kind.DATA_RATE,  # data through a load balancer, both directions
    "retrieval": Kind.DATA_RATE,  # data read back from an infrequent-access storage class
    "messages": Kind.RATE,  # messages through a queue (a service may bill several operations each)
    "class_a": Kind.RATE,  # object-store writes and lists (PUT, COPY, POST, LIST)
    "class_b": Kind.RATE,  # object-store reads (GET, HEAD)
    "jobs": Kind.NUMBER,  # scheduled jobs defined
    "commands": Kind.RATE,  # Redis commands
    "rows_read": Kind.RATE,
    "rows_written": Kind.RATE,
    "input_tokens": Kind.RATE,
    "output_tokens": Kind.RATE,
    "units": Kind.RATE,  # API quota units (YouTube Data API)
    "compute_hours": Kind.HOURS,  # compute-unit hours (Neon); active hours of Durable Objects
    "builds": Kind.RATE,
    "power": Kind.POWER,  # average electrical draw of a self-hosted machine
    "hardware_cost": Kind.MONEY,  # purchase price of a self-hosted machine
    "lifetime_months": Kind.NUMBER,  # months to spread the purchase over
    "financing_cost": Kind.MONEY,  # a month's cost of the money in a self-hosted machine (selfhost: section)
    "electricity_cost": Kind.MONEY,  # a month's electricity of a self-hosted machine at a given tariff
    "uplink_cost": Kind.MONEY,  # a month's connection or tunnel for a self-hosted machine
    "labour_cost": Kind.MONEY,  # a month's upkeep hours x rate for a self-hosted machine
}


@dataclass(frozen=True, kw_only=True)
class Range:
    """The values a usage key accepts beyond its kind's own limits, and the words that say so."""

    low: Decimal
    high: Decimal
    whole: bool = False
    says: str

    def check(self, value: Decimal) -> str | None:
        """None when ``value`` is accepted, else the reason it is not."""
        if (self.whole and value != value.to_integral_value()) or not self.low <= value <= self.high:
            return self.says
        return None


USAGE_RANGES: dict[str, Range] = {
    "concurrency": Range(
        low=Decimal(1),
        high=Decimal(10**6),
        whole=True,
        says="concurrency is a whole number of requests at once, from 1 to 1,000,000",
    ),
    "duration": Range(low=Decimal(0), high=Decimal(86400), says="duration is per request or run: at most a day"),
    "cpu_time": Range(low=Decimal(0), high=Decimal(86400), says="cpu_time is per request or run: at most a day"),
    "jobs": Range(low=Decimal(0), high=Decimal(10**6), whole=True, says="jobs is a whole number of scheduled jobs"),
    "lifetime_months": Range(
        low=Decimal(1), high=Decimal(1200), says="lifetime_months spreads the purchase over 1 to 1,200 months"
    ),
}
"""Narrower bounds for some usage keys (docs/limits.md states them all)."""
