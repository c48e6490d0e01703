"""Load provider catalogs lazily: a plan that only names GCP services never parses the AWS file."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from infrafit.catalog.model import ProviderCatalog

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def data_dir() -> Path:
    """The catalog folder: the packaged data, or INFRAFIT_CATALOG_DIR (a reviewed copy of one's own)."""
    custom = os.environ.get("INFRAFIT_CATALOG_DIR")
    if custom:
        return Path(custom)
    return Path(str(resources.files("infrafit.catalog") / "data"))


def provider_names() -> list[str]:
    return sorted(p.stem for p in data_dir().glob("*.yaml"))


def read_provider_file(path: Path) -> ProviderCatalog:
    with path.open(encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=_Loader)
    return ProviderCatalog.model_validate(raw)


@cache
def load_provider_raw(name: str) -> dict[str, Any]:
    """The provider file as plain data (overrides merge into it before validation)."""
    path = data_dir() / f"{name}.yaml"
    with path.open(encoding="utf-8") as fh:
        raw: dict[str, Any] = yaml.load(fh, Loader=_Loader)
    return raw


@cache
def load_provider(name: str) -> ProviderCatalog:
    return ProviderCatalog.model_validate(load_provider_raw(name))


if __name__ == "__main__":  # python -m infrafit.catalog.loader FILE...: validate catalog files
    import sys

    for arg in sys.argv[1:]:
        cat = read_provider_file(Path(arg))
        print(f"{arg}: ok, {len(cat.services)} services: {', '.join(sorted(cat.services))}")
