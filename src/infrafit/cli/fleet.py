"""`infrafit fleet`: the cheapest mix of node types for a plan's cluster, under its vCPU quota."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from infrafit.cli.options import (
    CatalogOpt,
    NoOverlayOpt,
    OutputOpt,
    TextFormat,
    WidthOpt,
    emit_report,
    exit_on,
    guarded,
    use_catalog,
)


def fleet(
    plan: Annotated[Path, typer.Argument(help="The plan file (YAML) with a `clusters:` section.")],
    cluster: Annotated[str, typer.Option("--cluster", help="The cluster of the plan to size.")],
    types: Annotated[
        str, typer.Option("--types", help="Candidate node types, comma-separated, e.g. t3.small,t3.medium,t3.large.")
    ],
    quota: Annotated[
        int | None,
        typer.Option(help="vCPUs the cluster's nodes may use (default: the plan's quota less its other instances)."),
    ] = None,
    max_nodes: Annotated[int | None, typer.Option("--max-nodes", help="At most this many nodes.")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds the solver may search.")] = 8.0,
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.table,
    output: OutputOpt = None,
    width: WidthOpt = None,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """Find the cheapest node fleet on which every workload of a cluster fits, under the vCPU quota.

    Exit 1 when no fleet of the given types fits (the answer says the smallest quota that would)."""
    from infrafit.engine.sections.cluster_fleet import FleetReport, plan_fleet
    from infrafit.plan.loader import load_plan

    use_catalog(catalog, no_overlay)
    names = [t.strip() for t in types.split(",") if t.strip()]
    if not names:
        raise typer.BadParameter("give at least one node type, e.g. t3.small,t3.medium", param_hint="--types")
    for flag, value in (("--quota", quota), ("--max-nodes", max_nodes)):
        if value is not None and value < 1:
            raise typer.BadParameter(f"{value} is not a positive whole number", param_hint=flag)

    def run() -> FleetReport:
        from infrafit.catalog.lookup import Catalog

        loaded = load_plan(plan)
        return plan_fleet(
            loaded, Catalog(loaded.overrides), cluster, names, quota=quota, max_nodes=max_nodes, time_limit=time_limit
        )

    report = guarded(run)
    emit_report("fleet", format.value, report, output, width)
    if not report.answer.feasible:
        exit_on([f"{report.plan}: cluster {cluster}: {report.answer.reason}"])
