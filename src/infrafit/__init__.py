"""infrafit: plan-as-code for cloud architectures.

>>> from infrafit import load_plan, evaluate
>>> result = evaluate(load_plan("examples/seed000-hybrid-free-tier.yaml"))
>>> result.total_monthly_cost, result.fits

The names in ``__all__`` are the public API; anything else may change between releases. They are imported on
first use, so ``import infrafit`` (and ``infrafit check``) loads only what it needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infrafit.catalog.lookup import Catalog
    from infrafit.decisions.changes import diff
    from infrafit.decisions.comparison import compare
    from infrafit.engine.evaluate import evaluate
    from infrafit.engine.result import Component, Finding, PoolUse, QuotaUse, ResourceResult, Result, Severity
    from infrafit.engine.sections.job_report import JobReport
    from infrafit.errors import InputError, Problem
    from infrafit.plan.loader import load_plan
    from infrafit.plan.model import Plan, Resource
    from infrafit.report import render

_HOMES = {
    "Catalog": "infrafit.catalog.lookup",
    "Component": "infrafit.engine.result",
    "Finding": "infrafit.engine.result",
    "InputError": "infrafit.errors",
    "JobReport": "infrafit.engine.sections.job_report",
    "Plan": "infrafit.plan.model",
    "PoolUse": "infrafit.engine.result",
    "Problem": "infrafit.errors",
    "QuotaUse": "infrafit.engine.result",
    "Resource": "infrafit.plan.model",
    "ResourceResult": "infrafit.engine.result",
    "Result": "infrafit.engine.result",
    "Severity": "infrafit.engine.result",
    "compare": "infrafit.decisions.comparison",
    "diff": "infrafit.decisions.changes",
    "evaluate": "infrafit.engine.evaluate",
    "load_plan": "infrafit.plan.loader",
    "render": "infrafit.report",
}

__all__ = [
    "Catalog",
    "Component",
    "Finding",
    "InputError",
    "JobReport",
    "Plan",
    "PoolUse",
    "Problem",
    "QuotaUse",
    "Resource",
    "ResourceResult",
    "Result",
    "Severity",
    "compare",
    "diff",
    "evaluate",
    "load_plan",
    "render",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'infrafit' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
