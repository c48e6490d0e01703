"""Markdown for pull-request comments and docs: a compact summary first, details folded."""

from __future__ import annotations

from typing import Any

from infrafit.engine.result import Result
from infrafit.report import renderer
from infrafit.report.fmt import hours, money, pct, qty

ICON = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
    lines += [
        "<details><summary>Cost lines</summary>",
        "",
        "| resource | line | quantity | free | billable | price | cost |",
        "|---|---|---:|---:|---:|---|---:|",
    ]
    for r in result.resources:
        for c in r.components:
            lines.append(
                f"| {r.name} | {cell(c.name)} | {qty(c.quantity)} {c.unit} | {qty(c.free_quantity)} | "
                f"{qty(c.billable_quantity)} | {cell(c.price_text)} | {money(c.cost)} |"
            )
    lines += ["", "</details>", ""]
    if result.free_tier:
        lines += [
            "<details><summary>Free tier and included usage</summary>",
            "",
            "| pool | used | allowance | use | billed beyond |",
            "|---|---:|---:|---:|---:|",
        ]
        for p in result.free_tier:
            per = "/day" if p.period == "day" else "/month"
            lines.append(
                f"| `{p.pool}` | {qty(p.used)} {p.unit}{per} | {qty(p.allowance)} | {pct(p.used, p.allowance)} | "
                f"{money(p.billed_cost) if p.billed else '-'} |"
            )
        lines += ["", "</details>", ""]
    if result.quotas:
        lines += ["<details><summary>Quotas</summary>", "", "| quota | region | used | limit |", "|---|---|---:|---:|"]
        for q in result.quotas:
            lines.append(f"| `{q.key}` | {q.region or '-'} | {qty(q.used)} {q.unit} | {qty(q.limit)} |")
        lines += ["", "</details>", ""]
    if result.overrides:
        lines += [
            "<details><summary>Catalog facts overridden by the plan</summary>",
            "",
            "| fact | catalog | plan |",
            "|---|---|---|",
        ]
        lines += [f"| `{o.path}` | {o.old} | {o.new} |" for o in result.overrides]
        lines += ["", "</details>", ""]
    return lines


@renderer("check", "markdown")
def render_markdown(results: list[Result], **_: Any) -> str:
    out: list[str] = []
    for r in results:
        out += check_md(r)
    return "\n".join(out).rstrip() + "\n"
