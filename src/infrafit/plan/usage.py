"""The usage keys a plan may write under ``usage:`` and what each measures.

One table for all services: a service's catalog entry lists which of these it accepts, so a key's
meaning (and the units it takes) never differs between providers.
"""

from __future__ import annotations

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
}
