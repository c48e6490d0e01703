"""The plan: an architecture and its workload, as typed models.

Units are parsed here (see :mod:`infrafit.units`), so everything past this module works with Decimals in
base units. Which usage keys, types and plans a service accepts needs the catalog and is checked by the
engine, which reports problems with the same YAML locations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from infrafit.plan.quantities import Count, Money
from infrafit.plan.resource import Resource, UsageValue, key_error
from infrafit.sections import SECTIONS, registry_version, resolve
from infrafit.units import Kind, UnitError, parse

__all__ = ["Plan", "Resource", "UsageValue", "plan_model"]

MAX_PRICE = Decimal(10**6)
"""An override's ``usd`` (per its ``per`` units)."""
MAX_MONTH_HOURS = Decimal(744)
"""A 31-day month; a longer "month" only multiplies costs."""


_NUMERIC = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:nan|inf|infinity)$", re.IGNORECASE)


def _bad_fact(node: Any, path: tuple[str, ...]) -> tuple[tuple[str, ...], str] | None:
    """The first number in an override that no catalog fact can be: (where, why), or None."""
    if isinstance(node, dict):
        for key, child in node.items():
            found = _bad_fact(child, (*path, str(key)))
            if found is not None:
                return found
        return None
    if isinstance(node, list):
        for index, child in enumerate(node):
            found = _bad_fact(child, (*path, str(index)))
            if found is not None:
                return found
        return None
    shown = node
    if isinstance(node, str) and _NUMERIC.match(node.strip()):
        node = Decimal(node.strip())  # YAML 1.1 leaves 1e308 as text; the catalog reads it as a number
    if isinstance(node, bool) or not isinstance(node, int | float | Decimal):
        return None
    number = Decimal(str(node)) if not isinstance(node, Decimal) else node
    if not number.is_finite():
        return path, f"{shown} is not a number"
    if number < 0:
        return path, f"{shown} is negative; prices, allowances and limits are zero or more"
    if path and path[-1] == "usd" and number > MAX_PRICE:
        return path, f"{shown} is too large: a price is at most {MAX_PRICE:,} USD (docs/limits.md)"
    if path and path[-1] == "per" and number < 1:
        return path, f"{shown}: a price is per 1 unit or more (per: 1000000 for a price per million)"
    return None


def _name_key(key: Any) -> str:
    """A resource name as YAML gave it; names YAML reads as something else are refused with the fix."""
    if isinstance(key, str):
        if not key.strip():
            raise ValueError("a resource name is empty; give each resource a name")
        return key
    if key is None:
        raise ValueError("a resource name is empty or ~ (YAML's null); give each resource a name")
    if isinstance(key, bool):
        shown = str(key).lower()
        raise ValueError(
            f"a resource is named {shown}: YAML reads yes, no, on, off, true and false as booleans; "
            f"quote the name, e.g. 'yes':"
        )
    raise ValueError(f"a resource is named {key!r}, which YAML reads as a number; quote the name, e.g. '{key}':")


class Plan(BaseModel):
    """A whole plan file's core. Field names are a public contract (see the README).

    The sections (``jobs:`` and later ones) are not declared here: :func:`plan_model` adds one field per
    registered section, so a new section never edits this class. Read a section with :meth:`section`.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)  # built once, as plan_model()'s subclass

    name: str = Field(description="plan name, shown in reports")
    month_hours: Decimal = Field(
        default=Decimal(730),
        gt=0,
        le=MAX_MONTH_HOURS,
        description="hours in a billing month (default 730, the average month; at most 744)",
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
                "month_form",
                "month is a calendar month written YYYY-MM, e.g. '2026-03' (got {value})",
                {"value": repr(value)},
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

    @field_validator("overrides", mode="before")
    @classmethod
    def _overrides(cls, value: Any) -> Any:
        """Catalog facts are never negative or infinite; a negative price would lower the total and pass a budget."""
        if not isinstance(value, dict):
            return value  # pydantic says what a mapping is
        for service, body in value.items():
            problem = _bad_fact(body, ())
            if problem is not None:
                where, message = problem
                raise key_error(str(service), f"{'.'.join(where)}: {message}" if where else message)
        return value

    @field_validator("month_hours", mode="before")
    @classmethod
    def _month_hours(cls, value: Any) -> Any:
        """Hours as a number or with a unit (730, 730h, like usage.hours), up to a 31-day month."""
        if isinstance(value, bool):
            raise ValueError("month_hours takes hours such as 730 or 730h (at most 744)")
        try:
            hours = parse(value, Kind.HOURS)
        except UnitError:
            try:
                hours = Decimal(str(value).strip())  # YAML 1.1 leaves 1e3 as text
            except ArithmeticError:
                raise ValueError(f"{value!r}: month_hours takes hours such as 730 or 730h (at most 744)") from None
        assert isinstance(hours, Decimal)
        if not hours.is_finite() or not 0 < hours <= MAX_MONTH_HOURS:
            raise ValueError(f"month_hours is more than 0 and at most 744 (a 31-day month), got {value}")
        return hours

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the plan's name is empty; reports and CI logs show it")
        return value

    @field_validator("resources", mode="before")
    @classmethod
    def _resources(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value  # pydantic says what a mapping is
        for name, body in value.items():
            key = _name_key(name)
            if not isinstance(body, dict | Resource):
                hint = f"; is {key}: indented under the resource's name?" if key in Resource.model_fields else ""
                raise key_error(key, f"each resource is a mapping such as {{service: aws.s3}}{hint}")
        return value

    _source_map: Mapping[tuple[str | int, ...], tuple[int, int]] = PrivateAttr(default_factory=dict)
    _file: str | None = PrivateAttr(default=None)

    @property
    def file(self) -> str | None:
        return self._file

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # A section the plan does not have reads as empty (`plan.jobs` is `{}`), as a declared field would.
            if name in SECTIONS:
                return self.section(name)
            return super().__getattr__(name)

    def has_section(self, key: str) -> bool:
        """Whether the plan writes section ``key``; answered without importing the section's model."""
        return key in type(self).model_fields and bool(getattr(self, key))

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


_built: dict[tuple[int, frozenset[str] | None], type[Plan]] = {}


def plan_model(only: frozenset[str] | None = None) -> type[Plan]:
    """The plan model with one field per registered section, in registry order (rebuilt when the registry changes).

    It subclasses :class:`Plan`, so every validated plan is a ``Plan`` with its sections as attributes. ``only``
    limits it to the sections a plan has: building validators for every section costs tens of milliseconds, and a
    plan without them reads their empty values through :meth:`Plan.section`.
    """
    key = (registry_version(), only)
    cached = _built.get(key)
    if cached is not None:
        return cached
    fields: dict[str, Any] = {}
    for name, spec in SECTIONS.items():
        if name in Plan.model_fields:
            raise ValueError(f"section {name!r} clashes with the plan's own key {name!r}")
        if only is not None and name not in only:
            continue
        tp = resolve(spec.model)
        container = _container(tp)
        if container is not None:
            fields[name] = (tp, Field(default_factory=container, description=spec.description))
        else:
            fields[name] = (tp | None, Field(default=None, description=spec.description))
    doc = "A whole plan file. Field names are a public contract (see the README)."
    model = create_model("Plan", __base__=Plan, __module__=__name__, __doc__=doc, **fields)
    _built[key] = model
    return model
