"""``check``: each table of a result written once as a :class:`~infrafit.report.grid.Grid` (cost lines, resources,
free-tier pools, quotas, findings, overrides), and the terminal and Markdown layouts that draw them with each
section's view. The HTML layout is :mod:`infrafit.report.html.check`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from infrafit.engine.result import Finding, Result
from infrafit.report import renderer
from infrafit.report.fmt import mem, money, pct, qty
from infrafit.report.grid import (
    BLANK,
    HTML,
    MARKDOWN,
    ONLY_HTML,
    ONLY_MARKDOWN,
    ONLY_TERMINAL,
    TERMINAL,
    Cell,
    Column,
    Grid,
    Row,
)
from infrafit.report.markdown import notes, to_markdown
from infrafit.report.sections.base import sections_of
from infrafit.report.wording import pool_tone, quota_status, severity_cell

ZERO = Decimal(0)
NOT_IN_TERMINAL = MappingProxyType({TERMINAL: ""})
T_AND_H = frozenset({TERMINAL, HTML})


def cost_grid(result: Result) -> Grid:
    """Every priced line; the terminal groups them under a subtotal row per resource and ends with the total."""
    rows: list[Row] = []
    for res in result.resources:
        count = f"x{res.count}" if res.count != 1 else None
        bits = (res.service, res.region, res.type, res.plan and f"plan {res.plan}", count)
        head = [Cell(text=res.name, strong=True), Cell(text=" ".join(x for x in bits if x), tone="dim")]
        rows.append(
            Row(
                formats=ONLY_TERMINAL,
                cells=[*head, *[BLANK] * 5, Cell(text=money(res.monthly_cost), strong=True), BLANK],
            )
        )
        rows += [
            Row(
                cells=[
                    Cell(text=res.name, alt=NOT_IN_TERMINAL),
                    Cell(text=c.name),
                    Cell(text=str(c.category)),
                    Cell(text=f"{qty(c.quantity)} {c.unit}"),
                    Cell(text=qty(c.free_quantity)),
                    Cell(text=qty(c.billable_quantity)),
                    Cell(text=c.price_text),
                    Cell(text=money(c.cost)),
                    Cell(href=c.source or "", note=str(c.as_of) if c.as_of else ""),
                ]
            )
            for c in res.components
        ]
    total = Cell(text=money(result.total_monthly_cost), strong=True)
    rows.append(Row(formats=ONLY_TERMINAL, cells=[Cell(text="total", strong=True), *[BLANK] * 6, total, BLANK]))
    return Grid(
        title="Cost lines",
        titles={TERMINAL: "Cost", HTML: "Cost lines, with the price and its source"},
        folded=True,
        columns=[
            Column(title="resource"),
            Column(title="line"),
            Column(title="category", formats=ONLY_HTML),
            Column(title="quantity", numeric=True),
            Column(title="free", numeric=True),
            Column(title="billable", numeric=True),
            Column(title="price"),
            Column(title="cost", numeric=True),
            Column(title="source", formats=ONLY_HTML),
        ],
        rows=rows,
    )


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
                Cell(text="total", strong=True, alt={MARKDOWN: "**total**"}),
                *[BLANK] * 5,
                Cell(text=qty(vcpu)),
                Cell(text=mem(memory)),
                Cell(text=total, strong=True, alt={MARKDOWN: f"**{total}**"}),
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
        terminal_name = p.pool + ("" if p.kind == "free_tier" else " (included)") + (" [hard cap]" if p.hard else "")
        used = f"{qty(p.used)} {p.unit}"
        rows.append(
            Row(
                cells=[
                    Cell(text=p.pool, code=True, tag="hard cap" if p.hard else "", alt={TERMINAL: terminal_name}),
                    Cell(text=used + per, alt={TERMINAL: used + ("/day" if p.period == "day" else "/mo")}),
                    Cell(text=qty(p.allowance)),
                    Cell(text=pct(p.used, p.allowance), tone=pool_tone(p)),
                    Cell(text=money(p.billed_cost) if p.billed else "-"),
                    Cell(text=", ".join(p.resources)),
                    Cell(href=p.source),
                ]
            )
        )
    return Grid(
        title="Free tier and included usage",
        folded=True,
        columns=[
            Column(title="pool"),
            Column(title="used", numeric=True),
            Column(title="allowance", numeric=True),
            Column(title="use", numeric=True),
            Column(title="billed beyond", numeric=True),
            Column(title="resources", formats=T_AND_H),
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
            Column(title="quota"),
            Column(title="region"),
            Column(title="used", numeric=True, left_in=left),
            Column(title="limit", numeric=True, left_in=left),
            Column(title="status", formats=T_AND_H),
            Column(title="resources", formats=ONLY_HTML),
            Column(title="source", formats=ONLY_HTML),
        ],
        rows=rows,
    )


def findings_grid(
    findings: Sequence[Finding], *, title: str = "Findings", folded: bool = False, icon: str | None = None
) -> Grid:
    """Severity, code, what it is about, message and fix, source; ``icon`` replaces Markdown's severity icons."""
    rows = []
    for f in findings:
        severity = severity_cell(f.severity)
        rows.append(
            Row(
                cells=[
                    severity,
                    severity if icon is None else Cell(text=f.severity, icon=icon),
                    Cell(text=f.code, code=True),
                    Cell(text=f.resource or "-"),
                    Cell(text=f.message, fix=f.fix or ""),
                    Cell(href=f.source or ""),
                ]
            )
        )
    return Grid(
        title=title,
        folded=folded,
        lines=True,
        empty="No findings.",
        columns=[
            Column(title="severity", formats=T_AND_H),
            Column(title="", formats=ONLY_MARKDOWN),
            Column(title="code"),
            Column(title="resource", formats=ONLY_HTML),
            Column(title="message", fold=True),
            Column(title="source", formats=ONLY_HTML),
        ],
        rows=rows,
    )


def overrides_grid(result: Result) -> Grid:
    rows = [
        Row(cells=[Cell(text=o.path, code=True), Cell(text=str(o.old)), Cell(text=str(o.new))])
        for o in result.overrides
    ]
    columns = [Column(title="fact"), Column(title="catalog"), Column(title="plan")]
    return Grid(title="Catalog facts overridden by the plan", folded=True, columns=columns, rows=rows)


# -- terminal ------------------------------------------------------------------------------------------------
def check_renderables(result: Result) -> list[Any]:
    from rich.text import Text

    from infrafit.report.terminal import draw, to_rich

    verdict = Text("fits", style="bold green") if result.fits else Text("does not fit", style="bold red")
    head = Text.assemble(
        (result.plan, "bold"),
        "  ",
        (f"{money(result.total_monthly_cost)}/month", "bold"),
        f" ({money(result.total_monthly_cost * 12)}/year)  ",
        verdict,
    )
    if result.budget is not None:
        head.append(f"  budget {money(result.budget)}")
    oldest = f", oldest fact used {result.oldest_fact}" if result.oldest_fact else ""
    parts: list[Any] = [
        head,
        Text(f"catalog as of {result.catalog_as_of}{oldest}; month = {result.month_text}", style="dim"),
        to_rich(cost_grid(result)),
    ]
    if result.free_tier:
        parts.append(to_rich(pools_grid(result)))
    if result.quotas:
        parts.append(to_rich(quotas_grid(result)))
    for view, reports in sections_of(result):
        parts += draw(list(view.summary(reports)))
    if result.findings:
        parts.append(to_rich(findings_grid(result.findings)))
    if result.overrides:
        parts.append(to_rich(overrides_grid(result)))
    return parts


@renderer("check", "table")
def render_table(results: list[Result], width: int | None = None, color: bool = False, **_: Any) -> str:
    from rich.text import Text

    from infrafit.report.terminal import to_text

    parts: list[Any] = []
    for i, result in enumerate(results):
        if i:
            parts.append(Text(""))
        parts += check_renderables(result)
    return to_text(parts, width, color)


# -- Markdown ------------------------------------------------------------------------------------------------
def check_md(result: Result) -> list[str]:
    verdict = "✅ fits" if result.fits else "❌ does not fit"
    lines = [
        f"### {result.plan}: {money(result.total_monthly_cost)}/month — {verdict}",
        "",
        f"{money(result.total_monthly_cost * 12)}/year · {len(result.resources)} resources · "
        f"{len(result.errors)} errors"
        + (f" · budget {money(result.budget)}" if result.budget is not None else "")
        + f" · catalog as of {result.catalog_as_of}",
        "",
        *to_markdown(resources_grid(result)),
    ]
    for view, reports in sections_of(result):
        for grid in view.summary(reports):
            lines += ["", *to_markdown(grid), "", *notes(grid)]
    lines += ["", *to_markdown(findings_grid(result.findings)), ""]
    lines += to_markdown(cost_grid(result))
    if result.free_tier:
        lines += to_markdown(pools_grid(result))
    if result.quotas:
        lines += to_markdown(quotas_grid(result))
    if result.overrides:
        lines += to_markdown(overrides_grid(result))
    return lines


@renderer("check", "markdown")
def render_markdown(results: list[Result], **_: Any) -> str:
    out: list[str] = []
    for r in results:
        out += check_md(r)
    return "\n".join(out).rstrip() + "\n"
