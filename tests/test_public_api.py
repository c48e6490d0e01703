"""The public surface: exactly these names, each the object its home module defines. Anything outside
``infrafit.__all__`` may change between releases; widening the surface means changing this list on purpose."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import infrafit

PUBLIC = [
    "Catalog",
    "Component",
    "Finding",
    "InputError",
    "JobReport",
    "Plan",
    "PoolUse",
    "Problem",
    "QuotaUse",
    "Resource",
    "ResourceResult",
    "Result",
    "Severity",
    "compare",
    "diff",
    "evaluate",
    "load_plan",
    "render",
]


def test_the_list_is_sorted() -> None:
    assert sorted(PUBLIC) == PUBLIC


def test_all_is_exactly_the_public_names() -> None:
    assert infrafit.__all__ == PUBLIC


def test_star_import_gives_the_public_names() -> None:
    namespace: dict[str, object] = {}
    exec("from infrafit import *", namespace)
    assert sorted(k for k in namespace if not k.startswith("__")) == PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_each_name_is_the_object_of_its_home_module(name: str) -> None:
    obj = getattr(infrafit, name)
    home = getattr(obj, "__module__", None)
    assert isinstance(home, str), f"{name} has no home module"
    assert home.startswith("infrafit.") and not home.startswith("infrafit.cli"), f"{name} lives in {home}"
    assert getattr(importlib.import_module(home), name) is obj, f"infrafit.{name} is not {home}.{name}"


def test_importing_the_package_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, infrafit; "
        "heavy = [m for m in ('plotly', 'numpy', 'simpy', 'ortools', 'typer') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
