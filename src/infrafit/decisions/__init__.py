"""Decisions: several plans side by side (:func:`compare`) and a plan before and after a change (:func:`diff`).

Both take evaluated :class:`~infrafit.engine.result.Result` objects, so they work the same on plans read from
files, from git revisions (:func:`load_revision`) or built in Python. Names are imported on first use, so
``infrafit check`` (which needs only :mod:`infrafit.decisions.gates`) does not load the comparison code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infrafit.decisions.changes import (
        DiffResult,
        FieldChange,
        FindingChange,
        LineDiff,
        PoolDiff,
        QuotaDiff,
        ResourceDiff,
        diff,
        finding_key,
    )
    from infrafit.decisions.comparison import CATEGORIES, CompareResult, PlanSummary, compare
    from infrafit.decisions.ranges import cheapest_probabilities, cost_at
    from infrafit.decisions.sources import load_revision

_HOMES = {
    "CATEGORIES": "comparison",
    "CompareResult": "comparison",
    "PlanSummary": "comparison",
    "compare": "comparison",
    "DiffResult": "changes",
    "FieldChange": "changes",
    "FindingChange": "changes",
    "LineDiff": "changes",
    "PoolDiff": "changes",
    "QuotaDiff": "changes",
    "ResourceDiff": "changes",
    "diff": "changes",
    "finding_key": "changes",
    "load_revision": "sources",
    "cheapest_probabilities": "ranges",
    "cost_at": "ranges",
}

__all__ = [
    "CATEGORIES",
    "CompareResult",
    "DiffResult",
    "FieldChange",
    "FindingChange",
    "LineDiff",
    "PlanSummary",
    "PoolDiff",
    "QuotaDiff",
    "ResourceDiff",
    "cheapest_probabilities",
    "compare",
    "cost_at",
    "diff",
    "finding_key",
    "load_revision",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'infrafit.decisions' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"infrafit.decisions.{home}"), name)
    globals()[name] = value
    return value
