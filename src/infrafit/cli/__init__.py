"""The `infrafit` command: parse flags, call the library, render, exit. No logic of its own.

Each command group lives in a small module (check.py, decisions.py, catalog.py, schema.py) of plain functions,
registered here in the order `infrafit --help` lists them; what they share is in options.py. Heavy imports
stay inside the command functions, so `infrafit check` starts fast.

Exit codes: 0 the plan fits, 1 it does not (or a gate failed), 2 the input could not be read or used.
"""

from __future__ import annotations

import os

# pydantic scans every installed package's entry points for plugins when it builds its first model (the command's
# own modules build some on import); the command uses none, and the scan costs several milliseconds of start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")

from typing import Annotated, NoReturn

import typer

from infrafit.cli import catalog, check, decisions, fleet, imports, rightsize, schema, selfhost
from infrafit.cli.options import STATE

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Plan-as-code for cloud architectures: cost, free tiers, quotas, limits; every number cited.",
)


@app.callback()
def main_callback(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    STATE["debug"] = debug


app.add_typer(catalog.app, name="catalog")
app.command()(check.check)
app.command()(decisions.compare)
app.command()(decisions.diff)
app.command()(check.simulate)
app.command()(selfhost.selfhost)
app.command()(fleet.fleet)
app.command()(rightsize.rightsize)
app.command()(schema.schema)
app.add_typer(imports.app, name="import")


def main() -> NoReturn:
    # A command lives for one report: cyclic garbage collection would walk every object built so far, again and
    # again (about a fifth of a 10,000-resource check), to free almost nothing. Collect by reference counts only,
    # with a generous threshold left in place for the rare long simulation.
    import gc

    gc.freeze()
    gc.set_threshold(200_000, 50, 1_000)
    try:
        app()
    except SystemExit as exc:
        _end(exc.code)
    _end(0)


def _end(code: object) -> NoReturn:
    """End the process with ``code`` once its output is flushed, without freeing every object one by one first:
    the report is written, and that teardown is a tenth of a 10,000-resource check. Files are written atomically
    and temporary folders closed before this point, so nothing is left half-done."""
    import contextlib
    import sys

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # SystemExit("message"): Python prints it and exits 1
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`): the reader has what it wanted
            stream.flush()
    os._exit(status)


__all__ = ["app", "main"]
