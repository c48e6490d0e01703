"""Plan -> Result, in stages: run the plan's sections, bind every line to the catalog, price the lines over one
ledger (plan order is the order they draw shared pools and tiers), count quotas, run the checks, assemble.

Sections (``jobs:`` and those to come) are found in :mod:`infrafit.sections`; nothing here names one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from infrafit.catalog.lookup import Catalog
from infrafit.engine import limits as _limits  # noqa: F401  (registers the line checks)
from infrafit.engine.bind import bind
from infrafit.engine.checks import LINE_CHECKS, PLAN_CHECKS, check_notes
from infrafit.engine.ledger import Facts, Ledger
from infrafit.engine.pricing import NoPrice, pool_uses, price
from infrafit.engine.quotas import count_quotas, unknown_quota_keys
from infrafit.engine.result import Finding, OverrideUse, ResourceResult, Result, sort_findings
from infrafit.engine.sections.base import Line, Outcome, Section, SectionEnv
from infrafit.errors import InputError, Path, Problem
from infrafit.plan.model import Plan
from infrafit.plan.uncertain import uncertain_inputs
from infrafit.plan.yaml_reader import gc_paused
from infrafit.sections import SECTIONS, resolve
from infrafit.services import Context, ModelError

__all__ = ["evaluate", "evaluate_point", "plan_lines", "run_sections", "sort_findings"]


def _problem(plan: Plan, message: str, path: Path) -> Problem:
    where = plan.locate(path)
    return Problem(message, path, plan.file, *(where or (None, None)))


def run_sections(env: SectionEnv, problems: list[Problem]) -> dict[str, Outcome]:
    """Each registered section that the plan uses, in registry order; unusable input becomes a located problem."""
    outcomes: dict[str, Outcome] = {}
    for key, spec in SECTIONS.items():
        if not env.plan.has_section(key):
            continue
        value = env.plan.section(key)
        section: Section = resolve(spec.engine)()
        try:
            outcomes[key] = section.run(value, env)
        except ModelError as exc:
            problems.append(_problem(env.plan, str(exc), exc.path))
    return outcomes


def plan_lines(plan: Plan, outcomes: dict[str, Outcome]) -> list[Line]:
    """The plan's resources with the usage sections set on them, then the lines sections add, in order."""
    sets: dict[str, dict[str, object]] = {}
    for outcome in outcomes.values():
        for name, usage in outcome.sets.items():
            sets.setdefault(name, {}).update(usage)
    lines = []
    for name, res in plan.resources.items():
        if name in sets:
            res = res.model_copy(update={"usage": {**res.usage, **sets[name]}})
        lines.append(Line(name=name, resource=res))
    return lines + [line for outcome in outcomes.values() for line in outcome.extra]


def evaluate(
    plan: Plan,
    catalog: Catalog | None = None,
    *,
    samples: int = 2000,
    replications: int = 20,
    seed: int = 0,
    on_job: Callable[[str], None] | None = None,
    on_replication: Callable[[], None] | None = None,
    facts: Facts | None = None,
) -> Result:
    """Price a plan and check it; simulate its sections (``replications`` runs each, reproducible by ``seed``).

    The plan's uncertain inputs (ranges) are priced at their medians for the headline; with ``samples`` > 0 they are
    also drawn jointly ``samples`` times and each draw priced, giving ``Result.cost_distribution``.
    ``facts``, when given, collects every catalog fact the evaluation used (``catalog audit PLAN``).
    Raises InputError for resources the catalog cannot price as written."""
    catalog = catalog or Catalog(plan.overrides)
    result, outcomes = evaluate_point(
        plan, catalog, replications=replications, seed=seed, on_job=on_job, on_replication=on_replication, facts=facts
    )
    if samples > 0 and (inputs := uncertain_inputs(plan)):
        from infrafit.engine.uncertainty.montecarlo import cost_distribution

        runs = min(replications, 20)  # a section re-run for a range needs its mean usage, not `simulate`'s detail
        try:
            result.cost_distribution = cost_distribution(
                plan, catalog, result, outcomes, inputs, samples=samples, seed=seed, replications=runs
            )
        except ModelError as exc:  # a drawn value the plan cannot take (more hours than a short month has)
            message = f"a range reaches a value that cannot be priced: {exc}"
            raise InputError([_problem(plan, message, exc.path)]) from None
    return result


def evaluate_point(
    plan: Plan,
    catalog: Catalog,
    *,
    replications: int = 20,
    seed: int = 0,
    on_job: Callable[[str], None] | None = None,
    on_replication: Callable[[], None] | None = None,
    facts: Facts | None = None,
) -> tuple[Result, dict[str, Outcome]]:
    """The plan as written (each uncertain input at its median), priced and checked; and its sections' outcomes."""
    env = SectionEnv(
        plan=plan,
        catalog=catalog,
        replications=replications,
        seed=seed,
        on_progress=on_job,
        on_replication=on_replication,
    )
    problems: list[Problem] = []
    outcomes = run_sections(env, problems)
    with gc_paused():  # the rest builds a large tree of new records, none of them garbage: no collection walks it
        return _assemble(plan, catalog, outcomes, problems, facts), outcomes


def _assemble(
    plan: Plan, catalog: Catalog, outcomes: dict[str, Outcome], problems: list[Problem], facts: Facts | None
) -> Result:
    """Bind and price every line over one ledger, count quotas, run the checks, assemble the result."""
    ledger = Ledger(plan.month_hours, plan.free_tier, facts=Facts() if facts is None else facts)
    priced: list[tuple[Line, Context]] = []
    resources: list[ResourceResult] = []
    for line in plan_lines(plan, outcomes):
        try:
            ctx = bind(line.name, line.resource, plan, catalog)
            resources.append(price(ctx, ledger, origin=line.origin, note_as=line.of, methods=line.methods))
            priced.append((line, ctx))
        except ModelError as exc:
            path = exc.path if exc.path[:1] == ("resources",) else ("resources", line.name, *exc.path)
            problems.append(_problem(plan, str(exc), path))
        except NoPrice as exc:
            problems.append(_problem(plan, f"{line.resource.service}: {exc}", ("resources", line.name, "region")))
    problems += [_problem(plan, message, path) for message, path in unknown_quota_keys(plan, catalog)]
    if problems:
        raise InputError(problems)
    quotas = count_quotas([ctx for _, ctx in priced], plan, catalog, ledger.facts)
    findings: list[Finding] = list(ledger.findings)
    for line, ctx in priced:
        if line.check_limits:
            for line_check in LINE_CHECKS:
                findings += line_check(ctx)
        for key, limit in ctx.view.limits.items():
            ledger.facts.add(limit, f"{ctx.view.key} {key} limit")
    for view, users in ledger.notes.values():
        findings += check_notes(view, users)
        for note in view.notes:
            ledger.facts.add(note)
    for outcome in outcomes.values():
        findings += outcome.findings
    result = Result(
        plan=plan.name,
        file=plan.file,
        month_hours=plan.month_hours,
        month=plan.month,
        total_monthly_cost=sum((r.monthly_cost for r in resources), start=Decimal(0)),
        resources=resources,
        free_tier=pool_uses(ledger),
        quotas=quotas,
        findings=[],
        budget=plan.budget,
        catalog_as_of=max((catalog.provider(p).as_of for p in ledger.providers), default=date.today()),
        oldest_fact=min(ledger.facts.dates) if ledger.facts.dates else None,
        overrides=[OverrideUse(path=p, old=o, new=n) for p, o, n in catalog.used_overrides],
        sections={key: outcome.reports for key, outcome in outcomes.items()},
        catalog_overlay=catalog.overlay_use(ledger.providers),
    )
    for plan_check in PLAN_CHECKS:
        findings += plan_check(result)
    unconfirmed = ledger.facts.finding()
    if unconfirmed is not None:
        findings.append(unconfirmed)
    result.findings = sort_findings(findings)
    return result
