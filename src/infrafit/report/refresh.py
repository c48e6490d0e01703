"""The change report of `infrafit catalog refresh`: what changed, what the price lists no longer have, what matched
nothing, what was skipped, and what it does to the example plans' totals.

Text for a terminal, Markdown for a pull request's description (a scheduled CI job opens one with the overlay),
JSON for tools. A plain function rather than a registered renderer: it takes a refresh, not an evaluated plan.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from infrafit.catalog.refresh.overlay import Written
from infrafit.catalog.refresh.resolve import Tiers
from infrafit.catalog.refresh.run import RefreshResult
from infrafit.report.grid import Cell, Column, Grid, Row

VERSION = 1
LIMIT = 40
"""Rows of a list shown in text and Markdown before the rest are counted (JSON has every row)."""


def _n(value: Decimal, cents: bool = False) -> str:
    """1,024 and 0.0208; with ``cents`` at least two decimals ($0.50)."""
    text = format(value.normalize(), "f")
    whole, _, frac = text.partition(".")
    if cents:
        frac = frac.ljust(2, "0")
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def _short(fact: str) -> str:
    return fact.removeprefix("services.")


def tiers_text(tiers: Tiers | None) -> str:
    """``$0.0208`` for one figure; ``$0.09 to 10,240, $0.085 to 51,200, $0.05 beyond`` for tiers."""
    if tiers is None:
        return "-"
    if len(tiers) == 1 and tiers[0][0] is None:
        return f"${_n(tiers[0][1], cents=True)}"
    return ", ".join(f"${_n(p, cents=True)} " + (f"to {_n(u)}" if u is not None else "beyond") for u, p in tiers)


def _change(w: Written) -> str:
    if w.status == "new":
        return "new"
    pct = w.percent
    return "-" if pct is None else f"{pct:+.2f}%"


def _tiers_json(tiers: Tiers | None) -> Any:
    if tiers is None:
        return None
    return [{"up_to": None if u is None else str(u), "usd": str(p)} for u, p in tiers]


def to_dict(result: RefreshResult) -> dict[str, Any]:
    """The report as data (``--format json``)."""
    return {
        "version": VERSION,
        "provider": result.provider,
        "refreshed": result.refreshed.isoformat(),
        "overlay": str(result.out),
        "files": [str(f) for f in result.files],
        "compared_with": "packaged catalog" + (" + previous overlay" if result.had_overlay else ""),
        "price_lists": [
            {
                "code": x.code,
                "version": x.version,
                "published": x.published.isoformat(),
                "url": x.url,
                "regions": sorted(x.regions),
                "files": list(x.files),
            }
            for x in result.listings
        ],
        "counts": {
            "changed": result.count("changed"),
            "unchanged": result.count("unchanged"),
            "new": result.count("new"),
            "missing": len(result.missing),
            "unmatched": len(result.unmatched),
            "not_covered": len(result.not_covered),
            "skipped": len(result.skipped),
        },
        "facts": [
            {
                "fact": w.fact,
                "rule": w.rule,
                "status": w.status,
                "old": _tiers_json(w.old),
                "new": _tiers_json(w.new),
                "percent": None if w.percent is None else str(w.percent),
                "source": w.source,
                "as_of": w.as_of.isoformat(),
            }
            for w in result.written
        ],
        "missing": [{"fact": m.fact, "reason": m.reason} for m in result.missing],
        "unmatched": result.unmatched,
        "not_covered": result.not_covered,
        "skipped": [{"where": s.where, "reason": s.reason} for s in result.skipped],
        "warnings": result.warnings,
        "examples": [
            {
                "plan": e.plan,
                "before": None if e.before is None else str(e.before),
                "after": None if e.after is None else str(e.after),
                "delta": None if e.delta is None else str(e.delta),
                "error": e.error,
            }
            for e in result.effects
        ],
    }


def _cut(rows: list[Row], what: str) -> tuple[list[Row], list[str]]:
    if len(rows) <= LIMIT:
        return rows, []
    return rows[:LIMIT], [f"... and {len(rows) - LIMIT} more {what} (--format json lists them all)"]


def grids(result: RefreshResult) -> list[Grid]:
    """The report's tables; a table with no row is not drawn."""
    out: list[Grid] = []
    moved = [w for w in result.written if w.status != "unchanged"]
    rows = [
        Row(
            cells=[
                Cell(text=_short(w.fact), code=True),
                Cell(text=tiers_text(w.old)),
                Cell(text=tiers_text(w.new)),
                Cell(text=_change(w), tone="info" if w.status == "new" else "warn"),
            ]
        )
        for w in moved
    ]
    rows, notes = _cut(rows, "facts")
    out.append(
        Grid(
            title="Changed and new facts (services.…)",
            columns=[
                Column(title="Fact", fold=True),
                Column(title="Old"),
                Column(title="New"),
                Column(title="Change", numeric=True),
            ],
            rows=rows,
            notes=notes,
            empty="No fact changed.",
        )
    )
    rows = [Row(cells=[Cell(text=_short(m.fact), code=True), Cell(text=m.reason, tone="warn")]) for m in result.missing]
    rows, notes = _cut(rows, "facts")
    out.append(
        Grid(
            title="No longer in the price lists (old fact kept, listed as missing; services.…)",
            columns=[Column(title="Fact", fold=True), Column(title="Why", fold=True)],
            rows=rows,
            notes=notes,
            lines=True,
        )
    )
    rows = [Row(cells=[Cell(text=s.where), Cell(text=s.reason, tone="warn")]) for s in result.skipped]
    rows, notes = _cut(rows, "entries")
    out.append(
        Grid(
            title="Malformed entries skipped",
            columns=[Column(title="Where", fold=True), Column(title="Why", fold=True)],
            rows=rows,
            notes=notes,
            lines=True,
        )
    )
    rows = [
        Row(
            cells=[
                Cell(text=e.plan, code=True),
                Cell(text="-" if e.before is None else f"${e.before:,.2f}"),
                Cell(text="-" if e.after is None else f"${e.after:,.2f}"),
                Cell(
                    text=e.error or ("-" if e.delta is None else f"{e.delta:+,.2f}"),
                    tone="bad" if e.error else ("warn" if e.delta else ""),
                ),
            ]
        )
        for e in result.effects
    ]
    out.append(
        Grid(
            title="Example plans, monthly total",
            columns=[
                Column(title="Plan", key=True),
                Column(title="Before", numeric=True),
                Column(title="After", numeric=True),
                Column(title="Change", numeric=True),
            ],
            rows=rows,
        )
    )
    rows = [
        Row(
            cells=[
                Cell(text=x.code),
                Cell(text=x.version),
                Cell(text=x.published.isoformat()),
                Cell(text=", ".join(sorted(x.regions)[:6]) + (" ..." if len(x.regions) > 6 else "")),
            ]
        )
        for x in result.listings
    ]
    out.append(
        Grid(
            title="Price lists read",
            columns=[
                Column(title="List", key=True),
                Column(title="Version"),
                Column(title="Published"),
                Column(title="Regions", fold=True),
            ],
            rows=rows,
        )
    )
    return out


def _summary(result: RefreshResult) -> list[str]:
    base = "the packaged catalog" + (" and the overlay already there" if result.had_overlay else "")
    dates = [x.published for x in result.listings]
    newest = f" (newest published {max(dates)})" if dates else ""
    lines = [
        f"{result.provider} prices read from {len(result.listings)} price lists{newest}; overlay written to "
        f"{result.out} (compared with {base}).",
        f"{result.count('changed')} changed, {result.count('unchanged')} unchanged, {result.count('new')} new, "
        f"{len(result.missing)} missing from the price lists, {len(result.skipped)} malformed entries skipped.",
    ]
    lines += [f"Warning: {w}." for w in result.warnings]
    if result.unmatched:
        lines.append(f"Rules that matched nothing: {', '.join(result.unmatched)}.")
    if result.not_covered:
        shown = ", ".join(result.not_covered[:12]) + (" ..." if len(result.not_covered) > 12 else "")
        lines.append(f"{len(result.not_covered)} rules had no input (their price list was not given): {shown}")
    return lines


def render_refresh(result: RefreshResult, fmt: str, width: int | None = None) -> str:
    """The change report in ``fmt``: ``text`` (the terminal's tables), ``markdown`` or ``json``."""
    if fmt == "json":
        return json.dumps(to_dict(result), indent=2) + "\n"
    if fmt == "markdown":
        from infrafit.report.markdown import notes, to_markdown

        md = [f"## Catalog refresh: {result.provider}", "", *[f"{line}  " for line in _summary(result)], ""]
        for grid in grids(result):
            if not grid.rows and not grid.empty:
                continue
            md += [f"### {grid.title}", "", *to_markdown(grid), *notes(grid), ""]
        return "\n".join(md).rstrip() + "\n"
    from infrafit.report.terminal import draw, to_text

    items: list[Grid | Cell] = [Cell(text=line) for line in _summary(result)]
    items += grids(result)
    return to_text(draw(items, width), width)
