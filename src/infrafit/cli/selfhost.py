"""`infrafit selfhost PLAN [--compose FILE]`: what leaving the cloud costs, whether the machine holds it, and a
Compose file for the counterparts (valid against the Compose specification)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from infrafit.cli.options import (
    CatalogOpt,
    MinSeverityOpt,
    NoOverlayOpt,
    OutputOpt,
    Severity,
    TextFormat,
    VerboseOpt,
    WidthOpt,
    emit,
    exit_on,
    guarded,
    terminal_width,
    use_catalog,
)


def selfhost(
    plan: Annotated[
        Path, typer.Argument(help="A plan file (YAML) with a `selfhost:` section.", show_default=False, metavar="PLAN")
    ],
    compose: Annotated[
        Path | None,
        typer.Option("--compose", help="Write a Compose file for the counterparts to FILE (atomically)."),
    ] = None,
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.table,
    output: OutputOpt = None,
    width: WidthOpt = None,
    min_severity: MinSeverityOpt = Severity.warning,
    verbose: VerboseOpt = False,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """Both sides' monthly cost (the machine's lines, electricity and hardware included), the break-even month,
    each managed service's self-hosted counterpart and whether the machine holds them all.

    Exit 1 when the machine cannot hold the counterparts with the plan's headroom.
    """
    import sys

    from infrafit.engine.evaluate import evaluate

    use_catalog(catalog, no_overlay)
    from infrafit.plan.loader import load_plan
    from infrafit.report.selfhost import render_selfhost, selfhost_report

    result = guarded(lambda: evaluate(load_plan(plan)))
    report = guarded(lambda: selfhost_report(result))
    if compose is not None:
        from infrafit.fileio import write_output
        from infrafit.selfhost.compose import compose_text

        header = (
            f"Compose file for the self-hosted counterparts of {result.plan}, written by infrafit.\n"
            "Images are pinned; build contexts (./NAME) are the plan's own services. Byte values are binary (512M = 512 MiB).\n"
            "Valid against the Compose specification's JSON Schema (infrafit/selfhost/COMPOSE_SPEC.md)."
        )
        text = compose_text(report.compose, header)
        guarded(lambda: write_output(compose, text, inputs=[str(plan)]))
    color = output is None and sys.stdout.isatty()
    rendered = guarded(
        lambda: render_selfhost(
            result,
            format.value,
            width=terminal_width(width, output),
            color=color,
            min_severity="info" if verbose else min_severity.value,
            compose_path=str(compose) if compose else None,
        )
    )
    emit(rendered, output)
    if not report.machine_fits:
        exit_on([f"{result.plan}: the machine cannot hold the counterparts (see the fit table)"])
