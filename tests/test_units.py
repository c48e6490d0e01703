from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrafit.units import Kind, Rate, UnitError, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("500MB", 500 * 10**6),
        ("2GiB", 2 * 2**30),
        ("512Mi", 512 * 2**20),
        ("1.5TB", 15 * 10**11),
        ("30GB", 30 * 10**9),
        ("1KiB", 1024),
    ],
)
def test_bytes_si_and_iec(text: str, expected: int) -> None:
    assert parse(text, Kind.BYTES) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("200ms", "0.2"), ("30s", "30"), ("5min", "300"), ("2h", "7200"), ("1day", "86400")],
)
def test_durations(text: str, seconds: str) -> None:
    assert parse(text, Kind.DURATION) == Decimal(seconds)


def test_rates_per_month_use_the_plan_month() -> None:
    month = Decimal(730)
    assert parse("5M/month", Kind.RATE) == Rate(Decimal(5_000_000), "month")
    # 100 a day over a 730-hour month: 100 × 730 / 24 = 3,041.666…
    per_day = parse("100/day", Kind.RATE)
    assert isinstance(per_day, Rate)
    assert per_day.per_month(month) == Decimal(100) * month / 24
    # 3 a second: 3 × 730 × 3600 = 7,884,000
    per_s = parse("3/s", Kind.RATE)
    assert isinstance(per_s, Rate)
    assert per_s.per_month(month) == Decimal(7_884_000)
    per_min = parse("2K/min", Kind.RATE)
    assert isinstance(per_min, Rate)
    assert per_min.per_month(month) == Decimal(2000 * 60 * 730)


def test_data_rate() -> None:
    rate = parse("400MB/month", Kind.DATA_RATE)
    assert rate == Rate(Decimal(400 * 10**6), "month")
    daily = parse("10GB/day", Kind.DATA_RATE)
    assert isinstance(daily, Rate)
    assert daily.per_month(Decimal(720)) == Decimal(10 * 10**9 * 30)


def test_percent_money_power_hours() -> None:
    assert parse("20%", Kind.PERCENT) == Decimal("0.2")
    assert parse("25 USD", Kind.MONEY) == Decimal(25)
    assert parse("$9.99", Kind.MONEY) == Decimal("9.99")
    assert parse("65W", Kind.POWER) == Decimal(65)
    assert parse("0.2kW", Kind.POWER) == Decimal(200)
    assert parse(146, Kind.HOURS) == Decimal(146)
    assert parse("90min", Kind.HOURS) == Decimal("1.5")


@pytest.mark.parametrize(
    ("value", "kind", "words"),
    [
        (500, Kind.BYTES, "needs a unit"),
        ("500", Kind.BYTES, "is not a size"),
        (3000, Kind.RATE, "needs a unit"),
        ("20", Kind.PERCENT, "percentage"),
        ("-5GB", Kind.BYTES, "negative"),
        (-1, Kind.NUMBER, "negative"),
        ("5 parsecs", Kind.DURATION, "duration"),
        ("5Gb", Kind.BYTES, "did you mean GB"),
        ("25", Kind.MONEY, "USD"),
    ],
)
def test_bad_values_say_what_is_accepted(value: object, kind: Kind, words: str) -> None:
    with pytest.raises(UnitError, match=words):
        parse(value, kind)


@given(st.integers(min_value=0, max_value=10**8), st.sampled_from(["B", "KB", "MB", "GB", "KiB", "MiB", "GiB"]))
def test_bytes_scale_exactly(n: int, unit: str) -> None:
    factor = {"B": 1, "KB": 1000, "MB": 10**6, "GB": 10**9, "KiB": 1024, "MiB": 2**20, "GiB": 2**30}[unit]
    assert parse(f"{n}{unit}", Kind.BYTES) == Decimal(n) * factor
