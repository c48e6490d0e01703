"""Renderers of results, registered by format name. Each takes results and returns text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Renderer = Callable[..., str]
RENDERERS: dict[str, dict[str, Renderer]] = {}


def renderer(kind: str, fmt: str) -> Callable[[Renderer], Renderer]:
    """Register ``fn`` as the ``fmt`` renderer of ``kind`` (check, compare, diff, simulate)."""

    def deco(fn: Renderer) -> Renderer:
        RENDERERS.setdefault(kind, {})[fmt] = fn
        return fn

    return deco


def render(kind: str, fmt: str, payload: Any, **options: Any) -> str:
    """Render ``payload`` (check/simulate: a list of results; compare/diff: their result) as ``fmt``."""
    _load(fmt, kind)
    try:
        fn = RENDERERS[kind][fmt]
    except KeyError:
        for other in _MODULES.get(kind, {}):
            _load(other, kind)
        formats = ", ".join(sorted(RENDERERS.get(kind, {})))
        raise ValueError(f"no {fmt!r} format for {kind}; formats: {formats}") from None
    return fn(payload, **options)


# The module that registers each kind's renderers in each format, imported on first use: `check --format json`
# imports neither Rich tables of diffs nor plotly. One row per kind.
_MODULES: dict[str, dict[str, str]] = {
    "check": {"json": "json_report", "table": "check", "markdown": "check", "html": "html.check"},
    "simulate": {"json": "json_report", "table": "simulate", "html": "html.simulate"},
    "compare": {"json": "compare", "table": "compare", "markdown": "compare", "html": "html.compare"},
    "diff": {"json": "diff", "table": "diff", "markdown": "diff", "html": "html.diff"},
    "fleet": {"json": "fleet", "table": "fleet", "markdown": "fleet"},
    "rightsize": {"json": "rightsize", "table": "rightsize", "markdown": "rightsize"},
}


def _load(fmt: str, kind: str) -> None:
    """Import the module of ``kind`` in ``fmt`` on first use."""
    import importlib

    module = _MODULES.get(kind, {}).get(fmt)
    if module is not None:
        importlib.import_module(f"infrafit.report.{module}")
