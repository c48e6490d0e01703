"""docs/architecture.md names real places: every source path it cites exists, and the functions and records its
overlay, refresh and decisions paragraphs name are where it says they are."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PACKAGE = ROOT / "src" / "infrafit"


def _cited_paths() -> list[str]:
    """`engine/pricing.py`, `catalog/refresh/`, `catalog/data/refresh/<provider>.yaml` as written in backticks."""
    found = re.findall(r"`((?:[a-z_]+/)+(?:[a-z_]+\.py)?)`", DOC)
    return sorted(set(found))


def test_the_document_cites_paths() -> None:
    assert {"catalog/overlay.py", "catalog/refresh/", "decisions/ranges.py"} <= set(_cited_paths())


@pytest.mark.parametrize("path", _cited_paths())
def test_every_cited_path_exists(path: str) -> None:
    assert (PACKAGE / path).exists() or (ROOT / path).exists(), path


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("infrafit.catalog.overlay", "select"),
        ("infrafit.catalog.overlay", "overlay_dir"),
        ("infrafit.catalog.overlay", "OverlayUse"),
        ("infrafit.catalog.lookup", "Catalog.overlay_use"),
        ("infrafit.cli.options", "use_catalog"),
        ("infrafit.report.provenance", "catalog_phrase"),
        ("infrafit.report.provenance", "overlay_json"),
        ("infrafit.engine.result", "Result.catalog_overlay"),
        ("infrafit.engine.uncertainty.montecarlo", "draw"),
        ("infrafit.decisions.ranges", "cheapest_probabilities"),
        ("infrafit.decisions.ranges", "cost_at"),
        ("infrafit.decisions.gates", "parse_at"),
    ],
)
def test_named_functions_and_records_exist(module: str, name: str) -> None:
    target: object = importlib.import_module(module)
    for part in name.split("."):
        fields = getattr(target, "__dataclass_fields__", {})
        assert hasattr(target, part) or part in fields, f"{module}.{name}"
        target = getattr(target, part, None)
    assert name.split(".")[-1] in DOC
