"""The catalog as `infrafit catalog list|show` shows it: tables or JSON, every fact with its source and date.

Plain functions rather than registered renderers: they take a catalog key, not an evaluated result.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from infrafit.catalog.lookup import Catalog
from infrafit.catalog.model import Evidence, Meter, Price, PriceForm, Service, Tier
from infrafit.catalog.overlay import Overlay


def _usd(value: Decimal) -> str:
    """$0.40, $4.50, $0.000024: cents kept, no trailing noise beyond."""
    text = format(value.normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"${whole}.{frac.ljust(2, '0')}"


def _plural(unit: str) -> str:
    return unit + "s" if unit.isalpha() and unit.islower() and not unit.endswith("s") else unit


def _per(per: Decimal, unit: str) -> str:
    """'per GB', 'per 100,000 reads', 'per 1M tokens': the unit the provider prices in, never dropping 'per N'."""
    if per == 1:
        return f"per {unit}"
    label = {Decimal(10**6): "1M", Decimal(10**9): "1B"}.get(per, f"{per.normalize():,f}")
    return f"per {label} {_plural(unit)}"


def _tiers_text(tiers: list[Tier]) -> str:
    parts = []
    for t in tiers:
        bound = f"up to {t.up_to.normalize():,f}" if t.up_to is not None else "beyond"
        parts.append(f"{_usd(t.usd)} {bound}")
    return ", ".join(parts)


def _form_text(form: Decimal | PriceForm) -> str:
    if isinstance(form, Decimal):
        return _usd(form)
    parts = []
    if form.usd is not None:
        parts.append(_usd(form.usd))
    if form.tiers:
        parts.append(f"tiered ({_tiers_text(form.tiers)})")
    if form.regions:
        parts.append("; ".join(f"{r} {_form_text(v)}" for r, v in sorted(form.regions.items())))
    text = " ".join(parts[:1]) + (f" ({'; '.join(parts[1:])})" if len(parts) > 1 else "")
    if form.evidence is not None and form.evidence is not Evidence.OFFICIAL:
        text += f" [{form.evidence.value}]"
    return text


def _price_text(price: Price | None, unit: str = "unit") -> str:
    """A price as the provider states it: amount, 'per N unit', tiers, regional and per-type figures."""
    if price is None:
        return "not charged"
    per = _per(price.per, unit) + (f" per {price.period_days.normalize():f} days" if price.period_days else "")
    parts = []
    if price.usd is not None:
        parts.append(_usd(price.usd))
    if price.tiers:
        parts.append(f"tiered: {_tiers_text(price.tiers)}")
    if price.regions:
        parts.append("; ".join(f"{r} {_form_text(v)}" for r, v in sorted(price.regions.items())))
    if price.types:
        parts.append("; ".join(f"{t} {_form_text(v)}" for t, v in sorted(price.types.items())))
    pool = f" (tiers counted with {price.tier_pool})" if price.tier_pool else ""
    return f"{'; '.join(parts)} {per}{pool}"


def _meter_rules(meter: Meter) -> str:
    rules = ""
    if meter.bytes is not None:
        rules += f"; GB = {'2^30' if meter.bytes.gb.value == 'binary' else '10^9'} bytes"
    if meter.billing_unit:
        step = meter.billing_unit.normalize()
        rules += f"; usage rounded up to whole {'' if step == 1 else f'{step:,f} '}{_plural(meter.unit)}"
    return rules


def service_rows(catalog: Catalog | None = None) -> list[dict[str, Any]]:
    rows = []
    catalog = Catalog() if catalog is None else catalog
    for name in catalog.provider_names():
        cat = catalog.provider(name)
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
    """Every service of every provider, one row each; ``width`` in characters for the table (default 120)."""
    catalog = Catalog()
    rows = service_rows(catalog)
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    from rich.table import Table

    from infrafit.report.table import to_text

    overlay = catalog.overlay
    title = f"{len(rows)} services" + (f"; catalog: packaged + overlay {overlay.shown_path()}" if overlay else "")
    table = Table(title=title)
    for col in ("service", "name", "category", "plans", "types"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["service"], r["name"], r["category"], ", ".join(r["plans"]) or "-", str(r["types"] or "-"))
    return to_text([table], width)


def service_dict(key: str, svc: Service) -> dict[str, Any]:
    return {"service": key, **json.loads(svc.model_dump_json(exclude_none=True))}


def render_show(key: str, fmt: str, width: int | None = None) -> str:
    """One service's facts (prices, free pools, limits, types, rate limits, notes), each with source and date."""
    catalog = Catalog()
    _, svc = catalog.service(key)
    provider, _, name = key.partition(".")
    overlay = catalog.overlay

    def marked(path: tuple[str | int, ...], text: str, fact: Any = None) -> str:
        """``text``, with the overlay's mark when the fact was refreshed from a price list or is missing there."""
        as_of = getattr(fact, "as_of", None)
        note = overlay.mark(provider, ("services", name, *path), as_of) if overlay is not None else None
        return f"{text} ({note})" if note else text

    if fmt == "json":
        data = service_dict(key, svc)
        if overlay is not None:
            data["overlay"] = _overlay_json(overlay, provider, name, svc)
        return json.dumps(data, indent=2) + "\n"
    from rich.table import Table
    from rich.text import Text

    from infrafit.report.table import to_text

    parts: list[Any] = [Text(f"{key} — {svc.name} ({svc.category.value}, model {svc.model})", style="bold")]
    if svc.url:
        parts.append(Text(svc.url, style="dim"))
    if svc.regions:
        parts.append(Text(f"regions: {', '.join(svc.regions)} (default {svc.default_region})"))
    parts.append(Text(f"usage keys: {', '.join(svc.usage) or '-'}; fields: {', '.join(svc.fields) or '-'}"))
    if overlay is not None:
        parts.append(Text(f"catalog: {overlay.use([provider]).path} over the packaged catalog", style="dim"))
    Where = tuple[str | int, ...]
    sections: list[tuple[str, Where, dict[str, Any]]] = [
        ("", (), {"meters": svc.meters, "free": svc.free, "limits": svc.limits})
    ]
    sections += [
        (f"plan {pname}: ", ("plans", pname), {"fee": p.fee, "meters": p.meters, "free": p.free, "limits": p.limits})
        for pname, p in svc.plans.items()
    ]
    facts = Table(title="Facts", title_justify="left", show_lines=False)
    for col in ("what", "value", "source", "as of"):
        facts.add_column(col, overflow="fold")

    def mark(fact: Any) -> str:
        grade = getattr(fact, "evidence", Evidence.OFFICIAL)
        return "" if grade is Evidence.OFFICIAL else f" [{grade.value}]"

    for prefix, at, sec in sections:
        if sec.get("fee") is not None:
            fee = sec["fee"]
            value = marked((*at, "fee"), _price_text(fee, "month") + mark(fee), fee)
            facts.add_row(f"{prefix}monthly fee", value, fee.source, str(fee.as_of))
        for mkey, m in sec["meters"].items():
            if m.price is not None:
                facts.add_row(
                    f"{prefix}{m.label} ({mkey})",
                    marked(
                        (*at, "meters", mkey, "price"), _price_text(m.price, m.unit) + _meter_rules(m) + mark(m.price)
                    ),
                    m.price.source,
                    str(m.price.as_of),
                )
        for index, pool in enumerate(sec["free"]):
            amount = "month's hours" if pool.amount == "month_hours" else f"{pool.amount:,}"
            scope = f" {pool.kind}, {pool.scope.value}" + (", hard cap" if pool.hard else "")
            where = f", regions {', '.join(pool.regions)}" if pool.regions else ""
            facts.add_row(
                f"{prefix}free {pool.pool}",
                marked(
                    (*at, "free", index), f"{amount} {pool.unit}/{pool.period.value}{scope}{where}{mark(pool)}", pool
                ),
                pool.source,
                str(pool.as_of),
            )
        for lkey, lim in sec["limits"].items():
            value = marked((*at, "limits", lkey), f"{lim.max}{mark(lim)}", lim)
            facts.add_row(f"{prefix}limit {lkey}", value, lim.source, str(lim.as_of))
    for tname, t in svc.types.items():
        prices = ", ".join(f"{r} ${v}/h" for r, v in sorted(t.hourly.items()))
        value = marked(("types", tname), f"{t.vcpu} vCPU, {t.memory}; {prices}{mark(t)}", t)
        facts.add_row(f"type {tname}", value, t.source, str(t.as_of))
    rate_sets: list[tuple[str, Where, dict[str, Any]]] = [
        ("", ("rate_limits",), svc.rate_limits),
        ("", ("method_limits",), svc.method_limits),
    ]
    rate_sets += [(f"plan {pname}: ", ("plans", pname, "rate_limits"), p.rate_limits) for pname, p in svc.plans.items()]
    for prefix, at, rate_limits in rate_sets:
        for rkey, rl in rate_limits.items():
            vals = {
                k: v
                for k, v in rl.model_dump(exclude_none=True).items()
                if k not in ("source", "as_of", "evidence", "note")
            }
            facts.add_row(
                f"{prefix}rate limit {rkey}",
                marked((*at, rkey), ", ".join(f"{k} {v}" for k, v in vals.items()) + mark(rl), rl),
                rl.source,
                str(rl.as_of),
            )
    for index, note in enumerate(svc.notes):
        facts.add_row(f"note {note.code}", marked(("notes", index), note.message, note), note.source, str(note.as_of))
    parts.append(facts)
    return to_text(parts, width)


def _overlay_json(overlay: Overlay, provider: str, name: str, svc: Service) -> dict[str, Any]:
    """The overlay behind ``catalog show --format json``: its directory, the price list, and which of this
    service's facts it refreshed or misses (dotted paths in the provider file)."""
    refresh = overlay.refresh(provider)
    prefix = f"services.{name}"
    refreshed = sorted(
        ".".join(str(p) for p in path) for path in _fact_paths(svc) if overlay.has(provider, ("services", name, *path))
    )
    return {
        "path": overlay.use([provider]).path,
        "published": refresh.published.isoformat() if refresh and refresh.published else None,
        "version": refresh.version if refresh else None,
        "refreshed": [f"{prefix}.{p}" for p in refreshed],
        "missing": [
            {"fact": m.fact, "reason": m.reason}
            for m in (refresh.missing if refresh else ())
            if m.fact == prefix or m.fact.startswith(prefix + ".")
        ],
    }


def _fact_paths(svc: Service) -> list[tuple[str | int, ...]]:
    """Where each of a service's cited facts sits under ``services.<name>``."""
    paths: list[tuple[str | int, ...]] = [("types", t) for t in svc.types]
    paths += [("meters", m, "price") for m, meter in svc.meters.items() if meter.price is not None]
    paths += [("free", i) for i in range(len(svc.free))] + [("limits", k) for k in svc.limits]
    paths += [("rate_limits", k) for k in svc.rate_limits] + [("method_limits", k) for k in svc.method_limits]
    paths += [("notes", i) for i in range(len(svc.notes))] + [("variants", k) for k in svc.variants]
    for pname, p in svc.plans.items():
        at = ("plans", pname)
        paths += [(*at, "fee")] if p.fee is not None else []
        paths += [(*at, "meters", m, "price") for m, meter in p.meters.items() if meter.price is not None]
        paths += [(*at, "free", i) for i in range(len(p.free))] + [(*at, "limits", k) for k in p.limits]
        paths += [(*at, "rate_limits", k) for k in p.rate_limits]
    return paths
