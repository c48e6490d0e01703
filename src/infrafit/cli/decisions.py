"""`infrafit compare` and `infrafit diff`: plans side by side, and a change before and after, gated for CI."""

from __future__ import annotations

from typing import Annotated

import typer

from infrafit.cli.options import (
    AtOpt,
    CatalogOpt,
    CheckFormat,
    FormatOpt,
    NoOverlayOpt,
    OutputOpt,
    SamplesOpt,
    SeedOpt,
    WidthOpt,
    at_flag,
    emit_report,
    exit_on,
    fail_on_error_option,
    guarded,
    increase_flag,
    max_cost_option,
    money_flag,
    use_catalog,
)


def compare(
    plans: Annotated[
        list[str],
        typer.Argument(
            help="Two or more plans (files, or git REV:PATH) of the same workload.",
            show_default=False,
            metavar="PLANS",
        ),
    ],
    format: FormatOpt = CheckFormat.table,
    output: OutputOpt = None,
    fail_on_error: Annotated[
        bool, fail_on_error_option("Exit 1 when no plan fits (each has an error finding).")
    ] = True,
    max_cost: Annotated[
        str | None, max_cost_option("Exit 1 when any plan's monthly total is above this, e.g. 50USD.")
    ] = None,
    at: AtOpt = "point",
    width: WidthOpt = None,
    samples: SamplesOpt = 2000,
    seed: SeedOpt = 0,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """Compare plans side by side: cost, cost by category, free tiers, quotas, and the cheapest plan that fits.

    When some plan's usage is uncertain, plans are ranked by their median monthly cost (p50), with the p5-p95
    range and the probability that each is the cheapest that fits."""
    use_catalog(catalog, no_overlay)
    from infrafit.decisions.comparison import compare as compare_results
    from infrafit.decisions.gates import compare_gates
    from infrafit.decisions.sources import load_revision
    from infrafit.engine.evaluate import evaluate

    if len(plans) < 2:
        raise typer.BadParameter("compare needs at least two plans", param_hint="PLANS")
    ceiling = money_flag(max_cost)
    percentile = at_flag(at, ceiling)
    # One seed and sample count for every plan: the same draws of the same inputs (common random numbers).
    result = guarded(lambda: compare_results([evaluate(load_revision(p), samples=samples, seed=seed) for p in plans]))
    emit_report("compare", format.value, result, output, width)
    exit_on(compare_gates(result, fail_on_error=fail_on_error, max_cost=ceiling, at=percentile))


def diff(
    before: Annotated[str, typer.Argument(help="The plan before: a file, or git REV:PATH (main:infra/plan.yaml).")],
    after: Annotated[str, typer.Argument(help="The plan after: a file, or git REV:PATH.")],
    format: FormatOpt = CheckFormat.table,
    output: OutputOpt = None,
    fail_on_error: Annotated[bool, fail_on_error_option("Exit 1 when the plan after has an error finding.")] = True,
    max_cost: Annotated[
        str | None, max_cost_option("Exit 1 when the plan after costs more than this a month, e.g. 50USD.")
    ] = None,
    max_increase: Annotated[
        str | None,
        typer.Option(help="Exit 1 when the monthly cost grows by more than this: a percentage (10%) or money (5USD)."),
    ] = None,
    at: AtOpt = "point",
    width: WidthOpt = None,
    samples: SamplesOpt = 2000,
    seed: SeedOpt = 0,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """Show what a change does: resources added, removed or resized, cost deltas, quotas, findings new and gone.

    When either side's usage is uncertain, the change of the p50 and p95 monthly cost is shown beside the
    change of the point total."""
    use_catalog(catalog, no_overlay)
    from infrafit.decisions.changes import diff as diff_results
    from infrafit.decisions.gates import diff_gates
    from infrafit.decisions.sources import load_revision
    from infrafit.engine.evaluate import evaluate

    ceiling = money_flag(max_cost)
    increase = increase_flag(max_increase)
    percentile = at_flag(at, ceiling, increase)
    result = guarded(
        lambda: diff_results(
            evaluate(load_revision(before), samples=samples, seed=seed),
            evaluate(load_revision(after), samples=samples, seed=seed),
        )
    )
    emit_report("diff", format.value, result, output, width)
    exit_on(diff_gates(result, fail_on_error=fail_on_error, max_cost=ceiling, max_increase=increase, at=percentile))
