"""Importers: files other tools already have (Terraform, Kubernetes manifests, Compose) become a plan draft.

An importer maps files to a plan the user completes with usage; it never prices anything. Each one registers
under a name with :func:`importer`; its module is imported on first use, so reading Compose never loads the HCL
parser. Type mappings are data beside the catalog (``catalog/data/import/*.yaml``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from infrafit.errors import did_you_mean
from infrafit.importers.draft import Draft, Finding, Skipped

__all__ = ["IMPORTERS", "Draft", "Finding", "Skipped", "importer", "run_import"]

Importer = Callable[..., Draft]
IMPORTERS: dict[str, Importer] = {}
_MODULES = {
    "terraform": "infrafit.importers.terraform",
    "kubernetes": "infrafit.importers.kubernetes",
    "compose": "infrafit.importers.compose",
}


def importer(name: str) -> Callable[[Importer], Importer]:
    """Register a function ``(path, **options) -> Draft`` as the importer ``name``."""

    def register(fn: Importer) -> Importer:
        IMPORTERS[name] = fn
        return fn

    return register


def run_import(kind: str, path: Path, **options: Any) -> Draft:
    """Import ``path`` with the importer ``kind`` (terraform, kubernetes, compose)."""
    if kind not in IMPORTERS:
        module = _MODULES.get(kind)
        if module is None:
            raise ValueError(f"no importer {kind!r}{did_you_mean(kind, _MODULES)}")
        importlib.import_module(module)
    return IMPORTERS[kind](path, **options)
