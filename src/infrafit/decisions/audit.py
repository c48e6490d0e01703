"""`catalog audit`: how old each catalog fact is and how it is known, worst first; a CI gate on the facts plans use.

A fact is flagged when it is older than ``max_age`` days or known below the provider's own word (neither an
official page nor its price list). With plans, only the facts their evaluation used are listed, and the gate
fails when any of them is older than ``max_age``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from infrafit.catalog.lookup import Catalog
from infrafit.catalog.model import EVIDENCE_ORDER, Evidence
from infrafit.catalog.overlay import OverlayUse
from infrafit.catalog.walk import CatalogFact, catalog_facts

__all__ = ["AGE_BANDS", "DEFAULT_MAX_AGE", "Audit", "FactAge", "audit_catalog", "audit_gate"]

DEFAULT_MAX_AGE = 180
"""Days after which a fact is flagged as old (about two price changes by the large providers)."""
AGE_BANDS: list[tuple[str, int | None]] = [
    ("under 90 days", 90),
    ("90-179 days", 180),
    ("180-364 days", 365),
    ("365 days or more", None),
]
"""Summary bands: label and the first age (in days) past the band."""
STRONG = (Evidence.OFFICIAL, Evidence.PRICE_LIST)


@dataclass(frozen=True, kw_only=True, slots=True)
class FactAge:
    """One fact as the audit sees it."""

    provider: str
    path: str
    """Dotted path in the provider file (``services.ec2.types.t3.small``)."""
    label: str
    kind: str
    as_of: date
    age_days: int
    """Days from ``as_of`` to the audit's day."""
    evidence: Evidence
    source: str
    overlay: bool
    """Refreshed by the catalog overlay in use."""
    old: bool
    """Older than the audit's ``max_age``."""
    weak: bool
    """Known below official or price-list evidence."""

    @property
    def flagged(self) -> bool:
        return self.old or self.weak

    @property
    def band(self) -> str:
        return next(label for label, end in AGE_BANDS if end is None or self.age_days < end)


@dataclass(kw_only=True)
class Audit:
    """The facts, worst first, with the day and threshold they were judged by."""

    today: date
    max_age: int
    facts: list[FactAge]
    plans: list[str] = field(default_factory=list)
    """Plan files whose used facts are listed (empty: the whole catalog)."""
    providers: list[str] = field(default_factory=list)
    overlay: OverlayUse | None = None

    @property
    def old(self) -> list[FactAge]:
        return [f for f in self.facts if f.old]

    def by_grade(self) -> dict[str, int]:
        """Fact counts by evidence grade, strongest first (every grade present, zeros included)."""
        return {g.value: sum(1 for f in self.facts if f.evidence is g) for g in EVIDENCE_ORDER}

    def by_band(self) -> dict[str, int]:
        """Fact counts by age band, youngest first."""
        return {label: sum(1 for f in self.facts if f.band == label) for label, _ in AGE_BANDS}


def _age(fact: CatalogFact, today: date, max_age: int, overlay_paths: set[tuple[str, str]]) -> FactAge:
    age = (today - fact.as_of).days
    return FactAge(
        provider=fact.provider,
        path=fact.dotted,
        label=fact.label,
        kind=fact.kind,
        as_of=fact.as_of,
        age_days=age,
        evidence=fact.evidence,
        source=fact.source,
        overlay=(fact.provider, fact.dotted) in overlay_paths,
        old=age > max_age,
        weak=fact.evidence not in STRONG,
    )


def _order(fact: FactAge) -> tuple[int, int, int, str, str]:
    """Flagged first; then oldest first; then weakest evidence first; then by name, for a stable listing."""
    return (0 if fact.flagged else 1, -fact.age_days, -EVIDENCE_ORDER.index(fact.evidence), fact.provider, fact.path)


def _overlay_paths(catalog: Catalog, facts: list[CatalogFact]) -> set[tuple[str, str]]:
    overlay = catalog.overlay
    if overlay is None:
        return set()
    return {(f.provider, f.dotted) for f in facts if overlay.has(f.provider, f.path)}


def audit_catalog(
    plans: list[Path] | None = None,
    *,
    today: date | None = None,
    max_age: int = DEFAULT_MAX_AGE,
    provider: str | None = None,
    catalog: Catalog | None = None,
) -> Audit:
    """Judge every fact of the catalog (or, given ``plans``, every fact their evaluation used) by age and grade."""
    today = today or date.today()
    base = catalog or Catalog()
    names = base.provider_names()
    if provider is not None and provider not in names:
        from infrafit.errors import InputError, Problem, did_you_mean

        raise InputError([Problem(f"--provider: unknown provider {provider!r}{did_you_mean(provider, names)}")])
    chosen: dict[tuple[str, str], FactAge] = {}
    used_providers: set[str] = set()
    if not plans:
        facts = catalog_facts(base, [provider] if provider else None)
        paths = _overlay_paths(base, facts)
        for fact in facts:
            chosen[(fact.provider, fact.dotted)] = _age(fact, today, max_age, paths)
        used_providers = {provider} if provider else set(names)
    else:
        from infrafit.engine.evaluate import evaluate
        from infrafit.engine.ledger import Facts
        from infrafit.plan.loader import load_plan

        for file in plans:
            plan = load_plan(file)
            plan_catalog = catalog or Catalog(plan.overrides)
            used = Facts()
            evaluate(plan, plan_catalog, facts=used)
            read = [provider] if provider is not None else plan_catalog.loaded_providers()  # a GCP plan never reads AWS
            facts = [f for f in catalog_facts(plan_catalog, read) if id(f.record) in used.used]
            paths = _overlay_paths(plan_catalog, facts)
            for fact in facts:
                used_providers.add(fact.provider)
                chosen.setdefault((fact.provider, fact.dotted), _age(fact, today, max_age, paths))
    overlay = base.overlay_use(used_providers)
    return Audit(
        today=today,
        max_age=max_age,
        facts=sorted(chosen.values(), key=_order),
        plans=[str(p) for p in plans or []],
        providers=sorted(used_providers),
        overlay=overlay,
    )


def audit_gate(audit: Audit) -> list[str]:
    """Why the gate fails: each used fact older than ``max_age`` (none when the audit covers no plan)."""
    if not audit.plans:
        return []
    return [
        f"{f.label}: {f.kind} as of {f.as_of} is {f.age_days} days old (over {audit.max_age}); source {f.source}"
        for f in audit.old
    ]
