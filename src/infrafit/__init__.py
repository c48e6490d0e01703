"""infrafit: plan-as-code for cloud architectures.

>>> from infrafit import load_plan, evaluate
>>> result = evaluate(load_plan("examples/seed000-hybrid-free-tier.yaml"))
>>> result.total_monthly_cost, result.fits

The names in ``__all__`` are the public API; anything else may change between releases.
"""

from __future__ import annotations

from infrafit.catalog.lookup import Catalog
from infrafit.decisions.compare import compare
from infrafit.decisions.diff import diff
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Component, Finding, PoolUse, QuotaUse, ResourceResult, Result, Severity
from infrafit.engine.sections.job_report import JobReport
from infrafit.errors import InputError, Problem
from infrafit.plan.loader import load_plan
from infrafit.plan.model import Plan, Resource
from infrafit.report import render

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
