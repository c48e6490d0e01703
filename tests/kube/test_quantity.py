"""Kubernetes quantities, parsed as the API server parses them (resource.Quantity)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrafit.kube.quantity import QuantityError, cpu_millicores, memory_bytes, parse_quantity

D = Decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500m", D("0.5")),  # m is a thousandth
        ("0.5", D("0.5")),
        ("1e3", D(1000)),  # an exponent
        ("1E-3", D("0.001")),
        ("100Ki", D(100 * 1024)),
        ("1Gi", D(1024**3)),
        ("1M", D(1_000_000)),  # decimal mega, not Mi
        ("129e6", D(129_000_000)),
        ("128974848", D(128974848)),
        ("1000m", D(1)),  # as memory: one byte
        ("2k", D(2000)),
        (".5", D("0.5")),
    ],
)
def test_forms(text: str, value: Decimal) -> None:
    assert parse_quantity(text) == value


def test_cpu_and_memory_units() -> None:
    assert cpu_millicores("250m") == 250
    assert cpu_millicores(2) == 2000
    assert memory_bytes("512Mi") == 512 * 1024 * 1024


@pytest.mark.parametrize("bad", ["1GB", "500 m", "1.2.3", "Gi", "1gi", "abc"])
def test_bad_forms_are_refused(bad: str) -> None:
    with pytest.raises(QuantityError, match="Kubernetes quantity"):
        parse_quantity(bad)


def test_gb_gets_a_hint() -> None:
    with pytest.raises(QuantityError, match="G or Gi"):
        parse_quantity("2GB")


@given(st.integers(min_value=0, max_value=10**6))
def test_binary_suffixes_are_powers_of_1024(n: int) -> None:
    assert parse_quantity(f"{n}Mi") == parse_quantity(f"{n * 1024}Ki") == n * 1024**2
    assert parse_quantity(f"{n}m") * 1000 == n
