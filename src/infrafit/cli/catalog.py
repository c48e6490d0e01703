"""`infrafit catalog list|show|audit|refresh`: the catalog's facts, each with its source and date, how old they
are, and fresh prices from the providers' price lists."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from infrafit.cli.options import (
    CatalogOpt,
    DataFormat,
    DataFormatOpt,
    NoOverlayOpt,
    OutputOpt,
    WidthOpt,
    emit,
    exit_on,
    guarded,
    terminal_width,
    use_catalog,
)

app = typer.Typer(no_args_is_help=True, help="Show the catalog's facts and their sources.")


@app.command("list")
def catalog_list(
    format: DataFormatOpt = DataFormat.table,
    width: WidthOpt = None,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """List every service in the catalog."""
    from infrafit.report.catalog import render_list

    use_catalog(catalog, no_overlay)
    emit(guarded(lambda: render_list(format.value, width=terminal_width(width, None))), None)


@app.command("show")
def catalog_show(
    service: Annotated[str, typer.Argument(help="Service key, e.g. gcp.cloud_run.")],
    format: DataFormatOpt = DataFormat.table,
    width: WidthOpt = None,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """Show a service's prices, free allowances, limits and notes, with sources (and which an overlay refreshed)."""
    from infrafit.report.catalog import render_show

    use_catalog(catalog, no_overlay)
    emit(guarded(lambda: render_show(service, format.value, width=terminal_width(width, None))), None)


class ReportFormat(StrEnum):
    """The formats of the audit's and the refresh's reports."""

    text = "text"
    json = "json"
    markdown = "markdown"


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-22") from None


@app.command("audit")
def catalog_audit(
    plans: Annotated[
        list[Path] | None,
        typer.Argument(help="Plan files: list only the facts they use (and gate on them).", show_default=False),
    ] = None,
    max_age: Annotated[
        int | None,
        typer.Option(
            "--max-age",
            min=0,
            metavar="DAYS",
            show_default=False,
            help="Flag facts older than this many days (default 180); with PLANS, exit 1 when a fact they use is.",
        ),
    ] = None,
    provider: Annotated[str | None, typer.Option("--provider", help="Only this provider's facts.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="DATE", show_default=False, help="Judge ages on this day (default: today)."),
    ] = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """Every catalog fact with its age, evidence grade and source: old or weakly evidenced facts first.

    Exit 1 with --max-age and PLANS when a fact the plans use is older than that (a CI gate)."""
    from infrafit.decisions.audit import DEFAULT_MAX_AGE, audit_catalog, audit_gate
    from infrafit.report.audit import render_audit

    day = _day(today)
    use_catalog(catalog, no_overlay)
    threshold = DEFAULT_MAX_AGE if max_age is None else max_age
    audit = guarded(lambda: audit_catalog(plans or None, today=day, max_age=threshold, provider=provider))
    emit(guarded(lambda: render_audit(audit, format.value, width=terminal_width(width, output))), output)
    if max_age is not None:
        exit_on(audit_gate(audit))


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
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
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
