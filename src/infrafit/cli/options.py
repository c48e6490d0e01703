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


class TextFormat(StrEnum):
    """The formats of the reports without an HTML page (fleet, rightsize, selfhost)."""

    table = "table"
    json = "json"
    markdown = "markdown"


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
samples_option = typer.Option(
    "--samples",
    min=0,
    max=100_000,
    help="Monte Carlo samples of a plan's ranges (cost p5/p50/p95, probabilities); 0 prices the medians only.",
)
"""Shared by every command that evaluates plans with ranges (check, compare, diff)."""
SamplesOpt = Annotated[int, samples_option]
SeedOpt = Annotated[int, typer.Option("--seed", min=0, help="Random seed (same seed, same answer).")]

CatalogOpt = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        metavar="DIR",
        show_default=False,
        help="Catalog overlay to price with: refreshed facts (`catalog refresh`) over the packaged catalog "
        "(default: INFRAFIT_CATALOG_OVERLAY, else ~/.config/infrafit/catalog when it has an overlay.yaml).",
    ),
]
NoOverlayOpt = Annotated[
    bool, typer.Option("--no-overlay", help="Price with the packaged catalog alone, whatever overlay is configured.")
]
AtOpt = Annotated[
    str,
    typer.Option(
        "--at",
        metavar="point|pN",
        help="Where on the cost's range --max-cost and --max-increase apply: point (the headline total) or a "
        "percentile of the sampled monthly cost such as p50 or p95. A plan without uncertain usage is its point "
        "total at any percentile.",
    ),
]
FailOnErrorOpt = Annotated[bool, fail_on_error_option("Exit 1 when a plan has an error finding.")]
MaxCostOpt = Annotated[str | None, max_cost_option("Exit 1 when a plan's monthly total is above this, e.g. 50USD.")]


def use_catalog(directory: Path | None, no_overlay: bool) -> None:
    """Apply ``--catalog DIR`` / ``--no-overlay`` for this command (neither: the environment or config decides)."""
    from infrafit.catalog.overlay import select

    guarded(lambda: select(directory, off=no_overlay))


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
    except (ValueError, LookupError, OSError, MemoryError, RecursionError) as exc:
        if STATE["debug"]:
            raise
        _fail([_problem(exc)])
    except Exception as exc:  # a bug of ours: still no traceback unless asked for
        if STATE["debug"]:
            raise
        _fail([Problem(_bug(exc))])
    raise AssertionError("unreachable")  # pragma: no cover


def _problem(exc: BaseException) -> Problem:
    """An error the input caused, in the user's words rather than Python's."""
    if isinstance(exc, MemoryError):
        return Problem("not enough memory for this input; docs/limits.md states the limits that keep plans small")
    if isinstance(exc, RecursionError):
        return Problem("the input is nested too deeply to read")
    if isinstance(exc, OSError) and exc.strerror:
        return Problem(exc.strerror[:1].lower() + exc.strerror[1:], file=str(exc.filename) if exc.filename else None)
    return Problem(str(exc))


def _bug(exc: BaseException) -> str:
    """Say plainly that this is infrafit's fault, and where it happened, so the report is useful."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        module = Path(last.filename).with_suffix("").parts
        if "infrafit" in module:
            module = module[len(module) - module[::-1].index("infrafit") :]
        where = f" in {'.'.join(module[-2:])}.{last.name}" if module else f" in {last.name}"
    kind = type(exc).__qualname__
    if type(exc).__module__ not in ("builtins", "__main__"):
        kind = f"{type(exc).__module__}.{kind}"
    detail = f": {exc}" if str(exc) and not str(exc).startswith("[<class") else ""
    return (
        f"infrafit failed on this input (a bug, not your mistake): {kind}{detail}{where}. "
        "Please report it with the input; --debug shows the traceback"
    )


def _input_files() -> list[str]:
    """The command's arguments that name files (plans, before/after), so ``-o`` can refuse to overwrite them."""
    ctx: Any = None
    try:  # typer carries its own copy of click
        from typer._click.globals import get_current_context

        ctx = get_current_context(silent=True)
    except ImportError:  # pragma: no cover - a typer on the real click: fall back to the arguments below
        pass
    found: list[str] = [] if ctx is not None else sys.argv[1:]  # outside a command (a script): its arguments
    while ctx is not None:
        for key, value in ctx.params.items():
            if key == "output":
                continue
            for item in value if isinstance(value, list | tuple) else [value]:
                if isinstance(item, str | Path) and str(item):
                    found.append(str(item))
        ctx = ctx.parent
    return found


def emit(text: str, output: Path | None) -> None:
    """Write to stdout, or to ``output`` (atomically for a file, in place for a device or FIFO; never onto an
    input) and say so on stderr. A write that fails is exit 2 with the reason; a closed pipe just stops output."""
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()  # the report before any `fail:` line on stderr, even when both go to one log
        except BrokenPipeError:
            _drop_stdout()  # `| head` closed the pipe: the reader has what it wanted; the exit code still counts
        except OSError as exc:
            _drop_stdout()
            _fail([Problem(f"cannot write the report to standard output: {_problem(exc).message}")])
        return
    from infrafit.fileio import write_output

    guarded(lambda: write_output(output, text, inputs=_input_files()))
    typer.echo(f"wrote {output}", err=True)


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


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
        from infrafit.report.clean import clean

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


def at_flag(value: str, *gates: Any) -> float | None:
    """Read ``--at`` (None: the point total); bad text, or a percentile with no cost gate to apply it to, is a
    usage error (exit 2)."""
    from infrafit.decisions.gates import parse_at

    try:
        at = parse_at(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--at'") from None
    if at is not None and all(g is None for g in gates):
        raise typer.BadParameter(
            f"{value} applies to --max-cost and --max-increase; give one of them (or leave --at out)",
            param_hint="'--at'",
        )
    return at
