"""`infrafit schema [plan|report]`: JSON Schemas for editors (the plan) and for CI consumers (check's JSON)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from infrafit.cli.options import emit


class SchemaKind(StrEnum):
    plan = "plan"
    report = "report"


def schema(
    what: Annotated[
        SchemaKind,
        typer.Argument(help="plan: the plan files' schema; report: the schema of `check --format json`."),
    ] = SchemaKind.plan,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Print the plan's JSON Schema (for editor autocompletion).

    With `report`, print the JSON Schema of `check --format json` instead, so CI can validate what it reads.
    """
    if what is SchemaKind.plan:
        from infrafit.plan.schema import plan_json_schema

        emit(plan_json_schema(), output)
        return
    from infrafit.report.json_schema import report_json_schema  # generated from the result records

    emit(report_json_schema(), output)
