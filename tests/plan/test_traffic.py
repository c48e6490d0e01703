"""The traffic section's plan model: units, the one-key layer forms, and clear errors for bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infrafit.errors import InputError
from infrafit.plan.loader import load_plan
from infrafit.plan.traffic import Cdn, parse_active

BASE = """
name: t
resources:
  api: {service: vercel.functions}
traffic:
  dash:
    origin: api
"""


def test_active_takes_hours_a_day_or_a_share() -> None:
    assert parse_active("8h/day") == Decimal(8 * 3600) / Decimal(86400)  # 1/3
    assert parse_active("40h/week") == Decimal(40 * 3600) / Decimal(604800)
    assert parse_active("50%") == Decimal("0.5")
    with pytest.raises(ValueError, match="at most the whole day"):
        parse_active("25h/day")


def test_layers_and_units_parse() -> None:
    plan = load_plan(
        "t.yaml",
        text=BASE + "    every: 60s\n    latency: 200ms\n    response_size: 12KB\n    layers:\n"
        "      - browser: {dedupe: 30s}\n"
        "      - cdn: {provider: vercel, max_age: 30s, stale_while_revalidate: 1min}\n"
        "      - cache: {ttl: 5min, mode: sliding}\n",
    )
    entry = plan.section("traffic")["dash"]
    assert entry.every == 60 and entry.latency == Decimal("0.2") and entry.response_size == 12_000
    assert isinstance(entry.layers[1], Cdn) and entry.layers[1].cdn.stale_while_revalidate == 60
    assert entry.caches()[0].ttl == 300


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    clients: 3\n", "either `every`"),
        ("    every: 60s\n    rate: 5/s\n", "either `every`"),
        ("    every: 60\n", "needs a unit"),
        ("    every: 60s\n    layers:\n      - edge: {ttl: 5s}\n", "a layer is one of"),
        ("    every: 60s\n    layers:\n      - cdn: {provider: akamai, max_age: 5s}\n", "vercel"),
        ("    every: 60s\n    layers:\n      - cache: {mode: write_through}\n", "write_every"),
    ],
)
def test_bad_input_is_a_located_error(extra: str, message: str) -> None:
    with pytest.raises(InputError) as exc:
        load_plan("t.yaml", text=BASE + extra)
    assert message in str(exc.value)
    assert "t.yaml:" in str(exc.value)
