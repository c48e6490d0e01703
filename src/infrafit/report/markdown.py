"""Markdown for pull-request comments and docs: a compact summary first, details folded."""

from __future__ import annotations

from typing import Any

from infrafit.engine.result import Result
from infrafit.report import renderer
from infrafit.report.fmt import hours, money, pct, qty

ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def details_table(summary: str, columns: list[str], rows: list[list[str]]) -> list[str]:
    """A table folded in a <details> block. A column named with a trailing ':' is right-aligned."""
    header = "| " + " | ".join(c.rstrip(":") for c in columns) + " |"
    align = "|" + "|".join("---:" if c.endswith(":") else "---" for c in columns) + "|"
    body = ["| " + " | ".join(row) + " |" for row in rows]
    return [f"<details><summary>{summary}</summary>", "", header, align, *body, "", "</details>", ""]


def findings_md(result: Result) -> list[str]:
    if not result.findings:
        return ["No findings."]
    out = ["| | code | message |", "|---|---|---|"]
    for f in result.findings:
        fix = f" — fix: {f.fix}" if f.fix else ""
        out.append(f"| {ICON.get(f.severity, '')} {f.severity} | `{f.code}` | {cell(f.message + fix)} |")
    return out


def check_md(result: Result) -> list[str]:
    verdict = "✅ fits" if result.fits else "❌ does not fit"
    errors = len(result.errors)
    lines = [
        f"### {result.plan}: {money(result.total_monthly_cost)}/month — {verdict}",
        "",
        f"{money(result.total_monthly_cost * 12)}/year · {len(result.resources)} resources · {errors} errors"
        + (f" · budget {money(result.budget)}" if result.budget is not None else "")
        + f" · catalog as of {result.catalog_as_of}",
        "",
        "| resource | service | region | type/plan | monthly |",
        "|---|---|---|---|---:|",
    ]
    for r in result.resources:
        tp = " / ".join(x for x in (r.type, r.plan) if x) or "-"
        count = f" ×{r.count}" if r.count != 1 else ""
        lines.append(f"| {r.name}{count} | `{r.service}` | {r.region or '-'} | {tp} | {money(r.monthly_cost)} |")
    lines.append(f"| **total** | | | | **{money(result.total_monthly_cost)}** |")
    if result.jobs:
        lines += [
            "",
            "| job | runs on | items | at once | makespan p50 | p95 | items/h | bottleneck |",
            "|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for job in result.jobs:
            neck = job.bottleneck if job.feasible else "❌ cannot run: " + "; ".join(job.reasons)
            rate = f"{job.items_per_hour:,.0f}" if job.items_per_hour is not None else "-"
            lines.append(
                f"| {job.name} | {job.runs_on} | {job.items:,} | {job.concurrency or '-'} | "
                f"{hours(job.makespan_hours_p50)} | {hours(job.makespan_hours_p95)} | {rate} | {cell(neck)} |"
            )
        lines += [""] + [f"- {job.name}: {job.bottleneck_detail}" for job in result.jobs if job.bottleneck_detail]
    lines += ["", *findings_md(result), ""]
    cost_rows = [
        [
            r.name,
            cell(c.name),
            f"{qty(c.quantity)} {c.unit}",
            qty(c.free_quantity),
            qty(c.billable_quantity),
            cell(c.price_text),
            money(c.cost),
        ]
        for r in result.resources
        for c in r.components
    ]
    lines += details_table(
        "Cost lines", ["resource", "line", "quantity:", "free:", "billable:", "price", "cost:"], cost_rows
    )
    if result.free_tier:
        pool_rows = [
            [
                f"`{p.pool}`",
                f"{qty(p.used)} {p.unit}{'/day' if p.period == 'day' else '/month'}",
                qty(p.allowance),
                pct(p.used, p.allowance),
                money(p.billed_cost) if p.billed else "-",
            ]
            for p in result.free_tier
        ]
        lines += details_table(
            "Free tier and included usage", ["pool", "used:", "allowance:", "use:", "billed beyond:"], pool_rows
        )
    if result.quotas:
        quota_rows = [[f"`{q.key}`", q.region or "-", f"{qty(q.used)} {q.unit}", qty(q.limit)] for q in result.quotas]
        lines += details_table("Quotas", ["quota", "region", "used:", "limit:"], quota_rows)
    if result.overrides:
        override_rows = [[f"`{o.path}`", str(o.old), str(o.new)] for o in result.overrides]
        lines += details_table("Catalog facts overridden by the plan", ["fact", "catalog", "plan"], override_rows)
    return lines


@renderer("check", "markdown")
def render_markdown(results: list[Result], **_: Any) -> str:
    out: list[str] = []
    for r in results:
        out += check_md(r)
    return "\n".join(out).rstrip() + "\n"
