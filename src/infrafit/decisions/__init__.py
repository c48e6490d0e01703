"""Decisions: several plans side by side (:func:`compare`) and a plan before and after a change (:func:`diff`).

Both take evaluated :class:`~infrafit.engine.result.Result` objects, so they work the same on plans read from
files, from git revisions (:func:`load_revision`) or built in Python.
"""

from __future__ import annotations

from infrafit.decisions.compare import CATEGORIES, CompareResult, PlanSummary, compare
from infrafit.decisions.diff import (
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
from infrafit.decisions.sources import load_revision

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
    "compare",
    "diff",
    "finding_key",
    "load_revision",
]
