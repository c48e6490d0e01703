"""`infrafit catalog list|show`: the catalog's facts, each with its source and date."""

from __future__ import annotations

from typing import Annotated

import typer

from infrafit.cli.options import DataFormat, DataFormatOpt, WidthOpt, emit, guarded, terminal_width

app = typer.Typer(no_args_is_help=True, help="Show the catalog's facts and their sources.")


@app.command("list")
def catalog_list(format: DataFormatOpt = DataFormat.table, width: WidthOpt = None) -> None:
    """List every service in the catalog."""
    from infrafit.report.catalog import render_list

    emit(guarded(lambda: render_list(format.value, width=terminal_width(width, None))), None)


@app.command("show")
def catalog_show(
    service: Annotated[str, typer.Argument(help="Service key, e.g. gcp.cloud_run.")],
    format: DataFormatOpt = DataFormat.table,
    width: WidthOpt = None,
) -> None:
    """Show a service's prices, free allowances, limits and notes, with sources."""
    from infrafit.report.catalog import render_show

    emit(guarded(lambda: render_show(service, format.value, width=terminal_width(width, None))), None)
