"""The catalog's views live in report/, so the catalog itself never imports the report."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from infrafit.report.catalog import render_list, render_show, service_rows

CATALOG_SRC = Path(__file__).resolve().parents[2] / "src" / "infrafit" / "catalog"


def test_the_catalog_package_does_not_import_the_report() -> None:
    for path in CATALOG_SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.startswith("infrafit.report") for n in names), f"{path.name} imports {names}"


def test_list_has_one_row_per_service_in_both_formats() -> None:
    rows = service_rows()
    assert json.loads(render_list("json")) == rows
    table = render_list("table")
    assert f"{len(rows)} services" in table
    assert all(row["service"] in table for row in rows)


def test_show_cites_each_fact_and_takes_a_width() -> None:
    data = json.loads(render_show("aws.lambda", "json"))
    assert data["service"] == "aws.lambda" and data["meters"]["requests"]["price"]["source"].startswith("https://")
    narrow = render_show("aws.lambda", "table", width=90)
    assert max(len(line) for line in narrow.splitlines()) <= 90
    assert render_show("aws.lambda", "table") == render_show("aws.lambda", "table", width=140)  # the default
