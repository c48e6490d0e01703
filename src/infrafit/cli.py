"""The `infrafit` command: parse flags, call the library, render, exit. No logic of its own.

Exit codes: 0 the plan fits, 1 it does not (or a gate failed), 2 the input could not be read or used.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from infrafit.errors import InputError, Problem

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Plan-as-code for cloud architectures: cost, free tiers, quotas, limits; every number cited.",
)
catalog_app = typer.Typer(no_args_is_help=True, help="Show the catalog's facts and their sources.")
app.add_typer(catalog_app, name="catalog")

_state = {"debug": False}
T = TypeVar("T")


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


class DataFormat(StrEnum):
    table = "table"
    json = "json"


def _fail(problems: list[Problem]) -> None:
    for p in problems:
        typer.echo(f"error: {p}", err=True)
    raise typer.Exit(2)


def guarded(fn: Callable[[], T]) -> T:
    """Run library code; turn bad input into a plain message and exit 2 (traceback only with --debug)."""
    try:
        return fn()
    except InputError as exc:
        if _state["debug"]:
            raise
        _fail(exc.problems)
    except (ValueError, LookupError, OSError) as exc:
        if _state["debug"]:
            raise
        _fail([Problem(str(exc))])
    except Exception as exc:  # a bug of ours: still no traceback unless asked for
        if _state["debug"]:
            raise
        _fail([Problem(f"internal error ({type(exc).__name__}: {exc}); rerun with --debug for the traceback")])
    raise AssertionError("unreachable")  # pragma: no cover


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from infrafit.fileio import write_atomic

    write_atomic(output, text)
    typer.echo(f"wrote {output}", err=True)


def parse_money_flag(value: str | None) -> Decimal | None:
    if value is None:
        return None
    from infrafit.units import Kind, UnitError, parse

    try:
        amount = parse(value.replace("USD", " USD") if "USD" in value else f"{value} USD", Kind.MONEY)
    except UnitError as exc:
        raise typer.BadParameter(str(exc)) from None
    assert isinstance(amount, Decimal)
    return amount


@app.callback()
def main_callback(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    _state["debug"] = debug


@app.command()
def check(
    plans: Annotated[list[Path], typer.Argument(help="Plan files (YAML).", show_default=False)],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically).")] = None,
    fail_on_error: Annotated[bool, typer.Option(help="Exit 1 when a plan has an error finding.")] = True,
    max_cost: Annotated[
        str | None, typer.Option(help="Exit 1 when a plan's monthly total is above this, e.g. 50USD.")
    ] = None,
    width: Annotated[int | None, typer.Option(help="Table width in characters.")] = None,
) -> None:
    """Price each plan and check it against free tiers, quotas, limits and its budget."""
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan
    from infrafit.report import render

    ceiling = parse_money_flag(max_cost)
    results = guarded(lambda: [evaluate(load_plan(p)) for p in plans])
    color = output is None and sys.stdout.isatty()
    emit(guarded(lambda: render("check", format.value, results, width=width, color=color)), output)
    reasons = []
    for r in results:
        if fail_on_error and not r.fits:
            reasons.append(f"{r.plan}: {len(r.errors)} error finding(s)")
        if ceiling is not None and r.total_monthly_cost > ceiling:
            reasons.append(f"{r.plan}: ${r.total_monthly_cost:,.2f}/month is above --max-cost ${ceiling:,.2f}")
    if reasons:
        for reason in reasons:
            typer.echo(f"fail: {reason}", err=True)
        raise typer.Exit(1)


def parse_increase_flag(value: str | None) -> tuple[str, Decimal] | None:
    """``10%`` -> ("percent", 10); ``5USD`` / ``5 USD`` / ``$5`` -> ("money", 5)."""
    if value is None:
        return None
    from infrafit.units import Kind, UnitError, parse

    text = value.strip()
    try:
        if text.endswith("%"):
            fraction = parse(text, Kind.PERCENT)
            assert isinstance(fraction, Decimal)
            return "percent", fraction * 100
        amount = parse(text if "USD" in text or "$" in text else f"{text} USD", Kind.MONEY)
    except UnitError as exc:
        raise typer.BadParameter(f"{exc}; give a percentage such as 10% or an amount such as 5USD") from None
    assert isinstance(amount, Decimal)
    return "money", amount


def _gate(reasons: list[str]) -> None:
    """Exit 1 with each reason on stderr, so a CI log says why the job failed."""
    if reasons:
        for reason in reasons:
            typer.echo(f"fail: {reason}", err=True)
        raise typer.Exit(1)


@app.command()
def compare(
    plans: Annotated[
        list[str],
        typer.Argument(help="Two or more plans (files, or git REV:PATH) of the same workload.", show_default=False),
    ],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically).")] = None,
    fail_on_error: Annotated[bool, typer.Option(help="Exit 1 when no plan fits (each has an error finding).")] = True,
    max_cost: Annotated[
        str | None, typer.Option(help="Exit 1 when any plan's monthly total is above this, e.g. 50USD.")
    ] = None,
    width: Annotated[int | None, typer.Option(help="Table width in characters.")] = None,
) -> None:
    """Compare plans side by side: cost, cost by category, free tiers, quotas, and the cheapest plan that fits."""
    from infrafit.decisions.compare import compare as compare_results
    from infrafit.decisions.sources import load_revision
    from infrafit.engine.evaluate import evaluate
    from infrafit.report import render

    if len(plans) < 2:
        raise typer.BadParameter("compare needs at least two plans", param_hint="PLANS")
    ceiling = parse_money_flag(max_cost)
    result = guarded(lambda: compare_results([evaluate(load_revision(p)) for p in plans]))
    color = output is None and sys.stdout.isatty()
    emit(guarded(lambda: render("compare", format.value, result, width=width, color=color)), output)
    reasons = []
    if fail_on_error and result.cheapest_fitting is None:
        reasons.append("no plan fits: " + "; ".join(f"{p.label}: {len(p.errors)} error(s)" for p in result.plans))
    for p in result.plans:
        if ceiling is not None and p.total_monthly_cost > ceiling:
            reasons.append(f"{p.label}: ${p.total_monthly_cost:,.2f}/month is above --max-cost ${ceiling:,.2f}")
    _gate(reasons)


@app.command()
def diff(
    before: Annotated[str, typer.Argument(help="The plan before: a file, or git REV:PATH (main:infra/plan.yaml).")],
    after: Annotated[str, typer.Argument(help="The plan after: a file, or git REV:PATH.")],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically).")] = None,
    fail_on_error: Annotated[bool, typer.Option(help="Exit 1 when the plan after has an error finding.")] = True,
    max_cost: Annotated[
        str | None, typer.Option(help="Exit 1 when the plan after costs more than this a month, e.g. 50USD.")
    ] = None,
    max_increase: Annotated[
        str | None,
        typer.Option(help="Exit 1 when the monthly cost grows by more than this: a percentage (10%) or money (5USD)."),
    ] = None,
    width: Annotated[int | None, typer.Option(help="Table width in characters.")] = None,
) -> None:
    """Show what a change does: resources added, removed or resized, cost deltas, quotas, findings new and gone."""
    from infrafit.decisions.diff import diff as diff_results
    from infrafit.decisions.sources import load_revision
    from infrafit.engine.evaluate import evaluate
    from infrafit.report import render

    ceiling = parse_money_flag(max_cost)
    increase = parse_increase_flag(max_increase)
    result = guarded(lambda: diff_results(evaluate(load_revision(before)), evaluate(load_revision(after))))
    color = output is None and sys.stdout.isatty()
    emit(guarded(lambda: render("diff", format.value, result, width=width, color=color)), output)
    reasons = []
    new = result.after
    if fail_on_error and not new.fits:
        reasons.append(f"{new.plan} (after): {len(new.errors)} error finding(s)")
    if ceiling is not None and new.total_monthly_cost > ceiling:
        reasons.append(f"{new.plan} (after): ${new.total_monthly_cost:,.2f}/month is above --max-cost ${ceiling:,.2f}")
    if increase is not None:
        kind, amount = increase
        delta, pct = result.delta_monthly_cost, result.delta_percent
        if kind == "money" and delta > amount:
            reasons.append(f"monthly cost grows by ${delta:,.2f}, more than --max-increase ${amount:,.2f}")
        elif kind == "percent" and delta > 0 and (pct is None or pct > amount):
            grown = "from $0.00" if pct is None else f"by {pct:.1f}%"
            limit = f"{amount.normalize():f}%"
            reasons.append(f"monthly cost grows {grown} (+${delta:,.2f}), more than --max-increase {limit}")
    _gate(reasons)


@app.command()
def simulate(
    plans: Annotated[list[Path], typer.Argument(help="Plan files (YAML) with `jobs:`.", show_default=False)],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically).")] = None,
    replications: Annotated[int, typer.Option(min=1, max=10_000, help="Simulated runs per job.")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same answer).")] = 0,
    width: Annotated[int | None, typer.Option(help="Table width in characters.")] = None,
) -> None:
    """Simulate each plan's batch jobs: makespan (p50/p95), throughput over time, the bottleneck, the usage implied."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan
    from infrafit.report import render

    loaded = guarded(lambda: [load_plan(p) for p in plans])
    total = sum(len(p.section("jobs")) for p in loaded)
    results = []
    # A progress bar on a terminal; it is transient, so what stays on screen is the report alone.
    with Progress(
        TextColumn("simulating {task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} jobs"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("jobs", total=total)
        for plan in loaded:
            progress.update(task, description=plan.name)
            results.append(
                guarded(
                    lambda plan=plan: evaluate(  # type: ignore[misc]
                        plan, replications=replications, seed=seed, on_job=lambda _name: progress.advance(task)
                    )
                )
            )
    kind = "check" if format is CheckFormat.html or format is CheckFormat.markdown else "simulate"
    color = output is None and sys.stdout.isatty()
    emit(guarded(lambda: render(kind, format.value, results, width=width, color=color)), output)
    infeasible = [f"{r.plan}: job {j.name} cannot run" for r in results for j in r.jobs if not j.feasible]
    if infeasible:
        for reason in infeasible:
            typer.echo(f"fail: {reason}", err=True)
        raise typer.Exit(1)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Print the plan's JSON Schema (for editor autocompletion)."""
    from infrafit.plan.schema import plan_json_schema

    emit(plan_json_schema(), output)


@catalog_app.command("list")
def catalog_list(
    format: Annotated[DataFormat, typer.Option("--format", "-f")] = DataFormat.table,
) -> None:
    """List every service in the catalog."""
    from infrafit.catalog.views import render_list

    emit(guarded(lambda: render_list(format.value)), None)


@catalog_app.command("show")
def catalog_show(
    service: Annotated[str, typer.Argument(help="Service key, e.g. gcp.cloud_run.")],
    format: Annotated[DataFormat, typer.Option("--format", "-f")] = DataFormat.table,
) -> None:
    """Show a service's prices, free allowances, limits and notes, with sources."""
    from infrafit.catalog.views import render_show

    emit(guarded(lambda: render_show(service, format.value)), None)


def main() -> Any:
    return app()


if __name__ == "__main__":  # pragma: no cover
    main()
