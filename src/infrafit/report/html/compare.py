"""``compare`` as an HTML page: a card per plan, the options side by side as charts and a table, each plan's
check report folded below."""

from __future__ import annotations

from typing import Any

from infrafit.decisions.comparison import CompareResult, PlanSummary
from infrafit.report import renderer
from infrafit.report.compare import plan_sections, range_rows, ranged_headline, ranges_note, section_rows
from infrafit.report.cost_ranges import fmoney, probability_text, range_text
from infrafit.report.fmt import money, qty, signed_money
from infrafit.report.grid import HTML
from infrafit.report.html.bundle import plain
from infrafit.report.html.check import check_section
from infrafit.report.html.findings import split_citation
from infrafit.report.html.limits import ceilings
from infrafit.report.html.page import (
    BAD,
    MUTED,
    PLAN_COLORS,
    ZERO,
    Page,
    card,
    category_color,
    esc,
    fl,
    label_stack_totals,
    link,
    share,
    table,
)
from infrafit.report.html.ranges import Span, plan_color, spans_figure
from infrafit.report.wording import verdict


def _verdict(p: PlanSummary, best: bool) -> str:
    """The shared verdict wording, as a badge."""
    return f'<span class="badge {"ok" if p.fits else "bad"}">{verdict(p, best)}</span>'


def compare_cost_figure(page: Page, cmp: CompareResult) -> str:
    """Options side by side: one stacked bar per plan (categories), its total above, the cheapest that fits marked."""
    go = page.go
    labels = [("✓ " if p.fits else "✗ ") + plain(p.label) for p in cmp.plans]
    fig = go.Figure()
    for cat in cmp.categories:
        fig.add_trace(
            go.Bar(
                x=labels,
                y=[fl(p.cost_by_category.get(cat, ZERO)) for p in cmp.plans],
                name=plain(cat),
                marker_color=category_color(cat),
                hovertemplate="%{x}<br>%{fullData.name}: $%{y:,.2f}/month<extra></extra>",
            )
        )
    totals = [fl(p.total_monthly_cost) for p in cmp.plans]
    texts = [
        f"<b>${t:,.2f}</b>" + ("<br>cheapest that fits" if i == cmp.cheapest_index else "")
        for i, t in enumerate(totals)
    ]
    label_stack_totals(fig, labels, totals, texts)
    return page.figure(fig, "Monthly cost by plan and category (✓ fits, ✗ does not)", height=380)


def compare_share_figure(page: Page, cmp: CompareResult, kind: str) -> str | None:
    """Free-tier use (kind "pools") or quotas and limits (kind "limits") of every plan, grouped by plan."""
    go = page.go
    fig = go.Figure()
    rows = 0
    for i, p in enumerate(cmp.plans):
        if kind == "pools":
            items = [
                (
                    plain(u.pool),
                    share(u.used, u.allowance),
                    plain(f"{qty(u.used)} / {qty(u.allowance)} {u.unit}"),
                )
                for u in p.free_tier
            ]
        else:
            items = [(plain(c.label), c.share, plain(c.amounts)) for c in ceilings(p.result)]
        if not items:
            continue
        rows += len(items)
        fig.add_trace(
            go.Bar(
                y=[x[0] for x in items],
                x=[x[1] for x in items],
                orientation="h",
                name=plain(p.label),
                marker=_plan_marker(i, [x[1] for x in items] if kind == "limits" else []),
                text=[f"{x[1]:,.0f}%" + (f" ({x[2]})" if kind == "limits" else "") for x in items],
                textposition="outside",
                cliponaxis=False,
                hovertext=[f"{plain(p.label)}: {x[2]}" for x in items],
                hoverinfo="text",
            )
        )
    if not fig.data:
        return None
    top = max([100.0, *(max(t.x) for t in fig.data)])
    fig.add_vline(x=100, line_dash="dash", line_color=BAD if kind == "limits" else MUTED)
    title = "Free tier: % of each allowance used" if kind == "pools" else "Quotas and limits: % of ceiling"
    fig.update_layout(
        showlegend=True,
        barmode="group",
        yaxis={"autorange": "reversed"},
        xaxis={"ticksuffix": "%", "range": [0, top * (2.4 if kind == "limits" else 1.3)]},
    )
    return page.figure(fig, title, height=max(260, 120 + 24 * rows))


def _range_card_text(cmp: CompareResult, p: PlanSummary) -> str:
    if not cmp.has_ranges:
        return ""
    return (
        f"<br>p50 {esc(fmoney(p.p50))} · p5–p95 {esc(range_text(p.p5, p.p95))}"
        f"<br>P(cheapest) {esc(probability_text(p.cheapest_probability))}"
    )


def compare_ranges_figure(page: Page, cmp: CompareResult) -> str | None:
    """Each plan's p5–p95 monthly cost with its p50, and the probability that it is the cheapest that fits."""
    if not cmp.has_ranges:
        return None
    spans = [
        Span(
            label=("✓ " if p.fits else "✗ ") + p.label,
            p5=p.p5,
            p50=p.p50,
            p95=p.p95,
            note=f"P(cheapest) {probability_text(p.cheapest_probability)}" if p.fits else "does not fit",
            color=plan_color(i),
        )
        for i, p in enumerate(cmp.plans)
    ]
    return spans_figure(page, spans, "Monthly cost range by plan (bar p5–p95, ◆ p50)")


PATTERNS = ("", "/", "x", ".", "\\", "+", "-", "|")


def _plan_marker(i: int, over_shares: list[float]) -> dict[str, Any]:
    """A plan's bars: its colour and hatching; on a limits chart a bar over its ceiling is red, the hatching
    still telling the plans apart."""
    color = PLAN_COLORS[i % len(PLAN_COLORS)]
    marker: dict[str, Any] = {"color": [BAD if s > 100 else color for s in over_shares] or color}
    if over_shares:
        marker["pattern"] = {"shape": PATTERNS[i % len(PATTERNS)], "solidity": 0.5}
    return marker


@renderer("compare", "html")
def render_compare_html(cmp: CompareResult, **_: Any) -> str:
    page = Page("infrafit compare: " + ", ".join(p.label for p in cmp.plans))
    best = cmp.cheapest
    page.add(f"<h1>Comparing {len(cmp.plans)} plans</h1>")
    if best is not None and cmp.has_ranges:
        page.add(
            f'<p>The cheapest plan that fits by median cost is <b class="ok">{esc(best.label)}</b>: '
            f"{esc(ranged_headline(best))}.</p>"
        )
    elif best is not None:
        page.add(
            f'<p>The cheapest plan that fits is <b class="ok">{esc(best.label)}</b> at '
            f"<b>{esc(money(best.total_monthly_cost))}</b> a month ({esc(money(best.total_yearly_cost))} a year).</p>"
        )
    else:
        page.add('<p class="bad"><b>No plan fits</b>: every plan has at least one error finding.</p>')
    cards = [
        card(
            p.label,
            esc(money(p.total_monthly_cost)),
            ("fits" if p.fits else f"{len(p.errors)} error(s)")
            + f" · {esc(money(p.total_yearly_cost))}/year"
            + _range_card_text(cmp, p),
            "best" if i == cmp.cheapest_index else "",
        )
        for i, p in enumerate(cmp.plans)
    ]
    page.add(f'<div class="cards">{"".join(cards)}</div>')
    figs: list[str | None] = [compare_ranges_figure(page, cmp), compare_cost_figure(page, cmp)]
    labels = [p.label for p in cmp.plans]
    for view, per_plan in plan_sections(cmp):
        figs += view.compare_charts(page, list(zip(labels, per_plan, strict=True)))
    figs += [compare_share_figure(page, cmp, "pools"), compare_share_figure(page, cmp, "limits")]
    page.charts([f for f in figs if f])
    headers = ["", *[p.label for p in cmp.plans]]
    rows: list[list[str]] = [
        ["<b>monthly</b>", *[f"<b>{esc(money(p.total_monthly_cost))}</b>" for p in cmp.plans]],
        ["yearly", *[esc(money(p.total_yearly_cost)) for p in cmp.plans]],
    ]
    rows[1:1] = [[esc(label), *[esc(v) for v in values]] for label, values in range_rows(cmp)]
    if best is not None and not cmp.has_ranges:  # with ranges: "p50 vs cheapest", in the range rows
        rows.append(["vs cheapest", *[esc(signed_money(p.delta_vs_cheapest or ZERO)) for p in cmp.plans]])
    rows += [[esc(c), *[esc(money(p.cost_by_category.get(c, ZERO))) for p in cmp.plans]] for c in cmp.categories]
    rows += [[esc(c.text_in(HTML)) for c in r.cells] for _, section in section_rows(cmp) for r in section]
    rows.append(["errors", *[f'<span class="{"bad" if p.errors else "ok"}">{len(p.errors)}</span>' for p in cmp.plans]])
    rows.append(["warnings", *[str(len(p.warnings)) for p in cmp.plans]])
    rows.append(["verdict", *[_verdict(p, i == cmp.cheapest_index) for i, p in enumerate(cmp.plans)]])
    numeric = range(1, len(headers))
    page.add("<h2>Side by side</h2>" + table(headers, rows, numeric, [""] * (len(rows) - 1) + ["best"]))
    if cmp.has_ranges:
        page.add(f'<p class="muted">{esc(ranges_note(cmp))}</p>')
    errors = [(p.label, f) for p in cmp.plans for f in p.errors]
    if errors:
        page.add("<h2>Errors</h2>")
        rows = [
            [
                esc(label),
                f"<code>{esc(f.code)}</code>",
                esc(split_citation(f)[0]) + (f"<br><b>fix:</b> {esc(f.fix)}" if f.fix else ""),
                link(f.source),
            ]
            for label, f in errors
        ]
        page.add(table(["plan", "code", "message", "source"], rows))
    page.add("<h2>Each plan</h2>")
    for p in cmp.plans:
        page.add(f"<details><summary>{esc(p.label)}: {esc(money(p.total_monthly_cost))}/month</summary>")
        check_section(page, p.result, "h3", charts=False)
        page.add("</details>")
    return page.render()
