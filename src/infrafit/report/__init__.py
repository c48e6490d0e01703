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
    _load(fmt)
    try:
        fn = RENDERERS[kind][fmt]
    except KeyError:
        formats = ", ".join(sorted(RENDERERS.get(kind, {})))
        raise ValueError(f"no {fmt!r} format for {kind}; formats: {formats}") from None
    return fn(payload, **options)


def _load(fmt: str) -> None:
    """Import a format's module on first use, so `check --format json` never imports plotting."""
    import importlib

    module = {"json": "json_report", "table": "table", "markdown": "markdown", "html": "html"}.get(fmt)
    if module:
        importlib.import_module(f"infrafit.report.{module}")
