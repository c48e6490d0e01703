"""``check`` as an HTML page: cards, the charts (cost by resource and category, free tiers, quotas and limits),
each section through its view, then the tables (written once in :mod:`infrafit.report.check`)."""

from __future__ import annotations

from typing import Any

from infrafit.decisions.comparison import category_order
from infrafit.engine.result import Result, Severity
from infrafit.report import renderer
from infrafit.report.check import cost_grid, overrides_grid, pools_grid, quotas_grid, resources_grid
from infrafit.report.fmt import money, pct, qty
from infrafit.report.html.bundle import plain
from infrafit.report.html.findings import findings_html
from infrafit.report.html.limits import ceilings
from infrafit.report.html.page import (
    BAD,
    MAX_BARS,
    MUTED,
    OK,
    WARN,
    Page,
    card,
    category_color,
    esc,
    fit_badge,
    fl,
    share,
    to_html,
)
from infrafit.report.html.ranges import cost_range_figure, range_cards, tornado_figure
from infrafit.report.provenance import catalog_phrase
from infrafit.report.sections.base import sections_of


# -- figures -------------------------------------------------------------------------------------------------
def cost_by_resource_figure(page: Page, result: Result) -> str | None:
    """Stacked horizontal bars: each resource's monthly cost split by category, largest on top."""
    if result.total_monthly_cost <= 0:
        return None
    go = page.go
    ranked = sorted(result.resources, key=lambda r: (-r.monthly_cost, r.name))
    shown, rest = ranked[:MAX_BARS], ranked[MAX_BARS:]
    names = [plain(r.name) for r in shown] + ([f"{len(rest)} others"] if rest else [])
    by_cat: dict[str, list[float]] = {}
    for i, r in enumerate(shown):
        for c in r.components:
            by_cat.setdefault(c.category, [0.0] * len(names))[i] += fl(c.cost)
    for r in rest:
        for c in r.components:
            by_cat.setdefault(c.category, [0.0] * len(names))[-1] += fl(c.cost)
    fig = go.Figure()
    for cat in category_order(by_cat):
        fig.add_trace(
            go.Bar(
                y=names,
                x=by_cat[cat],
                name=plain(cat),
                orientation="h",
                marker_color=category_color(cat),
                hovertemplate="%{y}: $%{x:,.2f}/month %{fullData.name}<extra></extra>",
            )
        )
    totals = [fl(r.monthly_cost) for r in shown] + ([sum(fl(r.monthly_cost) for r in rest)] if rest else [])
    fig.add_trace(
        go.Scatter(
            y=names,
            x=totals,
            mode="text",
            text=[f"  ${t:,.2f}" for t in totals],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        barmode="stack",
        yaxis={"autorange": "reversed"},
        xaxis={"tickprefix": "$", "range": [0, max(totals) * 1.25]},
    )
    return page.figure(fig, "Monthly cost by resource", height=max(260, 90 + 26 * len(names)))


def cost_by_category_figure(page: Page, result: Result) -> str | None:
    if result.total_monthly_cost <= 0:
        return None
    go = page.go
    cats = {k: v for k, v in result.cost_by_category().items() if v > 0}
    order = category_order(cats)
    fig = go.Figure(
        go.Pie(
            labels=[plain(c) for c in order],
            values=[fl(cats[c]) for c in order],
            hole=0.55,
            sort=False,
            marker={"colors": [category_color(c) for c in order]},
            texttemplate="%{label}<br>$%{value:,.2f}",
            hovertemplate="%{label}: $%{value:,.2f}/month (%{percent})<extra></extra>",
        )
    )
    fig.update_layout(
        annotations=[{"text": f"<b>{money(result.total_monthly_cost)}</b><br>a month", "showarrow": False}],
        showlegend=False,
    )
    return page.figure(fig, "Monthly cost by category")


def free_tier_figure(page: Page, result: Result) -> str | None:
    """Each free or included allowance as a bar of the share used; the line at 100% is the allowance."""
    pools = result.free_tier
    if not pools:
        return None
    go = page.go
    labels, shares, texts, colors, hovers = [], [], [], [], []
    for p in pools:
        used = share(p.used, p.allowance)
        per = "day" if p.period == "day" else "month"
        labels.append(plain(p.pool))
        shares.append(used)
        texts.append(pct(p.used, p.allowance))
        colors.append(BAD if used > 100 else (WARN if used > 80 else OK))
        beyond = ""
        if p.billed:
            beyond = "<br>refused beyond the cap" if p.hard else f"<br>billed beyond: {money(p.billed_cost)}"
        hovers.append(plain(f"{p.label}") + f"<br>{qty(p.used)} of {qty(p.allowance)} {plain(p.unit)} a {per}{beyond}")
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=shares,
            orientation="h",
            marker_color=colors,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertext=hovers,
            hoverinfo="text",
        )
    )
    top = max([*shares, 100.0])
    fig.add_vline(x=100, line_dash="dash", line_color=MUTED, annotation_text="allowance", annotation_position="top")
    fig.update_layout(
        yaxis={"autorange": "reversed"},
        xaxis={"ticksuffix": "%", "range": [0, top * 1.45]},
        showlegend=False,
    )
    return page.figure(
        fig, "Free tier and included usage (% of allowance used)", height=max(240, 100 + 30 * len(labels))
    )


def limits_figure(page: Page, result: Result) -> str | None:
    """Quotas and limits as the share of their ceiling used, each named with its amounts in human units."""
    rows = ceilings(result)
    if not rows:
        return None
    go = page.go
    shares = [c.share for c in rows]
    fig = go.Figure(
        go.Bar(
            y=[plain(f"{c.label} ({c.amounts})") for c in rows],
            x=shares,
            orientation="h",
            marker_color=[BAD if s > 100 else (WARN if s > 80 else OK) for s in shares],
            text=[f"{s:,.0f}%" for s in shares],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="text",
            hovertext=[plain(f"{c.label}: {c.used_text} used of {c.ceiling_text}") for c in rows],
        )
    )
    fig.add_vline(x=100, line_dash="dash", line_color=BAD, annotation_text="limit", annotation_position="top")
    fig.update_layout(
        yaxis={"autorange": "reversed"},
        xaxis={"ticksuffix": "%", "range": [0, max([*shares, 100.0]) * 1.45]},
        showlegend=False,
    )
    return page.figure(fig, "Quotas and limits (% of ceiling)", height=max(220, 100 + 30 * len(rows)))


def zero_cost_note(result: Result) -> str:
    """What a $0.00 total means: free only when nothing failed and no usage was refused beyond a hard cap."""
    refused = [p.pool for p in result.free_tier if p.hard and p.used > p.allowance]
    if not result.errors and not refused:
        return '<p class="ok">Everything here is inside free or included allowances: $0.00 a month.</p>'
    why = []
    if result.errors:
        why.append(f"{len(result.errors)} error finding{'s' if len(result.errors) != 1 else ''} (below)")
    if refused:
        why.append(
            "usage beyond the hard cap of "
            + ", ".join(f"<code>{esc(p)}</code>" for p in refused)
            + " is refused, not free"
        )
    return f'<p class="bad">$0.00 a month, but the plan does not work as written: {"; ".join(why)}.</p>'


# -- check ---------------------------------------------------------------------------------------------------
def check_section(
    page: Page, result: Result, heading: str = "h1", charts: bool = True, sections: bool = True, lead: str = ""
) -> None:
    """One plan's check report; ``sections=False`` leaves out the sections' views (simulate shows them first)."""
    warnings = sum(1 for f in result.findings if f.severity == Severity.WARNING)
    oldest = f", oldest fact used {esc(result.oldest_fact)}" if result.oldest_fact else ""
    page.add(f'<section class="plan"><{heading}>{esc(lead)}{esc(result.plan)} {fit_badge(result)}</{heading}>')
    page.add(
        f'<div class="muted">{esc(result.file) + " · " if result.file else ""}{esc(catalog_phrase(result))}'
        f"{oldest} · month = {esc(result.month_text)}</div>"
    )
    cards = [
        card("monthly", esc(money(result.total_monthly_cost))),
        card("yearly", esc(money(result.total_monthly_cost * 12))),
        card("resources", esc(len(result.resources))),
        card("errors", f'<span class="{"bad" if result.errors else "ok"}">{len(result.errors)}</span>'),
        card("warnings", f'<span class="{"warn" if warnings else "ok"}">{warnings}</span>'),
    ]
    if result.budget is not None:
        over = result.total_monthly_cost > result.budget
        cards.append(card("budget", f'<span class="{"bad" if over else "ok"}">{esc(money(result.budget))}</span>'))
    cards += range_cards(result)
    page.add(f'<div class="cards">{"".join(cards)}</div>')
    if charts and result.cost_distribution is not None:
        # One to a row: the histogram's labels and the inputs' names need the width.
        page.charts([f for f in (cost_range_figure(page, result), tornado_figure(page, result)) if f], wide=True)
    if charts:
        figs = [
            cost_by_resource_figure(page, result),
            cost_by_category_figure(page, result),
            free_tier_figure(page, result),
            limits_figure(page, result),
        ]
        page.charts([f for f in figs if f])
        if result.total_monthly_cost <= 0:
            page.add(zero_cost_note(result))
    for view, reports in sections_of(result) if sections else []:
        figures = view.charts(page, reports) if charts else []
        drawn = f'<div class="charts">{"".join(figures)}</div>' if figures else ""
        page.add(f"<h2>{esc(view.title)}</h2>" + drawn + "".join(to_html(g) for g in view.summary(reports)))
    page.add(f"<h2>Findings ({len(result.findings)})</h2>" + findings_html(result.findings))
    page.add("<h2>Resources</h2>" + to_html(resources_grid(result)))
    cost = cost_grid(result)
    page.add(f"<details><summary>{esc(cost.title_in('html'))}</summary>" + to_html(cost) + "</details>")
    for grid in (pools_grid(result), quotas_grid(result), overrides_grid(result)):
        if grid.rows:
            page.add(f"<h2>{esc(grid.title)}</h2>" + to_html(grid))
    page.add("</section>")


@renderer("check", "html")
def render_check_html(results: list[Result], **_: Any) -> str:
    title = "infrafit check: " + ", ".join(r.plan for r in results)
    page = Page(title)
    for r in results:
        check_section(page, r, "h1")
    return page.render()
