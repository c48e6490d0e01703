"""A plan's month over its uncertain inputs: draw them jointly, price every draw with the plan's own pricing rules,
and say how the cost and the error findings are spread.

Sections (jobs, traffic, availability) simulate months of their own, which takes far longer than pricing (a batch of
2,400 items simulated 20 times is ~0.1 s; 2,000 of them would be minutes). Where an uncertain input feeds a section,
the section is re-run for :data:`SECTION_RUNS` draws spread over that input's range (stratified by rank); with one
such input the lines the section adds are interpolated between the two runs around each draw, with several each draw
takes the nearest run (in rank space); findings come from the nearest run. Inputs of plain resources are priced per
draw.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from infrafit.catalog.lookup import Catalog
from infrafit.engine.bind import bind
from infrafit.engine.checks import LINE_CHECKS
from infrafit.engine.evaluate import plan_lines, run_sections
from infrafit.engine.ledger import Facts
from infrafit.engine.quotas import count_quotas
from infrafit.engine.result import Result, Severity
from infrafit.engine.sections.base import Line, Outcome, SectionEnv
from infrafit.engine.uncertainty.quantities import SampledLine, _at, sample_line
from infrafit.engine.uncertainty.records import CostDistribution
from infrafit.engine.uncertainty.vectorised import PricedSamples, price_samples
from infrafit.errors import InputError, Problem
from infrafit.plan.model import Plan
from infrafit.plan.uncertain import InputPath, Uncertain, with_values
from infrafit.services import Context, ModelError

__all__ = ["SECTION_RUNS", "cost_distribution", "draw", "price_rows", "sections_at"]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
SECTION_RUNS = 16
"""Section re-runs when an uncertain input feeds a section: its simulated months dominate the time."""
LINE_CHECK_SAMPLES = 64
"""Draws on which the platform-limit and rate-limit checks of varying lines are run (each is a full check): the
probability of such a finding is known to about ±6 percentage points (one standard error at 50%)."""


def draw(inputs: Mapping[InputPath, Uncertain], samples: int, seed: int) -> dict[InputPath, Floats]:
    """``samples`` joint draws of every input; each input has its own stream, keyed by ``seed`` and its path, so the
    same input draws the same values in every plan that states it (compare pairs samples by index)."""
    out: dict[InputPath, Floats] = {}
    for path, value in inputs.items():
        rng = np.random.default_rng([seed, zlib.crc32(".".join(path).encode())])
        got = value.dist.sample(rng, samples)
        out[path] = np.rint(got) if value.whole else got
        if reason := value.out_of_bounds(out[path]):  # a lognormal's tail past what the field takes
            raise ModelError(f"{reason}; narrow the range (a lower p95, or a uniform or triangular range)", path)
    return out


@dataclass(kw_only=True)
class _Group:
    """A set of rows priced with one run of the plan's sections."""

    rows: npt.NDArray[np.intp]
    outcomes: dict[str, Outcome]


@dataclass(kw_only=True)
class Rows:
    """A priced set of rows (samples or sensitivity sweeps)."""

    priced: PricedSamples
    errors: dict[str, Bools]
    """Error finding code -> whether each row raises it (from the vectorised checks and the section runs)."""
    lines: list[SampledLine]


def _varying(
    line: Line, inputs: Mapping[InputPath, Uncertain], sets: set[str]
) -> dict[str, tuple[InputPath, Uncertain]]:
    if line.origin != "plan":
        return {}
    out = {}
    for path, value in inputs.items():
        if path[:2] == ("resources", line.name):
            field = ".".join(path[2:])
            if field.removeprefix("usage.") not in sets:
                out[field] = (path, value)
    return out


def price_rows(
    plan: Plan,
    catalog: Catalog,
    inputs: Mapping[InputPath, Uncertain],
    values: dict[InputPath, Floats],
    groups: list[_Group],
    n: int,
    along: _Along | None = None,
) -> Rows:
    """Price ``n`` rows of input values; ``groups`` says which sections' run each row uses; with ``along``, the lines
    sections add are interpolated between the runs instead."""
    by_key: dict[tuple[str, str], list[tuple[_Group, SampledLine]]] = {}
    errors: dict[str, Bools] = {}
    for group in groups:
        sub = {p: v[group.rows] for p, v in values.items()}
        for line in plan_lines(plan, group.outcomes):
            ctx = bind(line.name, line.resource, plan, catalog)
            set_keys = {k for o in group.outcomes.values() for k in o.sets.get(line.name, {})}
            sampled = sample_line(ctx, _varying(line, inputs, set_keys), sub, len(group.rows), origin=line.origin)
            by_key.setdefault((line.origin, line.name), []).append((group, sampled))
        for outcome in group.outcomes.values():
            for finding in outcome.findings:
                if finding.severity == Severity.ERROR:
                    flags = errors.setdefault(finding.code, np.zeros(n, dtype=bool))
                    flags[group.rows] = True
    lines = [_merge(entries, n) for entries in by_key.values()]
    if along is not None:
        lines = _interpolated(plan, catalog, lines, along)
    priced = price_samples(lines, n, plan.month_hours, plan.free_tier)
    return Rows(priced=priced, errors=errors, lines=lines)


@dataclass(kw_only=True)
class _Along:
    """The section runs over one section input, in increasing order of its value, and each row's value of it."""

    x: Floats
    runs: list[tuple[float, dict[str, Outcome]]]


def _interpolated(plan: Plan, catalog: Catalog, lines: list[SampledLine], along: _Along) -> list[SampledLine]:
    """The lines sections add, each meter linear between the two runs that bracket a row's value: a batch's compute
    grows with its items in between runs, not in steps."""
    ats = np.array([at for at, _ in along.runs])
    per_run: dict[tuple[str, str], list[dict[str, float]]] = {}
    for j, (_, outcomes) in enumerate(along.runs):
        for derived in plan_lines(plan, outcomes):
            if derived.origin == "plan":
                continue
            ctx = bind(derived.name, derived.resource, plan, catalog)
            one = sample_line(ctx, {}, {}, 1, origin=derived.origin)
            got = per_run.setdefault((derived.origin, derived.name), [{} for _ in along.runs])
            got[j] = {m: float(q[0]) for m, q in one.quantities.items()}
    out = []
    for line in lines:
        found = per_run.get((line.origin, line.ctx.name))
        if found is None:
            out.append(line)
            continue
        meters = list(dict.fromkeys(m for q in found for m in q))
        quantities = {m: np.interp(along.x, ats, [q.get(m, 0.0) for q in found]) for m in meters}
        out.append(SampledLine(ctx=line.ctx, count=line.count, quantities=quantities, varies=True, origin=line.origin))
    return out


def _merge(entries: list[tuple[_Group, SampledLine]], n: int) -> SampledLine:
    """One line over all rows from its per-group pieces (zero where a group's sections did not add it)."""
    if len(entries) == 1 and len(entries[0][0].rows) == n:
        return entries[0][1]
    first = entries[0][1]
    count = np.zeros(n)
    quantities: dict[str, Floats] = {}
    for group, line in entries:
        count[group.rows] = line.count
        for meter, q in line.quantities.items():
            quantities.setdefault(meter, np.zeros(n))[group.rows] = q
    return SampledLine(ctx=first.ctx, count=count, quantities=quantities, varies=True, origin=first.origin)


def _section_groups(
    plan: Plan,
    catalog: Catalog,
    outcomes: dict[str, Outcome],
    inputs: Mapping[InputPath, Uncertain],
    values: dict[InputPath, Floats],
    n: int,
    *,
    seed: int,
    replications: int,
    runs: int = SECTION_RUNS,
) -> tuple[list[_Group], _Along | None]:
    """Rows grouped by the section run they take: one group (the point run) when no input feeds a section; and, when
    one input does, the runs in order of its value, to interpolate the lines they add."""
    fed = [p for p in inputs if p[0] != "resources"]
    if not fed:
        return [_Group(rows=np.arange(n), outcomes=outcomes)], None
    ranks = np.stack([np.argsort(np.argsort(values[p])) / max(n - 1, 1) for p in fed], axis=1)
    if len(fed) == 1:
        order = np.argsort(values[fed[0]], kind="stable")
        chosen = order[((np.arange(min(runs, n)) + 0.5) * n / min(runs, n)).astype(int)]
    else:
        chosen = np.arange(min(runs, n))
    nearest = np.argmin(((ranks[:, None, :] - ranks[chosen][None, :, :]) ** 2).sum(axis=2), axis=1)
    groups = []
    for j, row in enumerate(chosen):
        problems: list[Problem] = []
        got = sections_at(plan, catalog, inputs, values, int(row), problems, replications=replications, seed=seed)
        if problems:
            raise InputError(problems)
        groups.append(_Group(rows=np.flatnonzero(nearest == j), outcomes=got))
    along = None
    if len(fed) == 1:
        ats = [float(values[fed[0]][row]) for row in chosen]
        keep = [j for j in range(len(ats)) if j == 0 or ats[j] > ats[j - 1]]  # strictly increasing for np.interp
        along = _Along(x=values[fed[0]], runs=[(ats[j], groups[j].outcomes) for j in keep])
    return [g for g in groups if len(g.rows)], along


def sections_at(
    plan: Plan,
    catalog: Catalog,
    inputs: Mapping[InputPath, Uncertain],
    values: dict[InputPath, Floats],
    row: int,
    problems: list[Problem],
    *,
    replications: int,
    seed: int,
) -> dict[str, Outcome]:
    """The sections' outcomes with every input at its value in ``row``; unusable input is added to ``problems``."""
    at = with_values(plan, {p: u.value(float(values[p][row])) for p, u in inputs.items()})
    return run_sections(SectionEnv(plan=at, catalog=catalog, replications=replications, seed=seed), problems)


def _quota_errors(plan: Plan, catalog: Catalog, lines: list[SampledLine], point: Result, n: int) -> Bools | None:
    """Whether each row uses more of a quota than its limit; quotas depend on copies, so only a varying count moves
    them."""
    if not any(line.origin == "plan" and bool(np.any(line.count != line.count[0])) for line in lines):
        return None
    limits = {(q.key, q.region): q.limit for q in point.quotas if q.limit is not None}
    used: dict[tuple[str, str | None], Floats] = {}
    for line in lines:
        one = _at(line.ctx, {"count": 1})
        for q in count_quotas([one], plan, catalog, Facts()):
            used[(q.key, q.region)] = used.get((q.key, q.region), np.zeros(n)) + float(q.used) * line.count
    over = np.zeros(n, dtype=bool)
    for key, amount in used.items():
        if key in limits:
            over |= amount > float(limits[key])
    return over


def _line_check_errors(
    lines: list[SampledLine], inputs: Mapping[InputPath, Uncertain], values: dict[InputPath, Floats], n: int
) -> tuple[npt.NDArray[np.intp], dict[str, Bools]]:
    """Error codes the line checks (platform limits, rate limits) raise on varying lines, over every (n/64)-th draw:
    each check is a full scalar check, and the draws are independent, so these are a fair subset."""
    rows = np.unique(np.linspace(0, n - 1, min(n, LINE_CHECK_SAMPLES)).astype(int))
    found: dict[str, Bools] = {}
    for line in lines:
        if line.origin != "plan":
            continue
        fields = {".".join(p[2:]): (p, u) for p, u in inputs.items() if p[:2] == ("resources", line.ctx.name)}
        if not fields:
            continue
        for j, row in enumerate(rows):
            ctx: Context = _at(line.ctx, {f: u.value(float(values[p][row])) for f, (p, u) in fields.items()})
            for check in LINE_CHECKS:
                for finding in check(ctx):
                    if finding.severity == Severity.ERROR:
                        found.setdefault(finding.code, np.zeros(len(rows), dtype=bool))[j] = True
    return rows, found


def cost_distribution(
    plan: Plan,
    catalog: Catalog,
    point: Result,
    outcomes: dict[str, Outcome],
    inputs: Mapping[InputPath, Uncertain],
    *,
    samples: int,
    seed: int,
    replications: int = 20,
) -> CostDistribution:
    """The month's cost over ``samples`` joint draws of ``inputs``, with budget, pool and finding probabilities and
    each input's sensitivity."""
    values = draw(inputs, samples, seed)
    groups, along = _section_groups(
        plan, catalog, outcomes, inputs, values, samples, seed=seed, replications=replications
    )
    rows = price_rows(plan, catalog, inputs, values, groups, samples, along)
    totals = rows.priced.totals
    errors = dict(rows.errors)
    if plan.budget is not None:
        errors["budget_exceeded"] = totals > float(plan.budget) + 1e-9
    for draw_ in rows.priced.pools.values():
        if draw_.hard:
            errors["limit_exceeded"] = errors.get("limit_exceeded", np.zeros(samples, dtype=bool)) | ~draw_.inside
    quota = _quota_errors(plan, catalog, rows.lines, point, samples)
    if quota is not None:
        errors["quota_exceeded"] = quota
    checked, line_errors = _line_check_errors(rows.lines, inputs, values, samples)
    probability = {code: float(flags.mean()) for code, flags in errors.items()}
    for code, flags in line_errors.items():
        base = errors.get(code, np.zeros(samples, dtype=bool))[checked]
        probability[code] = float((flags | base).mean())
    varying = {line.ctx.name for line in rows.lines if line.varies}
    for finding in point.errors:  # errors no draw can change (a fixed line's limits) fire in every draw
        modelled = finding.code in ("budget_exceeded", "quota_exceeded") or (
            finding.code == "limit_exceeded" and finding.subject in rows.priced.pools
        )
        if not modelled and finding.resource not in varying and finding.code not in rows.errors:
            probability[finding.code] = 1.0
    from infrafit.engine.uncertainty.sensitivity import sensitivity

    p5, p50, p95 = (float(x) for x in np.percentile(totals, [5, 50, 95]))
    return CostDistribution(
        samples=samples,
        seed=seed,
        p5=p5,
        p50=p50,
        p95=p95,
        mean=float(totals.mean()),
        totals=totals,
        budget_exceeded_probability=float(errors["budget_exceeded"].mean()) if plan.budget is not None else None,
        pool_inside_probability={key: float(d.inside.mean()) for key, d in rows.priced.pools.items()},
        finding_probability=dict(sorted(probability.items())),
        sensitivity=sensitivity(plan, catalog, outcomes, inputs, seed=seed, replications=replications),
    )
