"""Contexts for one resource of a bare service (no prices): what a billing model reads, and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from infrafit.catalog.lookup import Catalog
from infrafit.plan.model import Resource
from infrafit.plan.usage import USAGE_KINDS
from infrafit.services import Context

MakeContext = Callable[..., Context]


def make_context(
    model: str, plan: str | None = None, service: dict[str, Any] | None = None, **resource: Any
) -> Context:
    """A resource of a service whose model is ``model``; ``resource`` is written as in a plan."""
    svc: dict[str, Any] = {
        "name": "Probe",
        "category": "compute",
        "model": model,
        "usage": sorted(USAGE_KINDS),
        "fields": ["cpu", "memory", "disk", "count", "plan"],
        **(service or {}),
    }
    catalog = Catalog.from_data(
        {"t": {"provider": "t", "name": "Test", "as_of": "2026-01-01", "services": {"svc": svc}}}
    )
    view = catalog.view("t.svc", plan)
    res = Resource.model_validate({"service": "t.svc", **resource})
    return Context(
        name="probe",
        resource=res,
        view=view,
        region=None,
        type_name=None,
        instance_type=None,
        month_hours=Decimal(730),
    )


@pytest.fixture
def context() -> MakeContext:
    return make_context
