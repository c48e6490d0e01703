"""What a model reads through its Context: running hours, usage in a meter's unit, byte units."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infrafit.services import ModelError, byte_unit, convert_usage
from tests.services.conftest import MakeContext

D = Decimal


def test_hours_default_to_the_whole_month(context: MakeContext) -> None:
    assert context("metered").hours() == D(730)


def test_uptime_is_a_share_of_the_month(context: MakeContext) -> None:
    assert context("metered", usage={"uptime": "20%"}).hours() == D(146)  # 730 × 0.2


def test_hours_beyond_the_month_are_refused(context: MakeContext) -> None:
    with pytest.raises(ModelError, match="more than the month"):
        context("metered", usage={"hours": "800h"}).hours()


def test_usage_is_converted_to_the_meter_unit(context: MakeContext) -> None:
    ctx = context("metered", usage={"egress": "1TB/month", "storage": "3GiB", "requests": "10/day"})
    assert convert_usage(ctx, "egress", "GB") == D(1000)
    assert convert_usage(ctx, "storage", "GiB-month") == D(3)
    # a month is 730 h: 10 a day × 730 / 24
    assert convert_usage(ctx, "requests", "request") == D(10) * D(730) / D(24)
    assert convert_usage(ctx, "reads", "read") == D(0)  # not given: nothing used


def test_byte_units() -> None:
    assert byte_unit("GB-month") == D(10**9)
    assert byte_unit("GiB") == D(2**30)
    with pytest.raises(ValueError, match="not a byte unit"):
        byte_unit("request")
