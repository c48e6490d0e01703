"""What the Terraform readers (HCL and plan/state JSON) hand the mapper: resources with plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infrafit.importers.terraform.expr import Unknown

__all__ = ["Region", "TfResource", "TfSource"]


@dataclass(frozen=True, kw_only=True)
class Region:
    """A region and where it came from ("provider aws", "var.region", ...)."""

    value: str
    origin: str


@dataclass(kw_only=True)
class TfResource:
    """One ``resource`` block (or the instances of one address in a plan): ``count`` copies with ``values``."""

    address: str  # module.app.aws_instance.web (no instance index)
    type: str
    name: str
    module: str  # "" for the root module, else module.app(.module.x)
    count: int | Unknown
    values: dict[str, Any]
    provider_region: Region | None = None
    file: str = ""


@dataclass(kw_only=True)
class TfSource:
    """Everything read from a directory or a plan file."""

    kind: str  # "HCL", "plan JSON", "state JSON"
    where: str
    resources: list[TfResource] = field(default_factory=list)
    unresolved_modules: list[tuple[str, str]] = field(default_factory=list)  # (address, source)
    notes: list[str] = field(default_factory=list)
