"""What a refresh does to the example plans' totals: each plan priced with the catalog before and after."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Effect:
    """An example plan's monthly total before and after (None with ``error`` when it could not be priced)."""

    plan: str
    before: Decimal | None
    after: Decimal | None
    error: str | None = None

    @property
    def delta(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def _validated(data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from infrafit.catalog.model import ProviderCatalog

    return {name: ProviderCatalog.model_validate(raw) for name, raw in data.items()}


def plan_effects(
    folder: Path, provider: str, before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> list[Effect]:
    """Every plan ``folder/*.yaml`` that uses ``provider``, priced over ``before`` and ``after`` (raw provider
    data, every provider); plans of other providers are left out (their totals cannot move)."""
    from infrafit.catalog.lookup import Catalog
    from infrafit.engine.evaluate import evaluate
    from infrafit.errors import InputError
    from infrafit.plan.loader import load_plan

    plans = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            plan = load_plan(path)
        except (InputError, OSError, ValueError):
            continue  # not a plan (a Compose file, a fleet): nothing to price
        if any(r.service.startswith(f"{provider}.") for r in plan.resources.values()):
            plans.append((path, plan))
    if not plans:
        return []
    catalogs = (_validated(before), _validated(after))
    effects = []
    for path, plan in plans:
        totals: list[Decimal | None] = []
        error = None
        for providers in catalogs:
            try:
                result = evaluate(plan, Catalog(plan.overrides, providers=providers), samples=0)
                totals.append(result.total_monthly_cost)
            except (InputError, ValueError, LookupError) as exc:
                totals.append(None)
                error = str(exc).splitlines()[0]
        effects.append(Effect(plan=path.name, before=totals[0], after=totals[1], error=error))
    return effects
