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


def _meter(unit: str, gb: str | None = None) -> dict[str, object]:
    meter: dict[str, object] = {"label": unit, "unit": unit, "category": "other"}
    if gb:
        meter["bytes"] = {"gb": gb, "source": "https://example.com/faq", "as_of": "2026-01-01"}
    return meter


def test_usage_is_converted_to_the_meter_unit(context: MakeContext) -> None:
    meters = {"egress": _meter("GB"), "storage": _meter("GiB-month"), "requests": _meter("request")}
    ctx = context(
        "metered",
        service={"meters": meters},
        usage={"egress": "1TB/month", "storage": "3GiB", "requests": "10/day"},
    )
    assert convert_usage(ctx, "egress", "egress") == D(1000)
    assert convert_usage(ctx, "storage", "storage") == D(3)
    # a month is 730 h: 10 a day × 730 / 24
    assert convert_usage(ctx, "requests", "requests") == D(10) * D(730) / D(24)
    assert convert_usage(ctx, "reads", "requests") == D(0)  # not given: nothing used


def test_a_binary_gb_meter_bills_gib_as_gb(context: MakeContext) -> None:
    # AWS bills GB of 2^30 bytes (S3 FAQ): 50 GiB stored is 50 GB-month, and 1 TB (10^12 bytes) out is
    # 10^12 / 2^30 = 931.32... GB.
    meters = {"storage": _meter("GB-month", "binary"), "egress": _meter("GB", "binary")}
    ctx = context("metered", service={"meters": meters}, usage={"storage": "50GiB", "egress": "1TB/month"})
    assert convert_usage(ctx, "storage", "storage") == D(50)
    assert convert_usage(ctx, "egress", "egress") == D(10**12) / D(2**30)


def test_byte_units() -> None:
    assert byte_unit("GB-month") == D(10**9)
    assert byte_unit("GiB") == D(2**30)
    assert byte_unit("GB-month", "binary") == D(2**30)
    assert byte_unit("MB", "binary") == D(2**20)
    assert byte_unit("GiB", "decimal") == D(2**30)  # IEC units are binary whatever the convention
    with pytest.raises(ValueError, match="not a byte unit"):
        byte_unit("request")
