"""The importers' mapping tables: data files beside the catalog (``catalog/data/import/*.yaml``)."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

__all__ = ["table"]


@functools.cache
def table(name: str) -> dict[str, Any]:
    """The mapping table ``name`` (terraform, infracost, compose) as plain data."""
    path = resources.files("infrafit.catalog") / "data" / "import" / f"{name}.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data
