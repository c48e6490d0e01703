"""Find services in the catalog, apply a plan's overrides, and merge a service with its chosen plan."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from infrafit.catalog.loader import load_provider, load_provider_raw, provider_names
from infrafit.catalog.model import (
    FreePool,
    Limit,
    Meter,
    Note,
    Price,
    ProviderCatalog,
    Quota,
    RateLimit,
    Service,
)
from infrafit.catalog.overlay import Overlay, OverlayUse, active_overlay, load_overlay
from infrafit.errors import InputError, Problem, did_you_mean


class UnknownName(LookupError):
    """A service, type, plan or region the catalog does not have; the message suggests the nearest."""


@dataclass
class ServiceView:
    """A service as one resource sees it: the service's facts with its plan's facts laid over them."""

    key: str
    provider: ProviderCatalog
    service: Service
    plan_name: str | None
    meters: dict[str, Meter]
    free: list[FreePool]
    limits: dict[str, Limit]
    notes: list[Note]
    fee: Price | None
    rate_limits: dict[str, RateLimit] = field(default_factory=dict)

    @property
    def model(self) -> str:
        return self.service.model


def _leaves(data: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(data, dict):
        out: list[tuple[tuple[str, ...], Any]] = []
        for k, v in data.items():
            out += _leaves(v, (*prefix, str(k)))
        return out
    return [(prefix, data)]


def value_at(data: Any, parts: tuple[str, ...]) -> Any:
    """The value at ``parts`` through nested mappings (None when it is not there)."""
    for part in parts:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``extra`` laid over ``base`` mapping by mapping; lists and values replaced whole (plan overrides, overlays)."""
    out = dict(base)
    for k, v in extra.items():
        out[k] = deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


class Catalog:
    """The catalog as one plan sees it, overrides applied.

    By default the packaged provider files (or INFRAFIT_CATALOG_DIR) are read, each on first use, with the
    overlay in force laid over them (``overlay="auto"``: ``--catalog DIR``, INFRAFIT_CATALOG_OVERLAY or the user
    config directory; an :class:`Overlay` or a directory to choose one; None for none). Given ``providers``, only
    those exist and no file is read: tests about arithmetic pin their prices that way, and survive a refresh of
    the packaged ones.
    """

    def __init__(
        self,
        overrides: dict[str, Any] | None = None,
        *,
        providers: Mapping[str, ProviderCatalog] | None = None,
        overlay: Overlay | Path | str | None = "auto",
    ) -> None:
        self.overlay: Overlay | None = None
        if providers is None and overlay is not None:
            if overlay == "auto":
                self.overlay = active_overlay()
            elif isinstance(overlay, Overlay):
                self.overlay = overlay
            else:
                self.overlay = load_overlay(overlay)
        self._memory: dict[str, ProviderCatalog] | None = None
        self._loaded: dict[str, ProviderCatalog] = {}
        self._names: list[str] | None = None
        self._memory_raw: dict[str, dict[str, Any]] = {}
        if providers is not None:
            for name, provider in providers.items():
                if provider.provider != name:
                    raise ValueError(f"provider {provider.provider!r} is keyed as {name!r}; key it by its own name")
            self._memory = dict(providers)
        self._services: dict[str, tuple[ProviderCatalog, Service]] = {}
        self._views: dict[tuple[str, str | None], ServiceView] = {}
        self.used_overrides: list[tuple[str, Any, Any]] = []
        self._use_overrides(overrides)

    @classmethod
    def from_data(cls, data: Mapping[str, Mapping[str, Any]], overrides: dict[str, Any] | None = None) -> Catalog:
        """An in-memory catalog from raw provider mappings (as a provider file reads), validated here."""
        providers: dict[str, ProviderCatalog] = {}
        raws: dict[str, dict[str, Any]] = {}
        for name, raw in data.items():
            raws[name] = copy.deepcopy(dict(raw))
            providers[name] = ProviderCatalog.model_validate(raws[name])
        catalog = cls(providers=providers)
        catalog._memory_raw = raws  # overrides merge into the data as given, not into a re-dump of it
        catalog._use_overrides(overrides)
        return catalog

    def provider_names(self) -> list[str]:
        """The providers this catalog knows, sorted."""
        if self._names is None:
            self._names = sorted(self._memory) if self._memory is not None else provider_names()
        return self._names

    def _load(self, name: str) -> ProviderCatalog:
        hit = self._loaded.get(name)
        if hit is None:
            hit = self._memory[name] if self._memory is not None else load_provider(name, self.overlay)
            self._loaded[name] = hit
        return hit

    def loaded_providers(self) -> list[str]:
        """The providers read so far (an evaluation of a GCP-only plan never reads the AWS file), sorted."""
        return sorted(self._loaded)

    def overlay_use(self, providers: Iterable[str]) -> OverlayUse | None:
        """What a report says about the overlay: its directory and the price lists of the ``providers`` used."""
        return None if self.overlay is None else self.overlay.use(sorted(set(providers)))

    def _raw(self, name: str) -> dict[str, Any]:
        """A provider as plain data (overrides merge into it before validation); never mutated."""
        if self._memory is None:
            return load_provider_raw(name, self.overlay)
        if name not in self._memory_raw:
            self._memory_raw[name] = self._memory[name].model_dump(mode="python", by_alias=True, exclude_unset=True)
        return self._memory_raw[name]

    def service_keys(self) -> list[str]:
        """Every ``provider.service`` key, for suggestions."""
        return [f"{name}.{svc}" for name in self.provider_names() for svc in self._load(name).services]

    def _use_overrides(self, overrides: dict[str, Any] | None) -> None:
        self._overrides = overrides or {}
        self._services.clear()
        problems = []
        for key in self._overrides:
            if key == "quotas":
                continue
            try:
                self.service(key)
            except UnknownName as exc:
                problems.append(Problem(f"override of an unknown service: {exc}", ("overrides", key)))
        if problems:
            raise InputError(problems)

    def provider(self, name: str) -> ProviderCatalog:
        names = self.provider_names()
        if name not in names:
            raise UnknownName(f"unknown provider {name!r}{did_you_mean(name, names)}")
        return self._load(name)

    def service(self, key: str) -> tuple[ProviderCatalog, Service]:
        hit = self._services.get(key)
        if hit is not None:
            return hit
        provider_name, _, svc_name = key.partition(".")
        if not svc_name or provider_name not in self.provider_names():
            raise UnknownName(f"unknown service {key!r}{did_you_mean(key, self.service_keys())}")
        provider = self._load(provider_name)
        service = provider.services.get(svc_name)
        if service is None:
            raise UnknownName(f"unknown service {key!r}{did_you_mean(key, self.service_keys())}")
        if key in self._overrides:
            service = self._apply_override(key, provider_name, svc_name)
        self._services[key] = (provider, service)
        return provider, service

    def _apply_override(self, key: str, provider_name: str, svc_name: str) -> Service:
        raw = self._raw(provider_name)["services"][svc_name]
        extra = self._overrides[key]
        if not isinstance(extra, dict):
            raise InputError([Problem("an override is a mapping of catalog fields to new values", ("overrides", key))])
        merged = deep_merge(copy.deepcopy(raw), extra)
        try:
            service = Service.model_validate(merged)
        except ValidationError as exc:
            problems = [
                Problem(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}", ("overrides", key)) for e in exc.errors()
            ]
            raise InputError(problems) from None
        for parts, new in _leaves(extra):
            self.used_overrides.append((".".join((key, *parts)), value_at(raw, parts), new))
        return service

    def quota(self, key: str) -> Quota:
        provider_name, _, qkey = key.partition(".")
        names = self.provider_names()
        quotas: dict[str, Quota] = {}
        if provider_name in names:
            quotas = self._load(provider_name).quotas
        if qkey not in quotas:
            known = [f"{p}.{q}" for p in names for q in self._load(p).quotas]
            raise UnknownName(f"unknown quota {key!r}{did_you_mean(key, known)}")
        return quotas[qkey]

    def view(self, key: str, plan_name: str | None) -> ServiceView:
        """The service as a resource on ``plan_name`` sees it (built once per service and plan: views are read-only)."""
        cached = self._views.get((key, plan_name))
        if cached is not None:
            return cached
        view = self._build_view(key, plan_name)
        self._views[(key, plan_name)] = view
        return view

    def _build_view(self, key: str, plan_name: str | None) -> ServiceView:
        provider, service = self.service(key)
        chosen = plan_name or service.default_plan
        meters = dict(service.meters)
        free = list(service.free)
        limits = dict(service.limits)
        notes = list(service.notes)
        rate_limits = dict(service.rate_limits)
        fee = None
        if service.plans:
            if chosen not in service.plans:
                raise UnknownName(f"unknown plan {chosen!r} for {key}{did_you_mean(str(chosen), service.plans)}")
            plan = service.plans[chosen]
            meters.update(plan.meters)
            free += plan.free
            limits.update(plan.limits)
            notes += plan.notes
            rate_limits.update(plan.rate_limits)
            fee = plan.fee
        elif plan_name is not None:
            raise UnknownName(f"{key} has no plans; remove `plan: {plan_name}`")
        return ServiceView(
            key, provider, service, chosen if service.plans else None, meters, free, limits, notes, fee, rate_limits
        )


def parse_limit(limit: Limit) -> Decimal:
    """A limit's ``max`` in base units (bytes, seconds or a count)."""
    raw = limit.max
    if isinstance(raw, Decimal):
        return raw
    return _limit_value(raw)


@functools.lru_cache(maxsize=1024)
def _limit_value(raw: str) -> Decimal:
    """The first unit kind a catalog limit's text reads as; cached, because every resource of a service holds the
    same limits and a failed reading builds a "did you mean" it then throws away."""
    from infrafit.units import Kind, UnitError, parse

    for kind in (Kind.BYTES, Kind.DURATION, Kind.NUMBER):
        try:
            value = parse(raw, kind)
        except UnitError:
            continue
        assert isinstance(value, Decimal)
        return value
    raise ValueError(f"catalog limit {raw!r} has no readable unit")
