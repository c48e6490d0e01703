"""Terminal tables (Rich): totals, cost lines, free-tier pools, quotas and findings at a glance."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from infrafit.engine.result import Result
from infrafit.report import renderer
from infrafit.report.fmt import hours, money, pct, qty

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

    if result.jobs:
        parts += jobs_renderables(result.jobs)

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


def jobs_renderables(jobs: list[Any]) -> list[Any]:
    table = Table(title="Jobs", title_justify="left")
    for col in ("job", "runs on", "items", "at once", "makespan p50", "p95", "items/h", "bottleneck"):
        table.add_column(
            col, justify="right" if col in ("items", "at once", "makespan p50", "p95", "items/h") else "left"
        )
    notes: list[Any] = []
    for job in jobs:
        ok = job.feasible
        table.add_row(
            Text(job.name, style="bold" if ok else "bold red"),
            f"{job.runs_on} ({job.service})",
            f"{job.items:,}",
            str(job.concurrency or "-"),
            hours(job.makespan_hours_p50),
            hours(job.makespan_hours_p95),
            f"{job.items_per_hour:,.0f}" if job.items_per_hour is not None else "-",
            job.bottleneck if ok else Text("cannot run: " + "; ".join(job.reasons), style="red"),
        )
        if ok and job.bottleneck_detail:
            notes.append(Text(f"{job.name}: {job.bottleneck_detail}", style="dim"))
    return [table, *notes]


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


def timeline_table(job: Any, rows: int = 12, width: int = 40) -> Table:
    """Items completed over time as a bar per step: where a daily quota stalls a batch, the bars stop growing."""
    table = Table(title=f"{job.name}: items completed over time", title_justify="left", show_edge=False)
    table.add_column("elapsed", justify="right")
    table.add_column("done", justify="right")
    table.add_column("per hour", justify="right")
    table.add_column("")
    points = job.timeline
    if not points:
        return table
    step = max(1, len(points) // rows)
    picked = points[::step] + ([points[-1]] if (len(points) - 1) % step else [])
    previous = (0.0, 0)
    for t, done in picked:
        rate = (done - previous[1]) / (t - previous[0]) if t > previous[0] else 0.0
        bar = "█" * round(width * done / max(job.items, 1))
        table.add_row(hours(t), f"{done:,}", f"{rate:,.0f}", Text(bar, style="green"))
        previous = (t, done)
    return table


@renderer("simulate", "table")
def render_simulate(results: list[Result], width: int | None = None, color: bool = False, **_: Any) -> str:
    parts: list[Any] = []
    for result in results:
        parts.append(Text(f"{result.plan}: {len(result.jobs)} job(s)", style="bold"))
        if not result.jobs:
            parts.append(Text("this plan has no jobs: add a `jobs:` section (see the README)"))
            continue
        parts += jobs_renderables(result.jobs)
        for job in result.jobs:
            if job.feasible:
                parts.append(
                    Text(
                        f"{job.name}: {job.replications} simulated runs ({job.method} engine); "
                        f"{job.attempts:,.1f} attempts on average, {job.day_resets} daily reset(s) crossed",
                        style="dim",
                    )
                )
                parts.append(timeline_table(job))
        usage = Table(title="Usage the jobs imply (priced in `infrafit check`)", title_justify="left")
        for col in ("line", "usage per month"):
            usage.add_column(col)
        for job in result.jobs:
            for name, values in job.derived.items():
                usage.add_row(name, ", ".join(f"{k} {v:,.6g}" for k, v in values.items()))
        parts.append(usage)
        derived_cost = sum((r.monthly_cost for r in result.resources if r.origin != "plan"), start=Decimal(0))
        parts.append(
            Text(f"cost of the jobs' usage: {money(derived_cost)}/month of {money(result.total_monthly_cost)}")
        )
    return to_text(parts, width, color)
