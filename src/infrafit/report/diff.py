"""``diff`` (a plan before and after a change) as JSON, Markdown and a terminal table. Markdown is written for
pull-request comments: the summary first, details folded, and the same text on every run for the same inputs."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from infrafit.decisions.changes import DiffResult, FindingChange, ResourceDiff, total_memory, total_vcpu
from infrafit.engine.result import ResourceResult, Result, Severity
from infrafit.report import renderer
from infrafit.report.check import findings_grid
from infrafit.report.cost_ranges import diff_range_rows, ranges_headline, with_ranges
from infrafit.report.fmt import mem, money, qty, signed_money, signed_pct
from infrafit.report.grid import Cell, Column, Grid, Row, Tone
from infrafit.report.json_report import JSON_VERSION, finding_json, num, plain
from infrafit.report.markdown import cell, to_markdown
from infrafit.report.provenance import catalog_phrase_many, overlay_json
from infrafit.report.wording import (
    change_text,
    finding_line,
    fit_text,
    pool_share,
    severity_cell,
    signed_mem,
    signed_qty,
    sorted_changes,
    used_of_limit,
)


# -- sections (jobs, clusters, ...): each view's compare rows and JSON, before and after ----------------------
def _section_pairs(d: DiffResult) -> list[tuple[Any, list[Any], list[Any]]]:
    """(view, reports before, reports after) for every section either side has."""
    from infrafit.report.sections.base import section_reports, view

    before, after = section_reports(d.before), section_reports(d.after)
    keys = [k for k in before if before[k]] + [k for k in after if after[k] and not before.get(k)]
    return [(view(k), before.get(k, []), after.get(k, [])) for k in keys]


def section_grids(d: DiffResult) -> list[Grid]:
    """A before/after table per section whose view has compare rows."""
    out = []
    for v, b, a in _section_pairs(d):
        rows = v.compare_rows([b, a])
        if rows:
            columns = [Column(title="", key=True), Column(title="before", numeric=True), Column(title="after", numeric=True)]
            out.append(Grid(title=v.title, columns=columns, rows=rows))
    return out


# -- JSON ---------------------------------------------------------------------------------------------------
def _side(result: Result) -> dict[str, Any]:
    return {
        "plan": result.plan,
        "file": result.file,
        "total_monthly_cost": num(result.total_monthly_cost),
        "total_yearly_cost": num(result.total_monthly_cost * 12),
        "fits": result.fits,
        "errors": len(result.errors),
        "vcpu": num(total_vcpu(result)),
        "memory_bytes": num(total_memory(result)),
        "cost_by_category": {k: num(v) for k, v in sorted(result.cost_by_category().items())},
        "catalog": {"as_of": result.catalog_as_of.isoformat()},
        "catalog_overlay": overlay_json(result.catalog_overlay),
    }


def _res_side(r: ResourceResult | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "service": r.service,
        "region": r.region,
        "type": r.type,
        "plan": r.plan,
        "count": r.count,
        "vcpu": num(r.vcpu),
        "memory_bytes": num(r.memory_bytes),
        "monthly_cost": num(r.monthly_cost),
    }


def _resource_diff(r: ResourceDiff) -> dict[str, Any]:
    return {
        "name": r.name,
        "status": r.status,
        "service": r.service,
        "before": _res_side(r.before),
        "after": _res_side(r.after),
        "changes": [{"field": c.field, "before": plain(c.before), "after": plain(c.after)} for c in r.changes],
        "lines": [
            {
                "meter": line.meter,
                "name": line.name,
                "unit": line.unit,
                "quantity_before": num(line.quantity_before),
                "quantity_after": num(line.quantity_after),
                "cost_before": num(line.cost_before),
                "cost_after": num(line.cost_after),
                "delta_monthly_cost": num(line.delta),
            }
            for line in r.lines
        ],
        "monthly_cost_before": num(r.cost_before),
        "monthly_cost_after": num(r.cost_after),
        "delta_monthly_cost": num(r.delta_monthly_cost),
        "delta_yearly_cost": num(r.delta_yearly_cost),
        "delta_percent": num(r.delta_percent),
    }


def _finding_change(c: FindingChange) -> dict[str, Any]:
    return {**finding_json(c.finding), "key": list(c.key[:3])}


def diff_to_dict(d: DiffResult) -> dict[str, Any]:
    return with_ranges(_diff_dict(d), d)


def _diff_dict(d: DiffResult) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "before": _side(d.before),
        "after": _side(d.after),
        "delta_monthly_cost": num(d.delta_monthly_cost),
        "delta_yearly_cost": num(d.delta_yearly_cost),
        "delta_percent": num(d.delta_percent),
        "summary": {s: d.count(s) for s in ("added", "removed", "changed", "unchanged")},
        "resources": [_resource_diff(r) for r in d.resources],
        "cost_by_category": {c: {"before": num(a), "after": num(b)} for c, (a, b) in d.categories.items()},
        "quotas": [
            {
                "key": q.key,
                "region": q.region,
                "unit": q.unit,
                "used_before": num(q.used_before),
                "used_after": num(q.used_after),
                "limit_before": num(q.limit_before),
                "limit_after": num(q.limit_after),
                "over_before": q.over_before,
                "over_after": q.over_after,
            }
            for q in d.quotas
        ],
        "free_tier": [
            {
                "pool": p.pool,
                "unit": p.unit,
                "period": p.period,
                "allowance": num(p.allowance),
                "used_before": num(p.used_before),
                "used_after": num(p.used_after),
                "billed_cost_before": num(p.billed_cost_before),
                "billed_cost_after": num(p.billed_cost_after),
            }
            for p in d.pools
        ],
        "sections": {
            v.key: {"before": [v.to_json(r) for r in b], "after": [v.to_json(r) for r in a]}
            for v, b, a in _section_pairs(d)
        },
        "findings": {
            "appeared": [_finding_change(c) for c in sorted_changes(d.appeared)],
            "disappeared": [_finding_change(c) for c in sorted_changes(d.disappeared)],
            "kept": len(d.kept),
        },
    }


@renderer("diff", "json")
def render_diff_json(d: DiffResult, **_: Any) -> str:
    return json.dumps(diff_to_dict(d), indent=2, ensure_ascii=False) + "\n"


def changed_grid(changed: list[ResourceDiff]) -> Grid:
    """The resources that changed, with their cost before and after (terminal)."""
    rows = []
    for r in changed:
        tone: Tone = "bad" if r.delta_monthly_cost > 0 else ("ok" if r.delta_monthly_cost < 0 else "")
        rows.append(
            Row(
                cells=[
                    Cell(text=r.name, strong=True),
                    Cell(text=change_text(r)),
                    Cell(text=money(r.cost_before)),
                    Cell(text=money(r.cost_after)),
                    Cell(text=signed_money(r.delta_monthly_cost), tone=tone),
                    Cell(text=signed_money(r.delta_yearly_cost)),
                ]
            )
        )
    columns = [Column(title="resource", key=True), Column(title="change")] + [
        Column(title=t, numeric=True) for t in ("before", "after", "Δ month", "Δ year")
    ]
    return Grid(title="Resources that changed", columns=columns, rows=rows)


def changes_grid(title: str, items: list[FindingChange], icon: str | None) -> Grid:
    """Findings that appeared or went away, errors first, folded; ``icon`` marks them all in Markdown."""
    return findings_grid([c.finding for c in sorted_changes(items)], title=title, folded=True, icon=icon)


# -- Markdown -------------------------------------------------------------------------------------------
def diff_md(d: DiffResult) -> list[str]:
    b, a = d.before, d.after
    delta = d.delta_monthly_cost
    trend = "📈" if delta > 0 else ("📉" if delta < 0 else "➖")
    fit = "✅ fits" if a.fits else f"❌ {fit_text(a)}"
    if b.fits != a.fits:
        fit += f" (before: {fit_text(b)})"
    new_errors = [c for c in d.appeared if c.finding.severity == Severity.ERROR]
    gone_errors = [c for c in d.disappeared if c.finding.severity == Severity.ERROR]
    lines = [
        f"### infrafit diff: {cell(b.plan)} → {cell(a.plan)}",
        "",
        f"{trend} **{money(b.total_monthly_cost)} → {money(a.total_monthly_cost)}/month** "
        f"({signed_money(delta)}, {signed_pct(d.delta_percent)}) · {signed_money(d.delta_yearly_cost)}/year · {fit}"
        + ranges_headline(d),
        "",
        "| | before | after | change |",
        "|---|---:|---:|---:|",
        f"| monthly | {money(b.total_monthly_cost)} | {money(a.total_monthly_cost)} | {signed_money(delta)} |",
        f"| yearly | {money(b.total_monthly_cost * 12)} | {money(a.total_monthly_cost * 12)} | "
        f"{signed_money(d.delta_yearly_cost)} |",
    ]
    lines += [f"| {label} | {x} | {y} | {change} |" for label, x, y, change in diff_range_rows(d)]
    vb, va = d.vcpu
    mb, ma = d.memory_bytes
    lines.append(f"| vCPU | {qty(vb)} | {qty(va)} | {signed_qty(va - vb)} |")
    lines.append(f"| memory | {mem(mb)} | {mem(ma)} | {signed_mem(mb, ma, '0')} |")
    for q in d.quotas:
        where = f" ({q.region})" if q.region else ""
        mark_b = " ❌" if q.over_before else ""
        mark_a = " ❌" if q.over_after else (" ✅" if q.limit_after is not None and q.used_after is not None else "")
        change = signed_qty((q.used_after or Decimal(0)) - (q.used_before or Decimal(0)))
        lines.append(
            f"| `{q.key}`{where} used / limit | {used_of_limit(q.used_before, q.limit_before)}{mark_b} | "
            f"{used_of_limit(q.used_after, q.limit_after)}{mark_a} | {change} |"
        )
    lines.append(
        f"| errors | {len(b.errors)} | {len(a.errors)} | {signed_qty(Decimal(len(a.errors) - len(b.errors)))} |"
    )
    lines.append("")
    summary = [f"{d.count(s)} {s}" for s in ("changed", "added", "removed") if d.count(s)]
    lines.append(
        f"Resources: {', '.join(summary) or 'no changes'} · findings: {len(d.appeared)} new, "
        f"{len(d.disappeared)} resolved"
    )
    lines.append("")
    if new_errors:
        lines += [f"- ❌ new: {cell(finding_line(c.finding))}" for c in sorted_changes(new_errors)]
    if gone_errors:
        lines += [f"- ✅ resolved: {cell(finding_line(c.finding))}" for c in sorted_changes(gone_errors)]
    still = [c for c in d.kept if c.finding.severity == Severity.ERROR]
    if still:
        lines += [f"- ❌ still: {cell(finding_line(c.finding))}" for c in sorted_changes(still)]
    if new_errors or gone_errors or still:
        lines.append("")
    changed = d.changed
    if changed:
        lines += [
            f"<details><summary>Resources that changed ({len(changed)})</summary>",
            "",
            "| resource | change | before | after | Δ month | Δ year |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for r in changed:
            lines.append(
                f"| {cell(r.name)} | {cell(change_text(r))} | {money(r.cost_before)} | {money(r.cost_after)} | "
                f"{signed_money(r.delta_monthly_cost)} | {signed_money(r.delta_yearly_cost)} |"
            )
        lines += ["", "</details>", ""]
    if d.categories:
        lines += [
            "<details><summary>Cost by category</summary>",
            "",
            "| category | before | after | change |",
            "|---|---:|---:|---:|",
        ]
        for c, (x, y) in d.categories.items():
            lines.append(f"| {c} | {money(x)} | {money(y)} | {signed_money(y - x)} |")
        lines += ["", "</details>", ""]
    for grid in section_grids(d):
        lines += [f"<details><summary>{grid.title}</summary>", "", "| | before | after |", "|---|---:|---:|"]
        lines += [f"| {' | '.join(cell(c.text) for c in row.cells)} |" for row in grid.rows]
        lines += ["", "</details>", ""]
    for title, items, icon in (
        ("Findings that appeared", d.appeared, None),
        ("Findings that went away", d.disappeared, "✅"),
    ):
        if items:
            lines += to_markdown(changes_grid(f"{title} ({len(items)})", items, icon))
    moved_pools = [p for p in d.pools if p.used_before != p.used_after]
    if moved_pools:
        lines += [
            "<details><summary>Free tier</summary>",
            "",
            "| pool | allowance | before | after |",
            "|---|---:|---:|---:|",
        ]
        for p in moved_pools:
            per = "/day" if p.period == "day" else "/month"
            lines.append(
                f"| `{p.pool}` | {qty(p.allowance)} {p.unit}{per} | {pool_share(p.used_before, p.allowance)} | "
                f"{pool_share(p.used_after, p.allowance)} |"
            )
        lines += ["", "</details>", ""]
    lines.append(
        f"<sub>infrafit · {cell(b.file or b.plan)} → {cell(a.file or a.plan)} · {catalog_phrase_many([b, a])}</sub>"
    )
    return lines


@renderer("diff", "markdown")
def render_diff_markdown(d: DiffResult, **_: Any) -> str:
    return "\n".join(diff_md(d)).rstrip() + "\n"


# -- terminal ----------------------------------------------------------------------------------------------
@renderer("diff", "table")
def render_diff_table(d: DiffResult, width: int | None = None, color: bool = False, **_: Any) -> str:
    from rich.table import Table
    from rich.text import Text

    from infrafit.report.terminal import clean, draw_grid, to_text

    b, a = d.before, d.after
    delta = d.delta_monthly_cost
    style = "red" if delta > 0 else ("green" if delta < 0 else "")
    parts: list[Any] = [
        Text.assemble(
            (clean(f"{b.plan} → {a.plan}"), "bold"),
            "  ",
            (f"{money(b.total_monthly_cost)} → {money(a.total_monthly_cost)}/month", "bold"),
            "  ",
            (f"{signed_money(delta)} ({signed_pct(d.delta_percent)})", f"bold {style}".strip()),
            f"  {signed_money(d.delta_yearly_cost)}/year  ",
            (fit_text(a), "bold green" if a.fits else "bold red"),
            ranges_headline(d).replace(" · ", "  "),
        ),
        Text(clean(f"{b.file or b.plan} → {a.file or a.plan}"), style="dim", overflow="fold"),
    ]
    totals = Table(title="Totals", title_justify="left")
    for col in ("", "before", "after", "change"):
        totals.add_column(col, justify="left" if not col else "right")
    totals.add_row(
        "monthly", money(b.total_monthly_cost), money(a.total_monthly_cost), Text(signed_money(delta), style)
    )
    totals.add_row(
        "yearly", money(b.total_monthly_cost * 12), money(a.total_monthly_cost * 12), signed_money(d.delta_yearly_cost)
    )
    for c, (x, y) in d.categories.items():
        totals.add_row(Text(f"  {c}", style="dim"), money(x), money(y), signed_money(y - x))
    for label, old, new, change in diff_range_rows(d):
        totals.add_row(label, old, new, change)
    vb, va = d.vcpu
    mb, ma = d.memory_bytes
    totals.add_row("vCPU", qty(vb), qty(va), signed_qty(va - vb))
    totals.add_row("memory", mem(mb), mem(ma), signed_mem(mb, ma, ""))
    for q in d.quotas:
        label = f"{q.key}{' ' + q.region if q.region else ''} (used / limit)"  # catalog keys: no need to clean
        totals.add_row(
            label,
            Text(used_of_limit(q.used_before, q.limit_before), style="red" if q.over_before else ""),
            Text(used_of_limit(q.used_after, q.limit_after), style="bold red" if q.over_after else "green"),
            signed_qty((q.used_after or Decimal(0)) - (q.used_before or Decimal(0))),
        )
    totals.add_row("errors", str(len(b.errors)), str(len(a.errors)), signed_qty(Decimal(len(a.errors) - len(b.errors))))
    parts.append(totals)
    changed = d.changed
    if changed:
        parts += draw_grid(changed_grid(changed), width)
    else:
        parts.append(Text("no resource changed", style="dim"))
    for grid in section_grids(d):
        parts += draw_grid(grid, width)
    rows = [
        Row(
            cells=[
                Cell(text=label, strong=label == "new", tone="" if label == "new" else "ok"),
                severity_cell(c.finding.severity),
                Cell(text=c.finding.code),
                Cell(text=c.finding.message, fix=c.finding.fix or ""),
            ]
        )
        for label, items in (("new", d.appeared), ("resolved", d.disappeared))
        for c in sorted_changes(items)
    ]
    columns = [Column(title=""), Column(title="severity"), Column(title="code", key=True)]
    grid = Grid(
        title="Findings", columns=[*columns, Column(title="message", fold=True)], rows=rows, lines=True, heading=3
    )
    parts += draw_grid(grid, width)
    return to_text(parts, width, color)
