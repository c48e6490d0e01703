"""The HTML page toolkit shared by every kind of report: the page (CSS, the chart library embedded once), escaping,
links, badges, cards, tables and :func:`to_html`, which draws a :class:`~infrafit.report.grid.Grid`.

Reports are self-contained files that open offline: a partial plotly.js is embedded once (:mod:`.bundle`), nothing
is fetched. Plotly is imported only when a :class:`Page` is made, that is only when an HTML report is rendered.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from infrafit.engine.result import Result
from infrafit.report.grid import HTML, Cell, Grid
from infrafit.report.html.bundle import figure_html, scripts
from infrafit.report.wording import plural

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
.card.best { border-color:var(--ok); box-shadow:0 0 0 1px var(--ok) inset; } .card.bad { border-color:var(--bad); }
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
a { color:#2a62b8; overflow-wrap:anywhere; } a.src span { white-space:nowrap; }
.plot { width:100%; } .msg { overflow-wrap:anywhere; } .charts.wide { grid-template-columns:1fr; } .chart .plot:empty { color:var(--muted); }
details.info > summary { font-weight:500; color:var(--muted); }
footer { margin-top:36px; color:var(--muted); font-size:12px; }
section.plan + section.plan { border-top:2px solid var(--line); margin-top:36px; }
"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def fl(value: Decimal | None) -> float:
    """A figure's number (plotly takes floats); missing is zero."""
    return float(value) if value is not None else 0.0


def short_url(url: str, most: int = 40) -> str:
    """An address as a link reads: host and path, the middle of a long path left out (the full one is the title)."""
    text = url.split("://", 1)[-1].rstrip("/")
    if len(text) <= most:
        return text
    host, _, path = text.partition("/")
    tail = path.rsplit("/", 1)[-1]
    short = f"{host}/…/{tail}" if tail and tail != path else f"{host}/{path}"
    return short if len(short) <= most else short[: most - 1] + "…"


def link(url: str | None) -> str:
    """A source: a link whose text is shortened and may break only once, after the host (never a few letters a
    line), or a muted dash when there is none."""
    if not url:
        return '<span class="muted">-</span>'
    if url.startswith(("https://", "http://")):
        host, slash, path = short_url(url).partition("/")
        text = f"<span>{esc(host)}{slash}</span>" + (f"<wbr><span>{esc(path)}</span>" if slash else "")
        return (
            f'<a class="src" href="{esc(url)}" title="{esc(url)}" target="_blank" rel="noopener noreferrer">{text}</a>'
        )
    return esc(url)


def fit_badge(result: Result) -> str:
    if result.fits:
        return '<span class="badge ok">fits</span>'
    return f'<span class="badge bad">does not fit: {plural(len(result.errors), "error")}</span>'


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
    same file; the chart library goes into the page once, and only when there is a figure."""

    def __init__(self, title: str) -> None:
        import plotly.graph_objects as go

        self.go = go
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
        """The figure as a sized <div> and its JSON under an HTML title; the page's one plotly.js draws it.
        Names from the plan in ``fig`` must already be :func:`~infrafit.report.html.bundle.plain`."""
        self.figures += 1
        fig.update_layout(template=self.template, height=height)
        div = figure_html(fig, f"chart-{self.figures}", height)
        return f'<div class="chart"><h3>{esc(title)}</h3>{div}</div>'

    def charts(self, figures: Sequence[str], wide: bool = False) -> None:
        """Figures side by side (two to a row on a wide screen), or one to a row when ``wide``."""
        if figures:
            self.add(f'<div class="charts{" wide" if wide else ""}">{"".join(figures)}</div>')

    def render(self) -> str:
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="icon" href="data:,">'
            f"<title>{esc(self.title)}</title><style>{CSS}</style></head>\n"
            f"<body><main>\n{chr(10).join(self.parts)}\n"
            f"{scripts() if self.figures else ''}"
            "<footer>Made by infrafit. Every price, allowance, quota and limit links to its source; "
            "the catalog date says how old the facts are.</footer></main></body></html>\n"
        )


def category_color(category: str) -> str:
    return CATEGORY_COLORS.get(category, CATEGORY_COLORS["other"])


def share(used: Decimal, ceiling: Decimal) -> float:
    """Percent of a ceiling used; a zero ceiling used at all reads as far over."""
    if ceiling:
        return float(used / ceiling * 100)
    return 0.0 if used == 0 else 999.0


def label_stack_totals(fig: Any, x: list[str], totals: list[float], texts: list[str]) -> None:
    """Write each stacked bar's total above it, leaving headroom so the label is never clipped."""
    import plotly.graph_objects as go

    fig.add_trace(
        go.Scatter(
            x=x, y=totals, mode="text", text=texts, textposition="top center", showlegend=False, hoverinfo="skip"
        )
    )
    fig.update_layout(barmode="stack", yaxis={"tickprefix": "$", "range": [0, max([*totals, 1.0]) * 1.3]})


# -- grids ---------------------------------------------------------------------------------------------------
_SPAN = {"ok": "ok", "warn": "warn", "bad": "bad", "dim": "muted", "info": "muted"}  # the page has no info text
_BADGE = {"": "muted", "ok": "ok", "warn": "warn", "bad": "bad", "dim": "muted", "info": "info"}


def html_cell(c: Cell) -> str:
    """A cell as escaped HTML."""
    if c.href is not None:
        out = link(c.href)
    else:
        out = esc(c.text_in(HTML))
        if c.code:
            out = f"<code>{out}</code>"
        if c.badge:
            out = f'<span class="badge {_BADGE[c.tone]}">{out}</span>'
        elif c.tone:
            out = f'<span class="{_SPAN[c.tone]}">{out}</span>'
        elif c.strong:
            out = f"<b>{out}</b>"
    if c.tag:
        out += f" <span class='badge muted'>{esc(c.tag)}</span>"
    if c.note:
        out += f' <span class="muted">({esc(c.note)})</span>'
    if c.fix:
        out += f"<br><b>fix:</b> {esc(c.fix)}"
    return out


def to_html(grid: Grid) -> str:
    """The grid as a table (its ``empty`` text when it has no row); the caller writes the heading."""
    columns, rows = grid.visible(HTML)
    if not rows and grid.empty:
        return f'<p class="muted">{esc(grid.empty)}</p>'
    numeric = [i for i, c in enumerate(columns) if c.numeric and HTML not in c.left_in]
    body = [[html_cell(c) for c in row.cells] for row in rows]
    return table([c.title for c in columns], body, numeric, [row.kind for row in rows])
