"""The check report's JSON: unit prices at full precision, numbers as JSON numbers, and the fast writer giving the
same document the standard library would."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.catalog.lookup import Catalog
from infrafit.engine.evaluate import evaluate
from infrafit.plan.loader import load_plan
from infrafit.report import render
from infrafit.report.json_report import dumps, exact, num
from tests.catalog.test_in_memory import toy_provider

D = Decimal


def test_a_unit_price_below_a_millionth_of_a_dollar_keeps_its_digits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INFRAFIT_CATALOG_DIR", str(tmp_path))
    provider = toy_provider()
    # Cloud Run's request price: $0.40 per million requests = $0.0000004 a request, no free allowance.
    provider["services"]["queue"]["meters"]["operations"]["price"]["usd"] = "0.40"
    provider["services"]["queue"]["free"] = []
    plan = "name: toy\nresources:\n  q: {service: toy.queue, usage: {operations: 7M/month}}\n"
    report = json.loads(
        render("check", "json", [evaluate(load_plan("toy.yaml", text=plan), Catalog.from_data({"toy": provider}))])
    )
    (component,) = report["resources"][0]["components"]
    assert component["unit_price"] == 0.0000004  # 0.40 / 1,000,000; rounded to 6 places it was 0.0
    assert component["cost"] == 2.8  # 7,000,000 × $0.0000004 = $2.80
    assert report["total_monthly_cost"] == 2.8


def test_numbers() -> None:
    assert num(D("2.00")) == 2 and isinstance(num(D("2.00")), int)
    assert num(D("0.1234567")) == 0.123457  # rounded to 6 places
    assert exact(D("0.0000004")) == 4e-7 and exact(D("0.0083764275")) == 0.0083764275  # every digit kept
    assert num(None) is None and exact(None) is None
    assert num(D(10) ** 30) == 10**30  # integers stay exact, however large


def test_the_writer_indents_like_the_standard_library_and_keeps_text_unescaped() -> None:
    data = {"name": "café ✓", "nested": {"list": [1, 2, {"k": None}], "empty": {}, "none": []}, "flag": True}
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_decimals_and_integers_beyond_64_bits_are_written() -> None:
    assert json.loads(dumps({"a": D("1.50"), "b": 10**24, "c": [D(3)]})) == {"a": 1.5, "b": 10**24, "c": [3]}


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(data=_json)
def test_any_document_reads_back_as_written(data: object) -> None:
    text = dumps(data)
    assert text.endswith("\n")
    assert json.loads(text) == data
