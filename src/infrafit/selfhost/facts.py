"""The self-hosting facts as typed records, read once from the packaged data files (each with source and date)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from infrafit.units import Kind, parse

__all__ = ["Component", "Counterpart", "PowerPreset", "Tariff", "Tier", "counterparts", "power_presets", "tariffs"]


@cache
def _load(name: str) -> dict[str, Any]:
    """A packaged data file, read once (power.yaml serves both the presets and the default utilisation)."""
    text = (resources.files("infrafit.selfhost") / "data" / name).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _bytes(value: Any) -> Decimal:
    out = parse(value, Kind.BYTES)
    assert isinstance(out, Decimal)
    return out


def _share(value: Any) -> Decimal:
    out = parse(value, Kind.PERCENT)
    assert isinstance(out, Decimal)
    return out


@dataclass(frozen=True, kw_only=True)
class Cited:
    source: str
    as_of: str
    evidence: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class PowerPreset(Cited):
    name: str
    description: str
    idle_w: Decimal
    max_w: Decimal


@dataclass(frozen=True, kw_only=True)
class Tier:
    up_to: Decimal | None
    """kWh a month at which the tier ends (None: no end)."""
    basic: Decimal
    """The basic charge of a month whose total falls in this tier."""
    energy: Decimal
    """Per kWh within the tier."""


@dataclass(frozen=True, kw_only=True)
class Tariff(Cited):
    key: str
    name: str
    currency: str
    per_kwh: Decimal
    """Charges on every kWh whatever the tier (climate-environment, fuel adjustment)."""
    vat: Decimal
    fund: Decimal
    tiers: tuple[Tier, ...]
    summer_tiers: tuple[Tier, ...] = ()
    summer_months: tuple[int, ...] = ()

    def tiers_for(self, month: int | None) -> tuple[Tier, ...]:
        return self.summer_tiers if month in self.summer_months and self.summer_tiers else self.tiers


@dataclass(frozen=True, kw_only=True)
class Component:
    """One container a counterpart runs, with what it needs at rest and per byte of the plan's usage."""

    name: str
    image: str | None
    build: bool
    cpu: Decimal
    memory: Decimal
    disk: Decimal
    memory_per: dict[str, Decimal] = field(default_factory=dict)
    disk_per: dict[str, Decimal] = field(default_factory=dict)
    volume: str | None = None
    healthcheck: tuple[str, ...] = ()
    command: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Counterpart(Cited):
    key: str
    name: str
    components: tuple[Component, ...]
    loses: tuple[str, ...]
    from_resource: bool = False
    disk_from_resource: bool = False
    keeps_billing: bool = False
    secrets: bool = False
    retention_months: Decimal = Decimal(1)


def _cited(raw: dict[str, Any], as_of: str) -> dict[str, Any]:
    return {
        "source": raw["source"],
        "as_of": str(raw.get("as_of", as_of)),
        "evidence": raw.get("evidence", "official"),
        "note": raw.get("note", ""),
    }


@cache
def power_presets() -> dict[str, PowerPreset]:
    raw = _load("power.yaml")
    as_of = str(raw["as_of"])
    return {
        name: PowerPreset(
            name=name,
            description=p["description"],
            idle_w=parse(p["idle"], Kind.POWER),  # type: ignore[arg-type]
            max_w=parse(p["max"], Kind.POWER),  # type: ignore[arg-type]
            **_cited(p, as_of),
        )
        for name, p in raw["presets"].items()
    }


@cache
def default_utilization() -> tuple[Decimal, str]:
    raw = _load("power.yaml")["default_utilization"]
    return _share(raw["value"]), raw["note"]


def _tiers(raw: list[dict[str, Any]]) -> tuple[Tier, ...]:
    return tuple(
        Tier(
            up_to=None if t.get("up_to") is None else Decimal(str(t["up_to"])),
            basic=Decimal(str(t["basic"])),
            energy=Decimal(str(t["energy"])),
        )
        for t in raw
    )


@cache
def tariffs() -> dict[str, Tariff]:
    raw = _load("tariffs.yaml")
    as_of = str(raw["as_of"])
    out = {}
    for key, t in raw["tariffs"].items():
        seasons = t["seasons"]
        summer = seasons.get("summer", {})
        out[key] = Tariff(
            key=key,
            name=t["name"],
            currency=t["currency"],
            per_kwh=sum((Decimal(str(v)) for v in t.get("per_kwh", {}).values()), start=Decimal(0)),
            vat=_share(t["vat"]),
            fund=_share(t["fund"]),
            tiers=_tiers(seasons["other"]["tiers"]),
            summer_tiers=_tiers(summer.get("tiers", [])),
            summer_months=tuple(summer.get("months", ())),
            **_cited(t, as_of),
        )
    return out


def _component(raw: dict[str, Any]) -> Component:
    return Component(
        name=raw["name"],
        image=raw.get("image"),
        build=bool(raw.get("build", False)),
        cpu=Decimal(str(raw["cpu"])),
        memory=_bytes(raw["memory"]),
        disk=_bytes(raw["disk"]),
        memory_per={k: Decimal(str(v)) for k, v in raw.get("memory_per", {}).items()},
        disk_per={k: Decimal(str(v)) for k, v in raw.get("disk_per", {}).items()},
        volume=raw.get("volume"),
        healthcheck=tuple(raw.get("healthcheck", ())),
        command=tuple(raw.get("command", ())),
    )


@cache
def counterparts() -> tuple[dict[str, str], dict[str, Counterpart]]:
    """(catalog service key -> counterpart key, counterpart key -> counterpart)."""
    raw = _load("counterparts.yaml")
    as_of = str(raw["as_of"])
    table = {
        key: Counterpart(
            key=key,
            name=c["name"],
            components=tuple(_component(x) for x in c.get("components", [])),
            loses=tuple(c.get("loses", ())),
            from_resource=bool(c.get("from_resource", False)),
            disk_from_resource=bool(c.get("disk_from_resource", False)),
            keeps_billing=bool(c.get("keeps_billing", False)),
            secrets=bool(c.get("secrets", False)),
            retention_months=Decimal(str(c.get("retention_months", 1))),
            **_cited(c, as_of),
        )
        for key, c in raw["counterparts"].items()
    }
    return dict(raw["services"]), table
