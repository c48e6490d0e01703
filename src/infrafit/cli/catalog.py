"""`infrafit catalog list|show|refresh`: the catalog's facts, each with its source and date; fresh prices."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
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


class RefreshFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("refresh")
def catalog_refresh(
    provider: Annotated[str, typer.Argument(help="aws or gcp.", show_default=False)],
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--from",
            metavar="FILE_OR_DIR",
            help="Downloaded price lists: a file or a folder of *.json (repeatable).",
            show_default=False,
        ),
    ] = None,
    fetch: Annotated[
        bool, typer.Option("--fetch", help="Download the price lists (gcp: API key in INFRAFIT_GCP_API_KEY).")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(help="Overlay folder (default: $XDG_CONFIG_HOME/infrafit/catalog).", show_default=False),
    ] = None,
    format: Annotated[RefreshFormat, typer.Option("--format", "-f", help="Report format.")] = RefreshFormat.text,
    examples: Annotated[
        Path | None,
        typer.Option(
            help="Plans whose totals the report shows before and after (default: examples/ when it exists).",
            show_default=False,
        ),
    ] = None,
    width: WidthOpt = None,
) -> None:
    """Refresh prices from the provider's price list into an overlay; report every change."""
    from infrafit.catalog.refresh import refresh
    from infrafit.report.refresh import render_refresh

    if examples is None and Path("examples").is_dir():
        examples = Path("examples")
    result = guarded(lambda: refresh(provider, list(sources or []), out=out, fetch=fetch, examples=examples))
    for path in result.files:
        typer.echo(f"wrote {path}", err=True)
    emit(render_refresh(result, format.value, width=terminal_width(width, None)), None)
