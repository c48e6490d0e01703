"""``check``: each table of a result written once as a :class:`~infrafit.report.grid.Grid` (cost lines, resources,
free-tier pools, quotas, findings, overrides), and the terminal and Markdown layouts that draw them with each
section's view. The HTML layout is :mod:`infrafit.report.html.check`."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from typing import Any

from infrafit.engine.result import Component, ResourceResult, Result
from infrafit.report import renderer
from infrafit.report.findings import DEFAULT_MIN_SEVERITY, findings_grid, hidden_line, hidden_title, split
from infrafit.report.fmt import mem, money, pct, qty
from infrafit.report.grid import (
    ALL,
    BLANK,
    HTML,
    MARKDOWN,
    NOWHERE,
    ONLY_HTML,
    ONLY_MARKDOWN,
    ONLY_TERMINAL,
    T_AND_H,
    TERMINAL,
    Cell,
    Column,
    Grid,
    Row,
)
from infrafit.report.markdown import cell, notes, to_markdown
from infrafit.report.provenance import catalog_phrase
from infrafit.report.ranges import range_grids, range_line
from infrafit.report.sections.base import sections_of
from infrafit.report.wording import beyond, fit_text, pool_tone, quota_status

ZERO = Decimal(0)
NOT_IN_TERMINAL = MappingProxyType({TERMINAL: ""})
__all__ = ["cost_grid", "findings_grid", "overrides_grid", "pools_grid", "quotas_grid", "resources_grid"]


def hard_pools(result: Result) -> frozenset[str]:
    return frozenset(p.pool for p in result.free_tier if p.hard)


def refused_quantity(c: Component, hard: frozenset[str]) -> Decimal:
    """Usage a free plan's hard cap refuses: neither free nor billed (``quantity - free``, billable being 0)."""
    if c.billable_quantity == 0 and c.quantity > c.free_quantity and any(p in hard for p in c.pools):
        return c.quantity - c.free_quantity
    return ZERO


def _resource_line(res: ResourceResult) -> str:
    """What a resource is, after its name: service, region, type, plan and count (when not one)."""
    count = f"x{res.count}" if res.count != 1 else None
    return " ".join(x for x in (res.service, res.region, res.type, res.plan and f"plan {res.plan}", count) if x)


def cost_grid(result: Result) -> Grid:
    """Every priced line; the terminal groups them under a subtotal row per resource and ends with the total.
    A ``refused`` column appears when a hard cap refuses some usage."""
    hard = hard_pools(result)
    any_refused = any(refused_quantity(c, hard) for r in result.resources for c in r.components)
    rows: list[Row] = []
    for res in result.resources:
        head = [Cell(text=res.name, strong=True), Cell(text=_resource_line(res), tone="dim")]
        rows.append(
            Row(
                formats=ONLY_TERMINAL,
                cells=[*head, *[BLANK] * 6, Cell(text=money(res.monthly_cost), strong=True), BLANK],
            )
        )
        for c in res.components:
            refused = refused_quantity(c, hard)
            rows.append(
                Row(
                    cells=[
                        Cell(text=res.name, alt=NOT_IN_TERMINAL),
                        Cell(text=c.name),
                        Cell(text=str(c.category)),
                        Cell(text=f"{qty(c.quantity)} {c.unit}"),
                        Cell(text=qty(c.free_quantity)),
                        Cell(text=qty(c.billable_quantity)),
                        Cell(text=qty(refused), tone="bad") if refused else Cell(text="-"),
                        Cell(text=c.price_text),
                        Cell(text=money(c.cost)),
                        Cell(href=c.source or "", note=str(c.as_of) if c.as_of else ""),
                    ]
                )
            )
    total = Cell(text=money(result.total_monthly_cost), strong=True)
    rows.append(Row(formats=ONLY_TERMINAL, cells=[Cell(text="total", strong=True), *[BLANK] * 7, total, BLANK]))
    return Grid(
        title="Cost lines",
        titles={TERMINAL: "Cost", HTML: "Cost lines, with the price and its source"},
        folded=True,
        columns=[
            Column(title="resource", key=True),
            Column(title="line"),
            Column(title="category", formats=ONLY_HTML),
            Column(title="quantity", numeric=True),
            Column(title="free", numeric=True),
            Column(title="billable", numeric=True),
            Column(title="refused", numeric=True, formats=ALL if any_refused else NOWHERE),
            Column(title="price"),
            Column(title="cost", numeric=True),
            Column(title="source", formats=ONLY_HTML),
        ],
        rows=rows,
    )


def cost_cards(result: Result) -> list[Any]:
    """The cost as a narrow terminal shows it: a resource per block, a priced line per line under it."""
    from rich.padding import Padding
    from rich.text import Text

    from infrafit.report.terminal import clean

    hard = hard_pools(result)
    out: list[Any] = [Text("Cost", style="bold underline")]
    for res in result.resources:
        out.append(
            Text.assemble(
                (clean(res.name), "bold"),
                "  ",
                (money(res.monthly_cost), "bold"),
                "  ",
                (_resource_line(res), "dim"),
                overflow="fold",
            )
        )
        for c in res.components:
            line = Text(overflow="fold")
            line.append(f"{c.name}: {qty(c.quantity)} {c.unit}")
            if c.free_quantity:
                line.append(f" · free {qty(c.free_quantity)}", "dim")
            if c.billable_quantity and c.billable_quantity != c.quantity:
                line.append(f" · billable {qty(c.billable_quantity)}", "dim")
            refused = refused_quantity(c, hard)
            if refused:
                line.append(f" · refused {qty(refused)}", "red")
            line.append(f" · {c.price_text} → {money(c.cost)}")
            out.append(Padding(line, (0, 0, 0, 2), expand=False))
    out.append(Text.assemble(("total  ", "bold"), (money(result.total_monthly_cost), "bold")))
    return out


def resources_grid(result: Result) -> Grid:
    """One row per resource and the total (Markdown's summary, HTML's resources table)."""
    rows = []
    for r in result.resources:
        tp = " / ".join(x for x in (r.type, r.plan) if x) or "-"
        count = f" ×{r.count}" if r.count != 1 else ""
        rows.append(
            Row(
                cells=[
                    Cell(text=r.name, strong=True, alt={MARKDOWN: r.name + count}),
                    Cell(text=r.service, code=True),
                    Cell(text=r.region or "-"),
                    Cell(text=tp),
                    Cell(text=tp),
                    Cell(text=str(r.count)),
                    Cell(text=qty(r.vcpu) if r.vcpu else "-"),
                    Cell(text=mem(r.memory_bytes) if r.memory_bytes else "-"),
                    Cell(text=money(r.monthly_cost)),
                ]
            )
        )
    vcpu = sum((r.vcpu for r in result.resources), ZERO)
    memory = sum((r.memory_bytes for r in result.resources), ZERO)
    total = money(result.total_monthly_cost)
    rows.append(
        Row(
            kind="total",
            cells=[
                Cell(text="total", strong=True, bold_in=ONLY_MARKDOWN),
                *[BLANK] * 5,
                Cell(text=qty(vcpu)),
                Cell(text=mem(memory)),
                Cell(text=total, strong=True, bold_in=ONLY_MARKDOWN),
            ],
        )
    )
    return Grid(
        title="Resources",
        columns=[
            Column(title="resource"),
            Column(title="service"),
            Column(title="region"),
            Column(title="type/plan", formats=ONLY_MARKDOWN),
            Column(title="type / plan", formats=ONLY_HTML),
            Column(title="count", numeric=True, formats=ONLY_HTML),
            Column(title="vCPU", numeric=True, formats=ONLY_HTML),
            Column(title="memory", numeric=True, formats=ONLY_HTML),
            Column(title="monthly", numeric=True),
        ],
        rows=rows,
    )


def pools_grid(result: Result) -> Grid:
    rows = []
    for p in result.free_tier:
        per = "/day" if p.period == "day" else "/month"
        terminal_name = p.pool + ("" if p.kind == "free_tier" else " (included)") + ("\nhard cap" if p.hard else "")
        used = f"{qty(p.used)} {p.unit}"
        rows.append(
            Row(
                cells=[
                    Cell(text=p.pool, code=True, tag="hard cap" if p.hard else "", alt={TERMINAL: terminal_name}),
                    Cell(text=used + per, alt={TERMINAL: used + ("/day" if p.period == "day" else "/mo")}),
                    Cell(text=qty(p.allowance)),
                    Cell(text=pct(p.used, p.allowance), tone=pool_tone(p)),
                    beyond(p),
                    Cell(text=", ".join(p.resources), alt={TERMINAL: "\n".join(p.resources)}),
                    Cell(href=p.source),
                ]
            )
        )
    return Grid(
        title="Free tier and included usage",
        folded=True,
        columns=[
            Column(title="pool", key=True),
            Column(title="used", numeric=True),
            Column(title="allowance", numeric=True),
            Column(title="use", numeric=True),
            Column(title="beyond the allowance", numeric=True, label=""),
            Column(title="resources", formats=T_AND_H, key=True),
            Column(title="source", formats=ONLY_HTML),
        ],
        rows=rows,
    )


def quotas_grid(result: Result) -> Grid:
    rows = [
        Row(
            cells=[
                Cell(text=q.key, code=True),
                Cell(text=q.region or "-"),
                Cell(text=f"{qty(q.used)} {q.unit}"),
                Cell(text=qty(q.limit)),
                quota_status(q),
                Cell(text=", ".join(q.resources)),
                Cell(href=q.source),
            ]
        )
        for q in result.quotas
    ]
    left = frozenset({TERMINAL})
    return Grid(
        title="Quotas",
        folded=True,
        columns=[
            Column(title="quota", key=True),
            Column(title="region"),
            Column(title="used", numeric=True, left_in=left),
            Column(title="limit", numeric=True, left_in=left),
            Column(title="status", formats=T_AND_H),
            Column(title="resources", formats=ONLY_HTML),
            Column(title="source", formats=ONLY_HTML),
        ],
        rows=rows,
    )


def overrides_grid(result: Result) -> Grid:
    rows = [
        Row(cells=[Cell(text=o.path, code=True), Cell(text=str(o.old)), Cell(text=str(o.new))])
        for o in result.overrides
    ]
    columns = [Column(title="fact", key=True), Column(title="catalog"), Column(title="plan")]
    return Grid(title="Catalog facts overridden by the plan", folded=True, columns=columns, rows=rows)


# -- terminal ------------------------------------------------------------------------------------------------
def check_renderables(result: Result, width: int | None = None, min_severity: str = DEFAULT_MIN_SEVERITY) -> list[Any]:
    """The verdict and the findings that matter first (an error is on the first screen), then the tables."""
    from rich.text import Text

    from infrafit.report.terminal import clean, draw, draw_grid, is_narrow

    verdict = Text(fit_text(result), style="bold green" if result.fits else "bold red")
    head = Text.assemble(
        (clean(result.plan), "bold"),
        "  ",
        (f"{money(result.total_monthly_cost)}/month", "bold"),
        f" ({money(result.total_monthly_cost * 12)}/year)  ",
        verdict,
        overflow="fold",
    )
    if result.budget is not None:
        head.append(f"  budget {money(result.budget)}")
    oldest = f", oldest fact used {result.oldest_fact}" if result.oldest_fact else ""
    parts: list[Any] = [head]
    if result.cost_distribution is not None:
        parts.append(Text(range_line(result.cost_distribution), style="bold", overflow="fold"))
    parts.append(Text(f"{catalog_phrase(result)}{oldest}; month = {result.month_text}", style="dim"))
    shown, hidden = split(result.findings, min_severity)
    parts += draw_grid(findings_grid(shown), width)
    if hidden:
        parts.append(Text(hidden_line(hidden), style="dim", overflow="fold"))
    parts += cost_cards(result) if is_narrow(width) else draw_grid(cost_grid(result), width)
    if result.free_tier:
        parts += draw_grid(pools_grid(result), width)
    if result.quotas:
        parts += draw_grid(quotas_grid(result), width)
    for grid in range_grids(result):
        parts += draw_grid(grid, width)
    for view, reports in sections_of(result):
        parts += draw(list(view.summary(reports)), width)
    if result.overrides:
        parts += draw_grid(overrides_grid(result), width)
    return parts


@renderer("check", "table")
def render_table(
    results: list[Result],
    width: int | None = None,
    color: bool = False,
    min_severity: str = DEFAULT_MIN_SEVERITY,
    **_: Any,
) -> str:
    from rich.text import Text

    from infrafit.report.terminal import to_text

    parts: list[Any] = []
    for i, result in enumerate(results):
        if i:
            parts.append(Text(""))
        parts += check_renderables(result, width, min_severity)
    return to_text(parts, width, color)


# -- Markdown ------------------------------------------------------------------------------------------------
def check_md(result: Result, min_severity: str = DEFAULT_MIN_SEVERITY) -> list[str]:
    verdict = "✅ fits" if result.fits else f"❌ {fit_text(result)}"
    lines = [
        f"### {cell(result.plan)}: {money(result.total_monthly_cost)}/month — {verdict}",
        "",
        f"{money(result.total_monthly_cost * 12)}/year · {len(result.resources)} resources · "
        f"{len(result.errors)} errors"
        + (f" · budget {money(result.budget)}" if result.budget is not None else "")
        + f" · {catalog_phrase(result)}",
        "",
        *([f"**{range_line(result.cost_distribution)}**", ""] if result.cost_distribution is not None else []),
        *to_markdown(resources_grid(result)),
    ]
    for grid in range_grids(result):
        lines += ["", *to_markdown(grid)]
    for view, reports in sections_of(result):
        for grid in view.summary(reports):
            lines += ["", *to_markdown(grid), "", *notes(grid)]
    shown, hidden = split(result.findings, min_severity)
    lines += ["", *to_markdown(findings_grid(shown)), ""]
    if hidden:
        lines += to_markdown(findings_grid(hidden, title=hidden_title(hidden), folded=True))
    lines += to_markdown(cost_grid(result))
    if result.free_tier:
        lines += to_markdown(pools_grid(result))
    if result.quotas:
        lines += to_markdown(quotas_grid(result))
    if result.overrides:
        lines += to_markdown(overrides_grid(result))
    return lines


@renderer("check", "markdown")
def render_markdown(results: list[Result], min_severity: str = DEFAULT_MIN_SEVERITY, **_: Any) -> str:
    out: list[str] = []
    for r in results:
        out += check_md(r, min_severity)
    return "\n".join(out).rstrip() + "\n"
