"""Mapping rules: which price-list entry is which catalog fact, kept as data beside the catalog.

One rule per catalog fact (``data/refresh/<provider>.yaml``). A rule names the fact's dotted path in the provider
file, the price list it reads (an AWS offer code or a Google Cloud service id), the region, the unit the price list
must quote, and a filter that picks exactly one entry (or a sum of entries: a GCP machine type is its vCPU price
times its vCPUs plus its memory price times its GiB). Rules are validated here, each problem located in its file.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from infrafit.errors import InputError, Problem, did_you_mean

PROVIDERS = ("aws", "gcp")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Match(_Strict):
    """What identifies one price-list entry. AWS: ``family`` (productFamily) and ``attributes`` (all must be equal).
    Google Cloud: any of ``sku_id``, ``description`` and the category fields (all given must be equal)."""

    family: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict)
    sku_id: str | None = None
    description: str | None = None
    resource_family: str | None = None
    resource_group: str | None = None
    usage_type: str | None = None

    @model_validator(mode="after")
    def _something(self) -> Match:
        if not (self.family or self.attributes or self.sku_id or self.description or self.resource_group):
            raise ValueError("a match needs at least one of family, attributes, sku_id, description, resource_group")
        return self


class Term(_Strict):
    """One entry of a sum: the entry's price times ``quantity`` (a machine type's vCPUs, its GiB of memory)."""

    match: Match
    quantity: Decimal = Field(gt=0)
    unit: str | None = Field(default=None, description="this entry's unit when it differs from the rule's")


class Rule(_Strict):
    """One catalog fact and where the price list states it."""

    id: str = Field(min_length=1)
    fact: str = Field(description="dotted path in the provider file: services.ec2.types.t3.small.hourly.us-east-1")
    also: list[str] = Field(default_factory=list, description="more paths holding the same price (YAML aliases)")
    offer: str = Field(description="AWS offer code (AmazonEC2) or Google Cloud service id (152E-C115-5142)")
    region: str
    region_attribute: str = Field(default="regionCode", description="AWS: the attribute naming the region")
    unit: str = Field(description="the unit the price list must quote (Hrs, GB-Mo, GiBy.mo, h, s)")
    base_unit: str | None = Field(default=None, description="GCP: the SKU's base unit, to convert a changed unit")
    unit_base_factor: Decimal | None = Field(
        default=None, description="GCP: base units in one `unit` (GiBy.mo in By.s), to convert a changed unit"
    )
    per: Decimal | None = Field(default=None, gt=0, description="price per this many units; default: the fact's")
    quantity_scale: Decimal = Field(default=Decimal(1), gt=0, description="catalog meter units per price-list unit")
    free_tier: Literal["keep", "skip"] = Field(
        default="keep", description="skip: drop a leading $0 tier (the catalog models the allowance as a free pool)"
    )
    match: Match | None = None
    sum: list[Term] | None = None
    note: str | None = None
    source: str | None = Field(
        default=None, description="where the matcher (offer, filter, unit) was confirmed: a URL or a named listing"
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        if (self.match is None) == (not self.sum):
            raise ValueError("a rule has either `match` (one entry) or `sum` (entries times quantities)")
        parts = self.fact.split(".")
        if parts[0] != "services" or len(parts) < 4:
            raise ValueError(f"fact {self.fact!r} is not a path under services.<service>.")
        return self

    @property
    def terms(self) -> list[Term]:
        if self.match is not None:
            return [Term(match=self.match, quantity=Decimal(1))]
        return list(self.sum or [])

    @property
    def paths(self) -> list[tuple[str, ...]]:
        return [split_fact(p) for p in (self.fact, *self.also)]


class RuleFile(_Strict):
    format: Literal[1]
    provider: Literal["aws", "gcp"]
    rules: list[Rule]


def split_fact(fact: str) -> tuple[str, ...]:
    """A dotted fact path as parts; a type name with dots (t3.small) is kept whole after ``types``."""
    parts = fact.split(".")
    out: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if out and out[-1] == "types" and len(out) == 3 and i + 1 < len(parts):
            # services.<svc>.types.<type>.hourly.<region>: the type runs up to "hourly"
            j = parts.index("hourly", i) if "hourly" in parts[i:] else i + 1
            out.append(".".join(parts[i:j]))
            i = j
            continue
        out.append(part)
        i += 1
    return tuple(out)


def rules_path(provider: str) -> Path:
    return Path(str(resources.files("infrafit.catalog") / "data" / "refresh" / f"{provider}.yaml"))


def load_rules(provider: str, path: Path | None = None, catalog: dict[str, Any] | None = None) -> list[Rule]:
    """The provider's rules, validated; with ``catalog`` (the provider's raw data) each fact's service is checked."""
    from infrafit.plan.loader import _locate, parse_yaml

    if provider not in PROVIDERS:
        raise InputError([Problem(f"no price-list rules for {provider!r}{did_you_mean(provider, PROVIDERS)}")])
    file = path or rules_path(provider)
    data, marks = parse_yaml(file.read_text(encoding="utf-8"), str(file))  # marks are mapped only when read

    def located(message: str, loc: tuple[str | int, ...]) -> Problem:
        where = _locate(marks, loc)
        return Problem(
            message, path=loc, file=str(file), line=where[0] if where else None, column=where[1] if where else None
        )

    try:
        parsed = RuleFile.model_validate(data)
    except ValidationError as exc:
        raise InputError([located(err["msg"], tuple(err["loc"])) for err in exc.errors()]) from None
    problems = []
    seen: set[str] = set()
    for index, rule in enumerate(parsed.rules):
        message = None
        if rule.id in seen:
            message = f"rule id {rule.id!r} is used twice"
        elif parsed.provider != provider:
            message = f"the file is for {parsed.provider}, not {provider}"
        elif catalog is not None:
            message = _fact_problem(rule, catalog)
        seen.add(rule.id)
        if message:
            problems.append(located(message, ("rules", index)))
    if problems:
        raise InputError(problems)
    return parsed.rules


def _fact_problem(rule: Rule, catalog: dict[str, Any]) -> str | None:
    services = catalog.get("services", {})
    for n, parts in enumerate(rule.paths):
        svc = parts[1]
        if n and parts[2] == "types":
            return f"also: {'.'.join(parts)}: a machine type's price has a rule of its own"
        if svc not in services:
            return f"fact {'.'.join(parts)}: unknown service {svc!r}{did_you_mean(svc, services)}"
        kind = parts[2]
        if kind == "types":
            if len(parts) != 6 or parts[4] != "hourly":
                return f"fact {'.'.join(parts)}: a type's price is services.<svc>.types.<type>.hourly.<region>"
        elif "price" not in parts:
            return f"fact {'.'.join(parts)}: a meter's price path runs through `price` (…meters.<meter>.price)"
    return None
