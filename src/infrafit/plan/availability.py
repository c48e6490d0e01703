"""The plan's ``availability:``: a primary, a standby started when the primary's heartbeat stops, and the monitor.

Names are a public contract (primary, standby, primary_uptime, mean_outage, outages, heartbeat {every, timeout,
checked_every, write_delay, store}, standby_start, monitor). The standby's running hours follow from the
behaviour and are set on the standby resource, so the plan gives no ``hours``/``uptime`` for it.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from infrafit.plan.quantities import Seconds, Share

__all__ = ["Availabilities", "Availability", "Heartbeat"]


class Heartbeat(BaseModel):
    """The primary writes a heartbeat every ``every``; the monitor reads it every ``checked_every``."""

    model_config = ConfigDict(extra="forbid")

    every: Seconds = Field(description="the primary writes a heartbeat this often, e.g. 5min")
    timeout: Seconds = Field(description="the primary is declared down when its heartbeat is older than this")
    checked_every: Seconds = Field(description="the monitor reads the heartbeat this often, e.g. 1min")
    write_delay: Seconds = Field(
        default=Decimal(10),
        description="time from sending a heartbeat to its being readable (upload, sync, clock skew); default 10s",
    )
    store: str | None = Field(
        default=None,
        description="where the heartbeat lives: a plan resource (Cloud Storage: its operations are priced) or a name",
    )

    @model_validator(mode="after")
    def _positive(self) -> Heartbeat:
        for key in ("every", "timeout", "checked_every"):
            if getattr(self, key) <= 0:
                raise ValueError(f"heartbeat {key} must be above 0 (e.g. 1min)")
        if self.write_delay < 0:
            raise ValueError("heartbeat write_delay must not be negative")
        return self


class Availability(BaseModel):
    """A primary and its standby; the primary's outages come from ``primary_uptime`` + ``mean_outage`` or a log."""

    model_config = ConfigDict(extra="forbid")

    primary: str = Field(description="the primary: a plan resource or just a name (a laptop)")
    standby: str = Field(description="the plan resource whose running hours follow from failover (set, not added)")
    primary_uptime: Share | None = Field(default=None, description="share of the time the primary is up, e.g. 80%")
    mean_outage: Seconds | None = Field(default=None, description="mean length of an outage, e.g. 4h")
    outages: str | None = Field(
        default=None,
        description="a CSV log of outages (start,end rows, ISO 8601 times), relative to the plan file; "
        "instead of primary_uptime and mean_outage",
    )
    heartbeat: Heartbeat
    standby_start: Seconds = Field(default=Decimal(60), description="time the standby takes to answer once started")
    monitor: str = Field(
        description="where the check runs (a plan resource or a name); it must run while the primary is down"
    )
    check_duration: Seconds | None = Field(
        default=None,
        description="how long one check runs on a serverless monitor (default: the monitor resource's usage duration)",
    )
    months: int = Field(default=4000, ge=100, le=20_000, description="simulated months (default 4,000; at most 20,000, about 270 MB)")

    @model_validator(mode="after")
    def _outage_source(self) -> Availability:
        given = self.primary_uptime is not None or self.mean_outage is not None
        if self.outages is not None and given:
            raise ValueError("give either `outages: file.csv` or `primary_uptime` with `mean_outage`, not both")
        if self.outages is None and (self.primary_uptime is None or self.mean_outage is None):
            raise ValueError("give `primary_uptime` (e.g. 80%) and `mean_outage` (e.g. 4h), or `outages: file.csv`")
        if self.primary_uptime is not None and not 0 < self.primary_uptime < 1:
            raise ValueError(
                "primary_uptime must be above 0% and below 100% (a primary that never fails needs no standby)"
            )
        if self.mean_outage is not None and self.mean_outage <= 0:
            raise ValueError("mean_outage must be above 0 (e.g. 4h)")
        return self


Availabilities = dict[str, Availability]
"""The ``availability:`` section: name -> primary/standby pair (the type the section registry names)."""
