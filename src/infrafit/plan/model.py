"""The plan: an architecture and its workload, as typed models.

Units are parsed here (see :mod:`infrafit.units`), so everything past this module works with Decimals in
base units. Which usage keys, types and plans a service accepts needs the catalog and is checked by the
engine, which reports problems with the same YAML locations.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator
from pydantic_core import PydanticCustomError

from infrafit.plan.jobs import Job
from infrafit.plan.quantities import Bytes, Count, Money
from infrafit.plan.usage import USAGE_KINDS
from infrafit.units import Kind, Rate, UnitError, parse

UsageValue = Decimal | Rate

_MILLICORES = re.compile(r"^(\d+)m$")


class Resource(BaseModel):
    """One resource of the plan: a catalog service, sized and with its monthly usage."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(description="catalog service key <provider>.<service>, e.g. gcp.cloud_run")
    region: str | None = Field(default=None, description="region, for regional services")
    type: str | None = Field(default=None, description="machine/instance type or variant, e.g. e2-micro, t3.small")
    plan: str | None = Field(default=None, description="service plan, e.g. free, paid, hobby, pro")
    count: int = Field(default=1, ge=0, description="identical copies")
    cpu: Decimal | None = Field(default=None, description="vCPUs (1, 0.5 or 500m)", json_schema_extra={"examples": [1]})
    memory: Bytes | None = Field(default=None, description="memory, e.g. 512Mi, 2GiB (stored in bytes)")
    disk: Bytes | None = Field(default=None, description="boot disk size for VMs, e.g. 30GB (stored in bytes)")
    usage: dict[str, Any] = Field(
        default_factory=dict, description="monthly usage; the keys a service takes are in its catalog entry"
    )
    rate_limits: dict[str, Any] | None = Field(
        default=None, description="for custom.api: per_second, per_minute, per_hour, per_day"
    )
    daily_reset: str | None = Field(
        default=None, description='for custom.api: when daily limits reset, e.g. "00:00 America/Los_Angeles"'
    )

    @field_validator("cpu", mode="before")
    @classmethod
    def _cpu(cls, value: Any) -> Any:
        if isinstance(value, str) and (m := _MILLICORES.match(value.strip())):
            return Decimal(m[1]) / 1000
        try:
            return parse(value, Kind.NUMBER) if value is not None else None
        except UnitError as exc:
            raise ValueError(f"{exc}; cpu takes vCPUs such as 2, 0.5 or 500m") from None

    @field_validator("usage", mode="before")
    @classmethod
    def _usage(cls, value: Any) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValueError("usage must be a mapping of usage keys to quantities")
        parsed: dict[str, UsageValue] = {}
        for key, raw in value.items():
            kind = USAGE_KINDS.get(str(key))
            if kind is None:
                # Unknown keys are reported by the engine, which knows what this service accepts.
                parsed[str(key)] = raw
                continue
            try:
                parsed[str(key)] = parse(raw, kind)
            except UnitError as exc:
                # The key travels in ctx so the loader can point at its line.
                raise PydanticCustomError("usage_unit", "{message}", {"message": str(exc), "key": str(key)}) from None
        return parsed


class Plan(BaseModel):
    """A whole plan file. Field names are a public contract (see the README)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="plan name, shown in reports")
    month_hours: Decimal = Field(default=Decimal(730), gt=0, description="hours in a billing month")
    free_tier: bool = Field(default=True, description="apply the providers' free allowances")
    budget: Money | None = Field(default=None, description="monthly ceiling, e.g. '25 USD'")
    quotas: dict[str, Count] = Field(default_factory=dict, description="account quotas, e.g. aws.ec2.standard_vcpu: 16")
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="catalog facts replaced by this plan, keyed by service"
    )
    resources: dict[str, Resource] = Field(description="name -> resource")
    jobs: dict[str, Job] = Field(default_factory=dict, description="batch jobs run on the plan's resources")

    _source_map: dict[tuple[str | int, ...], tuple[int, int]] = PrivateAttr(default_factory=dict)
    _file: str | None = PrivateAttr(default=None)

    @property
    def file(self) -> str | None:
        return self._file

    def locate(self, path: tuple[str | int, ...]) -> tuple[int, int] | None:
        """(line, column) of the deepest known node on ``path``, 1-based."""
        for cut in range(len(path), -1, -1):
            hit = self._source_map.get(path[:cut])
            if hit:
                return hit
        return None
