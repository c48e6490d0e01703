"""Table, Markdown and JSON renderers of :mod:`infrafit.decisions`: ``compare`` (plans side by side) and ``diff``
(before/after). Markdown is written for pull-request comments: the summary first, details folded, and the same
text on every run for the same inputs (no timestamps, stable orders)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from infrafit.decisions.compare import CompareResult, PlanSummary
from infrafit.decisions.diff import DiffResult, FieldChange, FindingChange, ResourceDiff, total_memory, total_vcpu
from infrafit.engine.result import Finding, ResourceResult, Result
from infrafit.report import renderer
from infrafit.report.fmt import mem, money, pct, qty, signed_money, signed_pct
from infrafit.report.json_report import _finding, _pool, _quota, num
from infrafit.report.json_report import _plain as _plain_json
from infrafit.report.markdown import cell, details_table

ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# -- shared wording ------------------------------------------------------------------------------------------
def verdict(p: PlanSummary, cheapest: bool) -> str:
    if cheapest:
        return "cheapest that fits"
    if p.fits:
        return "fits"
    return f"does not fit ({len(p.errors)} error{'s' if len(p.errors) != 1 else ''})"


def describe_resource(r: ResourceResult) -> str:
    """aws.ec2 t3.small ×2 us-east-1"""
    bits = [r.service, r.type, r.plan and f"plan {r.plan}", f"×{r.count}" if r.count != 1 else None, r.region]
    return " ".join(b for b in bits if b)


def describe_change(c: FieldChange) -> str:
    if c.field == "memory_bytes":
        return f"memory {mem(c.before)} → {mem(c.after)}"
    if c.field == "vcpu":
        return f"vCPU {qty(c.before)} → {qty(c.after)}"
    return f"{c.field} {c.before if c.before is not None else '-'} → {c.after if c.after is not None else '-'}"


def change_text(r: ResourceDiff) -> str:
    """What happened to a resource, in a few words."""
    if r.status == "added":
        assert r.after is not None
        return f"added: {describe_resource(r.after)}"
    if r.status == "removed":
        assert r.before is not None
        return f"removed: {describe_resource(r.before)}"
    if r.changes:
        return "; ".join(describe_change(c) for c in r.changes)
    if r.lines:
        return "usage: " + ", ".join(
            f"{line.name} {qty(line.quantity_before)} → {qty(line.quantity_after)} {line.unit}" for line in r.lines
        )
    return "prices" if r.status == "changed" else "unchanged"


def fit_text(result: Result) -> str:
    errors = len(result.errors)
    return "fits" if result.fits else f"does not fit ({errors} error{'s' if errors != 1 else ''})"


def finding_line(f: Finding) -> str:
    fix = f" — fix: {f.fix}" if f.fix else ""
    return f"{f.code}: {f.message}{fix}"


def sorted_changes(items: list[FindingChange]) -> list[FindingChange]:
    """Errors first, then warnings, then infos; within a severity by key, so re-runs list them the same way."""
    return sorted(items, key=lambda c: (SEVERITY_ORDER.get(c.finding.severity, 3), c.key))


def _pool_cell(used: Decimal | None, allowance: Decimal) -> str:
    return "-" if used is None else pct(used, allowance)


def _quota_cell(used: Decimal | None, limit: Decimal | None) -> str:
    if used is None:
        return "-"
    return f"{qty(used)} / {qty(limit) if limit is not None else '?'}"


def _pool_rows(cmp: CompareResult) -> list[tuple[str, list[str]]]:
    """One row per free pool any plan draws from: the share of the allowance each plan uses."""
    order: list[str] = []
    for p in cmp.plans:
        order += [u.pool for u in p.free_tier if u.pool not in order]
    rows = []
    for pool in order:
        cells = []
        for p in cmp.plans:
            use = next((u for u in p.free_tier if u.pool == pool), None)
            cells.append("-" if use is None else _pool_cell(use.used, use.allowance))
        rows.append((pool, cells))
    return rows


def _quota_rows(cmp: CompareResult) -> list[tuple[str, list[str]]]:
    order: list[tuple[str, str | None]] = []
    for p in cmp.plans:
        order += [(q.key, q.region) for q in p.quotas if (q.key, q.region) not in order]
    rows = []
    for key, region in order:
        cells = []
        for p in cmp.plans:
            q = next((q for q in p.quotas if (q.key, q.region) == (key, region)), None)
            cells.append("-" if q is None else _quota_cell(q.used, q.limit))
        rows.append((f"{key}{' ' + region if region else ''}", cells))
    return rows


def _job_value(job: Any, key: str) -> Any:
    return job.get(key) if isinstance(job, dict) else getattr(job, key, None)


def job_rows(cmp: CompareResult) -> list[tuple[str, list[str]]]:
    """One row per batch job name: how long it takes on each plan (median of the simulated runs)."""
    order: list[str] = []
    for p in cmp.plans:
        order += [str(_job_value(j, "name")) for j in p.result.jobs if str(_job_value(j, "name")) not in order]
    rows = []
    for name in order:
        cells = []
        for p in cmp.plans:
            job = next((j for j in p.result.jobs if str(_job_value(j, "name")) == name), None)
            hours = None if job is None else _job_value(job, "makespan_hours_p50")
            if job is None:
                cells.append("-")
            elif _job_value(job, "feasible") is False:
                cells.append("cannot run")
            else:
                cells.append(f"{float(hours):,.1f} h" if hours is not None else "?")
        rows.append((name, cells))
    return rows


def _codes(findings: list[Finding]) -> str:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.code] = counts.get(f.code, 0) + 1
    return ", ".join(f"{code}×{n}" if n > 1 else code for code, n in counts.items()) or "-"


# -- compare: JSON -------------------------------------------------------------------------------------------
def compare_to_dict(cmp: CompareResult) -> dict[str, Any]:
    plans = []
    for p in cmp.plans:
        plans.append(
            {
                "plan": p.plan,
                "label": p.label,
                "file": p.file,
                "total_monthly_cost": num(p.total_monthly_cost),
                "total_yearly_cost": num(p.total_yearly_cost),
                "fits": p.fits,
                "errors": len(p.errors),
                "warnings": len(p.warnings),
                "delta_vs_cheapest": num(p.delta_vs_cheapest),
                "cost_by_category": {k: num(v) for k, v in p.cost_by_category.items()},
                "error_findings": [_finding(f) for f in p.errors],
                "limit_findings": [_finding(f) for f in p.limit_findings],
                "free_tier": [_pool(u) for u in p.free_tier],
                "quotas": [_quota(q) for q in p.quotas],
                "catalog": {"as_of": p.result.catalog_as_of.isoformat()},
            }
        )
        if p.result.jobs:
            plans[-1]["jobs"] = [_plain_json(j.to_dict() if hasattr(j, "to_dict") else j) for j in p.result.jobs]
    return {
        "plans": plans,
        "cheapest_fitting": cmp.cheapest_fitting,
        "cheapest_fitting_index": cmp.cheapest_index,
        "categories": cmp.categories,
        "currency": cmp.plans[0].result.currency if cmp.plans else "USD",
    }


@renderer("compare", "json")
def render_compare_json(cmp: CompareResult, **_: Any) -> str:
    return json.dumps(compare_to_dict(cmp), indent=2, ensure_ascii=False) + "\n"


# -- compare: Markdown ---------------------------------------------------------------------------------------
def compare_md(cmp: CompareResult) -> list[str]:
    best = cmp.cheapest
    head = (
        f"**{best.label}** is the cheapest plan that fits: {money(best.total_monthly_cost)}/month"
        if best
        else "**No plan fits**: every plan has at least one error finding."
    )
    cols = [p.label for p in cmp.plans]
    lines = [
        f"### infrafit compare: {len(cmp.plans)} plans",
        "",
        head,
        "",
        "| | " + " | ".join(cell(c) for c in cols) + " |",
        "|---|" + "---:|" * len(cols),
    ]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(v) for v in values) + " |")

    row("**monthly**", [f"**{money(p.total_monthly_cost)}**" for p in cmp.plans])
    row("yearly", [money(p.total_yearly_cost) for p in cmp.plans])
    if best is not None:
        row("vs cheapest", [signed_money(p.delta_vs_cheapest or Decimal(0)) for p in cmp.plans])
    for c in cmp.categories:
        row(c, [money(p.cost_by_category.get(c, Decimal(0))) for p in cmp.plans])
    for name, cells in job_rows(cmp):
        row(f"job {name} (p50)", cells)
    row("errors", [str(len(p.errors)) for p in cmp.plans])
    row("warnings", [str(len(p.warnings)) for p in cmp.plans])
    row("quota / limit findings", [_codes(p.limit_findings) for p in cmp.plans])
    row(
        "**verdict**",
        [
            ("✅ **" if i == cmp.cheapest_index else "✅ " if p.fits else "❌ ")
            + verdict(p, i == cmp.cheapest_index)
            + ("**" if i == cmp.cheapest_index else "")
            for i, p in enumerate(cmp.plans)
        ],
    )
    lines.append("")
    if any(p.errors for p in cmp.plans):
        lines += ["<details><summary>Errors</summary>", ""]
        for p in cmp.plans:
            if p.errors:
                lines.append(f"**{cell(p.label)}**")
                lines.append("")
                lines += [f"- ❌ {cell(finding_line(f))}" for f in p.errors]
                lines.append("")
        lines += ["</details>", ""]
    pool_rows = _pool_rows(cmp)
    if pool_rows:
        lines += details_table(
            "Free tier: share of each allowance used",
            ["pool", *(cell(c) + ":" for c in cols)],
            [[f"`{pool}`", *cells] for pool, cells in pool_rows],
        )
    quota_rows = _quota_rows(cmp)
    if quota_rows:
        lines += details_table(
            "Quotas: used / limit",
            ["quota", *(cell(c) + ":" for c in cols)],
            [[f"`{q}`", *cells] for q, cells in quota_rows],
        )
    for p in cmp.plans:
        lines += [
            f"<details><summary>{cell(p.label)}: resources ({money(p.total_monthly_cost)}/month)</summary>",
            "",
            "| resource | service | monthly |",
            "|---|---|---:|",
        ]
        lines += [
            f"| {cell(r.name)} | {cell(describe_resource(r))} | {money(r.monthly_cost)} |" for r in p.result.resources
        ]
        lines += ["", "</details>", ""]
    as_of = sorted({p.result.catalog_as_of.isoformat() for p in cmp.plans})
    lines.append(f"<sub>infrafit · catalog as of {', '.join(as_of)}</sub>")
    return lines


@renderer("compare", "markdown")
def render_compare_markdown(cmp: CompareResult, **_: Any) -> str:
    return "\n".join(compare_md(cmp)).rstrip() + "\n"


# -- compare: table ------------------------------------------------------------------------------------------
@renderer("compare", "table")
def render_compare_table(cmp: CompareResult, width: int | None = None, color: bool = False, **_: Any) -> str:
    from rich.table import Table
    from rich.text import Text

    from infrafit.report.table import SEVERITY_STYLE, to_text

    parts: list[Any] = []
    best = cmp.cheapest
    if best is not None:
        parts.append(
            Text.assemble(
                ("cheapest that fits: ", "bold"),
                (best.label, "bold green"),
                f"  {money(best.total_monthly_cost)}/month ({money(best.total_yearly_cost)}/year)",
            )
        )
    else:
        parts.append(Text("no plan fits: every plan has at least one error finding", style="bold red"))
    table = Table(title="Plans side by side", title_justify="left")
    table.add_column("")
    for p in cmp.plans:
        table.add_column(p.label, justify="right", style="bold" if p is best else None)
    table.add_row(Text("monthly", style="bold"), *[Text(money(p.total_monthly_cost), style="bold") for p in cmp.plans])
    table.add_row("yearly", *[money(p.total_yearly_cost) for p in cmp.plans])
    if best is not None:
        table.add_row("vs cheapest", *[signed_money(p.delta_vs_cheapest or Decimal(0)) for p in cmp.plans])
    table.add_section()
    for c in cmp.categories:
        table.add_row(c, *[money(p.cost_by_category.get(c, Decimal(0))) for p in cmp.plans])
    pool_rows, quota_rows = _pool_rows(cmp), _quota_rows(cmp)
    if pool_rows:
        table.add_section()
        for pool, cells in pool_rows:
            table.add_row(Text(f"free: {pool}", style="dim"), *cells)
    if quota_rows:
        table.add_section()
        for quota, cells in quota_rows:
            table.add_row(Text(f"quota: {quota}", style="dim"), *cells)
    jobs = job_rows(cmp)
    if jobs:
        table.add_section()
        for name, cells in jobs:
            table.add_row(f"job {name} (p50)", *cells)
    table.add_section()
    table.add_row("errors", *[Text(str(len(p.errors)), style="red" if p.errors else "") for p in cmp.plans])
    table.add_row("warnings", *[str(len(p.warnings)) for p in cmp.plans])
    table.add_row("quota / limit findings", *[_codes(p.limit_findings) for p in cmp.plans])
    table.add_section()
    table.add_row(
        Text("verdict", style="bold"),
        *[
            Text(
                verdict(p, i == cmp.cheapest_index),
                style="bold green" if i == cmp.cheapest_index else ("green" if p.fits else "bold red"),
            )
            for i, p in enumerate(cmp.plans)
        ],
    )
    parts.append(table)
    if any(p.errors for p in cmp.plans):
        errs = Table(title="Errors", title_justify="left", show_lines=True)
        errs.add_column("plan")
        errs.add_column("code")
        errs.add_column("message", overflow="fold")
        for p in cmp.plans:
            for f in p.errors:
                msg = f.message + (f"\nfix: {f.fix}" if f.fix else "")
                errs.add_row(p.label, Text(f.code, style=SEVERITY_STYLE["error"]), msg)
        parts.append(errs)
    return to_text(parts, width, color)


# -- diff: JSON ----------------------------------------------------------------------------------------------
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
        "changes": [
            {"field": c.field, "before": _plain_json(c.before), "after": _plain_json(c.after)} for c in r.changes
        ],
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
    return {**_finding(c.finding), "key": list(c.key[:3])}


def diff_to_dict(d: DiffResult) -> dict[str, Any]:
    return {
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
        "findings": {
            "appeared": [_finding_change(c) for c in sorted_changes(d.appeared)],
            "disappeared": [_finding_change(c) for c in sorted_changes(d.disappeared)],
            "kept": len(d.kept),
        },
    }


@renderer("diff", "json")
def render_diff_json(d: DiffResult, **_: Any) -> str:
    return json.dumps(diff_to_dict(d), indent=2, ensure_ascii=False) + "\n"


# -- diff: Markdown ------------------------------------------------------------------------------------------
def _arrow(before: str, after: str) -> str:
    return before if before == after else f"{before} → {after}"


def diff_md(d: DiffResult) -> list[str]:
    b, a = d.before, d.after
    delta = d.delta_monthly_cost
    trend = "📈" if delta > 0 else ("📉" if delta < 0 else "➖")
    fit = "✅ fits" if a.fits else f"❌ {fit_text(a)}"
    if b.fits != a.fits:
        fit += f" (before: {fit_text(b)})"
    new_errors = [c for c in d.appeared if c.finding.severity == "error"]
    gone_errors = [c for c in d.disappeared if c.finding.severity == "error"]
    lines = [
        f"### infrafit diff: {cell(b.plan)} → {cell(a.plan)}",
        "",
        f"{trend} **{money(b.total_monthly_cost)} → {money(a.total_monthly_cost)}/month** "
        f"({signed_money(delta)}, {signed_pct(d.delta_percent)}) · {signed_money(d.delta_yearly_cost)}/year · {fit}",
        "",
        "| | before | after | change |",
        "|---|---:|---:|---:|",
        f"| monthly | {money(b.total_monthly_cost)} | {money(a.total_monthly_cost)} | {signed_money(delta)} |",
        f"| yearly | {money(b.total_monthly_cost * 12)} | {money(a.total_monthly_cost * 12)} | "
        f"{signed_money(d.delta_yearly_cost)} |",
    ]
    vb, va = d.vcpu
    mb, ma = d.memory_bytes
    lines.append(f"| vCPU | {qty(vb)} | {qty(va)} | {_signed_qty(va - vb)} |")
    lines.append(
        f"| memory | {mem(mb)} | {mem(ma)} | {('+' if ma > mb else '-') + mem(abs(ma - mb)) if ma != mb else '0'} |"
    )
    for q in d.quotas:
        where = f" ({q.region})" if q.region else ""
        mark_b = " ❌" if q.over_before else ""
        mark_a = " ❌" if q.over_after else (" ✅" if q.limit_after is not None and q.used_after is not None else "")
        change = _signed_qty((q.used_after or Decimal(0)) - (q.used_before or Decimal(0)))
        lines.append(
            f"| `{q.key}`{where} used / limit | {_quota_cell(q.used_before, q.limit_before)}{mark_b} | "
            f"{_quota_cell(q.used_after, q.limit_after)}{mark_a} | {change} |"
        )
    lines.append(
        f"| errors | {len(b.errors)} | {len(a.errors)} | {_signed_qty(Decimal(len(a.errors) - len(b.errors)))} |"
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
    still = [c for c in d.kept if c.finding.severity == "error"]
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
    for title, items, icon in (
        ("Findings that appeared", d.appeared, None),
        ("Findings that went away", d.disappeared, "✅"),
    ):
        if not items:
            continue
        lines += [f"<details><summary>{title} ({len(items)})</summary>", "", "| | code | message |", "|---|---|---|"]
        for fc in sorted_changes(items):
            f = fc.finding
            sev = f"{icon or ICON.get(f.severity, '')} {f.severity}"
            fix = f" — fix: {f.fix}" if f.fix else ""
            lines.append(f"| {sev} | `{f.code}` | {cell(f.message + fix)} |")
        lines += ["", "</details>", ""]
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
                f"| `{p.pool}` | {qty(p.allowance)} {p.unit}{per} | {_pool_cell(p.used_before, p.allowance)} | "
                f"{_pool_cell(p.used_after, p.allowance)} |"
            )
        lines += ["", "</details>", ""]
    as_of = sorted({b.catalog_as_of.isoformat(), a.catalog_as_of.isoformat()})
    lines.append(
        f"<sub>infrafit · {cell(b.file or b.plan)} → {cell(a.file or a.plan)} · catalog as of {', '.join(as_of)}</sub>"
    )
    return lines


def _signed_qty(value: Decimal) -> str:
    if value == 0:
        return "0"
    return ("+" if value > 0 else "-") + qty(abs(value))


@renderer("diff", "markdown")
def render_diff_markdown(d: DiffResult, **_: Any) -> str:
    return "\n".join(diff_md(d)).rstrip() + "\n"


# -- diff: table ---------------------------------------------------------------------------------------------
@renderer("diff", "table")
def render_diff_table(d: DiffResult, width: int | None = None, color: bool = False, **_: Any) -> str:
    from rich.table import Table
    from rich.text import Text

    from infrafit.report.table import SEVERITY_STYLE, to_text

    b, a = d.before, d.after
    delta = d.delta_monthly_cost
    style = "red" if delta > 0 else ("green" if delta < 0 else "")
    parts: list[Any] = [
        Text.assemble(
            (f"{b.plan} → {a.plan}", "bold"),
            "  ",
            (f"{money(b.total_monthly_cost)} → {money(a.total_monthly_cost)}/month", "bold"),
            "  ",
            (f"{signed_money(delta)} ({signed_pct(d.delta_percent)})", f"bold {style}".strip()),
            f"  {signed_money(d.delta_yearly_cost)}/year  ",
            (fit_text(a), "bold green" if a.fits else "bold red"),
        ),
        Text(f"{b.file or b.plan} → {a.file or a.plan}", style="dim"),
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
    vb, va = d.vcpu
    mb, ma = d.memory_bytes
    totals.add_row("vCPU", qty(vb), qty(va), _signed_qty(va - vb))
    totals.add_row("memory", mem(mb), mem(ma), "" if ma == mb else ("+" if ma > mb else "-") + mem(abs(ma - mb)))
    for q in d.quotas:
        label = f"{q.key}{' ' + q.region if q.region else ''} (used / limit)"
        totals.add_row(
            label,
            Text(_quota_cell(q.used_before, q.limit_before), style="red" if q.over_before else ""),
            Text(_quota_cell(q.used_after, q.limit_after), style="bold red" if q.over_after else "green"),
            _signed_qty((q.used_after or Decimal(0)) - (q.used_before or Decimal(0))),
        )
    totals.add_row(
        "errors", str(len(b.errors)), str(len(a.errors)), _signed_qty(Decimal(len(a.errors) - len(b.errors)))
    )
    parts.append(totals)
    changed = d.changed
    if changed:
        res = Table(title="Resources that changed", title_justify="left")
        for col, justify in (
            ("resource", "left"),
            ("change", "left"),
            ("before", "right"),
            ("after", "right"),
            ("Δ month", "right"),
            ("Δ year", "right"),
        ):
            res.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for r in changed:
            s = "red" if r.delta_monthly_cost > 0 else ("green" if r.delta_monthly_cost < 0 else "")
            res.add_row(
                r.name,
                change_text(r),
                money(r.cost_before),
                money(r.cost_after),
                Text(signed_money(r.delta_monthly_cost), style=s),
                signed_money(r.delta_yearly_cost),
            )
        parts.append(res)
    else:
        parts.append(Text("no resource changed", style="dim"))
    if d.appeared or d.disappeared:
        fnd = Table(title="Findings", title_justify="left", show_lines=True)
        fnd.add_column("")
        fnd.add_column("severity")
        fnd.add_column("code")
        fnd.add_column("message", overflow="fold")
        for label, items in (("new", d.appeared), ("resolved", d.disappeared)):
            for change in sorted_changes(items):
                f = change.finding
                msg = f.message + (f"\nfix: {f.fix}" if f.fix else "")
                fnd.add_row(
                    Text(label, style="bold" if label == "new" else "green"),
                    Text(f.severity, style=SEVERITY_STYLE.get(f.severity, "")),
                    f.code,
                    msg,
                )
        parts.append(fnd)
    return to_text(parts, width, color)
