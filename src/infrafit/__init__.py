"""infrafit: plan-as-code for cloud architectures.

>>> from infrafit import load_plan, evaluate
>>> result = evaluate(load_plan("examples/seed000-hybrid-free-tier.yaml"))
>>> result.total_monthly_cost, result.fits
"""

from __future__ import annotations

from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Component, Finding, PoolUse, QuotaUse, ResourceResult, Result
from infrafit.errors import InputError, Problem
from infrafit.plan.loader import load_plan
from infrafit.plan.model import Plan, Resource

__all__ = [
    "Component",
    "Finding",
    "InputError",
    "Plan",
    "PoolUse",
    "Problem",
    "QuotaUse",
    "Resource",
    "ResourceResult",
    "Result",
    "evaluate",
    "load_plan",
]
__version__ = "0.1.0"
