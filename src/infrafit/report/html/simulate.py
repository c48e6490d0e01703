"""``simulate`` as an HTML page: each plan leads with its simulation (how long each job takes, what binds it, the
throughput chart with its spread and the daily resets), then the plan's check report with its costs and findings."""

from __future__ import annotations

from typing import Any

from infrafit.engine.result import Result
from infrafit.report import renderer
from infrafit.report.fmt import hours, money
from infrafit.report.html.check import check_section
from infrafit.report.html.page import Page, card, esc, fit_badge, to_html
from infrafit.report.provenance import catalog_phrase
from infrafit.report.sections.base import section_reports, views


def _cards(reports: list[Any]) -> str:
    """A card per job that reports a makespan (jobs in other sections are shown by their own view)."""
    out = []
    for job in reports:
        if not hasattr(job, "makespan_hours_p50"):
            continue
        if not job.feasible:
            out.append(card(job.name, '<span class="bad">cannot run</span>', "see why below", "bad"))
            continue
        extra = f"p95 {esc(hours(job.makespan_hours_p95))}"
        if job.bottleneck:
            extra += f" · bound by <code>{esc(job.bottleneck)}</code>"
        out.append(card(f"{job.name}: makespan p50", esc(hours(job.makespan_hours_p50)), extra))
    return f'<div class="cards">{"".join(out)}</div>' if out else ""


def simulation_section(page: Page, result: Result) -> None:
    page.add(f'<section class="plan"><h1>{esc(result.plan)}: simulation {fit_badge(result)}</h1>')
    page.add(
        f'<div class="muted">{esc(result.file) + " · " if result.file else ""}{esc(catalog_phrase(result))}'
        f" · monthly cost with the jobs' usage: {esc(money(result.total_monthly_cost))}</div>"
    )
    reports = section_reports(result)
    simulated = [view for view in views() if view.simulated]
    if not any(reports.get(view.key) for view in simulated):
        page.add('<p class="muted">This plan has nothing to simulate: add a <code>jobs:</code> section.</p>')
    for view in simulated:
        items = reports.get(view.key, [])
        if not items:
            continue
        page.add(_cards(items))
        page.charts(view.charts(page, items), wide=True)
        page.add("".join(to_html(grid) for grid in view.summary(items)))
        for job in items:
            if getattr(job, "feasible", False) and getattr(job, "replications", 0):
                page.add(
                    f'<p class="muted">{esc(job.name)}: {job.replications} simulated runs ({esc(job.method)} engine), '
                    f"{job.attempts:,.1f} attempts on average, {job.day_resets} daily reset(s) crossed in the median "
                    "run.</p>"
                )
    page.add("</section>")
    check_section(page, result, "h2", sections=False, lead="Cost and checks: ")


@renderer("simulate", "html")
def render_simulate_html(results: list[Result], **_: Any) -> str:
    page = Page("infrafit simulate: " + ", ".join(r.plan for r in results))
    for result in results:
        simulation_section(page, result)
    return page.render()
