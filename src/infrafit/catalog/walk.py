"""Every cited fact of a catalog, where it sits and how it is known: the ground ``catalog audit`` stands on.

A fact is any record that carries its own ``source`` and ``as_of`` (a price, a machine type, a free allowance, a
limit, a quota, a note, a rate limit, a byte convention...), and a part of a price that cites a page of its own
(one region's tiers). Paths are the keys in the provider file, so they read like the overlay manifest's
``missing`` entries: ``services.ec2.types.t3.small``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from infrafit.catalog.model import (
    ByteConvention,
    Evidence,
    FreePool,
    InstanceType,
    Limit,
    MaxPods,
    Note,
    Price,
    PriceForm,
    ProviderCatalog,
    Quota,
    RateLimit,
    Sourced,
    Variant,
)

if TYPE_CHECKING:
    from infrafit.catalog.lookup import Catalog

__all__ = ["CatalogFact", "catalog_facts", "provider_facts"]

Where = tuple[str | int, ...]

_KINDS: list[tuple[type, str]] = [
    (InstanceType, "type"),
    (Price, "price"),
    (FreePool, "free allowance"),
    (Limit, "limit"),
    (Quota, "quota"),
    (Note, "note"),
    (RateLimit, "rate limit"),
    (ByteConvention, "byte convention"),
    (Variant, "variant"),
    (MaxPods, "pods per node"),
    (PriceForm, "price part"),
]


@dataclass(frozen=True, kw_only=True, slots=True)
class CatalogFact:
    """One cited fact: which provider, where in its file, what kind, and its source, date and grade."""

    provider: str
    path: Where
    kind: str
    as_of: date
    evidence: Evidence
    source: str
    record: Any
    """The catalog record itself (an evaluation's used facts are matched to it by identity)."""

    @property
    def dotted(self) -> str:
        return ".".join(str(p) for p in self.path)

    @property
    def label(self) -> str:
        """'aws.ec2 types t3.small', 'aws.ec2 free ec2-hours', 'neon.postgres plan free: notes scale_to_zero',
        'aws quotas ec2.standard_vcpu': a list item is named by its pool id or note code rather than its position."""
        parts = [str(p) for p in self.path]
        if parts and isinstance(self.path[-1], int):
            name = getattr(self.record, "pool", None) or getattr(self.record, "code", None)
            parts[-1] = str(name) if name else parts[-1]
        if len(parts) >= 2 and parts[0] == "services":
            rest = parts[2:]
            if len(rest) >= 3 and rest[0] == "plans":  # 'plans free free pool' reads as 'plan free: free pool'
                rest = [f"plan {rest[1]}:", *rest[2:]]
            return f"{self.provider}.{parts[1]} {' '.join(rest)}".rstrip()
        return f"{self.provider} {' '.join(parts)}".rstrip()


def _kind(record: Any, path: Where) -> str:
    if path and path[-1] == "fee":
        return "plan fee"
    if len(path) >= 2 and path[-2] == "method_limits":
        return "method limit"
    for cls, name in _KINDS:
        if isinstance(record, cls):
            return name
    return "fact"


def _walk(value: Any, path: Where, inherited: Sourced | None) -> Iterator[tuple[Where, Any, Sourced | None]]:
    """(path, record, the nearest enclosing fact) for every fact record under ``value``, depth first."""
    if isinstance(value, Sourced):
        yield path, value, inherited
        inherited = value
    elif isinstance(value, PriceForm) and value.source:
        yield path, value, inherited
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            child = getattr(value, name)
            if isinstance(child, BaseModel | dict | list):
                yield from _walk(child, (*path, name), inherited)
    elif isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, BaseModel | dict | list):
                yield from _walk(child, (*path, str(key)), inherited)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, BaseModel | dict | list):
                yield from _walk(child, (*path, index), inherited)


def _fact(provider: str, path: Where, record: Any, parent: Sourced | None, fallback: date) -> CatalogFact:
    as_of = record.as_of or (parent.as_of if parent else fallback)
    evidence = record.evidence or (parent.evidence if parent else Evidence.UNVERIFIED)
    source = record.source or (parent.source if parent else "")
    return CatalogFact(
        provider=provider,
        path=path,
        kind=_kind(record, path),
        as_of=as_of,
        evidence=evidence,
        source=source,
        record=record,
    )


def provider_facts(provider: ProviderCatalog, services: dict[str, Any] | None = None) -> list[CatalogFact]:
    """Every fact of one provider, in file order; ``services`` replaces its services (a plan's overrides applied)."""
    name = provider.provider
    facts: list[CatalogFact] = []
    roots: list[tuple[Where, Any]] = [(("bytes",), provider.bytes), (("quotas",), provider.quotas)]
    roots.append((("services",), provider.services if services is None else services))
    for root, value in roots:
        if value is None:
            continue
        for path, record, parent in _walk(value, root, None):
            facts.append(_fact(name, path, record, parent, provider.as_of))
    return facts


def catalog_facts(catalog: Catalog, providers: list[str] | None = None) -> list[CatalogFact]:
    """Every fact of ``catalog`` (its overlay and the plan's overrides applied), provider by provider."""
    facts: list[CatalogFact] = []
    for name in providers if providers is not None else catalog.provider_names():
        provider = catalog.provider(name)
        services = {key: catalog.service(f"{name}.{key}")[1] for key in provider.services}
        facts += provider_facts(provider, services)
    return facts
