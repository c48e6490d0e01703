"""Account quotas (e.g. EC2 vCPUs per region): what the plan's instances use of each, against the plan's limit or
the catalog's default."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from infrafit.catalog.lookup import Catalog, UnknownName
from infrafit.engine.ledger import Facts
from infrafit.engine.result import QuotaUse
from infrafit.errors import Path
from infrafit.plan.model import Plan
from infrafit.services import Context

__all__ = ["count_quotas", "instance_family", "unknown_quota_keys"]

ZERO = Decimal(0)


def unknown_quota_keys(plan: Plan, catalog: Catalog) -> list[tuple[str, Path]]:
    """(message, plan path) for each `quotas:` key the catalog does not know."""
    out: list[tuple[str, Path]] = []
    for key in plan.quotas:
        try:
            catalog.quota(key)
        except UnknownName as exc:
            out.append((str(exc), ("quotas", key)))
    return out


def count_quotas(contexts: Sequence[Context], plan: Plan, catalog: Catalog, facts: Facts) -> list[QuotaUse]:
    """Sum each quota's measure (vCPUs or instances) over the bound resources, per region where it is regional."""
    used: dict[tuple[str, str | None], Decimal] = defaultdict(lambda: ZERO)
    who: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for ctx in contexts:
        provider = ctx.view.provider
        for qkey, quota in provider.quotas.items():
            full = f"{provider.provider}.{qkey}"
            if ctx.view.key not in quota.services or ctx.instance_type is None:
                continue
            family = instance_family(str(ctx.type_name))
            if quota.families is not None and family not in quota.families:
                continue
            amount = ctx.instance_type.vcpu if quota.measure == "vcpu" else Decimal(1)
            region = ctx.region if quota.scope == "region" else None
            used[(full, region)] += amount * ctx.count
            who[(full, region)].append(ctx.name)
    out = []
    for (full, region), amount in used.items():
        if amount == 0:
            continue
        quota = catalog.quota(full)
        facts.add(quota)
        out.append(
            QuotaUse(
                key=full,
                name=quota.name,
                region=region,
                limit=plan.quotas.get(full, quota.default),
                used=amount,
                unit=quota.measure,
                resources=who[(full, region)],
                source=quota.source,
                from_plan=full in plan.quotas,
            )
        )
    return out


def instance_family(type_name: str) -> str:
    """The letters an instance family starts with: t3.micro -> t, m5.large -> m, db.t3.micro -> t."""
    name = type_name.removeprefix("db.")
    letters = ""
    for ch in name:
        if not ch.isalpha():
            break
        letters += ch
    return letters
