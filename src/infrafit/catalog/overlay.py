"""A catalog overlay: refreshed facts (from the providers' price lists) laid over the packaged catalog.

An overlay is a directory ``DIR`` written by ``infrafit catalog refresh``: ``DIR/overlay.yaml`` (the manifest: for
each provider, the price list's publication date and version, its URLs, the facts it no longer has and the rules
that matched nothing) and ``DIR/<provider>.yaml``, a partial provider document holding only the refreshed facts,
deep-merged over the packaged file mapping by mapping (lists replace whole).

Which overlay applies: ``--catalog DIR`` (the CLI calls :func:`select`), else ``INFRAFIT_CATALOG_OVERLAY``, else
the user config directory (``$XDG_CONFIG_HOME/infrafit/catalog``, else ``~/.config/infrafit/catalog``) when it
holds an ``overlay.yaml``. ``--no-overlay`` or the variable set to ``none`` turns it off.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from infrafit.errors import InputError, Problem

__all__ = [
    "MANIFEST",
    "OVERLAY_ENV",
    "MissingFact",
    "Overlay",
    "OverlayProviderUse",
    "OverlayUse",
    "ProviderRefresh",
    "active_overlay",
    "config_dir",
    "load_overlay",
    "overlay_dir",
    "select",
    "walk",
]

OVERLAY_ENV = "INFRAFIT_CATALOG_OVERLAY"
MANIFEST = "overlay.yaml"
FORMAT = 1

Choice = Path | Literal["auto", "off"]
_STATE: dict[str, Choice] = {"choice": "auto"}


@dataclass(frozen=True, kw_only=True, slots=True)
class MissingFact:
    """A packaged fact the price list no longer has (a retired type, a renamed SKU): the packaged value is kept."""

    fact: str
    """Dotted path in the provider file, e.g. ``services.ec2.types.t2.nano.hourly.us-east-1``."""
    reason: str


@dataclass(frozen=True, kw_only=True)
class ProviderRefresh:
    """What the manifest says about one provider's refresh."""

    provider: str
    refreshed: date | None = None
    published: date | None = None
    version: str | None = None
    sources: tuple[str, ...] = ()
    missing: tuple[MissingFact, ...] = ()
    unmatched: tuple[str, ...] = ()

    def missing_under(self, path: str) -> MissingFact | None:
        """The manifest's missing entry at ``path`` or below it (a type whose one region is gone)."""
        for item in self.missing:
            if item.fact == path or item.fact.startswith(path + "."):
                return item
        return None


@dataclass(frozen=True, kw_only=True, slots=True)
class OverlayProviderUse:
    """One provider's refreshed facts as a report used them."""

    published: date | None
    """Publication date of the provider's price list the facts come from."""
    version: str | None
    """The price list's version (AWS offer version, the date of a Cloud Billing SKU listing)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class OverlayUse:
    """The catalog overlay a report was priced with: refreshed facts laid over the packaged catalog."""

    path: str
    """The overlay directory (``~`` for the home directory)."""
    providers: dict[str, OverlayProviderUse] = field(default_factory=dict)
    """The providers the plan used that the overlay refreshed, by name."""


@dataclass(frozen=True, kw_only=True, eq=False)
class Overlay:
    """An overlay directory, its manifest read; each provider's partial file is read on first use."""

    path: Path
    providers: dict[str, ProviderRefresh]
    files: frozenset[str]
    """Providers that have a ``<provider>.yaml`` in the directory."""

    def data(self, provider: str) -> dict[str, Any] | None:
        """The provider's partial document (None when the overlay does not refresh it)."""
        if provider not in self.files:
            return None
        file = self.path / f"{provider}.yaml"
        stat = file.stat()
        from infrafit.catalog.overlay_files import read_partial

        return read_partial(str(file), provider, stat.st_mtime_ns, stat.st_size)

    def refresh(self, provider: str) -> ProviderRefresh | None:
        return self.providers.get(provider)

    def has(self, provider: str, path: tuple[str | int, ...]) -> bool:
        """Whether the overlay refreshes the fact at ``path`` (or a part of it) in the provider's file."""
        data = self.data(provider)
        return data is not None and len(walk(data, path)[0]) == len(path)

    def mark(self, provider: str, path: tuple[str | int, ...], as_of: date | None = None) -> str | None:
        """How ``catalog show`` marks the fact at ``path``: refreshed from the price list (of ``as_of``, the fact's
        own date, when given), or missing from it."""
        refresh = self.providers.get(provider)
        data = self.data(provider)
        found, node = walk(data, path) if data is not None else ((), None)
        if data is not None and len(found) == len(path):
            when = _first_date(node) or as_of
            return (
                f"overlay: {provider} price list of {when.isoformat()}"
                if when
                else f"overlay: {_list_name(provider, refresh)}"
            )
        missing = refresh.missing_under(".".join(str(p) for p in path)) if refresh else None
        if missing is not None:
            return f"not refreshed from the {_list_name(provider, refresh)} ({missing.reason}); packaged fact kept"
        return None

    def shown_path(self) -> str:
        """The directory as a report prints it: under the home directory as ``~/...``."""
        text = str(self.path)
        home = str(Path.home())
        if home not in ("", "/") and (text == home or text.startswith(home + os.sep)):
            return "~" + text[len(home) :]
        return text

    def use(self, providers: set[str] | list[str]) -> OverlayUse:
        """The record a report carries: this overlay, and the price lists of the ``providers`` it refreshed."""
        used = {
            name: OverlayProviderUse(
                published=self.providers[name].published if name in self.providers else None,
                version=self.providers[name].version if name in self.providers else None,
            )
            for name in sorted(providers)
            if name in self.files or name in self.providers
        }
        return OverlayUse(path=self.shown_path(), providers=used)


def _first_date(node: Any) -> date | None:
    """The ``as_of`` an overlay entry cites: its own, else the first one inside it (a region's own form)."""
    if isinstance(node, dict):
        value = node.get("as_of")
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return None
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    return next((d for d in map(_first_date, children) if d is not None), None)


def _list_name(provider: str, refresh: ProviderRefresh | None) -> str:
    """'aws price list of 2026-11-01' (its version where it has no date)."""
    if refresh is not None and refresh.published is not None:
        return f"{provider} price list of {refresh.published.isoformat()}"
    if refresh is not None and refresh.version:
        return f"{provider} price list version {refresh.version}"
    return f"{provider} price list"


def select(path: Path | str | None = None, *, off: bool = False) -> None:
    """What ``--catalog DIR`` / ``--no-overlay`` chose for this process; neither: back to the automatic choice."""
    if path is not None and off:
        raise InputError([Problem("--catalog and --no-overlay contradict each other; give one")])
    _STATE["choice"] = "off" if off else Path(path).expanduser() if path is not None else "auto"


def config_dir() -> Path:
    """The user's default overlay directory (where ``catalog refresh`` writes by default)."""
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base.strip() and Path(base).is_absolute() else Path.home() / ".config"
    return root / "infrafit" / "catalog"


def overlay_dir() -> Path | None:
    """The overlay directory in force: the flag, else the environment variable, else the config directory."""
    choice = _STATE["choice"]
    if choice == "off":
        return None
    if isinstance(choice, Path):
        return _checked(choice, "--catalog")
    env = os.environ.get(OVERLAY_ENV, "").strip()
    if env:
        return None if env.lower() == "none" else _checked(Path(env).expanduser(), OVERLAY_ENV)
    default = config_dir()
    try:
        present = (default / MANIFEST).is_file()
    except OSError:  # a config directory this user cannot read holds no overlay for them
        present = False
    return default if present else None


def active_overlay() -> Overlay | None:
    """The overlay in force, its manifest read (cached while the file is unchanged)."""
    path = overlay_dir()
    return None if path is None else load_overlay(path)


def _checked(path: Path, by: str) -> Path:
    if not path.is_dir():
        raise InputError([Problem(f"{by}: no such overlay directory: {path}")])
    if not (path / MANIFEST).is_file():
        raise InputError(
            [Problem(f"{by}: {path} has no {MANIFEST}; `infrafit catalog refresh --out {path}` writes an overlay")]
        )
    return path.absolute()


def load_overlay(path: Path | str) -> Overlay:
    """Read an overlay directory's manifest; a malformed one is an InputError located in the file."""
    manifest = Path(path) / MANIFEST
    try:
        stat = manifest.stat()
    except OSError:
        raise InputError([Problem(f"{path} has no {MANIFEST}")]) from None
    from infrafit.catalog.overlay_files import read_manifest

    return read_manifest(str(Path(path).absolute()), stat.st_mtime_ns, stat.st_size)


def walk(data: Any, loc: tuple[Any, ...]) -> tuple[tuple[str | int, ...], Any]:
    """Follow ``loc`` through nested mappings and lists, skipping parts that are not there."""
    path: list[str | int] = []
    for part in loc:
        if isinstance(data, dict):
            ok = part in data
        else:
            ok = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if ok:
            data = data[part]
            path.append(part)
    return tuple(path), data
