"""Self-contained HTML reports of ``check``, ``compare`` and ``diff``: charts where people would rather look than
read (cost by resource and category, free tiers, quotas, options side by side, before/after), then the tables with
every source. One file that opens offline: plotly's JavaScript is inlined once, nothing is fetched.

Plotly is imported here only, and only when an HTML report is rendered.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from infrafit.decisions.compare import CATEGORIES, LIMIT_CODES, CompareResult, PlanSummary
from infrafit.decisions.diff import DiffResult, FindingChange
from infrafit.engine.result import Finding, Result
from infrafit.report import renderer
from infrafit.report.decisions import change_text, job_rows, sorted_changes, verdict
from infrafit.report.fmt import mem, money, pct, qty, signed_money, signed_pct

ZERO = Decimal(0)
MAX_BARS = 25  # resources shown one by one in a chart; the rest are summed into one bar
CATEGORY_COLORS = {
    "compute": "#4C78A8",
    "storage": "#F58518",
    "requests": "#54A24B",
    "network": "#E45756",
    "database": "#72B7B2",
    "api": "#B279A2",
    "other": "#9D755D",
}
PLAN_COLORS = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#EECA3B", "#9D755D"]
OK, WARN, BAD, MUTED = "#2e9e5b", "#e0a100", "#d1383d", "#8a94a6"
BEFORE_COLOR, AFTER_COLOR = "#9aa7bd", "#4C78A8"

CSS = """
:root { --fg:#1f2933; --muted:#6b7787; --line:#e3e7ee; --bg:#f6f8fb; --ok:#2e9e5b; --bad:#d1383d; --warn:#b98300; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
       color:var(--fg); background:var(--bg); }
main { max-width:1180px; margin:0 auto; padding:24px 20px 48px; }
h1 { font-size:22px; margin:0 0 4px; } h2 { font-size:18px; margin:32px 0 10px; }
h3 { font-size:15px; margin:22px 0 8px; }
.muted { color:var(--muted); } .ok { color:var(--ok); } .bad { color:var(--bad); } .warn { color:var(--warn); }
.cards { display:flex; flex-wrap:wrap; gap:12px; margin:16px 0; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px; min-width:150px; }
.card .label { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
.card .value { font-size:22px; font-weight:650; font-variant-numeric:tabular-nums; }
.card.best { border-color:var(--ok); box-shadow:0 0 0 1px var(--ok) inset; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; color:#fff; }
.badge.ok { background:var(--ok); } .badge.bad { background:var(--bad); } .badge.warn { background:var(--warn); }
.badge.info { background:#3f7fbf; } .badge.muted { background:#8a94a6; }
.charts { display:grid; align-items:start; grid-template-columns:repeat(auto-fill,minmax(480px,1fr)); gap:14px; }
.chart { background:#fff; border:1px solid var(--line); border-radius:8px; padding:6px; min-height:120px; min-width:0; }
.chart h3 { margin:4px 6px 0; font-size:14px; }
table { border-collapse:collapse; width:100%; background:#fff; border:1px solid var(--line); margin:6px 0 14px; }
th, td { padding:6px 9px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
th { background:#eef2f7; font-weight:600; font-size:13px; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
tr.sub td { color:var(--muted); font-size:13px; } tr.total td { font-weight:650; background:#f3f6fa; }
tr.best td { background:#eaf7ef; }
details { background:#fff; border:1px solid var(--line); border-radius:8px; padding:8px 12px; margin:10px 0; }
details > summary { cursor:pointer; font-weight:600; }
a { color:#2a62b8; word-break:break-all; }
footer { margin-top:36px; color:var(--muted); font-size:12px; }
section.plan + section.plan { border-top:2px solid var(--line); margin-top:36px; }
"""

# Charts are drawn while the page is parsed, before the grid has its final widths; redraw them once it has.
RESIZE = (
    "<script>window.addEventListener('load',function(){document.querySelectorAll('.js-plotly-plot')"
    ".forEach(function(el){Plotly.Plots.resize(el);});});</script>"
)
# No mode bar: it would sit over legends; zoom by dragging and reset with a double click still work.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _f(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def link(url: str | None) -> str:
    if not url:
        return '<span class="muted">-</span>'
    if url.startswith(("https://", "http://")):
        text = url.split("://", 1)[1]
        text = text if len(text) <= 48 else text[:47] + "…"
        return f'<a href="{esc(url)}" title="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'
    return esc(url)


def severity_badge(severity: str) -> str:
    cls = {"error": "bad", "warning": "warn", "info": "info"}.get(severity, "muted")
    return f'<span class="badge {cls}">{esc(severity)}</span>'


def fit_badge(result: Result) -> str:
    if result.fits:
        return '<span class="badge ok">fits</span>'
    n = len(result.errors)
    return f'<span class="badge bad">does not fit: {n} error{"s" if n != 1 else ""}</span>'


def card(label: str, value: str, extra: str = "", cls: str = "") -> str:
    return (
        f'<div class="card {cls}"><div class="label">{esc(label)}</div><div class="value">{value}</div>'
        f"{f'<div class=muted>{extra}</div>' if extra else ''}</div>"
    )


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = (), classes: Sequence[str] = ()
) -> str:
    """An HTML table of already-escaped cells; ``numeric`` are the right-aligned column indexes."""
    nums = set(numeric)
    head = "".join(
        f'<th class="num">{esc(h)}</th>' if i in nums else f"<th>{esc(h)}</th>" for i, h in enumerate(headers)
    )
    body = []
    for n, row in enumerate(rows):
        cls = classes[n] if n < len(classes) and classes[n] else ""
        cells = "".join(f'<td class="num">{c}</td>' if i in nums else f"<td>{c}</td>" for i, c in enumerate(row))
        body.append(f'<tr class="{cls}">{cells}</tr>' if cls else f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


class Page:
    """One report: sections of HTML and plotly figures. Figure ids are numbered, so the same input gives the
    same file; plotly's JavaScript goes into the page once, and only when there is a figure."""

    def __init__(self, title: str) -> None:
        import plotly.graph_objects as go
        import plotly.io as pio

        self.go = go
        self._pio = pio
        self.title = title
        self.parts: list[str] = []
        self.figures = 0
        self.template = go.layout.Template(
            layout={
                "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 12},
                "paper_bgcolor": "white",
                "plot_bgcolor": "white",
                "margin": {"l": 10, "r": 20, "t": 40, "b": 30},
                "xaxis": {"gridcolor": "#e9edf3", "zerolinecolor": "#c9d1dc", "automargin": True},
                "yaxis": {"gridcolor": "#e9edf3", "zerolinecolor": "#c9d1dc", "automargin": True},
                "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
                "hoverlabel": {"font": {"size": 12}},
            }
        )

    def add(self, text: str) -> None:
        self.parts.append(text)

    def figure(self, fig: Any, title: str, height: int = 340) -> str:
        """The figure as a <div> (its data inline) under an HTML title; the page's one plotly.js draws it."""
        self.figures += 1
        fig.update_layout(template=self.template, height=height)
        div = self._pio.to_html(
            fig,
            full_html=False,
            include_plotlyjs=False,
            div_id=f"chart-{self.figures}",
            config=PLOTLY_CONFIG,
            default_height=f"{height}px",
        )
        return f'<div class="chart"><h3>{esc(title)}</h3>{div}</div>'

    def charts(self, figures: Sequence[str]) -> None:
        if figures:
            self.add(f'<div class="charts">{"".join(figures)}</div>')

    def render(self) -> str:
        script = ""
        if self.figures:
            from plotly.offline import get_plotlyjs

            script = f'<script type="text/javascript">{get_plotlyjs()}</script>'
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="icon" href="data:,">'
            f"<title>{esc(self.title)}</title><style>{CSS}</style>{script}</head>\n"
            f"<body><main>\n{chr(10).join(self.parts)}\n"
            f"{RESIZE if self.figures else ''}"
            "<footer>Made by infrafit. Every price, allowance, quota and limit links to its source; "
            "the catalog date says how old the facts are.</footer></main></body></html>\n"
        )


# -- figures shared by the three reports ---------------------------------------------------------------------
def _category_of(name: str) -> str:
    return name if name in CATEGORY_COLORS else "other"


def cost_by_resource_figure(page: Page, result: Result) -> str | None:
    """Stacked horizontal bars: each resource's monthly cost split by category, largest on top."""
    if result.total_monthly_cost <= 0:
        return None
    go = page.go
    ranked = sorted(result.resources, key=lambda r: (-r.monthly_cost, r.name))
    shown, rest = ranked[:MAX_BARS], ranked[MAX_BARS:]
    names = [r.name for r in shown] + ([f"{len(rest)} others"] if rest else [])
    by_cat: dict[str, list[float]] = {}
    for i, r in enumerate(shown):
        for c in r.components:
            by_cat.setdefault(c.category, [0.0] * len(names))[i] += _f(c.cost)
    for r in rest:
        for c in r.components:
            by_cat.setdefault(c.category, [0.0] * len(names))[-1] += _f(c.cost)
    fig = go.Figure()
    for cat in [c for c in CATEGORIES if c in by_cat] + sorted(set(by_cat) - set(CATEGORIES)):
        fig.add_trace(
            go.Bar(
                y=names,
                x=by_cat[cat],
                name=cat,
                orientation="h",
                marker_color=CATEGORY_COLORS[_category_of(cat)],
                hovertemplate="%{y}: $%{x:,.2f}/month " + cat + "<extra></extra>",
            )
        )
    totals = [_f(r.monthly_cost) for r in shown] + ([sum(_f(r.monthly_cost) for r in rest)] if rest else [])
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
    order = [c for c in CATEGORIES if c in cats] + sorted(set(cats) - set(CATEGORIES))
    fig = go.Figure(
        go.Pie(
            labels=order,
            values=[_f(cats[c]) for c in order],
            hole=0.55,
            sort=False,
            marker={"colors": [CATEGORY_COLORS[_category_of(c)] for c in order]},
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
        share = float(p.used / p.allowance * 100) if p.allowance else (0.0 if p.used == 0 else 999.0)
        per = "day" if p.period == "day" else "month"
        labels.append(p.pool)
        shares.append(share)
        texts.append(pct(p.used, p.allowance))
        colors.append(BAD if share > 100 else (WARN if share > 80 else OK))
        hovers.append(
            f"{p.label}<br>{qty(p.used)} of {qty(p.allowance)} {p.unit} a {per}"
            + (f"<br>billed beyond: {money(p.billed_cost)}" if p.billed else "")
        )
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


def ceilings(result: Result) -> list[tuple[str, Decimal, Decimal, str]]:
    """(label, used, ceiling, unit) of every quota with a known limit and every finding that has one."""
    out = [
        (f"{q.key}{' ' + q.region if q.region else ''}", q.used, q.limit, q.unit)
        for q in result.quotas
        if q.limit is not None
    ]
    for f in result.findings:
        if f.code.startswith("quota") or f.code not in LIMIT_CODES or f.value is None or f.limit is None:
            continue
        who = f"{f.resource}: " if f.resource else ""
        out.append((f"{who}{f.code}", f.value, f.limit, ""))
    return out


def _share(used: Decimal, ceiling: Decimal) -> float:
    """Percent of a ceiling used; a zero ceiling used at all reads as far over."""
    if ceiling:
        return float(used / ceiling * 100)
    return 0.0 if used == 0 else 999.0


def limits_figure(page: Page, result: Result) -> str | None:
    """Quotas and limits as the share of their ceiling used; past 100% is a finding."""
    rows = ceilings(result)
    if not rows:
        return None
    go = page.go
    shares = [_share(used, ceiling) for _, used, ceiling, _ in rows]
    fig = go.Figure(
        go.Bar(
            y=[
                f"{label} ({qty(used)} / {qty(ceiling)}{' ' + unit if unit else ''})"
                for label, used, ceiling, unit in rows
            ],
            x=shares,
            orientation="h",
            marker_color=[BAD if s > 100 else (WARN if s > 80 else OK) for s in shares],
            text=[f"{s:.0f}%" for s in shares],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="text",
            hovertext=[
                f"{label}: {qty(used)} used, ceiling {qty(ceiling)} {unit}" for label, used, ceiling, unit in rows
            ],
        )
    )
    fig.add_vline(x=100, line_dash="dash", line_color=BAD, annotation_text="limit", annotation_position="top")
    fig.update_layout(
        yaxis={"autorange": "reversed"},
        xaxis={"ticksuffix": "%", "range": [0, max([*shares, 100.0]) * 1.45]},
        showlegend=False,
    )
    return page.figure(fig, "Quotas and limits (% of ceiling)", height=max(220, 100 + 30 * len(rows)))


# -- tables --------------------------------------------------------------------------------------------------
def findings_table(findings: Sequence[Finding], label: str | None = None) -> str:
    if not findings:
        return '<p class="muted">No findings.</p>'
    rows = []
    for f in findings:
        fix = f"<br><b>fix:</b> {esc(f.fix)}" if f.fix else ""
        extra = [label] if label else []
        rows.append(
            [
                *extra,
                severity_badge(f.severity),
                f"<code>{esc(f.code)}</code>",
                esc(f.resource or "-"),
                esc(f.message) + fix,
                link(f.source),
            ]
        )
    headers = (["change"] if label else []) + ["severity", "code", "resource", "message", "source"]
    return table(headers, rows)


def resources_table(result: Result) -> str:
    rows = []
    for r in result.resources:
        tp = " / ".join(x for x in (r.type, r.plan) if x) or "-"
        rows.append(
            [
                f"<b>{esc(r.name)}</b>",
                f"<code>{esc(r.service)}</code>",
                esc(r.region or "-"),
                esc(tp),
                esc(r.count),
                esc(qty(r.vcpu)) if r.vcpu else "-",
                esc(mem(r.memory_bytes)) if r.memory_bytes else "-",
                esc(money(r.monthly_cost)),
            ]
        )
    rows.append(
        [
            "<b>total</b>",
            "",
            "",
            "",
            "",
            esc(qty(sum((r.vcpu for r in result.resources), ZERO))),
            esc(mem(sum((r.memory_bytes for r in result.resources), ZERO))),
            f"<b>{esc(money(result.total_monthly_cost))}</b>",
        ]
    )
    classes = [""] * (len(rows) - 1) + ["total"]
    return table(
        ["resource", "service", "region", "type / plan", "count", "vCPU", "memory", "monthly"],
        rows,
        (4, 5, 6, 7),
        classes,
    )


def cost_lines_table(result: Result) -> str:
    rows = []
    for r in result.resources:
        for c in r.components:
            rows.append(
                [
                    esc(r.name),
                    esc(c.name),
                    esc(c.category),
                    esc(f"{qty(c.quantity)} {c.unit}"),
                    esc(qty(c.free_quantity)),
                    esc(qty(c.billable_quantity)),
                    esc(c.price_text),
                    esc(money(c.cost)),
                    link(c.source) + (f' <span class="muted">({esc(c.as_of)})</span>' if c.as_of else ""),
                ]
            )
    return table(
        ["resource", "line", "category", "quantity", "free", "billable", "price", "cost", "source"], rows, (3, 4, 5, 7)
    )


def pools_table(result: Result) -> str:
    rows = []
    for p in result.free_tier:
        per = "/day" if p.period == "day" else "/month"
        share = pct(p.used, p.allowance)
        cls = "bad" if p.used > p.allowance else ("warn" if p.used > p.allowance * 8 / 10 else "ok")
        rows.append(
            [
                f"<code>{esc(p.pool)}</code>" + (" <span class='badge muted'>hard cap</span>" if p.hard else ""),
                esc(f"{qty(p.used)} {p.unit}{per}"),
                esc(qty(p.allowance)),
                f'<span class="{cls}">{esc(share)}</span>',
                esc(money(p.billed_cost)) if p.billed else "-",
                esc(", ".join(p.resources)),
                link(p.source),
            ]
        )
    return table(["pool", "used", "allowance", "use", "billed beyond", "resources", "source"], rows, (1, 2, 3, 4))


def quotas_table(result: Result) -> str:
    rows = []
    for q in result.quotas:
        if q.limit is None:
            status = '<span class="muted">unknown limit</span>'
        elif q.used > q.limit:
            status = f'<span class="bad">over by {esc(qty(q.used - q.limit))}</span>'
        else:
            status = f'<span class="ok">{esc(qty(q.limit - q.used))} spare</span>'
        rows.append(
            [
                f"<code>{esc(q.key)}</code>",
                esc(q.region or "-"),
                esc(f"{qty(q.used)} {q.unit}"),
                esc(qty(q.limit)),
                status,
                esc(", ".join(q.resources)),
                link(q.source),
            ]
        )
    return table(["quota", "region", "used", "limit", "status", "resources", "source"], rows, (2, 3))


# -- jobs: a hook for batch simulations ----------------------------------------------------------------------
def _get(job: Any, key: str) -> Any:
    if isinstance(job, dict):
        return job.get(key)
    return getattr(job, key, None)


def _in_hours(job: Any) -> bool:
    """Job reports of the engine count time in hours (``makespan_hours_p50``); raw simulator results in seconds."""
    return _get(job, "makespan_hours_p50") is not None or hasattr(job, "makespan_hours_p50")


def _makespan(job: Any, q: str) -> float | None:
    value = _get(job, f"makespan_hours_{q}")
    if value is not None:
        return float(value)
    seconds = _get(job, f"makespan_s_{q}")
    return None if seconds is None else float(seconds) / 3600


def jobs_figure(page: Page, series: Sequence[tuple[str, Any]]) -> str | None:
    """Items done over time, one line per (label, job): where a daily quota stalls a batch, the line is flat."""
    go = page.go
    fig = go.Figure()
    for label, job in series:
        timeline = _get(job, "timeline") or []
        scale = 1.0 if _in_hours(job) else 1 / 3600
        points = [(p["hours"], p["completed"]) if isinstance(p, dict) else p for p in timeline]
        if points:
            fig.add_trace(
                go.Scatter(
                    x=[0.0] + [float(t) * scale for t, _ in points],
                    y=[0.0] + [float(n) for _, n in points],
                    mode="lines",
                    name=label,
                    line_shape="hv",
                    hovertemplate="%{x:,.1f} h: %{y:,.0f} items done<extra>%{fullData.name}</extra>",
                )
            )
    if not fig.data:
        return None
    fig.update_layout(xaxis={"ticksuffix": " h"}, yaxis_title="items done")
    return page.figure(fig, "Batch throughput: items done over time")


def jobs_section(page: Page, jobs: Sequence[Any], chart: bool = True) -> str:
    """Batch jobs attached to a result (``Result.jobs``): a throughput chart of items done over time (each job's
    ``timeline`` of (time, items done), in hours for engine job reports, seconds for raw simulator results) and
    a table of makespan, rate, bottleneck. Takes objects or dicts with those names; assign another function to
    :data:`JOBS_SECTION` to draw something else."""
    if not jobs:
        return ""
    figure = jobs_figure(page, [(str(_get(job, "name") or "job"), job) for job in jobs]) if chart else None
    rows = []
    for job in jobs:
        p50, p95 = _makespan(job, "p50"), _makespan(job, "p95")
        rate = _get(job, "items_per_hour")
        feasible = _get(job, "feasible")
        why = _get(job, "bottleneck_detail") or "; ".join(_get(job, "reasons") or [])
        rows.append(
            [
                esc(_get(job, "name") or "-"),
                '<span class="badge bad">cannot run</span>' if feasible is False else "",
                esc(f"{p50:,.2f} h") if p50 is not None else "-",
                esc(f"{p95:,.2f} h") if p95 is not None else "-",
                esc(f"{float(rate):,.1f}") if rate is not None else "-",
                esc(_get(job, "bottleneck") or "-"),
                esc(why),
            ]
        )
    charts = f'<div class="charts">{figure}</div>' if figure else ""
    headers = ["job", "", "makespan p50", "makespan p95", "items/hour", "bottleneck", "why"]
    return "<h2>Batch jobs</h2>" + charts + table(headers, rows, (2, 3, 4))


JOBS_SECTION: Callable[..., str] = jobs_section


# -- check ---------------------------------------------------------------------------------------------------
def check_section(page: Page, result: Result, heading: str = "h1", charts: bool = True) -> None:
    warnings = sum(1 for f in result.findings if f.severity == "warning")
    oldest = f", oldest fact used {esc(result.oldest_fact)}" if result.oldest_fact else ""
    page.add(f'<section class="plan"><{heading}>{esc(result.plan)} {fit_badge(result)}</{heading}>')
    page.add(
        f'<div class="muted">{esc(result.file) + " · " if result.file else ""}catalog as of '
        f"{esc(result.catalog_as_of)}{oldest} · month = {esc(qty(result.month_hours))} h</div>"
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
    page.add(f'<div class="cards">{"".join(cards)}</div>')
    if charts:
        figs = [
            cost_by_resource_figure(page, result),
            cost_by_category_figure(page, result),
            free_tier_figure(page, result),
            limits_figure(page, result),
        ]
        page.charts([f for f in figs if f])
        if result.total_monthly_cost <= 0:
            page.add('<p class="ok">Everything here is inside free or included allowances: $0.00 a month.</p>')
    if result.jobs:
        page.add(JOBS_SECTION(page, result.jobs, chart=charts))
    errors = [f for f in result.findings if f.severity == "error"]
    page.add(f"<h2>Findings ({len(result.findings)})</h2>")
    page.add(findings_table(errors + [f for f in result.findings if f.severity != "error"]))
    page.add("<h2>Resources</h2>" + resources_table(result))
    page.add(
        "<details><summary>Cost lines, with the price and its source</summary>"
        + cost_lines_table(result)
        + "</details>"
    )
    if result.free_tier:
        page.add("<h2>Free tier and included usage</h2>" + pools_table(result))
    if result.quotas:
        page.add("<h2>Quotas</h2>" + quotas_table(result))
    if result.overrides:
        rows = [[f"<code>{esc(o.path)}</code>", esc(o.old), esc(o.new)] for o in result.overrides]
        page.add("<h2>Catalog facts overridden by the plan</h2>" + table(["fact", "catalog", "plan"], rows))
    page.add("</section>")


@renderer("check", "html")
def render_check_html(results: list[Result], **_: Any) -> str:
    title = "infrafit check: " + ", ".join(r.plan for r in results)
    page = Page(title)
    for r in results:
        check_section(page, r, "h1")
    return page.render()


# -- compare -------------------------------------------------------------------------------------------------
def _verdict(p: PlanSummary, best: bool) -> str:
    """The shared verdict wording, as a badge."""
    return f'<span class="badge {"ok" if p.fits else "bad"}">{verdict(p, best)}</span>'


def compare_cost_figure(page: Page, cmp: CompareResult) -> str:
    """Options side by side: one stacked bar per plan (categories), its total above, the cheapest that fits marked."""
    go = page.go
    labels = [("✓ " if p.fits else "✗ ") + p.label for p in cmp.plans]
    fig = go.Figure()
    for cat in cmp.categories:
        fig.add_trace(
            go.Bar(
                x=labels,
                y=[_f(p.cost_by_category.get(cat, ZERO)) for p in cmp.plans],
                name=cat,
                marker_color=CATEGORY_COLORS[_category_of(cat)],
                hovertemplate="%{x}<br>" + cat + ": $%{y:,.2f}/month<extra></extra>",
            )
        )
    totals = [_f(p.total_monthly_cost) for p in cmp.plans]
    texts = [
        f"<b>${t:,.2f}</b>" + ("<br>cheapest that fits" if i == cmp.cheapest_index else "")
        for i, t in enumerate(totals)
    ]
    _label_stack_totals(fig, labels, totals, texts)
    return page.figure(fig, "Monthly cost by plan and category (✓ fits, ✗ does not)", height=380)


def _label_stack_totals(fig: Any, x: list[str], totals: list[float], texts: list[str]) -> None:
    """Write each stacked bar's total above it, leaving headroom so the label is never clipped."""
    import plotly.graph_objects as go

    fig.add_trace(
        go.Scatter(
            x=x, y=totals, mode="text", text=texts, textposition="top center", showlegend=False, hoverinfo="skip"
        )
    )
    fig.update_layout(barmode="stack", yaxis={"tickprefix": "$", "range": [0, max([*totals, 1.0]) * 1.3]})


def compare_share_figure(page: Page, cmp: CompareResult, kind: str) -> str | None:
    """Free-tier use (kind "pools") or quotas and limits (kind "limits") of every plan, grouped by plan."""
    go = page.go
    fig = go.Figure()
    rows = 0
    for i, p in enumerate(cmp.plans):
        if kind == "pools":
            items = [
                (
                    u.pool,
                    _share(u.used, u.allowance),
                    f"{qty(u.used)} / {qty(u.allowance)} {u.unit}",
                )
                for u in p.free_tier
            ]
        else:
            items = [
                (label, _share(used, lim), f"{qty(used)} / {qty(lim)} {unit}")
                for label, used, lim, unit in ceilings(p.result)
            ]
        if not items:
            continue
        rows += len(items)
        fig.add_trace(
            go.Bar(
                y=[x[0] for x in items],
                x=[x[1] for x in items],
                orientation="h",
                name=p.label,
                marker_color=PLAN_COLORS[i % len(PLAN_COLORS)],
                text=[f"{x[1]:.0f}%" for x in items],
                textposition="outside",
                cliponaxis=False,
                hovertext=[f"{p.label}: {x[2]}" for x in items],
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
        xaxis={"ticksuffix": "%", "range": [0, top * 1.3]},
    )
    return page.figure(fig, title, height=max(260, 120 + 24 * rows))


@renderer("compare", "html")
def render_compare_html(cmp: CompareResult, **_: Any) -> str:
    page = Page("infrafit compare: " + ", ".join(p.label for p in cmp.plans))
    best = cmp.cheapest
    page.add(f"<h1>Comparing {len(cmp.plans)} plans</h1>")
    if best is not None:
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
            ("fits" if p.fits else f"{len(p.errors)} error(s)") + f" · {esc(money(p.total_yearly_cost))}/year",
            "best" if i == cmp.cheapest_index else "",
        )
        for i, p in enumerate(cmp.plans)
    ]
    page.add(f'<div class="cards">{"".join(cards)}</div>')
    series = [(f"{p.label}: {_get(job, 'name')}", job) for p in cmp.plans for job in p.result.jobs]
    figs = [
        compare_cost_figure(page, cmp),
        jobs_figure(page, series) if series else None,
        compare_share_figure(page, cmp, "pools"),
        compare_share_figure(page, cmp, "limits"),
    ]
    page.charts([f for f in figs if f])
    headers = ["", *[p.label for p in cmp.plans]]
    rows: list[list[str]] = [
        ["<b>monthly</b>", *[f"<b>{esc(money(p.total_monthly_cost))}</b>" for p in cmp.plans]],
        ["yearly", *[esc(money(p.total_yearly_cost)) for p in cmp.plans]],
    ]
    if best is not None:
        rows.append(["vs cheapest", *[esc(signed_money(p.delta_vs_cheapest or ZERO)) for p in cmp.plans]])
    rows += [[esc(c), *[esc(money(p.cost_by_category.get(c, ZERO))) for p in cmp.plans]] for c in cmp.categories]
    rows += [[esc(f"job {name}"), *[esc(c) for c in cells]] for name, cells in job_rows(cmp)]
    rows.append(["errors", *[f'<span class="{"bad" if p.errors else "ok"}">{len(p.errors)}</span>' for p in cmp.plans]])
    rows.append(["warnings", *[str(len(p.warnings)) for p in cmp.plans]])
    rows.append(["verdict", *[_verdict(p, i == cmp.cheapest_index) for i, p in enumerate(cmp.plans)]])
    numeric = range(1, len(headers))
    page.add("<h2>Side by side</h2>" + table(headers, rows, numeric, [""] * (len(rows) - 1) + ["best"]))
    errors = [(p.label, f) for p in cmp.plans for f in p.errors]
    if errors:
        page.add("<h2>Errors</h2>")
        rows = [
            [
                esc(label),
                f"<code>{esc(f.code)}</code>",
                esc(f.message) + (f"<br><b>fix:</b> {esc(f.fix)}" if f.fix else ""),
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


# -- diff ----------------------------------------------------------------------------------------------------
def diff_totals_figure(page: Page, d: DiffResult) -> str:
    """Before and after as two stacked bars (by category), the change written above the after bar."""
    go = page.go
    x = [f"before: {d.before.plan}", f"after: {d.after.plan}"]
    fig = go.Figure()
    for cat, (b, a) in d.categories.items():
        fig.add_trace(
            go.Bar(
                x=x,
                y=[_f(b), _f(a)],
                name=cat,
                marker_color=CATEGORY_COLORS[_category_of(cat)],
                hovertemplate="%{x}<br>" + cat + ": $%{y:,.2f}/month<extra></extra>",
            )
        )
    totals = [_f(d.before.total_monthly_cost), _f(d.after.total_monthly_cost)]
    texts = [
        f"<b>${totals[0]:,.2f}</b>",
        f"<b>${totals[1]:,.2f}</b><br>{signed_money(d.delta_monthly_cost)} ({signed_pct(d.delta_percent)})",
    ]
    _label_stack_totals(fig, x, totals, texts)
    return page.figure(fig, "Monthly cost before and after", height=380)


def diff_waterfall_figure(page: Page, d: DiffResult) -> str | None:
    """From the before total to the after total, one step per resource whose cost changed."""
    moved = [r for r in d.changed if r.delta_monthly_cost != 0]
    if not moved:
        return None
    go = page.go
    shown, rest = moved[:MAX_BARS], moved[MAX_BARS:]
    labels = ["before"] + [f"{r.name} ({r.status})" if r.status != "changed" else r.name for r in shown]
    values = [_f(d.before.total_monthly_cost)] + [_f(r.delta_monthly_cost) for r in shown]
    measures = ["absolute"] + ["relative"] * len(shown)
    if rest:
        labels.append(f"{len(rest)} others")
        values.append(sum(_f(r.delta_monthly_cost) for r in rest))
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
            + [f"${_f(d.after.total_monthly_cost):,.2f}"],
            textposition="outside",
            cliponaxis=False,
            increasing={"marker": {"color": BAD}},
            decreasing={"marker": {"color": OK}},
            totals={"marker": {"color": AFTER_COLOR}},
            connector={"line": {"color": MUTED, "dash": "dot"}},
        )
    )
    top = max(_f(d.before.total_monthly_cost), _f(d.after.total_monthly_cost))
    fig.update_layout(
        yaxis={"tickprefix": "$", "range": [0, top * 1.3 or 1]},
        showlegend=False,
    )
    return page.figure(fig, "Where the change comes from (per resource, $/month)", height=380)


def diff_quota_figure(page: Page, d: DiffResult) -> str | None:
    """vCPU (and any other quota) used before and after, against the limit."""
    quotas = [q for q in d.quotas if q.limit_before is not None or q.limit_after is not None]
    if not quotas:
        return None
    go = page.go
    labels = [f"{q.key}{' ' + q.region if q.region else ''}" for q in quotas]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=labels,
            y=[_f(q.used_before) for q in quotas],
            name="before",
            marker_color=BEFORE_COLOR,
            text=[qty(q.used_before) for q in quotas],
            textposition="outside",
        )
    )
    fig.add_trace(
        go.Bar(
            x=labels,
            y=[_f(q.used_after) for q in quotas],
            name="after",
            marker_color=[BAD if q.over_after else AFTER_COLOR for q in quotas],
            text=[qty(q.used_after) for q in quotas],
            textposition="outside",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=[_f(q.limit_after if q.limit_after is not None else q.limit_before) for q in quotas],
            mode="markers+text",
            name="limit",
            marker={"symbol": "line-ew-open", "size": 60, "color": BAD, "line": {"width": 3, "color": BAD}},
            text=[f"limit {qty(q.limit_after if q.limit_after is not None else q.limit_before)}" for q in quotas],
            textposition="top right",
        )
    )
    peak = max(max(_f(q.used_before), _f(q.used_after), _f(q.limit_after), _f(q.limit_before)) for q in quotas)
    fig.update_layout(barmode="group", yaxis={"range": [0, peak * 1.3 or 1]})
    return page.figure(fig, "Quotas before and after (used vs limit)", height=340)


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
    page.add(
        f'<div class="muted">{esc(b.file or b.plan)} → {esc(a.file or a.plan)} · '
        f"catalog as of {esc(a.catalog_as_of)}</div>"
    )
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
        + "</div>"
    )
    figs = [diff_totals_figure(page, d), diff_waterfall_figure(page, d), diff_quota_figure(page, d)]
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
    if d.appeared:
        page.add("<h3>New</h3>" + findings_table(_finding_changes(d.appeared)))
    if d.disappeared:
        page.add("<h3>Resolved</h3>" + findings_table(_finding_changes(d.disappeared)))
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
