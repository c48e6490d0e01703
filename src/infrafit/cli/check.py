"""`infrafit check` and `infrafit simulate`: one report per plan, gated on its findings, cost and jobs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from infrafit.cli.options import (
    AtOpt,
    CatalogOpt,
    CheckFormat,
    FailOnErrorOpt,
    FormatOpt,
    MaxCostOpt,
    MinSeverityOpt,
    NoOverlayOpt,
    OutputOpt,
    PlansArg,
    SamplesOpt,
    SeedOpt,
    Severity,
    VerboseOpt,
    WidthOpt,
    at_flag,
    emit_report,
    exit_on,
    guarded,
    money_flag,
    use_catalog,
)

if TYPE_CHECKING:
    from infrafit.engine.result import Result
    from infrafit.plan.model import Plan


def check(
    plans: PlansArg,
    format: FormatOpt = CheckFormat.table,
    output: OutputOpt = None,
    fail_on_error: FailOnErrorOpt = True,
    max_cost: MaxCostOpt = None,
    at: AtOpt = "point",
    width: WidthOpt = None,
    min_severity: MinSeverityOpt = Severity.warning,
    verbose: VerboseOpt = False,
    samples: SamplesOpt = 2000,
    seed: SeedOpt = 0,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """Price each plan and check it against free tiers, quotas, limits and its budget.

    A plan with ranges also gets its cost range (p5/p50/p95), the probability of exceeding its budget and what
    drives the spread."""
    use_catalog(catalog, no_overlay)
    from infrafit.decisions.gates import check_gates
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan

    ceiling = money_flag(max_cost)
    percentile = at_flag(at, ceiling)
    results = guarded(lambda: [evaluate(load_plan(p), samples=samples, seed=seed) for p in plans])
    emit_report("check", format.value, results, output, width, min_severity.value, verbose)
    exit_on(check_gates(results, fail_on_error=fail_on_error, max_cost=ceiling, at=percentile))


def simulate(
    plans: Annotated[
        list[Path], typer.Argument(help="Plan files (YAML) with `jobs:`.", show_default=False, metavar="PLANS")
    ],
    format: FormatOpt = CheckFormat.table,
    output: OutputOpt = None,
    replications: Annotated[int, typer.Option(min=1, max=10_000, help="Simulated runs per job.")] = 100,
    seed: Annotated[int, typer.Option(min=0, help="Random seed (same seed, same answer).")] = 0,
    width: WidthOpt = None,
    min_severity: MinSeverityOpt = Severity.warning,
    verbose: VerboseOpt = False,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """Simulate each plan's batch jobs: makespan (p50/p95), throughput over time, the bottleneck, the usage implied."""
    use_catalog(catalog, no_overlay)
    from infrafit.decisions.gates import simulate_gates
    from infrafit.plan.loader import load_plan

    loaded = guarded(lambda: [load_plan(p) for p in plans])
    results = _simulate(loaded, replications=replications, seed=seed)
    # Markdown shows the jobs inside the check report; table, JSON and HTML have a simulate kind of their own.
    kind = "check" if format is CheckFormat.markdown else "simulate"
    emit_report(kind, format.value, results, output, width, min_severity.value, verbose)
    exit_on(simulate_gates(results))


def _simulate(loaded: list[Plan], *, replications: int, seed: int) -> list[Result]:
    """Evaluate each plan with its jobs simulated, under a progress bar on a terminal (transient, so what stays
    on screen is the report alone)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from infrafit.engine.evaluate import evaluate
    from infrafit.report.terminal import clean

    results = []
    with Progress(
        TextColumn("simulating {task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} runs"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as progress:
        total = sum(len(p.section("jobs")) for p in loaded) * replications
        task = progress.add_task("jobs", total=total)
        for plan in loaded:
            progress.update(task, description=clean(plan.name))
            results.append(
                guarded(
                    lambda plan=plan: evaluate(  # type: ignore[misc]
                        plan, replications=replications, seed=seed, on_replication=lambda: progress.advance(task)
                    )
                )
            )
    return results
