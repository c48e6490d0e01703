"""Pricing memoises what does not depend on the ledger (a meter's rate per region and type, what a line of a given
shape measures). The memo must never change an answer: a plan priced with it equals the plan priced without it,
line by line and component by component, whatever mix of alike and unlike lines it holds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrafit.engine import meters
from infrafit.engine.evaluate import evaluate
from infrafit.engine.ledger import Ledger
from infrafit.plan.loader import plan_from_data

VARIANTS: list[dict[str, Any]] = [
    {"service": "aws.ec2", "region": "us-east-1", "type": "t3.small", "disk": "20GB", "usage": {"uptime": "50%"}},
    {"service": "aws.ec2", "region": "us-east-1", "type": "t3.small", "disk": "30GB", "usage": {"uptime": "50%"}},
    {"service": "aws.ec2", "region": "us-west-2", "type": "t3.micro"},
    {"service": "aws.ec2", "region": "us-east-1", "type": "t3.micro", "count": 3},
    {"service": "aws.lambda", "memory": "512MB", "usage": {"requests": "3M/month", "duration": "120ms"}},
    {"service": "aws.lambda", "memory": "1GB", "usage": {"requests": "3M/month", "duration": "120ms"}},
    {"service": "aws.s3", "usage": {"storage": "80GB", "class_a": "100K/month", "class_b": "1M/month"}},
    {"service": "aws.s3", "usage": {"storage": "80GB", "class_b": "1M/month", "class_a": "100K/month"}},
    {"service": "gcp.cloud_run", "cpu": 1, "memory": "512MiB", "usage": {"requests": "2M/month", "duration": "180ms"}},
    {"service": "gcp.cloud_run", "cpu": 2, "memory": "512MiB", "usage": {"requests": "2M/month", "duration": "180ms"}},
    {"service": "gcp.firestore", "usage": {"reads": "40K/day", "writes": "5K/day", "storage": "2GB"}},
    {"service": "cloudflare.r2", "usage": {"storage": "20GB", "class_a": "2M/month", "class_b": "5M/month"}},
]


class _Forgetful(dict[Any, Any]):
    """A memo that never remembers: every line is worked out afresh."""

    def __setitem__(self, key: Any, value: Any) -> None:
        return None


def _priced(data: dict[str, Any], *, memo: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    with monkeypatch.context() as patch:
        if not memo:
            original = Ledger.__post_init__

            def forgetful(self: Ledger) -> None:
                original(self)
                self.shapes = _Forgetful()
                self.rates = _Forgetful()
                self.components = _Forgetful()

            patch.setattr(Ledger, "__post_init__", forgetful)
        result = evaluate(plan_from_data(data))
    return [
        (
            r.name,
            r.monthly_cost,
            [
                (c.meter, c.quantity, c.free_quantity, c.billable_quantity, c.unit_price, c.cost, c.price_text, c.pools)
                for c in r.components
            ],
        )
        for r in result.resources
    ] + [("total", result.total_monthly_cost, [])]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(VARIANTS) - 1), min_size=1, max_size=30))
def test_memo_never_changes_an_answer(picks: list[int]) -> None:
    data = {"name": "mix", "resources": {f"r{i}": VARIANTS[k] for i, k in enumerate(picks)}}
    monkeypatch = pytest.MonkeyPatch()
    try:
        assert _priced(data, memo=True, monkeypatch=monkeypatch) == _priced(data, memo=False, monkeypatch=monkeypatch)
    finally:
        monkeypatch.undo()


def test_lines_differing_only_in_disk_are_measured_apart() -> None:
    # Same service, region, type and usage; 20 GB vs 30 GB of gp3: the second line's disk meter must say 30 GB
    # (decimal GB written, AWS GB = 2^30 bytes: 30e9 / 2^30 = 27.939677238464355 GB-month), not reuse the first's.
    data = {"name": "two", "resources": {"a": VARIANTS[0], "b": VARIANTS[1]}}
    result = evaluate(plan_from_data(data))
    disks = {r.name: [c.quantity for c in r.components if c.meter == "boot_disk"] for r in result.resources}
    assert disks["a"] == [Decimal(20 * 10**9) / Decimal(2**30)]
    assert disks["b"] == [Decimal(30 * 10**9) / Decimal(2**30)]


def test_rate_memo_is_per_ledger() -> None:
    # A hypothetical priced on a fresh ledger records the facts it cites there, not only in the first ledger.
    assert meters.MeterRate.__slots__  # a small record, cheap to keep per ledger
    data = {"name": "one", "resources": {"a": VARIANTS[2]}}
    first, second = evaluate(plan_from_data(data)), evaluate(plan_from_data(data))
    assert first.oldest_fact == second.oldest_fact is not None
