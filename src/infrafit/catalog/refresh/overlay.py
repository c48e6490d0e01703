"""Write refreshed figures as an overlay: a partial provider file beside the packaged one, never an edit of it.

``DIR/<provider>.yaml`` has the packaged file's keys and shapes and only the refreshed facts, each with its own
``source`` (the list's URL, with its version), ``as_of`` (the list's date) and ``evidence: price_list``. It is
deep-merged over the packaged file mapping by mapping (lists replace whole). ``DIR/overlay.yaml`` says when each
provider was refreshed, from what, and what the lists no longer have.

Provenance stays honest across the merge:

* a machine type has one source for all its regions (``InstanceType.hourly``), so a type is refreshed only when
  every region the catalog prices it in was read; otherwise it is listed as "not refreshed: regions missing";
* a regional or per-variant price is written as its own form (``{usd, source, as_of, evidence, note}``), so it
  does not vouch for its siblings;
* when a price as a whole is refreshed, siblings that carried no citation of their own (plain numbers under
  ``regions``/``types``) are pinned to the citation they had, so the new source never vouches for them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from infrafit.catalog.lookup import deep_merge, value_at
from infrafit.catalog.overlay import MissingFact
from infrafit.catalog.refresh.resolve import Quote, Tiers

FORMAT = 1
CITE = ("source", "as_of", "evidence", "note")


@dataclass(frozen=True, slots=True, kw_only=True)
class Written:
    """One fact the overlay states: its old and new figure (tiers ``(up_to, usd)``; one untiered figure is
    ``((None, usd),)``) and whether it changed."""

    fact: str
    rule: str
    old: Tiers | None
    new: Tiers
    source: str
    as_of: date

    @property
    def status(self) -> str:
        if self.old is None:
            return "new"
        return "unchanged" if _same(self.old, self.new) else "changed"

    @property
    def percent(self) -> Decimal | None:
        """Change of the first tier's price, in percent (None when new or the old price was 0)."""
        if self.old is None or self.old[0][1] == 0:
            return None
        return ((self.new[0][1] - self.old[0][1]) / self.old[0][1] * 100).quantize(Decimal("0.01"))


def _same(a: Tiers, b: Tiers) -> bool:
    return len(a) == len(b) and all(
        (x[0] is None) == (y[0] is None) and (x[0] is None or x[0] == y[0]) and x[1] == y[1]
        for x, y in zip(a, b, strict=True)
    )


def _set(data: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    if isinstance(value, dict) and isinstance(data.get(parts[-1]), dict):
        data[parts[-1]].update(value)
    else:
        data[parts[-1]] = value


def as_tiers(node: Any) -> Tiers | None:
    """A catalog price node (number, form or price) as tiers; None when it has no figure of its own."""
    if isinstance(node, int | float | str | Decimal) and not isinstance(node, bool):
        return ((None, Decimal(str(node))),)
    if isinstance(node, dict):
        if node.get("tiers"):
            return tuple(
                (None if t.get("up_to") is None else Decimal(str(t["up_to"])), Decimal(str(t["usd"])))
                for t in node["tiers"]
            )
        if node.get("usd") is not None:
            return ((None, Decimal(str(node["usd"]))),)
    return None


def price_per(packaged: dict[str, Any], parts: tuple[str, ...]) -> Decimal:
    """The ``per`` of the price a fact belongs to (1 for a type's hourly price)."""
    if "price" not in parts:
        return Decimal(1)
    price = value_at(packaged, parts[: parts.index("price") + 1])
    return Decimal(str(price.get("per", 1))) if isinstance(price, dict) else Decimal(1)


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _figure(tiers: Tiers, packaged_node: Any) -> dict[str, Any]:
    """The figure in the packaged node's shape: tiers stay tiers, a flat price stays flat when it still is."""
    flat = len(tiers) == 1 and tiers[0][0] is None
    had_tiers = isinstance(packaged_node, dict) and bool(packaged_node.get("tiers"))
    if flat and not had_tiers:
        return {"usd": _num(tiers[0][1])}
    out: dict[str, Any] = {"tiers": [{"up_to": None if u is None else _num(u), "usd": _num(p)} for u, p in tiers]}
    if isinstance(packaged_node, dict) and packaged_node.get("usd") is not None:
        out["usd"] = None
    return out


def _citation(node: Any, fallback: dict[str, Any]) -> dict[str, Any]:
    if isinstance(node, dict) and node.get("source"):
        return {k: node[k] for k in CITE if node.get(k) is not None}
    return fallback


def build(
    packaged: dict[str, Any], baseline: dict[str, Any], quotes: list[Quote], unread: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[Written], list[MissingFact]]:
    """The overlay document for these quotes, the facts it writes (compared with ``baseline``, the catalog as it
    was), and the machine types left as they were because some of their regions were not read."""
    overlay: dict[str, Any] = {"provider": packaged.get("provider")}
    written: list[Written] = []
    missing: list[MissingFact] = []
    types: dict[tuple[str, str], dict[str, Quote]] = {}
    prices: list[tuple[tuple[str, ...], Quote]] = []
    for quote in quotes:
        for n, parts in enumerate(quote.rule.paths):
            if parts[2] == "types":
                if n == 0:
                    types.setdefault((parts[1], parts[3]), {})[parts[5]] = quote
            else:
                prices.append((parts, quote))
    for (svc, name), by_region in sorted(types.items()):
        node = value_at(packaged, ("services", svc, "types", name))
        if not isinstance(node, dict):
            missing.append(
                MissingFact(
                    fact=f"services.{svc}.types.{name}",
                    reason="not in the packaged catalog (a type needs its vCPUs and memory there first)",
                )
            )
            continue
        regions = list(node.get("hourly") or {})
        absent = [r for r in regions if r not in by_region]
        if absent:
            facts = {r: f"services.{svc}.types.{name}.hourly.{r}" for r in absent}
            why = [f"{r} ({'no price read, see above' if facts[r] in unread else 'not in the inputs'})" for r in absent]
            missing.append(
                MissingFact(
                    fact=f"services.{svc}.types.{name}.hourly",
                    reason=f"not refreshed: regions missing: {', '.join(why)}",
                )
            )
            continue
        ordered = [by_region[r] for r in regions] + [q for r, q in by_region.items() if r not in regions]
        hourly = {r: _num(q.tiers[0][1]) for r, q in by_region.items()}
        first = ordered[0]
        _set(
            overlay,
            ("services", svc, "types", name),
            {
                "hourly": hourly,
                "source": first.source,
                "as_of": min(q.as_of for q in ordered),
                "evidence": "price_list",
                "note": " ".join(q.note() for q in ordered) + " vCPUs and memory as the packaged catalog states.",
            },
        )
        for region, quote in by_region.items():
            written.append(_written(("services", svc, "types", name, "hourly", region), quote, baseline))
    refreshed = {parts for parts, _ in prices}
    for parts, quote in prices:
        node = value_at(packaged, parts)
        form = _figure(quote.tiers, node)
        form.update(source=quote.source, as_of=quote.as_of, evidence="price_list", note=quote.note())
        _set(overlay, parts, form)
        written.append(_written(parts, quote, baseline))
        if isinstance(node, dict):
            _pin(overlay, parts, node, _citation(node, _nearest_citation(packaged, parts)), refreshed)
    return overlay, written, missing


def _written(parts: tuple[str, ...], quote: Quote, baseline: dict[str, Any]) -> Written:
    """The change report's line for one refreshed fact: the baseline's figure against the price list's."""
    return Written(
        fact=".".join(parts),
        rule=quote.rule.id,
        old=as_tiers(value_at(baseline, parts)),
        new=quote.tiers,
        source=quote.source,
        as_of=quote.as_of,
    )


def _nearest_citation(packaged: dict[str, Any], parts: tuple[str, ...]) -> dict[str, Any]:
    for cut in range(len(parts), 0, -1):
        node = value_at(packaged, parts[:cut])
        if isinstance(node, dict) and node.get("source"):
            return {k: node[k] for k in CITE if node.get(k) is not None}
    return {}


def _pin(
    overlay: dict[str, Any],
    parts: tuple[str, ...],
    node: dict[str, Any],
    cite: dict[str, Any],
    refreshed: set[tuple[str, ...]],
) -> None:
    """Give ``node``'s uncited children their old citation, so the refreshed parent's source does not cover them."""
    if not cite:
        return
    kept = {**cite, "note": "not in this refresh; as the packaged catalog cites it (see the price's note there)"}
    for key in ("regions", "types"):
        children = node.get(key)
        if not isinstance(children, dict):
            continue
        for name, child in children.items():
            here = (*parts, key, str(name))
            if here in refreshed or any(r[: len(here)] == here for r in refreshed):
                continue
            if isinstance(child, dict):
                if not child.get("source"):
                    _set(overlay, here, {k: v for k, v in kept.items() if k != "note" or not child.get("note")})
            elif child is not None:
                _set(overlay, here, {"usd": str(child), **kept})


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Deep merge, mapping by mapping, lists replaced whole: the rule plan overrides follow."""
    return deep_merge(copy.deepcopy(base), extra)


class _Dumper(yaml.SafeDumper):
    """Plain YAML: no anchors for values that happen to be the same object (every fact's date)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    return yaml.dump(_plain(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_plain(v) for v in data]
    if isinstance(data, Decimal):
        return _num(data)
    return data


def read_yaml(path: Path) -> dict[str, Any] | None:
    """A previous overlay file as data, or None when there is none (a broken one is an error naming it)."""
    if not path.exists():
        return None
    from infrafit.plan.loader import parse_yaml

    data, _ = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    return data if isinstance(data, dict) else None


def write(out: Path, provider: str, document: dict[str, Any], entry: dict[str, Any]) -> list[Path]:
    """Write ``DIR/<provider>.yaml`` and update this provider's entry of ``DIR/overlay.yaml`` (others kept), each
    through a temporary file and a rename."""
    from infrafit.fileio import write_atomic

    index_path = out / "overlay.yaml"
    index = read_yaml(index_path) or {}
    providers = dict(index.get("providers") or {}) if index.get("format") == FORMAT else {}
    providers[provider] = entry
    header = f"# Refreshed {provider} prices (infrafit catalog refresh); merged over the packaged catalog.\n"
    write_atomic(out / f"{provider}.yaml", header + dump(document))
    write_atomic(index_path, dump({"format": FORMAT, "providers": dict(sorted(providers.items()))}))
    return [out / f"{provider}.yaml", index_path]
