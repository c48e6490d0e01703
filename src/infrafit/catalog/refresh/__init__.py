"""Refresh catalog prices from the providers' official price lists into an overlay beside the packaged catalog.

``refresh("aws", [Path("downloads/")])`` reads AWS Price List offer files (or, for ``"gcp"``, Cloud Billing
Catalog SKU listings), applies the mapping rules in ``catalog/data/refresh/<provider>.yaml`` and writes
``<out>/<provider>.yaml`` and ``<out>/overlay.yaml``; docs/catalog.md describes the formats.
"""

from __future__ import annotations

from infrafit.catalog.refresh.run import RefreshResult, default_out, refresh

__all__ = ["RefreshResult", "default_out", "refresh"]
