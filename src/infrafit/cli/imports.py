"""`infrafit import terraform|kubernetes|compose`: files other tools already have, to a plan draft to complete.

The plan YAML goes to stdout (or -o); a one-line summary, and every type that could not be mapped, go to stderr
so a pipe still gets a clean plan. Exit 0 on success, 2 when the files cannot be read. Terraform and Kubernetes
check names against the catalog, so they take `--catalog DIR` / `--no-overlay` like the pricing commands; Compose
reads no catalog.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from infrafit.cli.options import CatalogOpt, NoOverlayOpt, emit, guarded, use_catalog

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Turn Terraform, Kubernetes or Compose files into a plan draft (usage left to fill, marked FILL).",
)


class ImportFormat(StrEnum):
    yaml = "yaml"
    json = "json"


FormatOpt = Annotated[ImportFormat, typer.Option("--format", "-f", help="yaml: the plan draft; json: plan and lists.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically).")]
NameOpt = Annotated[str | None, typer.Option("--name", help="The plan's name (default: the folder's or file's).")]


def _finish(draft: Any, fmt: ImportFormat, output: Path | None) -> None:
    if fmt is ImportFormat.json:
        import json
        from decimal import Decimal

        def number(value: Any) -> Any:
            if isinstance(value, Decimal):
                return int(value) if value == value.to_integral_value() else float(value)
            raise TypeError(type(value).__name__)

        text = json.dumps({"version": 1, **draft.summary()}, indent=2, default=number) + "\n"
    else:
        from infrafit.importers.yamlout import render_yaml

        text = render_yaml(draft)
    emit(text, output)
    parts = [f"{draft.items()} item(s)", f"{len(draft.fills())} value(s) to fill", f"{len(draft.free)} free"]
    parts.append(f"{len(draft.unmapped)} not mapped")
    typer.echo(f"imported {', '.join(parts)}", err=True)
    for skipped in draft.unmapped:
        typer.echo(f"  not mapped: {skipped.address} ({skipped.type}): {skipped.reason}", err=True)
    for finding in draft.findings:
        if finding.severity != "info":
            typer.echo(f"  {finding.severity}: {finding.subject}: {finding.message}", err=True)


def _vars(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"{pair!r}: give --var NAME=VALUE, e.g. --var instance_count=3")
        out[key.strip()] = value
    return out


def terraform(
    path: Annotated[Path, typer.Argument(help="A configuration folder, or `terraform show -json` output (plan or state).")],
    usage_file: Annotated[Path | None, typer.Option("--usage-file", help="An infracost usage file to fill usage from.")] = None,
    var: Annotated[list[str] | None, typer.Option("--var", help="Set a variable, NAME=VALUE (repeatable).")] = None,
    name: NameOpt = None,
    fmt: FormatOpt = ImportFormat.yaml,
    output: OutputOpt = None,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """Import Terraform: HCL (variables, locals, local modules) or plan/state JSON."""
    from infrafit.importers import run_import

    use_catalog(catalog, no_overlay)  # the types and regions a resource is checked against
    variables = _vars(var or [])
    draft = guarded(lambda: run_import("terraform", path, usage_file=usage_file, variables=variables, name=name))
    _finish(draft, fmt, output)


def kubernetes(
    path: Annotated[Path, typer.Argument(help="A folder or file of manifests (multi-document YAML).")],
    cluster: Annotated[str, typer.Option("--cluster", help="The cluster's name in the plan.")] = "main",
    provider: Annotated[str, typer.Option("--provider", help="Catalog service pricing the nodes.")] = "aws.ec2",
    name: NameOpt = None,
    fmt: FormatOpt = ImportFormat.yaml,
    output: OutputOpt = None,
    catalog: CatalogOpt = None,
    no_overlay: NoOverlayOpt = False,
) -> None:
    """Import Kubernetes manifests into a `clusters:` section (node groups left to fill)."""
    from infrafit.importers import run_import

    use_catalog(catalog, no_overlay)  # the --provider service and its default node type
    draft = guarded(lambda: run_import("kubernetes", path, cluster=cluster, provider=provider, name=name))
    _finish(draft, fmt, output)


def compose(
    path: Annotated[Path, typer.Argument(help="A Compose file (docker-compose.yml, compose.yaml).")],
    profile: Annotated[list[str] | None, typer.Option("--profile", help="Enable services of this profile (repeatable).")] = None,
    name: NameOpt = None,
    fmt: FormatOpt = ImportFormat.yaml,
    output: OutputOpt = None,
) -> None:
    """Import a Compose file: each service as a self-hosted component on one machine."""
    from infrafit.importers import run_import

    draft = guarded(lambda: run_import("compose", path, profiles=list(profile or []), name=name))
    _finish(draft, fmt, output)


app.command()(terraform)
app.command()(kubernetes)
app.command()(compose)
