"""Load provider catalogs lazily: a plan that only names GCP services never parses the AWS file.

The base is the packaged data (or INFRAFIT_CATALOG_DIR, a whole replacement); an overlay
(:mod:`infrafit.catalog.overlay`) is deep-merged over it per provider, before validation, only for the providers
a catalog actually reads.
"""

from __future__ import annotations

import copy
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from infrafit.catalog.model import ProviderCatalog

if TYPE_CHECKING:
    from infrafit.catalog.overlay import Overlay

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def data_dir() -> Path:
    """The catalog folder: the packaged data, or INFRAFIT_CATALOG_DIR (a reviewed copy of one's own)."""
    custom = os.environ.get("INFRAFIT_CATALOG_DIR")
    if custom:
        return Path(custom)
    return _packaged_dir()


@cache
def _packaged_dir() -> Path:
    return Path(str(resources.files("infrafit.catalog") / "data"))


def provider_names() -> list[str]:
    return _provider_names(str(data_dir()))


@cache
def _provider_names(folder: str) -> list[str]:
    return sorted(p.stem for p in Path(folder).glob("*.yaml"))


def read_provider_file(path: Path) -> ProviderCatalog:
    with path.open(encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=_Loader)
    return ProviderCatalog.model_validate(raw)


def load_provider_raw(name: str, overlay: Overlay | None = None) -> dict[str, Any]:
    """The provider file as plain data, the overlay's refreshed facts merged in (overrides merge into it before
    validation); shared, never to be mutated."""
    if overlay is None or overlay.data(name) is None:
        return _base_raw(str(data_dir()), name)
    return _merged_raw(str(data_dir()), name, overlay)


def load_provider(name: str, overlay: Overlay | None = None) -> ProviderCatalog:
    """The provider's validated catalog, with the overlay's facts when it refreshes this provider."""
    if overlay is None or overlay.data(name) is None:
        return _base(str(data_dir()), name)
    return _merged(str(data_dir()), name, overlay)


@cache
def _base_raw(folder: str, name: str) -> dict[str, Any]:
    with (Path(folder) / f"{name}.yaml").open(encoding="utf-8") as fh:
        raw: dict[str, Any] = yaml.load(fh, Loader=_Loader)
    return raw


@cache
def _base(folder: str, name: str) -> ProviderCatalog:
    return ProviderCatalog.model_validate(_base_raw(folder, name))


@cache
def _merged_raw(folder: str, name: str, overlay: Overlay) -> dict[str, Any]:
    from infrafit.catalog.lookup import deep_merge

    extra = overlay.data(name) or {}
    return deep_merge(copy.deepcopy(_base_raw(folder, name)), copy.deepcopy(extra))


@cache
def _merged(folder: str, name: str, overlay: Overlay) -> ProviderCatalog:
    from pydantic import ValidationError

    from infrafit.catalog.overlay_files import merge_errors

    merged = _merged_raw(folder, name, overlay)
    try:
        return ProviderCatalog.model_validate(merged)
    except ValidationError as exc:
        file = str(overlay.path / f"{name}.yaml")
        raise merge_errors(file, merged, _base_raw(folder, name), list(exc.errors())) from None


if __name__ == "__main__":  # python -m infrafit.catalog.loader FILE...: validate catalog files
    import sys

    for arg in sys.argv[1:]:
        cat = read_provider_file(Path(arg))
        print(f"{arg}: ok, {len(cat.services)} services: {', '.join(sorted(cat.services))}")
