"""`stored_from`: the average stored amount of data that accumulates (Little's law)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infrafit.errors import InputError
from infrafit.plan.loader import load_plan
from infrafit.plan.stored import stored_amount


def test_littles_law() -> None:
    # 2 items a minute kept 30 days: 2/60 × 2,592,000 s = 86,400 items × 4,000 B = 345,600,000 B (345.6 MB).
    assert stored_amount({"rate": "2/min", "size": "4KB", "retention": "30day"}) == Decimal(345_600_000)
    # seed 002's Redis keys: 10 servers rewritten every 30 s with a 1-hour TTL... one key overwritten in place
    # holds one item: retention shorter than the interval between writes -> just its size.
    assert stored_amount({"rate": "1/h", "size": "5KB", "retention": "1min"}) == Decimal(5_000)


def test_in_a_plan_and_its_errors() -> None:
    text = "name: x\nresources:\n  r: {service: upstash.redis, usage: {storage: {stored_from: %s}}}\n"
    plan = load_plan("x.yaml", text=text % "{rate: 10/s, size: 1KB, retention: 1h}")
    assert plan.resources["r"].usage["storage"] == Decimal(36_000_000)  # 10 × 3,600 × 1,000 B
    with pytest.raises(InputError, match=r"x.yaml:3:.*stored_from takes rate, size and retention"):
        load_plan("x.yaml", text=text % "{rate: 10/s, size: 1KB}")
    with pytest.raises(InputError, match="stored_from"):
        load_plan("x.yaml", text=text % "{rate: 10/s, size: 1KB, retention: 1 fortnight}")
