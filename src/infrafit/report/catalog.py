"""The catalog as `infrafit catalog list|show` shows it: tables or JSON, every fact with its source and date.

Plain functions rather than registered renderers: they take a catalog key, not an evaluated result.
"""

from __future__ import annotations

import json
from typing import Any

from infrafit.catalog.loader import load_provider, provider_names
from infrafit.catalog.lookup import Catalog
from infrafit.catalog.model import Evidence, Price, Service


def _price_text(price: Price | None) -> str:
    if price is None:
        return "not charged"
    per = "" if price.per == 1 else f" per {price.per:,}"
    if price.tiers:
        return "; ".join(
            f"{'up to ' + format(t.up_to, ',') if t.up_to is not None else 'beyond'}: ${t.usd}{per}"
            for t in price.tiers
        )
    parts = []
    if price.usd is not None:
        parts.append(f"${price.usd}{per}")
    if price.regions:
        parts.append(", ".join(f"{r} ${v}" for r, v in sorted(price.regions.items())))
    if price.types:
        parts.append(", ".join(f"{t} ${v}" for t, v in sorted(price.types.items())))
    return "; ".join(parts)


def service_rows() -> list[dict[str, Any]]:
    rows = []
    for name in provider_names():
        cat = load_provider(name)
        for key, svc in sorted(cat.services.items()):
            rows.append(
                {
                    "service": f"{name}.{key}",
                    "name": svc.name,
                    "category": svc.category.value,
                    "model": svc.model,
                    "plans": sorted(svc.plans),
                    "types": len(svc.types) + len(svc.variants),
                    "as_of": cat.as_of.isoformat(),
                }
            )
    return rows


def render_list(fmt: str, width: int | None = None) -> str:
    """Every service of every provider, one row each; ``width`` in characters for the table (default 140)."""
    rows = service_rows()
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    from rich.table import Table

    from infrafit.report.table import to_text

    table = Table(title=f"{len(rows)} services")
    for col in ("service", "name", "category", "plans", "types"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["service"], r["name"], r["category"], ", ".join(r["plans"]) or "-", str(r["types"] or "-"))
    return to_text([table], width)


def service_dict(key: str, svc: Service) -> dict[str, Any]:
    return {"service": key, **json.loads(svc.model_dump_json(exclude_none=True))}


def render_show(key: str, fmt: str, width: int | None = None) -> str:
    """One service's facts (prices, free pools, limits, types, rate limits, notes), each with source and date."""
    _, svc = Catalog().service(key)
    if fmt == "json":
        return json.dumps(service_dict(key, svc), indent=2) + "\n"
    from rich.table import Table
    from rich.text import Text

    from infrafit.report.table import to_text

    parts: list[Any] = [Text(f"{key} — {svc.name} ({svc.category.value}, model {svc.model})", style="bold")]
    if svc.url:
        parts.append(Text(svc.url, style="dim"))
    if svc.regions:
        parts.append(Text(f"regions: {', '.join(svc.regions)} (default {svc.default_region})"))
    parts.append(Text(f"usage keys: {', '.join(svc.usage) or '-'}; fields: {', '.join(svc.fields) or '-'}"))
    sections: list[tuple[str, dict[str, Any]]] = [("", {"meters": svc.meters, "free": svc.free, "limits": svc.limits})]
    sections += [
        (f"plan {name}: ", {"fee": p.fee, "meters": p.meters, "free": p.free, "limits": p.limits})
        for name, p in svc.plans.items()
    ]
    facts = Table(title="Facts", title_justify="left", show_lines=False)
    for col in ("what", "value", "source", "as of"):
        facts.add_column(col, overflow="fold")

    def mark(fact: Any) -> str:
        grade = getattr(fact, "evidence", Evidence.OFFICIAL)
        return "" if grade is Evidence.OFFICIAL else f" [{grade.value}]"

    for prefix, sec in sections:
        if sec.get("fee") is not None:
            fee = sec["fee"]
            facts.add_row(f"{prefix}monthly fee", _price_text(fee) + mark(fee), fee.source, str(fee.as_of))
        for mkey, m in sec["meters"].items():
            if m.price is not None:
                facts.add_row(
                    f"{prefix}{m.label} ({mkey})",
                    f"{_price_text(m.price)} / {m.unit}{mark(m.price)}",
                    m.price.source,
                    str(m.price.as_of),
                )
        for pool in sec["free"]:
            amount = "month's hours" if pool.amount == "month_hours" else f"{pool.amount:,}"
            scope = f" {pool.kind}, {pool.scope.value}" + (", hard cap" if pool.hard else "")
            where = f", regions {', '.join(pool.regions)}" if pool.regions else ""
            facts.add_row(
                f"{prefix}free {pool.pool}",
                f"{amount} {pool.unit}/{pool.period.value}{scope}{where}{mark(pool)}",
                pool.source,
                str(pool.as_of),
            )
        for lkey, lim in sec["limits"].items():
            facts.add_row(f"{prefix}limit {lkey}", f"{lim.max}{mark(lim)}", lim.source, str(lim.as_of))
    for tname, t in svc.types.items():
        prices = ", ".join(f"{r} ${v}/h" for r, v in sorted(t.hourly.items()))
        facts.add_row(f"type {tname}", f"{t.vcpu} vCPU, {t.memory}; {prices}{mark(t)}", t.source, str(t.as_of))
    rate_sets = [("", svc.rate_limits)] + [(f"plan {name}: ", p.rate_limits) for name, p in svc.plans.items()]
    for prefix, rate_limits in rate_sets:
        for rkey, rl in rate_limits.items():
            vals = {
                k: v
                for k, v in rl.model_dump(exclude_none=True).items()
                if k not in ("source", "as_of", "evidence", "note")
            }
            facts.add_row(
                f"{prefix}rate limit {rkey}",
                ", ".join(f"{k} {v}" for k, v in vals.items()) + mark(rl),
                rl.source,
                str(rl.as_of),
            )
    for note in svc.notes:
        facts.add_row(f"note {note.code}", note.message, note.source, str(note.as_of))
    parts.append(facts)
    return to_text(parts, width)
