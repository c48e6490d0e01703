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


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_read_as_the_number(n: int) -> None:
    # f"{n:,}" groups digits by three: 1234567 -> "1,234,567", which must read back as n requests a day.
    assert parse(f"{n:,}/day", Kind.RATE) == Rate(Decimal(n), "day")


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=99))
def test_a_decimal_comma_is_never_read_as_a_thousands_separator(whole: int, frac: int) -> None:
    # '0,5GB' once read as 5 GB; any comma followed by fewer than three digits is a decimal comma.
    with pytest.raises(UnitError, match="write decimals with a dot"):
        parse(f"{whole},{frac}GB", Kind.BYTES)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("Infinity")])
@pytest.mark.parametrize("kind", [Kind.NUMBER, Kind.HOURS, Kind.BYTES, Kind.RATE])
def test_non_finite_numbers_are_refused(value: object, kind: Kind) -> None:
    with pytest.raises(UnitError, match="not a number"):
        parse(value, kind)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("1000000001", Kind.NUMBER),  # plain numbers stop at 10^9
        ("1000000000000000001B", Kind.BYTES),  # 1 EB = 10^18 bytes
        ("367day", Kind.DURATION),  # a year is 366 days
        ("373357229/s", Kind.RATE),  # × 2,678,400 s in a 744-hour month = 1.0000000022×10^15 > 10^15
        ("1000000001 USD", Kind.MONEY),
    ],
)
def test_limits_are_stated_and_enforced(value: str, kind: Kind) -> None:
    with pytest.raises(UnitError, match=r"too large: .*docs/limits.md"):
        parse(value, kind)


def test_values_at_the_limits_are_accepted() -> None:
    assert parse("1000000000", Kind.NUMBER) == Decimal(10**9)
    assert parse("1000000000000000000B", Kind.BYTES) == Decimal(10**18)
    assert parse("366day", Kind.DURATION) == Decimal(366 * 86400)
    # 373,357,228 a second × 2,678,400 s = 9.999999995×10^14 a month, within 10^15
    assert parse("373357228/s", Kind.RATE) == Rate(Decimal(373357228), "s")


@pytest.mark.parametrize(
    ("text", "amount"),
    [("5 million/month", 5 * 10**6), ("2 thousand calls/day", 2000), ("3B tokens/month", 3 * 10**9), ("7 ops/s", 7)],
)
def test_count_words(text: str, amount: int) -> None:
    rate = parse(text, Kind.RATE)
    assert isinstance(rate, Rate) and rate.amount == amount


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("5m/month", "'m' is not a multiplier"),
        ("5MB/month", "MB is a size"),
        ("5 GiB/month", "GiB is a size"),
        ("5 widgets/month", "unknown word 'widgets'"),
        ("5 M requests calls/month", "unknown word"),
    ],
)
def test_unknown_count_words_are_refused(text: str, words: str) -> None:
    with pytest.raises(UnitError, match=words):
        parse(text, Kind.RATE)
