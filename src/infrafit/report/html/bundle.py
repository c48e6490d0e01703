"""The chart library inside a report: a partial plotly.js bundle (bar, scatter, pie, waterfall, funnel, histogram…),
vendored gzipped in ``assets/`` and embedded once per page, unpacked by the browser; each figure is a JSON block
that a small script draws once the library is ready. Nothing is fetched: reports open offline.

Plotly draws trace names, tick labels, hover and annotation text as its own pseudo-HTML (``<b>``, ``<a href>``,
``<span style>``), so every name from a plan goes through :func:`plain` before it reaches a figure.
"""

from __future__ import annotations

import base64
import json
from functools import cache
from importlib import resources
from typing import Any

#: The vendored bundle: file, package and version (see assets/README.md for its checksum and licence).
BUNDLE = "plotly-finance.min.js.gz"
BUNDLE_NAME = "plotly.js-finance-dist-min"
BUNDLE_VERSION = "4.1.0"
# No mode bar: it would sit over legends; zoom by dragging and reset with a double click still work.
CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}

_PLAIN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_JSON_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})

# Unpack the bundle (base64 of gzip) with the browser's own DecompressionStream, run it, then draw every figure
# whose JSON block is on the page. Without DecompressionStream (browsers before 2023) each chart box says why.
LOADER = """(function(){
var packed=document.getElementById('infrafit-plotly');
function draw(){
  document.querySelectorAll('script[data-chart]').forEach(function(s){
    var fig=JSON.parse(s.textContent);
    Plotly.newPlot(document.getElementById(s.dataset.chart),fig.data,fig.layout,%(config)s);
  });
}
function fail(){
  document.querySelectorAll('.plot').forEach(function(d){
    d.textContent='This browser cannot unpack the charts (it lacks DecompressionStream); the tables below have every figure.';
  });
}
if(!packed||!window.DecompressionStream){fail();return;}
var bin=atob(packed.textContent.trim()),bytes=new Uint8Array(bin.length);
for(var i=0;i<bin.length;i++){bytes[i]=bin.charCodeAt(i);}
new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function(js){
  var s=document.createElement('script');s.textContent=js;document.head.appendChild(s);draw();
}).catch(function(e){fail();throw e;});
})();"""


def plain(text: object) -> str:
    """``text`` as plotly shows it literally: ``&``, ``<`` and ``>`` as entities, so a name is never markup."""
    return str(text).translate(_PLAIN)


@cache
def packed_bundle() -> str:
    """The bundle's gzip bytes as base64 (read once per process)."""
    data = resources.files("infrafit.report.html").joinpath("assets", BUNDLE).read_bytes()
    return base64.b64encode(data).decode("ascii")


def figure_json(fig: Any) -> str:
    """The figure's data and layout as JSON that is safe inside a <script> block (no ``<``, ``>`` or ``&``)."""
    import plotly.io as pio

    spec = json.loads(pio.to_json(fig, validate=False, remove_uids=True))
    return json.dumps(
        {"data": spec.get("data", []), "layout": spec.get("layout", {})}, separators=(",", ":")
    ).translate(_JSON_SAFE)


def figure_html(fig: Any, div_id: str, height: int) -> str:
    """A sized box for the figure and its JSON; the page's loader draws it."""
    return (
        f'<div id="{div_id}" class="plot" style="height:{height}px"></div>'
        f'<script type="application/json" data-chart="{div_id}">{figure_json(fig)}</script>'
    )


def scripts() -> str:
    """The packed bundle and its loader, once per page with figures (the licence named beside it)."""
    return (
        f"<!-- {BUNDLE_NAME} {BUNDLE_VERSION}, MIT licence, (c) Plotly Technologies Inc.; gzip, base64 -->"
        f'<script type="application/octet-stream" id="infrafit-plotly">{packed_bundle()}</script>'
        f"<script>{LOADER % {'config': json.dumps(CONFIG)}}</script>"
    )
