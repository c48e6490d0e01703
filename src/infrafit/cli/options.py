"""What every command shares: option types, turning library errors into exit codes, writing output, gating.

Kept light (typer and the standard library only): the command modules import it at start-up, and a cold
`infrafit check` must stay fast. Exit codes: 0 pass, 1 a gate failed, 2 the input could not be read or used.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from infrafit.errors import InputError, Problem

if TYPE_CHECKING:
    from infrafit.decisions.gates import Increase

STATE = {"debug": False}  # set by the app's --debug callback
T = TypeVar("T")


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


class DataFormat(StrEnum):
    table = "table"
    json = "json"


def fail_on_error_option(help: str) -> Any:
    """The `--fail-on-error/--no-fail-on-error` flag; each command says what an error means for it."""
    return typer.Option(help=help)


def max_cost_option(help: str) -> Any:
    """The `--max-cost` flag (text such as 50USD, read by :func:`money_flag`); each command says what it bounds."""
    return typer.Option(help=help)


FormatOpt = Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")]
DataFormatOpt = Annotated[DataFormat, typer.Option("--format", "-f")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically).")]


def _width(value: int | None) -> int | None:
    """``--width`` of at least 40 columns (narrower cannot hold a figure and its label)."""
    if value is not None and value < 40:
        raise typer.BadParameter(
            f"{value} is too narrow; give at least 40 columns, or leave it out to use the terminal's"
        )
    return value


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


WidthOpt = Annotated[
    int | None,
    typer.Option(
        callback=_width,
        help="Report width in characters (default: the terminal's, or COLUMNS; 120 when writing to a pipe or file).",
    ),
]
MinSeverityOpt = Annotated[
    Severity,
    typer.Option("--min-severity", help="Show findings of this severity and above in full; the rest are counted."),
]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Show every finding in full (--min-severity info).")]
PlansArg = Annotated[list[Path], typer.Argument(help="Plan files (YAML).", show_default=False, metavar="PLANS")]
FailOnErrorOpt = Annotated[bool, fail_on_error_option("Exit 1 when a plan has an error finding.")]
MaxCostOpt = Annotated[str | None, max_cost_option("Exit 1 when a plan's monthly total is above this, e.g. 50USD.")]


def _fail(problems: list[Problem]) -> None:
    for p in problems:
        typer.echo(f"error: {p}", err=True)
    raise typer.Exit(2)


def guarded(fn: Callable[[], T]) -> T:
    """Run library code; turn bad input into a plain message and exit 2 (traceback only with --debug)."""
    try:
        return fn()
    except InputError as exc:
        if STATE["debug"]:
            raise
        _fail(exc.problems)
    except (ValueError, LookupError, OSError) as exc:
        if STATE["debug"]:
            raise
        _fail([Problem(str(exc))])
    except Exception as exc:  # a bug of ours: still no traceback unless asked for
        if STATE["debug"]:
            raise
        _fail([Problem(f"internal error ({type(exc).__name__}: {exc}); rerun with --debug for the traceback")])
    raise AssertionError("unreachable")  # pragma: no cover


def emit(text: str, output: Path | None) -> None:
    """Write to stdout, or atomically to ``output`` (a reader never sees half a report) and say so on stderr."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()  # the report before any `fail:` line on stderr, even when both go to one log
        return
    from infrafit.fileio import write_atomic

    write_atomic(output, text)
    typer.echo(f"wrote {output}", err=True)


def terminal_width(width: int | None, output: Path | None) -> int | None:
    """``--width`` if given, else ``COLUMNS`` (the renderer reads it), else the terminal's width when the report
    goes to a terminal; ``None`` (the renderers' stable default) for a pipe or a file."""
    import os
    import shutil

    if width is not None or os.environ.get("COLUMNS") or output is not None or not sys.stdout.isatty():
        return width
    return max(shutil.get_terminal_size().columns, 40)


def emit_report(
    kind: str,
    fmt: str,
    payload: Any,
    output: Path | None,
    width: int | None,
    min_severity: str = "warning",
    verbose: bool = False,
) -> None:
    """Render ``payload`` as a ``kind`` report in ``fmt`` and emit it; color only on a terminal, never to a file."""
    from infrafit.report import render

    color = output is None and sys.stdout.isatty()
    options: dict[str, Any] = {"width": terminal_width(width, output), "color": color}
    options["min_severity"] = "info" if verbose else min_severity
    emit(guarded(lambda: render(kind, fmt, payload, **options)), output)


def exit_on(reasons: list[str]) -> None:
    """Exit 1 with each reason on stderr, so a CI log says why the job failed; return when there is none."""
    if reasons:
        from infrafit.report.terminal import clean

        for reason in reasons:
            typer.echo(f"fail: {clean(reason)}", err=True)
        raise typer.Exit(1)


def money_flag(value: str | None) -> Decimal | None:
    """Read a `--max-cost` value; bad text is a usage error (exit 2) naming what was wrong."""
    from infrafit.decisions.gates import parse_max_cost

    try:
        return parse_max_cost(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def increase_flag(value: str | None) -> Increase | None:
    """Read a `--max-increase` value (10% or 5USD); bad text is a usage error (exit 2)."""
    from infrafit.decisions.gates import parse_max_increase

    try:
        return parse_max_increase(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
