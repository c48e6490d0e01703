"""``diff`` as an HTML page: before and after as cards and charts (totals, where the change comes from, quotas),
then what changed, with both plans' check reports folded below."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from infrafit.decisions.changes import DiffResult, FindingChange
from infrafit.engine.result import Finding
from infrafit.report import renderer
from infrafit.report.cost_ranges import signed_fmoney
from infrafit.report.fmt import mem, money, pct, qty, signed_money, signed_pct
from infrafit.report.html.bundle import plain
from infrafit.report.html.check import check_section
from infrafit.report.html.findings import findings_html
from infrafit.report.html.page import (
    AFTER_COLOR,
    BAD,
    BEFORE_COLOR,
    MAX_BARS,
    MUTED,
    OK,
    Page,
    card,
    category_color,
    esc,
    fit_badge,
    fl,
    label_stack_totals,
    table,
)
from infrafit.report.html.ranges import Span, spans_figure
from infrafit.report.provenance import catalog_phrase
from infrafit.report.wording import change_text, sorted_changes

LIMIT = "#1f2933"  # the limit line: dark, so it shows across a red (over) bar as well as a grey one


def diff_totals_figure(page: Page, d: DiffResult) -> str:
    """Before and after as two stacked bars (by category), the change written above the after bar."""
    go = page.go
    x = [plain(f"before: {d.before.plan}"), plain(f"after: {d.after.plan}")]
    fig = go.Figure()
    for cat, (b, a) in d.categories.items():
        fig.add_trace(
            go.Bar(
                x=x,
                y=[fl(b), fl(a)],
                name=plain(cat),
                marker_color=category_color(cat),
                hovertemplate="%{x}<br>%{fullData.name}: $%{y:,.2f}/month<extra></extra>",
            )
        )
    totals = [fl(d.before.total_monthly_cost), fl(d.after.total_monthly_cost)]
    texts = [
        f"<b>${totals[0]:,.2f}</b>",
        f"<b>${totals[1]:,.2f}</b><br>{signed_money(d.delta_monthly_cost)} ({signed_pct(d.delta_percent)})",
    ]
    label_stack_totals(fig, x, totals, texts)
    return page.figure(fig, "Monthly cost before and after", height=380)


def diff_waterfall_figure(page: Page, d: DiffResult) -> str | None:
    """From the before total to the after total, one step per resource whose cost changed."""
    moved = [r for r in d.changed if r.delta_monthly_cost != 0]
    if not moved:
        return None
    go = page.go
    shown, rest = moved[:MAX_BARS], moved[MAX_BARS:]
    labels = ["before"] + [plain(f"{r.name} ({r.status})" if r.status != "changed" else r.name) for r in shown]
    values = [fl(d.before.total_monthly_cost)] + [fl(r.delta_monthly_cost) for r in shown]
    measures = ["absolute"] + ["relative"] * len(shown)
    if rest:
        labels.append(f"{len(rest)} others")
        values.append(sum(fl(r.delta_monthly_cost) for r in rest))
        measures.append("relative")
    labels.append("after")
    values.append(0.0)
    measures.append("total")
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=values,
            measure=measures,
            text=[f"${values[0]:,.2f}"]
            + [signed_money(Decimal(str(round(v, 2)))) for v in values[1:-1]]
            + [f"${fl(d.after.total_monthly_cost):,.2f}"],
            textposition="outside",
            cliponaxis=False,
            increasing={"marker": {"color": BAD}},
            decreasing={"marker": {"color": OK}},
            totals={"marker": {"color": AFTER_COLOR}},
            connector={"line": {"color": MUTED, "dash": "dot"}},
        )
    )
    top = max(fl(d.before.total_monthly_cost), fl(d.after.total_monthly_cost))
    fig.update_layout(
        yaxis={"tickprefix": "$", "range": [0, top * 1.3 or 1]},
        showlegend=False,
    )
    return page.figure(fig, "Where the change comes from (per resource, $/month)", height=380)


def diff_quota_figure(page: Page, d: DiffResult) -> str | None:
    """Each quota used before and after, side by side; a bar is red when it is over its limit, and the limit is a
    line drawn across both bars."""
    quotas = [q for q in d.quotas if q.limit_before is not None or q.limit_after is not None]
    if not quotas:
        return None
    go = page.go
    labels = [plain(f"{q.key}{' ' + q.region if q.region else ''}") for q in quotas]
    fig = go.Figure()
    for side, color in (("before", BEFORE_COLOR), ("after", AFTER_COLOR)):
        used = [q.used_before if side == "before" else q.used_after for q in quotas]
        over = [q.over_before if side == "before" else q.over_after for q in quotas]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=[fl(u) for u in used],
                name=side,
                marker={
                    "color": [BAD if o else color for o in over],
                    "pattern": {"shape": "/" if side == "before" else ""},
                },
                text=[f"{side}: {qty(u)}" + (" (over)" if o else "") for u, o in zip(used, over, strict=True)],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{x}<br>" + side + ": %{y:,}<extra></extra>",
            )
        )
    peak = 0.0
    for i, q in enumerate(quotas):
        for limit, x0, x1 in ((q.limit_before, i - 0.45, i), (q.limit_after, i, i + 0.45)):
            if limit is None:
                continue
            peak = max(peak, fl(limit))
            fig.add_shape(
                type="line", x0=x0, x1=x1, y0=fl(limit), y1=fl(limit), line={"color": LIMIT, "width": 3, "dash": "dash"}
            )
        limits = {x for x in (q.limit_before, q.limit_after) if x is not None}
        fig.add_annotation(
            x=i + 0.45,
            y=fl(max(limits)),
            text="limit " + " → ".join(qty(x) for x in (q.limit_before, q.limit_after) if x is not None)
            if len(limits) > 1
            else f"limit {qty(next(iter(limits)))}",
            showarrow=False,
            xanchor="right",
            yanchor="bottom",
            font={"color": LIMIT},
        )
    # The legend says which side is which (hatched: before); red means over the limit on either side.
    fig.add_trace(
        go.Scatter(x=[None], y=[None], mode="lines", name="limit", line={"color": LIMIT, "width": 3, "dash": "dash"})
    )
    peak = max(peak, *(max(fl(q.used_before), fl(q.used_after)) for q in quotas))
    fig.update_layout(barmode="group", bargap=0.1, yaxis={"range": [0, peak * 1.3 or 1]})
    return page.figure(fig, "Quotas before and after (used vs limit; red: over)", height=340)


def _range_cards(d: DiffResult) -> list[str]:
    """The change of the median and of the 95th-percentile monthly cost, when either side has ranges."""
    out = []
    for label, delta in (("change of p50", d.delta_p50), ("change of p95", d.delta_p95)):
        if delta is not None:
            cls = "bad" if delta > 0.005 else ("ok" if delta < -0.005 else "")
            out.append(card(label, f'<span class="{cls}">{esc(signed_fmoney(delta))}</span>', "a month"))
    return out


def diff_ranges_figure(page: Page, d: DiffResult) -> str | None:
    """Before and after as p5–p95 ranges with their p50, when either side has ranges."""
    if not d.has_ranges:
        return None
    (b5, a5), (b50, a50), (b95, a95) = d.at(5), d.at(50), d.at(95)
    spans = [
        Span(label=f"before: {d.before.plan}", p5=b5, p50=b50, p95=b95, color=BEFORE_COLOR),
        Span(
            label=f"after: {d.after.plan}",
            p5=a5,
            p50=a50,
            p95=a95,
            note=f"Δp50 {signed_fmoney(a50 - b50)}, Δp95 {signed_fmoney(a95 - b95)}",
            color=AFTER_COLOR,
        ),
    ]
    return spans_figure(page, spans, "Monthly cost range before and after (bar p5–p95, ◆ p50)")


def _change_rows(d: DiffResult) -> list[list[str]]:
    rows = []
    for r in d.changed:
        cls = "bad" if r.delta_monthly_cost > 0 else ("ok" if r.delta_monthly_cost < 0 else "")
        rows.append(
            [
                f"<b>{esc(r.name)}</b>",
                esc(r.status),
                esc(change_text(r)),
                esc(money(r.cost_before)),
                esc(money(r.cost_after)),
                f'<span class="{cls}">{esc(signed_money(r.delta_monthly_cost))}</span>',
                esc(signed_money(r.delta_yearly_cost)),
                esc(signed_pct(r.delta_percent)),
            ]
        )
    return rows


def _finding_changes(items: list[FindingChange]) -> list[Finding]:
    return [c.finding for c in sorted_changes(items)]


@renderer("diff", "html")
def render_diff_html(d: DiffResult, **_: Any) -> str:
    b, a = d.before, d.after
    page = Page(f"infrafit diff: {b.plan} → {a.plan}")
    page.add(f"<h1>{esc(b.plan)} → {esc(a.plan)} {fit_badge(a)}</h1>")
    page.add(f'<div class="muted">{esc(b.file or b.plan)} → {esc(a.file or a.plan)} · {esc(catalog_phrase(a))}</div>')
    delta = d.delta_monthly_cost
    cls = "bad" if delta > 0 else ("ok" if delta < 0 else "")
    vb, va = d.vcpu
    mb, ma = d.memory_bytes
    page.add(
        '<div class="cards">'
        + card("before", esc(money(b.total_monthly_cost)), f"{esc(money(b.total_monthly_cost * 12))}/year")
        + card("after", esc(money(a.total_monthly_cost)), f"{esc(money(a.total_monthly_cost * 12))}/year")
        + card(
            "change / month", f'<span class="{cls}">{esc(signed_money(delta))}</span>', esc(signed_pct(d.delta_percent))
        )
        + card("change / year", f'<span class="{cls}">{esc(signed_money(d.delta_yearly_cost))}</span>')
        + card("vCPU", esc(f"{qty(vb)} → {qty(va)}"))
        + card("memory", esc(f"{mem(mb)} → {mem(ma)}"))
        + card("errors", esc(f"{len(b.errors)} → {len(a.errors)}"))
        + "".join(_range_cards(d))
        + "</div>"
    )
    figs = [diff_ranges_figure(page, d), diff_totals_figure(page, d), diff_waterfall_figure(page, d)]
    figs.append(diff_quota_figure(page, d))
    page.charts([f for f in figs if f])
    summary = ", ".join(f"{d.count(s)} {s}" for s in ("changed", "added", "removed") if d.count(s)) or "none"
    page.add(f"<h2>Resources that changed ({esc(summary)})</h2>")
    rows = _change_rows(d)
    page.add(
        table(["resource", "status", "change", "before", "after", "Δ month", "Δ year", "Δ %"], rows, (3, 4, 5, 6, 7))
        if rows
        else '<p class="muted">No resource changed.</p>'
    )
    if d.quotas:
        qrows = [
            [
                f"<code>{esc(q.key)}</code>",
                esc(q.region or "-"),
                esc(f"{qty(q.used_before)} / {qty(q.limit_before)}") if q.used_before is not None else "-",
                (
                    f'<span class="{"bad" if q.over_after else "ok"}">'
                    + esc(f"{qty(q.used_after)} / {qty(q.limit_after)}")
                    + "</span>"
                )
                if q.used_after is not None
                else "-",
            ]
            for q in d.quotas
        ]
        page.add("<h2>Quotas (used / limit)</h2>" + table(["quota", "region", "before", "after"], qrows, (2, 3)))
    page.add(f"<h2>Findings: {len(d.appeared)} new, {len(d.disappeared)} resolved, {len(d.kept)} unchanged</h2>")
    for title, items in (("New", d.appeared), ("Resolved", d.disappeared), ("Unchanged", d.kept)):
        if items:
            page.add(f"<h3>{title}</h3>" + findings_html(_finding_changes(items)))
    if d.categories:
        crows = [[esc(c), esc(money(x)), esc(money(y)), esc(signed_money(y - x))] for c, (x, y) in d.categories.items()]
        page.add("<h2>Cost by category</h2>" + table(["category", "before", "after", "change"], crows, (1, 2, 3)))
    if d.pools:
        prows = [
            [
                f"<code>{esc(p.pool)}</code>",
                esc(f"{qty(p.allowance)} {p.unit}/{p.period}"),
                esc(pct(p.used_before, p.allowance)) if p.used_before is not None else "-",
                esc(pct(p.used_after, p.allowance)) if p.used_after is not None else "-",
            ]
            for p in d.pools
        ]
        page.add(
            "<h2>Free tier (% of allowance used)</h2>"
            + table(["pool", "allowance", "before", "after"], prows, (1, 2, 3))
        )
    for label, result in (("Before", b), ("After", a)):
        page.add(f"<details><summary>{label}: {esc(result.plan)}, every resource and cost line</summary>")
        check_section(page, result, "h3", charts=False)
        page.add("</details>")
    return page.render()
