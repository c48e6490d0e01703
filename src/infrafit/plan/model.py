"""The plan: an architecture and its workload, as typed models.

Units are parsed here (see :mod:`infrafit.units`), so everything past this module works with Decimals in
base units. Which usage keys, types and plans a service accepts needs the catalog and is checked by the
engine, which reports problems with the same YAML locations.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, create_model, field_validator, model_validator
from pydantic_core import PydanticCustomError

from infrafit.plan.quantities import Bytes, Count, Cpu, Money
from infrafit.plan.usage import USAGE_KINDS
from infrafit.sections import SECTIONS, registry_version, resolve
from infrafit.units import Kind, Rate, UnitError, parse

__all__ = ["Plan", "Resource", "UsageValue", "plan_model"]

UsageValue = Decimal | Rate


class Resource(BaseModel):
    """One resource of the plan: a catalog service, sized and with its monthly usage."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(description="catalog service key <provider>.<service>, e.g. gcp.cloud_run")
    region: str | None = Field(default=None, description="region, for regional services")
    type: str | None = Field(default=None, description="machine/instance type or variant, e.g. e2-micro, t3.small")
    plan: str | None = Field(default=None, description="service plan, e.g. free, paid, hobby, pro")
    count: int = Field(default=1, ge=0, description="identical copies")
    cpu: Cpu | None = Field(default=None, description="CPU size", json_schema_extra={"examples": [1]})
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
                if isinstance(raw, dict) and "stored_from" in raw and kind is Kind.BYTES:
                    from infrafit.plan.stored import stored_amount  # Little's law: rate × retention × size

                    parsed[str(key)] = stored_amount(raw["stored_from"])
                    continue
                parsed[str(key)] = parse(raw, kind)
            except UnitError as exc:
                # The key travels in ctx so the loader can point at its line.
                raise PydanticCustomError("usage_unit", "{message}", {"message": str(exc), "key": str(key)}) from None
        return parsed


class Plan(BaseModel):
    """A whole plan file's core. Field names are a public contract (see the README).

    The sections (``jobs:`` and later ones) are not declared here: :func:`plan_model` adds one field per
    registered section, so a new section never edits this class. Read a section with :meth:`section`.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built once, as plan_model()'s subclass

    name: str = Field(description="plan name, shown in reports")
    month_hours: Decimal = Field(
        default=Decimal(730), gt=0, description="hours in a billing month (default 730, the average month)"
    )
    month: str | None = Field(
        default=None,
        description="a calendar month, e.g. '2026-03': the month has its own hours (744) and days (31); "
        "instead of month_hours",
    )
    free_tier: bool = Field(default=True, description="apply the providers' free allowances")
    budget: Money | None = Field(default=None, description="monthly ceiling, e.g. '25 USD'")
    quotas: dict[str, Count] = Field(default_factory=dict, description="account quotas, e.g. aws.ec2.standard_vcpu: 16")
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="catalog facts replaced by this plan, keyed by service"
    )
    resources: dict[str, Resource] = Field(description="name -> resource")

    @field_validator("month", mode="before")
    @classmethod
    def _month_form(cls, value: Any) -> Any:
        import re

        if value is not None and not (isinstance(value, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value)):
            raise PydanticCustomError(
                "month_form", "month is a calendar month written YYYY-MM, e.g. '2026-03' (got {value})", {"value": repr(value)}
            )
        return value

    @model_validator(mode="after")
    def _calendar_month(self) -> Plan:
        """``month: 2026-03`` sets month_hours to that month's days × 24; giving both is ambiguous."""
        if self.month is None:
            return self
        if "month_hours" in self.model_fields_set:
            raise PydanticCustomError(
                "month_twice",
                "give either `month: {month}` or `month_hours: {hours}`, not both",
                {"month": self.month, "hours": str(self.month_hours)},
            )
        import calendar

        year, number = (int(part) for part in self.month.split("-"))
        self.month_hours = Decimal(calendar.monthrange(year, number)[1] * 24)
        return self

    _source_map: dict[tuple[str | int, ...], tuple[int, int]] = PrivateAttr(default_factory=dict)
    _file: str | None = PrivateAttr(default=None)

    @property
    def file(self) -> str | None:
        return self._file

    def section(self, key: str) -> Any:
        """The validated value of the registered section ``key``, or its empty value when the plan has none."""
        if key in type(self).model_fields:
            return getattr(self, key)
        spec = SECTIONS.get(key)
        if spec is None:
            raise KeyError(f"no plan section {key!r} is registered (known: {', '.join(SECTIONS) or 'none'})")
        return _empty(resolve(spec.model))

    def locate(self, path: tuple[str | int, ...]) -> tuple[int, int] | None:
        """(line, column) of the deepest known node on ``path``, 1-based."""
        for cut in range(len(path), -1, -1):
            hit = self._source_map.get(path[:cut])
            if hit:
                return hit
        return None


def _container(tp: Any) -> type | None:
    """The container a section type is (``dict[str, Job]`` -> dict), or None for a single model."""
    origin = get_origin(tp) or tp
    return origin if origin in (dict, list, set, tuple) else None


def _empty(tp: Any) -> Any:
    """A section's value when the plan leaves it out: an empty container, else None."""
    container = _container(tp)
    return container() if container is not None else None


_built: tuple[int, type[Plan]] | None = None


def plan_model() -> type[Plan]:
    """The plan model with one field per registered section, in registry order (rebuilt when the registry changes).

    It subclasses :class:`Plan`, so every validated plan is a ``Plan`` with its sections as attributes.
    """
    global _built
    version = registry_version()
    if _built is not None and _built[0] == version:
        return _built[1]
    fields: dict[str, Any] = {}
    for key, spec in SECTIONS.items():
        if key in Plan.model_fields:
            raise ValueError(f"section {key!r} clashes with the plan's own key {key!r}")
        tp = resolve(spec.model)
        container = _container(tp)
        if container is not None:
            fields[key] = (tp, Field(default_factory=container, description=spec.description))
        else:
            fields[key] = (tp | None, Field(default=None, description=spec.description))
    doc = "A whole plan file. Field names are a public contract (see the README)."
    model = create_model("Plan", __base__=Plan, __module__=__name__, __doc__=doc, **fields)
    _built = (version, model)
    return model
