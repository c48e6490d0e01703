"""Terminal tables (Rich): totals, cost lines, free-tier pools, quotas and findings at a glance."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from infrafit.engine.result import Result
from infrafit.report import renderer
from infrafit.report.fmt import money, pct, qty

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def check_renderables(result: Result) -> list[Any]:
    parts: list[Any] = []
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
    parts.append(head)
    oldest = f", oldest fact used {result.oldest_fact}" if result.oldest_fact else ""
    parts.append(
        Text(f"catalog as of {result.catalog_as_of}{oldest}; month = {qty(result.month_hours)} h", style="dim")
    )

    lines = Table(title="Cost", title_justify="left", show_lines=False, expand=False)
    for col, justify in [
        ("resource", "left"),
        ("line", "left"),
        ("quantity", "right"),
        ("free", "right"),
        ("billable", "right"),
        ("price", "left"),
        ("cost", "right"),
    ]:
        lines.add_column(col, justify=justify)  # type: ignore[arg-type]
    for res in result.resources:
        where = " ".join(
            x
            for x in (
                res.service,
                res.region,
                res.type,
                res.plan and f"plan {res.plan}",
                f"x{res.count}" if res.count != 1 else None,
            )
            if x
        )
        lines.add_row(
            Text(res.name, style="bold"),
            Text(where, style="dim"),
            "",
            "",
            "",
            "",
            Text(money(res.monthly_cost), style="bold"),
        )
        for c in res.components:
            lines.add_row(
                "",
                c.name,
                f"{qty(c.quantity)} {c.unit}",
                qty(c.free_quantity),
                qty(c.billable_quantity),
                c.price_text,
                money(c.cost),
            )
    lines.add_row(Text("total", style="bold"), "", "", "", "", "", Text(money(result.total_monthly_cost), style="bold"))
    parts.append(lines)

    if result.free_tier:
        pools = Table(title="Free tier and included usage", title_justify="left")
        for col in ("pool", "used", "allowance", "use", "billed beyond", "resources"):
            pools.add_column(col, justify="right" if col in ("used", "allowance", "use", "billed beyond") else "left")
        for p in result.free_tier:
            per = "/day" if p.period == "day" else "/mo"
            style = "red" if p.used > p.allowance else ("yellow" if p.used > p.allowance * 8 / 10 else "green")
            kind = "" if p.kind == "free_tier" else " (included)"
            pools.add_row(
                p.pool + kind + (" [hard cap]" if p.hard else ""),
                f"{qty(p.used)} {p.unit}{per}",
                f"{qty(p.allowance)}",
                Text(pct(p.used, p.allowance), style=style),
                money(p.billed_cost) if p.billed else "-",
                ", ".join(p.resources),
            )
        parts.append(pools)

    if result.quotas:
        quotas = Table(title="Quotas", title_justify="left")
        for col in ("quota", "region", "used", "limit", "status"):
            quotas.add_column(col)
        for q in result.quotas:
            if q.limit is None:
                status = Text("unknown limit", style="cyan")
            elif q.used > q.limit:
                status = Text(f"over by {qty(q.used - q.limit)}", style="bold red")
            else:
                status = Text(f"{qty(q.limit - q.used)} spare", style="green")
            quotas.add_row(q.key, q.region or "-", f"{qty(q.used)} {q.unit}", qty(q.limit), status)
        parts.append(quotas)

    if result.findings:
        findings = Table(title="Findings", title_justify="left", show_lines=True)
        findings.add_column("severity")
        findings.add_column("code")
        findings.add_column("message", overflow="fold")
        for f in result.findings:
            msg = f.message + (f"\nfix: {f.fix}" if f.fix else "")
            findings.add_row(Text(f.severity, style=SEVERITY_STYLE.get(f.severity, "")), f.code, msg)
        parts.append(findings)

    if result.overrides:
        ov = Table(title="Catalog facts overridden by the plan", title_justify="left")
        for col in ("fact", "catalog", "plan"):
            ov.add_column(col)
        for o in result.overrides:
            ov.add_row(o.path, str(o.old), str(o.new))
        parts.append(ov)
    return parts


def to_text(renderables: list[Any], width: int | None = None, color: bool = False) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width or 140,
        force_terminal=color,
        color_system="auto" if color else None,
        markup=False,
        highlight=False,
        soft_wrap=False,
    )
    console.print(Group(*renderables))
    return buf.getvalue()


@renderer("check", "table")
def render_table(results: list[Result], width: int | None = None, color: bool = False, **_: Any) -> str:
    parts: list[Any] = []
    for i, result in enumerate(results):
        if i:
            parts.append(Text(""))
        parts += check_renderables(result)
    return to_text(parts, width, color)
