"""Which catalog a report was priced with, in one phrase every format shares.

Without an overlay the phrase is the one reports have always printed ("catalog as of 2026-11-21"); with one, it
names the overlay and each refreshed provider's price list: "catalog: packaged 2026-11-21 + overlay
~/.config/infrafit/catalog (aws price list 2026-11-01)".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from infrafit.catalog.overlay import OverlayUse
    from infrafit.engine.result import Result

__all__ = ["catalog_phrase", "catalog_phrase_many", "overlay_json", "overlay_phrase"]


def _lists(overlay: OverlayUse) -> str:
    if not overlay.providers:
        return "no refreshed fact used"
    parts = []
    for name, use in overlay.providers.items():
        when = use.published.isoformat() if use.published else (f"version {use.version}" if use.version else "undated")
        parts.append(f"{name} price list {when}")
    return ", ".join(parts)


def catalog_phrase(result: Result) -> str:
    """'catalog as of DATE', or 'catalog: packaged DATE + overlay DIR (aws price list DATE)'."""
    return overlay_phrase(result.catalog_as_of, result.catalog_overlay)


def overlay_phrase(as_of: date, overlay: OverlayUse | None) -> str:
    """The same phrase for a report that is not a ``Result`` (fleet, rightsize): the packaged date and overlay."""
    if overlay is None:
        return f"catalog as of {as_of}"
    return f"catalog: packaged {as_of} + overlay {overlay.path} ({_lists(overlay)})"


def catalog_phrase_many(results: Iterable[Result]) -> str:
    """One phrase for several results (compare, diff): the dates joined, each overlay named once."""
    results = list(results)
    dates = ", ".join(sorted({r.catalog_as_of.isoformat() for r in results}))
    if all(r.catalog_overlay is None for r in results):
        return f"catalog as of {dates}"
    overlays: list[str] = []
    for r in results:
        if r.catalog_overlay is not None:
            text = f"{r.catalog_overlay.path} ({_lists(r.catalog_overlay)})"
            if text not in overlays:
                overlays.append(text)
    return f"catalog: packaged {dates} + overlay {'; '.join(overlays)}"


def overlay_json(overlay: OverlayUse | None) -> dict[str, Any] | None:
    """The ``catalog_overlay`` key of the JSON reports (null when no overlay was used)."""
    if overlay is None:
        return None
    return {
        "path": overlay.path,
        "providers": {
            name: {"published": u.published.isoformat() if u.published else None, "version": u.version}
            for name, u in overlay.providers.items()
        },
    }
