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
    _load(fmt, kind)
    try:
        fn = RENDERERS[kind][fmt]
    except KeyError:
        formats = ", ".join(sorted(RENDERERS.get(kind, {})))
        raise ValueError(f"no {fmt!r} format for {kind}; formats: {formats}") from None
    return fn(payload, **options)


# The modules that hold each format's renderers, and the extra ones some kinds need (their renderers live apart
# from the check renderers so `check --format json` imports neither rich tables of diffs nor plotly).
_FORMAT_MODULES: dict[str, tuple[str, ...]] = {
    "json": ("json_report",),
    "table": ("table",),
    "markdown": ("markdown",),
    "html": ("html",),
}
_KIND_MODULES: dict[tuple[str, str], tuple[str, ...]] = {
    ("compare", "json"): ("decisions",),
    ("compare", "table"): ("decisions",),
    ("compare", "markdown"): ("decisions",),
    ("diff", "json"): ("decisions",),
    ("diff", "table"): ("decisions",),
    ("diff", "markdown"): ("decisions",),
}


def _load(fmt: str, kind: str | None = None) -> None:
    """Import a format's modules on first use, so `check --format json` never imports plotting."""
    import importlib

    modules = _FORMAT_MODULES.get(fmt, ())
    if kind is not None:
        modules += _KIND_MODULES.get((kind, fmt), ())
    for module in modules:
        importlib.import_module(f"infrafit.report.{module}")
