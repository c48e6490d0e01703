"""``compare`` (plans side by side) as JSON, Markdown and a terminal table. Markdown is written for pull-request
comments: the summary first, details folded, and the same text on every run for the same inputs."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from infrafit.decisions.comparison import CompareResult, PlanSummary
from infrafit.report import renderer
from infrafit.report.cost_ranges import distribution_json, fmoney, probability_text, range_text, signed_fmoney
from infrafit.report.fmt import money, signed_money
from infrafit.report.grid import MARKDOWN, Cell, Column, Grid, Row
from infrafit.report.json_report import JSON_VERSION, finding_json, num, pool_json, quota_json
from infrafit.report.markdown import cell, code, details_table, html_text
from infrafit.report.provenance import catalog_phrase_many, overlay_json
from infrafit.report.sections.base import View, section_reports, sections_of
from infrafit.report.wording import codes, describe_resource, finding_line, pool_share, used_of_limit, verdict

ZERO = Decimal(0)


def pool_rows(cmp: CompareResult) -> list[tuple[str, list[str]]]:
    """One row per free pool any plan draws from: the share of the allowance each plan uses."""
    order: list[str] = []
    for p in cmp.plans:
        order += [u.pool for u in p.free_tier if u.pool not in order]
    rows = []
    for pool in order:
        cells = []
        for p in cmp.plans:
            use = next((u for u in p.free_tier if u.pool == pool), None)
            cells.append("-" if use is None else pool_share(use.used, use.allowance))
        rows.append((pool, cells))
    return rows


def quota_rows(cmp: CompareResult) -> list[tuple[str, list[str]]]:
    order: list[tuple[str, str | None]] = []
    for p in cmp.plans:
        order += [(q.key, q.region) for q in p.quotas if (q.key, q.region) not in order]
    rows = []
    for key, region in order:
        cells = []
        for p in cmp.plans:
            q = next((q for q in p.quotas if (q.key, q.region) == (key, region)), None)
            cells.append("-" if q is None else used_of_limit(q.used, q.limit))
        rows.append((f"{key}{' ' + region if region else ''}", cells))
    return rows


def plan_sections(cmp: CompareResult) -> list[tuple[View[Any], list[list[Any]]]]:
    """The sections some plan has, each with every plan's reports of it (empty where a plan has none)."""
    per_plan = [section_reports(p.result) for p in cmp.plans]
    found: list[View[Any]] = []
    for p in cmp.plans:
        found += [v for v, _ in sections_of(p.result) if v not in found]
    return [(v, [reports.get(v.key, []) for reports in per_plan]) for v in found]


def section_rows(cmp: CompareResult) -> list[tuple[View[Any], list[Row]]]:
    """Each section's side-by-side rows."""
    return [(v, rows) for v, per_plan in plan_sections(cmp) if (rows := v.compare_rows(per_plan))]


# -- cost ranges ---------------------------------------------------------------------------------------------
def range_rows(cmp: CompareResult) -> list[tuple[str, list[str]]]:
    """The rows a comparison with ranges adds under the point total: rank, p50, p5–p95, P(cheapest), and the p50
    above the cheapest plan's (in place of the point total's "vs cheapest": the ranking is by p50)."""
    if not cmp.has_ranges:
        return []
    rows = [
        ("rank by p50", [str(p.rank) if p.rank else "-" for p in cmp.plans]),
        ("p50", [fmoney(p.p50) for p in cmp.plans]),
        ("p5–p95", [range_text(p.p5, p.p95) for p in cmp.plans]),
        ("P(cheapest)", [probability_text(p.cheapest_probability) for p in cmp.plans]),
    ]
    best = cmp.cheapest
    if best is not None:
        rows.append(("p50 vs cheapest", [signed_fmoney(p.p50 - best.p50) for p in cmp.plans]))
    return rows


def ranged_headline(best: PlanSummary) -> str:
    """What the cheapest plan that fits costs, by its median: ``p50 $x/month (p5–p95 $a–$b), cheapest in 73% of
    samples``."""
    return (
        f"p50 {fmoney(best.p50)}/month (p5–p95 {range_text(best.p5, best.p95)}), "
        f"cheapest in {probability_text(best.cheapest_probability)} of samples"
    )


# -- JSON ----------------------------------------------------------------------------------------------------
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
                "error_findings": [finding_json(f) for f in p.errors],
                "limit_findings": [finding_json(f) for f in p.limit_findings],
                "free_tier": [pool_json(u) for u in p.free_tier],
                "quotas": [quota_json(q) for q in p.quotas],
                "catalog": {"as_of": p.result.catalog_as_of.isoformat()},
                "catalog_overlay": overlay_json(p.result.catalog_overlay),
            }
        )
        if cmp.has_ranges:  # only then: reports of plans without ranges stay as they were
            plans[-1]["cost_distribution"] = distribution_json(p.distribution)
            plans[-1]["cheapest_probability"] = (
                None if p.cheapest_probability is None else round(p.cheapest_probability, 4)
            )
            plans[-1]["rank"] = p.rank
        for view, reports in sections_of(p.result):
            plans[-1][view.key] = [view.to_json(r) for r in reports]
    out: dict[str, Any] = {
        "version": JSON_VERSION,
        "plans": plans,
        "cheapest_fitting": cmp.cheapest_fitting,
        "cheapest_fitting_index": cmp.cheapest_index,
        "categories": cmp.categories,
        "currency": cmp.plans[0].result.currency if cmp.plans else "USD",
    }
    if cmp.has_ranges:
        out["ranked_by"] = cmp.ranked_by
        out["probability_note"] = cmp.probability_note
    return out


@renderer("compare", "json")
def render_compare_json(cmp: CompareResult, **_: Any) -> str:
    return json.dumps(compare_to_dict(cmp), indent=2, ensure_ascii=False) + "\n"


# -- Markdown ------------------------------------------------------------------------------------------------
def compare_md(cmp: CompareResult) -> list[str]:
    best = cmp.cheapest
    head = (
        f"**{cell(best.label)}** is the cheapest plan that fits: {money(best.total_monthly_cost)}/month"
        if best
        else "**No plan fits**: every plan has at least one error finding."
    )
    if best and cmp.has_ranges:
        head = f"**{cell(best.label)}** is the cheapest plan that fits by median cost: {ranged_headline(best)}"
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
        """A row of Markdown already escaped (figures and fixed words need none)."""
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    row("**monthly**", [f"**{money(p.total_monthly_cost)}**" for p in cmp.plans])
    for label, values in range_rows(cmp):
        row(label, values)
    row("yearly", [money(p.total_yearly_cost) for p in cmp.plans])
    if best is not None and not cmp.has_ranges:  # with ranges: "p50 vs cheapest", above
        row("vs cheapest", [signed_money(p.delta_vs_cheapest or ZERO) for p in cmp.plans])
    for c in cmp.categories:
        row(c, [money(p.cost_by_category.get(c, ZERO)) for p in cmp.plans])
    for _view, section in section_rows(cmp):
        for r in section:
            row(cell(r.cells[0].text_in(MARKDOWN)), [cell(c.text_in(MARKDOWN)) for c in r.cells[1:]])
    row("errors", [str(len(p.errors)) for p in cmp.plans])
    row("warnings", [str(len(p.warnings)) for p in cmp.plans])
    row("quota / limit findings", [cell(codes(p.limit_findings)) for p in cmp.plans])
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
    if cmp.has_ranges:
        lines += [ranges_note(cmp), ""]
    if any(p.errors for p in cmp.plans):
        lines += ["<details><summary>Errors</summary>", ""]
        for p in cmp.plans:
            if p.errors:
                lines += [f"**{cell(p.label)}**", ""]
                lines += [f"- ❌ {cell(finding_line(f))}" for f in p.errors]
                lines.append("")
        lines += ["</details>", ""]
    pools = pool_rows(cmp)
    if pools:
        lines += details_table(
            "Free tier: share of each allowance used",
            ["pool", *(cell(c) + ":" for c in cols)],
            [[code(pool), *cells] for pool, cells in pools],
        )
    quotas = quota_rows(cmp)
    if quotas:
        lines += details_table(
            "Quotas: used / limit",
            ["quota", *(cell(c) + ":" for c in cols)],
            [[code(q), *cells] for q, cells in quotas],
        )
    for p in cmp.plans:
        lines += [
            f"<details><summary>{html_text(p.label)}: resources ({money(p.total_monthly_cost)}/month)</summary>",
            "",
            "| resource | service | monthly |",
            "|---|---|---:|",
        ]
        lines += [
            f"| {cell(r.name)} | {cell(describe_resource(r))} | {money(r.monthly_cost)} |" for r in p.result.resources
        ]
        lines += ["", "</details>", ""]
    lines.append(f"<sub>infrafit · {catalog_phrase_many(p.result for p in cmp.plans)}</sub>")
    return lines


@renderer("compare", "markdown")
def render_compare_markdown(cmp: CompareResult, **_: Any) -> str:
    return "\n".join(compare_md(cmp)).rstrip() + "\n"


def ranges_note(cmp: CompareResult) -> str:
    """How the ranges read: what monthly, p50 and P(cheapest) mean here, and why draws are not common if not."""
    note = (
        "monthly: every uncertain input at its median; p50, p5–p95: the sampled monthly cost; P(cheapest): "
        "share of samples in which the plan is the cheapest that fits (a plan without ranges costs its monthly "
        "total in every sample)"
    )
    return note + (f"; {cmp.probability_note}" if cmp.probability_note else "")


# -- terminal ------------------------------------------------------------------------------------------------
def errors_grid(cmp: CompareResult) -> Grid:
    rows = [
        Row(
            cells=[
                Cell(text=p.label),
                Cell(text=f.code, tone="bad", strong=True),
                Cell(text=f.message, fix=f.fix or ""),
            ]
        )
        for p in cmp.plans
        for f in p.errors
    ]
    columns = [Column(title="plan", key=True), Column(title="code", key=True), Column(title="message", fold=True)]
    return Grid(title="Errors", columns=columns, rows=rows, lines=True, heading=2)


@renderer("compare", "table")
def render_compare_table(cmp: CompareResult, width: int | None = None, color: bool = False, **_: Any) -> str:
    """The plans side by side; pools and quotas as rows when they fit, else as a line per plan under the table."""
    from rich.padding import Padding
    from rich.text import Text

    from infrafit.report.terminal import clean, draw_grid, fits, is_narrow, to_text

    parts: list[Any] = []
    best = cmp.cheapest
    if best is not None and cmp.has_ranges:
        parts.append(
            Text.assemble(
                ("cheapest that fits by median cost: ", "bold"),
                (clean(best.label), "bold green"),
                f"  {ranged_headline(best)}",
            )
        )
    elif best is not None:
        parts.append(
            Text.assemble(
                ("cheapest that fits: ", "bold"),
                (clean(best.label), "bold green"),
                f"  {money(best.total_monthly_cost)}/month ({money(best.total_yearly_cost)}/year)",
            )
        )
    else:
        parts.append(Text("no plan fits: every plan has at least one error finding", style="bold red"))
    shares = [("free", pool_rows(cmp)), ("quota", quota_rows(cmp))]
    table = _side_by_side(cmp, shares, width)
    if is_narrow(width) or not fits(table, width):
        table = _side_by_side(cmp, [], width)
        parts += [table] if fits(table, width) else _cards(table)
        for title, rows in shares:
            if not rows:
                continue
            parts.append(Text("Free tier: share of each allowance used" if title == "free" else "Quotas: used / limit"))
            for i, p in enumerate(cmp.plans):
                used = [f"{label} {cells[i]}" for label, cells in rows if cells[i] != "-"]
                if used:
                    line = Text.assemble((clean(p.label), "bold"), ": ", clean(", ".join(used)), overflow="fold")
                    parts.append(Padding(line, (0, 0, 0, 2), expand=False))
    else:
        parts.append(table)
    if cmp.has_ranges:
        parts.append(Text(ranges_note(cmp), style="dim"))
    parts += draw_grid(errors_grid(cmp), width)
    return to_text(parts, width, color)


def _cards(table: Any) -> list[Any]:
    """The side-by-side table turned a plan per block, for a terminal too narrow for its columns: the plan's name
    whole on a line, then each row's label and value."""
    from rich.padding import Padding
    from rich.text import Text

    labels = [getattr(c, "plain", str(c)) for c in table.columns[0].cells]
    out: list[Any] = [Text("Plans", style="bold underline")]
    for column in table.columns[1:]:
        out.append(Text(getattr(column.header, "plain", str(column.header)), style="bold", overflow="fold"))
        pairs = Text(overflow="fold")
        for label, value in zip(labels, column.cells, strict=True):
            shown = getattr(value, "plain", str(value)).strip()
            if label and shown not in ("", "-"):
                pairs.append((" · " if pairs else "") + f"{label} ", "dim")
                pairs.append(shown)
        out.append(Padding(pairs, (0, 0, 0, 2), expand=False))
    return out


def _side_by_side(cmp: CompareResult, shares: list[tuple[str, list[tuple[str, list[str]]]]], width: int | None) -> Any:
    from rich.table import Table
    from rich.text import Text

    from infrafit.report.terminal import clean, rich_cell, text

    best = cmp.cheapest
    labels = [f"{title}: {label}" for title, rows in shares for label, _ in rows]
    table = Table(title="Plans side by side", title_justify="left")
    table.add_column("", min_width=max((len(x) for x in labels), default=None), overflow="fold")
    for p in cmp.plans:
        whole = max((len(word) for word in clean(p.label).split()), default=0)  # a name breaks at spaces only
        table.add_column(
            text(p.label), justify="right", style="bold" if p is best else None, overflow="fold", min_width=whole
        )
    table.add_row(Text("monthly", style="bold"), *[Text(money(p.total_monthly_cost), style="bold") for p in cmp.plans])
    for label, values in range_rows(cmp):
        table.add_row(label, *values)
    table.add_row("yearly", *[money(p.total_yearly_cost) for p in cmp.plans])
    if best is not None and not cmp.has_ranges:
        table.add_row("vs cheapest", *[signed_money(p.delta_vs_cheapest or ZERO) for p in cmp.plans])
    table.add_section()
    for c in cmp.categories:
        table.add_row(c, *[money(p.cost_by_category.get(c, ZERO)) for p in cmp.plans])
    for title, rows in shares:
        if rows:
            table.add_section()
            for label, cells in rows:
                table.add_row(Text(f"{title}: {label}", style="dim"), *cells)
    for _view, section in section_rows(cmp):
        table.add_section()
        for r in section:
            table.add_row(*[rich_cell(c) for c in r.cells])
    table.add_section()
    table.add_row("errors", *[Text(str(len(p.errors)), style="red" if p.errors else "") for p in cmp.plans])
    table.add_row("warnings", *[str(len(p.warnings)) for p in cmp.plans])
    table.add_row("quota / limit findings", *[codes(p.limit_findings) for p in cmp.plans])
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
    return table
