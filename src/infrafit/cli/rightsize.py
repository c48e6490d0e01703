"""`infrafit rightsize`: requests and limits from measured use (Prometheus or an exported file).

The settings flags are generated from :class:`~infrafit.kube.rightsize.RightsizeSettings`' fields (``cpu_floor`` ->
``--cpu-floor``), so the model is the one place a setting, its default and its help live; the values are read by
the model, which knows their units (``14d``, ``15%``, ``10m``, ``100Mi``).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any

import typer

from infrafit.cli.options import (
    CatalogOpt,
    NoOverlayOpt,
    OutputOpt,
    TextFormat,
    WidthOpt,
    emit_report,
    guarded,
    use_catalog,
)
from infrafit.errors import Problem

__all__ = ["rightsize"]


def _default_text(name: str, value: Any) -> str:
    from infrafit.kube.settings import cpu_text, format_duration, memory_text

    if value is None:
        return ""
    if name in ("history", "step", "rate_window", "min_history"):
        return format_duration(value)
    if name in ("buffer", "oom_factor"):
        return f"{float(value) * 100:g}%"
    if name == "cpu_floor":
        return cpu_text(float(value))
    if name in ("memory_floor", "oom_margin"):
        return memory_text(float(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _settings_parameters() -> list[inspect.Parameter]:
    """One ``--flag TEXT`` per settings field, its help from the field's description and default."""
    from infrafit.kube.settings import RightsizeSettings

    params = []
    for name, info in RightsizeSettings.model_fields.items():
        shown = _default_text(name, info.default)
        help_text = (info.description or "") + (f" [default: {shown}]" if shown else "")
        option = typer.Option(
            "--" + name.replace("_", "-"), help=help_text, show_default=False, rich_help_panel="Settings"
        )
        params.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[str | None, option]
            )
        )
    return params


def _read_settings(values: dict[str, str]) -> Any:
    from pydantic import ValidationError

    from infrafit.kube.settings import RightsizeSettings

    try:
        return RightsizeSettings.model_validate(values)
    except ValidationError as exc:
        for err in exc.errors():
            flag = "--" + str(err["loc"][0]).replace("_", "-") if err["loc"] else "settings"
            message = str(err["msg"]).removeprefix("Value error, ")
            typer.echo(
                f"error: {flag} {values.get(str(err['loc'][0]) if err['loc'] else '', '')!r}: {message}", err=True
            )
        raise typer.Exit(2) from None


def _command(
    *,
    prometheus: str | None,
    from_file: Path | None,
    plan: Path | None,
    cluster: str | None,
    write_plan: Path | None,
    patch: Path | None,
    overwrite: bool,
    format: TextFormat,
    output: Path | None,
    width: int | None,
    catalog: Path | None = None,
    no_overlay: bool = False,
    **flags: str | None,
) -> None:
    """Recommend CPU and memory requests and limits per container from measured use."""
    use_catalog(catalog, no_overlay)
    settings = _read_settings({k: v for k, v in flags.items() if v is not None})
    if (prometheus is None) == (from_file is None):
        typer.echo("error: give either --prometheus URL or --from FILE (CSV or Parquet of exported metrics)", err=True)
        raise typer.Exit(2)
    if (write_plan is not None or cluster is not None) and plan is None:
        typer.echo("error: --cluster and --write-plan need --plan PLAN", err=True)
        raise typer.Exit(2)

    def run() -> Any:
        from infrafit.kube.rightsize import rightsize as run_rightsize

        if prometheus is not None:
            from infrafit.kube.prometheus import PrometheusSource

            source: Any = PrometheusSource(prometheus, rate_window=settings.rate_window)
            label = f"Prometheus at {prometheus}"
        else:
            from infrafit.kube.exported import CsvSource

            assert from_file is not None
            source, label = CsvSource(from_file), str(from_file)
        result = run_rightsize(source, settings, label=label)
        if plan is not None:
            from infrafit.decisions.rightsize import plan_effect

            result.plan_effect = plan_effect(plan, result.recommendations, cluster=cluster)
        return result

    def checked() -> Any:
        from infrafit.kube.metrics import MetricsError

        try:
            return run()
        except MetricsError as exc:  # already says where: the file and line, or the server
            return exc

    result = guarded(checked)
    if isinstance(result, Exception):
        typer.echo(f"error: {result}", err=True)
        raise typer.Exit(2)
    if write_plan is not None:
        _write_plan(plan, write_plan, result, cluster, overwrite)
    if patch is not None:
        from infrafit.kube.patch import write_patches

        written = guarded(lambda: write_patches(result.recommendations, patch))
        typer.echo(f"wrote {len(written)} patch file(s) to {patch}", err=True)
    emit_report("rightsize", format.value, result, output, width)


def _write_plan(plan: Path | None, target: Path, result: Any, cluster: str | None, overwrite: bool) -> None:
    from infrafit.decisions.rightsize import write_plan

    assert plan is not None
    if target.resolve() == plan.resolve() and not overwrite:
        from infrafit.cli.options import _fail

        _fail(
            [Problem(f"--write-plan {target} is the plan itself; give another file, or add --overwrite to replace it")]
        )
    guarded(lambda: write_plan(plan, target, result.recommendations, cluster=cluster))
    typer.echo(f"wrote {target}", err=True)


def _build() -> Any:
    def rightsize(**kwargs: Any) -> None:
        _command(**kwargs)

    fixed = [
        (
            "prometheus",
            str | None,
            typer.Option("--prometheus", help="Prometheus URL, e.g. http://localhost:9090.", show_default=False),
        ),
        (
            "from_file",
            Path | None,
            typer.Option(
                "--from", help="Exported metrics (CSV; Parquet with pyarrow) instead of Prometheus.", show_default=False
            ),
        ),
        (
            "plan",
            Path | None,
            typer.Option(
                "--plan",
                help="Plan whose cluster the workloads run on: show the cost and node-count effect.",
                show_default=False,
            ),
        ),
        (
            "cluster",
            str | None,
            typer.Option("--cluster", help="The plan's cluster (default: its only one).", show_default=False),
        ),
        (
            "write_plan",
            Path | None,
            typer.Option(
                "--write-plan", help="Write a copy of the plan with the new requests and limits.", show_default=False
            ),
        ),
        (
            "patch",
            Path | None,
            typer.Option(
                "--patch", help="Write a strategic-merge patch per workload into this folder.", show_default=False
            ),
        ),
        ("overwrite", bool, typer.Option("--overwrite", help="Let --write-plan replace the plan file itself.")),
    ]
    params = [
        inspect.Parameter(
            n, inspect.Parameter.KEYWORD_ONLY, default=(False if t is bool else None), annotation=Annotated[t, o]
        )
        for n, t, o in fixed
    ]
    params += _settings_parameters()
    params += [
        inspect.Parameter(
            "format",
            inspect.Parameter.KEYWORD_ONLY,
            default=TextFormat.table,
            annotation=Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")],
        ),
        inspect.Parameter("output", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=OutputOpt),
        inspect.Parameter("width", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=WidthOpt),
        inspect.Parameter("catalog", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=CatalogOpt),
        inspect.Parameter("no_overlay", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=NoOverlayOpt),
    ]
    rightsize.__signature__ = inspect.Signature(params, return_annotation=None)  # type: ignore[attr-defined]
    rightsize.__annotations__ = {p.name: p.annotation for p in params} | {"return": None}
    rightsize.__doc__ = _command.__doc__
    return rightsize


rightsize = _build()
