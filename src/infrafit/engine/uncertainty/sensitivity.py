"""What drives the spread: each uncertain input at its p5 and at its p95 with every other input at its median."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from infrafit.catalog.lookup import Catalog
from infrafit.engine.sections.base import Outcome
from infrafit.engine.uncertainty.montecarlo import _Group, price_rows, sections_at
from infrafit.engine.uncertainty.records import SensitivityRow
from infrafit.plan.model import Plan
from infrafit.plan.uncertain import InputPath, Uncertain

__all__ = ["sensitivity"]


def sensitivity(
    plan: Plan,
    catalog: Catalog,
    outcomes: dict[str, Outcome],
    inputs: Mapping[InputPath, Uncertain],
    *,
    seed: int,
    replications: int,
) -> list[SensitivityRow]:
    """One row per input, widest swing first; all sweeps are priced together as one set of rows."""
    paths = list(inputs)
    n = 2 * len(paths)
    ends = {p: (inputs[p].quantile(0.05), inputs[p].quantile(0.95)) for p in paths}
    values = {p: np.full(n, inputs[p].median) for p in paths}
    for i, p in enumerate(paths):
        values[p][2 * i], values[p][2 * i + 1] = ends[p]
    point_rows = [r for i, p in enumerate(paths) if p[0] == "resources" for r in (2 * i, 2 * i + 1)]
    groups = [_Group(rows=np.array(point_rows, dtype=np.intp), outcomes=outcomes)] if point_rows else []
    for i, p in enumerate(paths):
        if p[0] == "resources":
            continue
        for row in (2 * i, 2 * i + 1):
            got = sections_at(plan, catalog, inputs, values, row, [], replications=replications, seed=seed)
            groups.append(_Group(rows=np.array([row], dtype=np.intp), outcomes=got))
    totals = price_rows(plan, catalog, inputs, values, groups, n).priced.totals
    rows = [
        SensitivityRow(
            input=".".join(p),
            low_text=inputs[p].show(ends[p][0]),
            high_text=inputs[p].show(ends[p][1]),
            cost_at_low=float(totals[2 * i]),
            cost_at_high=float(totals[2 * i + 1]),
        )
        for i, p in enumerate(paths)
    ]
    return sorted(rows, key=lambda r: -r.swing)
